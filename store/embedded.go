package store

import (
	"context"
	"sync"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// startEmbedded starts an in-process Redis-compatible server.
// TODO: snapshot to cfg.DataDir, load at start, and join a running server
// whose port is recorded in the folder.
func (s *Store) startEmbedded(_ context.Context, cfg Config) error {
	m := miniredis.NewMiniRedis()
	if err := m.StartAddr("127.0.0.1:0"); err != nil {
		return err
	}
	s.mini = m
	done := make(chan struct{})
	var once sync.Once
	go realClock(m, done)
	s.stop = func() { once.Do(func() { close(done); m.Close() }) }
	s.Client = redis.NewUniversalClient(&redis.UniversalOptions{Addrs: []string{m.Addr()}})
	s.where = "embedded store at " + m.Addr()
	return nil
}

// realClock makes TTLs of the embedded server run on the real clock.
func realClock(m *miniredis.Miniredis, done <-chan struct{}) {
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	last := time.Now()
	for {
		select {
		case <-done:
			return
		case now := <-t.C:
			m.SetTime(now)
			m.FastForward(now.Sub(last))
			last = now
		}
	}
}
