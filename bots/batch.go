package bots

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/redis/go-redis/v9"
)

// batcher sends the Redis commands of concurrent callers together, so that
// under load many events share the system calls and the server work of one
// round trip. At most lanes pipelines are in flight: a caller that finds a
// lane free sends its own commands at once (no hand-over to another
// goroutine); the others queue, and when a pipeline returns, the first of
// them sends everything queued as the next one. Each caller still waits
// for its own round trip: the sequential round trips of one event do not
// change.
type batcher struct {
	rdb   redis.UniversalClient
	lanes int

	mu       sync.Mutex
	inflight int
	queue    []*batchCall

	// trips counts round trips as callers see them (one per do call).
	trips atomic.Int64
}

type batchCall struct {
	fill func(redis.Pipeliner)
	// lead is closed when the call must send calls (itself first) as
	// one pipeline; done when another call sent it.
	lead  chan struct{}
	calls []*batchCall
	done  chan struct{}
}

// maxBatch is the most calls one pipeline carries.
const maxBatch = 256

func newBatcher(rdb redis.UniversalClient, lanes int) *batcher {
	return &batcher{rdb: rdb, lanes: max(lanes, 1)}
}

// do adds fill's commands to a pipeline and waits until it has run; the
// caller then reads its commands' results and errors (the client's own
// timeouts bound the wait).
func (b *batcher) do(fill func(redis.Pipeliner)) {
	b.trips.Add(1)
	b.mu.Lock()
	if b.inflight < b.lanes {
		b.inflight++
		b.mu.Unlock()
		b.send([]*batchCall{{fill: fill}})
		return
	}
	c := &batchCall{fill: fill, lead: make(chan struct{}), done: make(chan struct{})}
	b.queue = append(b.queue, c)
	b.mu.Unlock()
	select {
	case <-c.done:
	case <-c.lead:
		b.send(c.calls)
	}
}

// send runs calls in one pipeline, tells the others that theirs ran, and
// hands the lane to the first queued call, if any.
func (b *batcher) send(calls []*batchCall) {
	pipe := b.rdb.Pipeline()
	for _, c := range calls {
		c.fill(pipe)
	}
	// Each caller reads the errors of its own commands.
	_, _ = pipe.Exec(context.Background())
	for _, c := range calls[1:] {
		close(c.done)
	}
	b.mu.Lock()
	if len(b.queue) == 0 {
		b.inflight--
		b.mu.Unlock()
		return
	}
	n := min(len(b.queue), maxBatch)
	next := b.queue[:n:n]
	b.queue = b.queue[n:]
	b.mu.Unlock()
	next[0].calls = next
	close(next[0].lead)
}

// RoundTrips returns how many Redis round trips the engine's event and
// outbox paths have waited for, counted per caller (a pipeline shared by
// several events counts once for each of them). Benchmarks divide it by
// the events handled.
func (e *Engine) RoundTrips() int64 { return e.batch.trips.Load() }
