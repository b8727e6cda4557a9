package bots_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/talentjourney/talentbot/bots"
	"github.com/talentjourney/talentbot/bots/telegram"
	"github.com/talentjourney/talentbot/bots/telegram/telegramtest"
	"github.com/talentjourney/talentbot/store"
	"github.com/talentjourney/talentbot/store/storetest"
)

// tgBroadcast is the engine and the Telegram adapter on a fake Bot API,
// with a coordinator (tg:1) and n learners (tg:1001...) in the index.
type tgBroadcast struct {
	srv *telegramtest.Server
	st  *store.Store
	eng *bots.Engine
}

func newTGBroadcast(t testing.TB, n int, tune func(*telegram.Config)) *tgBroadcast {
	t.Helper()
	srv := telegramtest.NewServer(t)
	st := storetest.New(t)
	log := slog.New(slog.DiscardHandler)
	eng, err := bots.New(st, bots.Config{Logger: log, Coordinators: []string{"tg:1"},
		SweepEvery: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	cfg := telegram.Config{Token: telegramtest.Token, APIURL: srv.URL, Logger: log}
	tune(&cfg)
	a, err := telegram.New(cfg, eng, st)
	if err != nil {
		t.Fatal(err)
	}
	eng.AddSender(bots.Telegram, a)
	users := []seed{{"tg:1", bots.Telegram, "1", "en", bots.RoleCoordinator, "SI"}}
	for i := range n {
		id := strconv.Itoa(1001 + i)
		users = append(users, seed{"tg:" + id, bots.Telegram, id, "en", bots.RoleLearner, "FI"})
	}
	seedUsers(t, st, users)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { _ = eng.Run(ctx) })
	t.Cleanup(func() { cancel(); wg.Wait() })
	return &tgBroadcast{srv: srv, st: st, eng: eng}
}

// waitReport waits for the final report of broadcast id.
func (b *tgBroadcast) waitReport(t testing.TB, id string, within time.Duration) bots.BroadcastReport {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		r, err := b.eng.Report(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if r.Status == "done" {
			return r
		}
		if time.Now().After(deadline) {
			t.Fatalf("broadcast not done within %v: %+v", within, r)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestBroadcast429 is the case 1: 500 learners, the 31st and the
// 200th send answered 429 with retry_after 5.
func TestBroadcast429(t *testing.T) {
	b := newTGBroadcast(t, 500, func(c *telegram.Config) { c.Rate = 500; c.MaxInFlight = 1 })
	b.srv.Fail("sendMessage", 31, telegramtest.TooManyRequests(5))
	b.srv.Fail("sendMessage", 200, telegramtest.TooManyRequests(5))
	id, err := b.eng.StartBroadcast(context.Background(), "tg:1",
		map[string]string{"": "Kick-off on Friday"}, bots.Segment{Role: bots.RoleLearner})
	if err != nil {
		t.Fatal(err)
	}
	r := b.waitReport(t, id, 60*time.Second)
	if r.Total != 500 || r.Counts[bots.DeliverySent] != 500 || r.Done() != 500 {
		t.Fatalf("report %+v, want 500 recipients, 500 sent", r)
	}
	waitFinal(t, b.srv, "1", "finished")

	calls := b.srv.Calls("sendMessage")
	got := map[string]int{}
	var limited []time.Time
	for _, c := range calls {
		if c.Status == 429 {
			limited = append(limited, c.Time)
			continue
		}
		if c.Status == 200 && c.Params["text"] == "Kick-off on Friday" {
			got[c.Params["chat_id"]]++
		}
	}
	for i := range 500 {
		if n := got[strconv.Itoa(1001+i)]; n != 1 {
			t.Errorf("learner %d got %d copies, want 1", 1001+i, n)
		}
	}
	if len(limited) != 2 {
		t.Fatalf("the fake answered 429 %d times, want 2", len(limited))
	}
	for _, at := range limited {
		for _, c := range calls {
			if c.Time.After(at) && c.Time.Before(at.Add(5*time.Second)) {
				t.Errorf("call %s #%d came %v after a 429 with retry_after 5", c.Method, c.N,
					c.Time.Sub(at))
			}
		}
	}
}

// waitFinal waits until chat got a message containing substr.
func waitFinal(t testing.TB, srv *telegramtest.Server, chat, substr string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		for _, c := range srv.Calls("sendMessage") {
			if c.Params["chat_id"] == chat && c.Status == 200 && strings.Contains(c.Text, substr) {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("chat %s never got %q", chat, substr)
}

// TestBroadcastBlocked is the case 2: a recipient who blocked the
// bot is counted as blocked and marked inactive; the others get theirs.
func TestBroadcastBlocked(t *testing.T) {
	b := newTGBroadcast(t, 50, func(c *telegram.Config) { c.Rate = 1000 })
	b.srv.FailChat("1010", telegramtest.Blocked())
	id, err := b.eng.StartBroadcast(context.Background(), "tg:1",
		map[string]string{"": "Hello"}, bots.Segment{Countries: []string{"FI"}})
	if err != nil {
		t.Fatal(err)
	}
	r := b.waitReport(t, id, 30*time.Second)
	if r.Counts[bots.DeliverySent] != 49 || r.Counts[bots.DeliveryBlocked] != 1 || r.Total != 50 {
		t.Fatalf("report %+v, want 49 sent and 1 blocked", r)
	}
	waitFinal(t, b.srv, "1", "blocked: 1")
	deadline := time.Now().Add(5 * time.Second)
	for {
		raw, err := b.st.Client.Get(context.Background(), b.st.Keys.User("tg:1010", "state")).Result()
		if err != nil {
			t.Fatal(err)
		}
		var s bots.State
		_ = json.Unmarshal([]byte(raw), &s)
		if s.Inactive {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the user who blocked the bot is not marked inactive")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// BenchmarkBroadcast10k sends a broadcast to 10,000 Telegram learners
// through a fake Bot API that allows 1,000 messages in any one second,
// with the adapter configured to the same rate. Run with -benchtime=1x.
func BenchmarkBroadcast10k(b *testing.B) {
	defer keepRuntime()()
	bots.TuneRuntime() // as the binary runs
	const n = 10000
	for range b.N {
		tb := newTGBroadcast(b, n, func(c *telegram.Config) { c.Rate = 1000; c.MaxInFlight = 64 })
		tb.srv.SetLimits(1000, 0)
		tb.srv.SetRecording(false)
		b.ResetTimer()
		start := time.Now()
		id, err := tb.eng.StartBroadcast(context.Background(), "tg:1",
			map[string]string{"": "Kick-off on Friday"}, bots.Segment{Role: bots.RoleLearner})
		if err != nil {
			b.Fatal(err)
		}
		r := tb.waitReport(b, id, 5*time.Minute)
		elapsed := time.Since(start)
		b.StopTimer()
		if r.Counts[bots.DeliverySent] != n || r.Total != n {
			b.Errorf("report %+v, want %d sent", r, n)
		}
		if tb.srv.Limited() > 0 {
			b.Errorf("the fake answered 429 %d times", tb.srv.Limited())
		}
		b.ReportMetric(float64(n)/elapsed.Seconds(), "msgs/s")
		b.ReportMetric(float64(tb.srv.Limited()), "429s")
		b.ReportMetric(peakRSS(), "peakRSS_MB")
	}
}

// peakRSS is the process's peak resident memory in MB (Linux), or 0.
func peakRSS() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			var kb float64
			fmt.Sscan(strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(line, "VmHWM:"), "kB")), &kb)
			return kb / 1024
		}
	}
	return 0
}
