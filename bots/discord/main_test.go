package discord

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/talentjourney/talentbot/bots"
	"github.com/talentjourney/talentbot/bots/discord/discordtest"
	"github.com/talentjourney/talentbot/store"
	"github.com/talentjourney/talentbot/store/storetest"
)

const (
	testApp   = "500000000000000001"
	testGuild = "600000000000000001"
	testToken = "test-bot-token-secret"
)

// fake is one fake Discord for the whole package: discordgo's endpoints
// are process-wide variables, so every adapter here points at it.
var fake *discordtest.Server

func TestMain(m *testing.M) {
	fake = discordtest.New()
	code := m.Run()
	fake.Close()
	os.Exit(code)
}

// responder plays the engine's part in tests that do not run the engine:
// it answers a stored event with messages.
type responder func(ev bots.Event) []bots.Message

// redisSubmitter stores each event in a Redis list (durably, like the
// engine's queue) and then, after delay, sends what respond returns
// through the adapter, as the engine's outbox would.
type redisSubmitter struct {
	st      *store.Store
	a       *Adapter
	delay   time.Duration
	respond responder

	mu     sync.Mutex
	events []bots.Event
	sends  chan error
}

func (s *redisSubmitter) Submit(ctx context.Context, ev bots.Event) error {
	raw, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	if err := s.st.Client.RPush(ctx, s.st.Keys.User(ev.User, "dctest:q"), raw).Err(); err != nil {
		return err
	}
	s.mu.Lock()
	s.events = append(s.events, ev)
	s.mu.Unlock()
	if s.respond != nil {
		go s.answer(ev)
	}
	return nil
}

func (s *redisSubmitter) answer(ev bots.Event) {
	time.Sleep(s.delay)
	for _, m := range s.respond(ev) {
		if m.User == "" {
			m.User, m.Chat, m.Platform, m.Reply = ev.User, ev.Chat, bots.Discord, ev.Reply
		}
		s.sends <- s.a.Send(context.Background(), m)
	}
}

// stored returns the events stored so far, read back from Redis.
func (s *redisSubmitter) stored(t *testing.T, user string) []bots.Event {
	t.Helper()
	raws, err := s.st.Client.LRange(context.Background(), s.st.Keys.User(user, "dctest:q"), 0, -1).Result()
	if err != nil {
		t.Fatal(err)
	}
	var out []bots.Event
	for _, r := range raws {
		var ev bots.Event
		if err := json.Unmarshal([]byte(r), &ev); err != nil {
			t.Fatal(err)
		}
		out = append(out, ev)
	}
	return out
}

// harness runs an adapter against the fake until the test ends.
type harness struct {
	a   *Adapter
	sub *redisSubmitter
	st  *store.Store
	log *syncBuffer
}

func start(t testing.TB, respond responder, delay time.Duration) *harness {
	t.Helper()
	fake.Reset()
	st := storetest.New(t)
	logs := &syncBuffer{}
	sub := &redisSubmitter{st: st, delay: delay, respond: respond, sends: make(chan error, 64)}
	cfg := Config{Token: testToken, AppID: testApp, GuildID: testGuild, APIURL: fake.URL,
		Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	a, err := New(cfg, sub, st)
	if err != nil {
		t.Fatal(err)
	}
	sub.a = a

	before := len(fake.Identified())
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	t.Cleanup(func() {
		// discordgo's Close sleeps a second after its close frame; the
		// fake drops the connection at the frame, which is all the next
		// test needs.
		cancel()
		if !fake.WaitConns(0, 3*time.Second) {
			<-done
		}
	})
	deadline := time.Now().Add(5 * time.Second)
	for len(fake.Identified()) == before {
		if time.Now().After(deadline) {
			t.Fatal("the adapter did not identify on the fake gateway")
		}
		time.Sleep(2 * time.Millisecond)
	}
	time.Sleep(20 * time.Millisecond) // READY reaches the session
	return &harness{a: a, sub: sub, st: st, log: logs}
}

// syncBuffer is a bytes.Buffer safe for the logger's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.Buffer.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.Buffer.String()
}

// sendResult waits for the result of the next Send the responder made.
func (h *harness) sendResult(t *testing.T) error {
	t.Helper()
	select {
	case err := <-h.sub.sends:
		return err
	case <-time.After(10 * time.Second):
		t.Fatal("no send happened")
		return nil
	}
}

func text(s string) bots.Text { return bots.Text{{Text: s}} }
