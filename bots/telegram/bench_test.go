package telegram

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/talentjourney/talentbot/bots/telegram/telegramtest"
	"github.com/talentjourney/talentbot/store/storetest"
)

// BenchmarkSendUnlimited measures how many sends per second the adapter
// makes from one process when neither it nor the fake limits the rate.
// Target: at least 10,000/s. "loopback" goes through HTTP on a loopback
// socket to the fake in the same process (both share the CPUs);
// "in-process" hands requests to the fake without sockets, which measures
// the adapter's own cost (rendering, pacing, JSON, net/http client).
func BenchmarkSendUnlimited(b *testing.B) {
	b.Run("loopback", func(b *testing.B) { benchUnlimited(b, false) })
	b.Run("in-process", func(b *testing.B) { benchUnlimited(b, true) })
}

func benchUnlimited(b *testing.B, inProcess bool) {
	srv := telegramtest.NewServer(b)
	srv.SetRecording(false)
	cfg := Config{Token: telegramtest.Token, APIURL: srv.URL, Rate: -1, ChatRate: -1, GroupRate: -1, MaxInFlight: 64}
	if inProcess {
		cfg.HTTPClient = &http.Client{Transport: srv.Transport()}
	}
	a, err := New(cfg, nil, storetest.New(b))
	if err != nil {
		b.Fatal(err)
	}
	var n atomic.Int64
	b.SetParallelism(16)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			chat := strconv.FormatInt(1000+n.Add(1)%5000, 10)
			if err := a.Send(context.Background(), plainMessage(chat, "Your lesson is ready: <Sensors & signals>")); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "sends/s")
}

// BenchmarkSendPaced sends with the default limits while the fake enforces
// 30 per second overall and 1 per second per chat. Targets: at least 95 %
// of 30/s, and no 429. Run with -benchtime=300x for a steady figure.
func BenchmarkSendPaced(b *testing.B) {
	srv := telegramtest.NewServer(b)
	srv.SetRecording(false)
	srv.SetLimits(30, 1)
	a, err := New(Config{Token: telegramtest.Token, APIURL: srv.URL}, nil, storetest.New(b))
	if err != nil {
		b.Fatal(err)
	}
	jobs := make(chan int)
	var wg sync.WaitGroup
	b.ResetTimer()
	for range 32 {
		wg.Go(func() {
			for i := range jobs {
				if err := a.Send(context.Background(), plainMessage(strconv.Itoa(1000+i%200), "Reminder")); err != nil {
					b.Error(err)
				}
			}
		})
	}
	for i := range b.N {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	perSecond := float64(b.N) / b.Elapsed().Seconds()
	b.ReportMetric(perSecond, "sends/s")
	b.ReportMetric(float64(srv.Limited()), "429s")
	if srv.Limited() > 0 {
		b.Errorf("the fake answered 429 %d times", srv.Limited())
	}
	if b.N >= 60 && perSecond < 0.95*30 {
		b.Errorf("%.1f sends/s, want at least 28.5", perSecond)
	}
}
