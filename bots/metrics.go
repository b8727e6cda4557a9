package bots

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

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

// registerDepths adds gauges of the users waiting for their events to be
// handled and for their messages to be sent, read from Redis at scrape time.
func (e *Engine) registerDepths(reg prometheus.Registerer) {
	if reg == nil {
		return
	}
	depth := func(name string) func() float64 {
		return func() float64 {
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			pipe := e.rdb.Pipeline()
			var cmds []interface{ Val() int64 }
			for i := 0; i < e.cfg.Shards; i++ {
				part := "pending"
				if name == "ob" {
					part = "ready"
				}
				cmds = append(cmds, pipe.ZCard(ctx, e.keys.Shard(name, i, part)))
			}
			if _, err := pipe.Exec(ctx); err != nil {
				return -1
			}
			var n int64
			for _, c := range cmds {
				n += c.Val()
			}
			return float64(n)
		}
	}
	reg.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "talentbot_queue_users_waiting",
			Help: "Users with events waiting or recently handled (per-user queues)."}, depth("q")),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "talentbot_outbox_users_waiting",
			Help: "Users with messages waiting or recently sent (outbox)."}, depth("ob")),
	)
}
