package discord

import (
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/talentjourney/talentbot/bots"
	"github.com/talentjourney/talentbot/bots/discord/discordtest"
)

// BenchmarkGatewayToReply measures, through the fake, the time from a
// slash command dispatched on the gateway to the acknowledgement request
// (ack-*) and to the reply's follow-up request (reply-*), with an engine
// that answers at once: gateway decoding, storing the event in Redis, the
// deferred acknowledgement, rendering and the follow-up. cpu-ms/op is the
// CPU time of the whole test process per event, the fake's included.
func BenchmarkGatewayToReply(b *testing.B) {
	h := start(b, func(ev bots.Event) []bots.Message {
		return []bots.Message{{ID: ev.ID, Private: true, Text: bots.Text{{Text: "Lessons done: "},
			{Text: "3", Style: bots.Bold}}}}
	}, 0)
	_ = h
	acks := make(chan time.Time, 1)
	replies := make(chan time.Time, 1)
	fake.OnCall(func(c discordtest.Call) {
		switch {
		case strings.HasPrefix(c.Path, "/interactions/"):
			acks <- c.At
		case strings.HasPrefix(c.Path, "/webhooks/"):
			replies <- c.At
		}
	})
	defer fake.OnCall(nil)

	var ackTimes, replyTimes []time.Duration
	cpu0 := cpuTime()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		id := strconv.Itoa(950000000000000000 + i)
		sent := time.Now()
		if err := fake.Interact(testApp, guildCommand(id, "progress")); err != nil {
			b.Fatal(err)
		}
		ackTimes = append(ackTimes, (<-acks).Sub(sent))
		replyTimes = append(replyTimes, (<-replies).Sub(sent))
		<-h.sub.sends
	}
	b.StopTimer()
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(len(ackTimes)), "cpu-ms/op")
	report(b, "ack", ackTimes)
	report(b, "reply", replyTimes)
}

func report(b *testing.B, name string, d []time.Duration) {
	slices.Sort(d)
	q := func(p float64) float64 { return float64(d[int(p*float64(len(d)-1))].Microseconds()) / 1000 }
	b.ReportMetric(q(0.50), name+"-p50-ms")
	b.ReportMetric(q(0.99), name+"-p99-ms")
}

// cpuTime is the CPU time this process used so far (the adapter, the
// fake and the Redis client; not the Redis server).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
