package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/talentjourney/talentbot/bots"
	"github.com/talentjourney/talentbot/bots/telegram/telegramtest"
	"github.com/talentjourney/talentbot/store"
	"github.com/talentjourney/talentbot/store/storetest"
)

// redisSubmitter stores each event as JSON at the end of a Redis list,
// standing in for the engine's per-user queue.
type redisSubmitter struct {
	st   *store.Store
	key  string
	fail atomic.Bool
}

func (s *redisSubmitter) Submit(ctx context.Context, ev bots.Event) error {
	if s.fail.Load() {
		return errors.New("store unavailable")
	}
	b, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	return s.st.Client.RPush(ctx, s.key, b).Err()
}

func (s *redisSubmitter) events(t *testing.T) []bots.Event {
	t.Helper()
	raw, err := s.st.Client.LRange(context.Background(), s.key, 0, -1).Result()
	if err != nil {
		t.Fatalf("read events: %v", err)
	}
	var out []bots.Event
	for _, r := range raw {
		var ev bots.Event
		if err := json.Unmarshal([]byte(r), &ev); err != nil {
			t.Fatalf("decode event: %v", err)
		}
		out = append(out, ev)
	}
	return out
}

// syncBuffer is a log sink that tests can read while the adapter writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

type fixture struct {
	a    *Adapter
	srv  *telegramtest.Server
	st   *store.Store
	sub  *redisSubmitter
	logs *syncBuffer
}

// newFixture makes an adapter on a fresh fake and store; mod may change
// the config first. Every log line is checked for the token at the end.
func newFixture(t *testing.T, mod func(*Config)) *fixture {
	t.Helper()
	srv := telegramtest.NewServer(t)
	st := storetest.New(t)
	return newFixtureOn(t, srv, st, mod)
}

func newFixtureOn(t *testing.T, srv *telegramtest.Server, st *store.Store, mod func(*Config)) *fixture {
	t.Helper()
	logs := &syncBuffer{}
	cfg := Config{
		Token: telegramtest.Token, APIURL: srv.URL, PollTimeout: time.Second,
		Rate: 1000, ChatRate: 100, ChatBurst: 10, GroupRate: 6000,
		Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	if mod != nil {
		mod(&cfg)
	}
	sub := &redisSubmitter{st: st, key: st.Keys.Global("test:events")}
	a, err := New(cfg, sub, st)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if strings.Contains(logs.String(), telegramtest.Token) {
			t.Errorf("a log line contains the token:\n%s", logs.String())
		}
		if t.Failed() {
			t.Logf("adapter logs:\n%s", logs.String())
		}
	})
	return &fixture{a: a, srv: srv, st: st, sub: sub, logs: logs}
}

// run starts a.Run until the test ends.
func (f *fixture) run(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- f.a.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
}

// waitFor polls cond for up to 10 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func plainMessage(chat, text string) bots.Message {
	return bots.Message{ID: "m-" + chat, Platform: bots.Telegram, Chat: chat, User: "tg:" + strings.TrimPrefix(chat, "-"),
		Text: bots.Text{{Text: text}}}
}
