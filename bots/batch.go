package bots

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

// batcher sends the Redis commands of concurrent callers together, one
// pipeline per round trip, so that under load many events share the system
// calls and the server work of one round trip. Each caller still waits for
// its own round trip: the sequential round trips of one event do not
// change. Outside Run (before it starts, after it ends) callers send their
// own pipeline.
type batcher struct {
	rdb     redis.UniversalClient
	reqs    chan *batchCall // unbuffered: a call sent is a call taken
	running atomic.Bool
	stopped chan struct{}
	wg      sync.WaitGroup
	// trips counts round trips as callers see them (one per do call).
	trips atomic.Int64
}

type batchCall struct {
	fill func(redis.Pipeliner)
	done chan struct{}
}

// maxBatch is the most calls one pipeline carries.
const maxBatch = 256

func newBatcher(rdb redis.UniversalClient) *batcher {
	return &batcher{rdb: rdb, reqs: make(chan *batchCall), stopped: make(chan struct{})}
}

// start runs lanes goroutines until ctx ends.
func (b *batcher) start(ctx context.Context, lanes int) {
	b.stopped = make(chan struct{})
	b.running.Store(true)
	for i := 0; i < lanes; i++ {
		b.wg.Add(1)
		go b.lane()
	}
	go func() {
		<-ctx.Done()
		b.running.Store(false)
		close(b.stopped)
		b.wg.Wait()
	}()
}

func (b *batcher) lane() {
	defer b.wg.Done()
	for {
		select {
		case c := <-b.reqs:
			b.send(c)
		case <-b.stopped:
			return
		}
	}
}

// send runs c and whatever other calls are waiting in one pipeline.
func (b *batcher) send(first *batchCall) {
	calls := []*batchCall{first}
more:
	for len(calls) < maxBatch {
		select {
		case c := <-b.reqs:
			calls = append(calls, c)
		default:
			break more
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	pipe := b.rdb.Pipeline()
	for _, c := range calls {
		c.fill(pipe)
	}
	// Each caller reads the errors of its own commands.
	_, _ = pipe.Exec(ctx)
	for _, c := range calls {
		close(c.done)
	}
}

// do adds fill's commands to the next pipeline and waits until it has run;
// the caller then reads its commands' results and errors. An error means
// the commands were not sent.
func (b *batcher) do(ctx context.Context, fill func(redis.Pipeliner)) error {
	b.trips.Add(1)
	if b.running.Load() {
		c := &batchCall{fill: fill, done: make(chan struct{})}
		select {
		case b.reqs <- c:
			<-c.done
			return nil
		case <-b.stopped:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	pipe := b.rdb.Pipeline()
	fill(pipe)
	_, _ = pipe.Exec(ctx)
	return nil
}

// RoundTrips returns how many Redis round trips the engine's event and
// outbox paths have waited for, counted per caller (a pipeline shared by
// several events counts once for each of them). Benchmarks divide it by
// the events handled.
func (e *Engine) RoundTrips() int64 { return e.batch.trips.Load() }
