package telegram

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/talentjourney/talentbot/bots/telegram/telegramtest"
)

// Case 3: 500 chats, the 31st and the 200th send answered 429 with
// retry_after 5: every chat gets exactly one message, and no call reaches
// Telegram in the 5 seconds after each 429.
func TestRateLimitHoldsEverySend(t *testing.T) {
	if testing.Short() {
		t.Skip("takes about 12 s")
	}
	f := newFixture(t, func(c *Config) { c.Rate = 100; c.MaxInFlight = 1 })
	f.srv.Fail("sendMessage", 31, telegramtest.TooManyRequests(5))
	f.srv.Fail("sendMessage", 200, telegramtest.TooManyRequests(5))

	jobs := make(chan string)
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			for chat := range jobs {
				if err := f.a.Send(context.Background(), plainMessage(chat, "Reminder")); err != nil {
					t.Errorf("chat %s: %v", chat, err)
				}
			}
		})
	}
	for i := range 500 {
		jobs <- strconv.Itoa(1000 + i)
	}
	close(jobs)
	wg.Wait()

	calls := f.srv.Calls()
	got := map[string]int{}
	var limited []time.Time
	for _, c := range calls {
		switch c.Status {
		case 200:
			got[c.Params["chat_id"]]++
		case 429:
			limited = append(limited, c.Time)
		}
	}
	for i := range 500 {
		if n := got[strconv.Itoa(1000+i)]; n != 1 {
			t.Errorf("chat %d got %d messages", 1000+i, n)
		}
	}
	if len(limited) != 2 {
		t.Fatalf("want 2 answers 429, got %d", len(limited))
	}
	for _, at := range limited {
		for _, c := range calls {
			if c.Time.After(at) && c.Time.Before(at.Add(5*time.Second)) {
				t.Errorf("a call reached Telegram %v after a 429 (429 at %s, call %s %s N=%d)", c.Time.Sub(at), at.Format("15:04:05.000000"), c.Time.Format("15:04:05.000000"), c.Method, c.N)
			}
		}
	}
}

func TestPacerKeepsPerChatRate(t *testing.T) {
	p := newPacer(Config{Rate: 1000, ChatRate: 10, ChatBurst: 1, GroupRate: 60, MaxInFlight: 4})
	ctx := context.Background()
	start := time.Now()
	for range 4 {
		release, err := p.wait(ctx, "42")
		if err != nil {
			t.Fatal(err)
		}
		release()
	}
	// Three gaps of at least 1/(10*margin) s.
	if d := time.Since(start); d < 300*time.Millisecond {
		t.Errorf("4 sends to one chat in %v, want at least 300ms at 10/s", d)
	}
	start = time.Now()
	for i := range 4 {
		release, err := p.wait(ctx, strconv.Itoa(i))
		if err != nil {
			t.Fatal(err)
		}
		defer release()
	}
	if d := time.Since(start); d > 100*time.Millisecond {
		t.Errorf("4 sends to 4 chats took %v", d)
	}
}
