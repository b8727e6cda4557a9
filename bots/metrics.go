package bots

import "github.com/prometheus/client_golang/prometheus"

// metrics are the engine's Prometheus metrics.
type metrics struct {
	received *prometheus.CounterVec
	handled  *prometheus.CounterVec
	latency  prometheus.Histogram
	sent     *prometheus.CounterVec
	failed   *prometheus.CounterVec
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		received: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "talentbot_events_received_total", Help: "Events stored in user queues.",
		}, []string{"platform"}),
		handled: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "talentbot_events_handled_total", Help: "Events handled by the engine.",
		}, []string{"platform"}),
		latency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "talentbot_event_handling_seconds", Help: "Time to handle one event.",
			Buckets: prometheus.ExponentialBuckets(0.0001, 2, 16),
		}),
		sent: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "talentbot_messages_sent_total", Help: "Messages the platforms accepted.",
		}, []string{"platform"}),
		failed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "talentbot_messages_failed_total", Help: "Sends that failed.",
		}, []string{"platform"}),
	}
	if reg != nil {
		reg.MustRegister(m.received, m.handled, m.latency, m.sent, m.failed)
	}
	return m
}
