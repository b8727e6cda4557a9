package bots

import "sync"

// memo keeps values this process wrote to Redis, in memory, by key and
// with the exact form stored, so that reading the same stored form back
// needs no decoding. A value is taken out when used: one user of each.
// It holds at most max entries and forgets them all when full (values
// delivered or handled by another process are never taken).
type memo[V any] struct {
	mu  sync.Mutex
	m   map[string]memoEntry[V]
	max int
}

type memoEntry[V any] struct {
	stored string
	v      V
}

func newMemo[V any](max int) *memo[V] {
	return &memo[V]{m: map[string]memoEntry[V]{}, max: max}
}

// put remembers v, stored as stored, under key.
func (c *memo[V]) put(key, stored string, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= c.max {
		clear(c.m)
	}
	c.m[key] = memoEntry[V]{stored: stored, v: v}
}

// take removes the value under key and returns it when it was stored as
// stored.
func (c *memo[V]) take(key, stored string) (V, bool) {
	c.mu.Lock()
	en, ok := c.m[key]
	if ok {
		delete(c.m, key)
	}
	c.mu.Unlock()
	if !ok || en.stored != stored {
		var zero V
		return zero, false
	}
	return en.v, true
}
