package discord

import (
	"sync"
	"time"
)

// invalidWindow is the span over which Discord counts invalid requests.
const invalidWindow = 10 * time.Minute

// invalidCounter counts 401, 403 and 429 answers over the last 10 minutes
// in one-minute buckets. The zero value is ready.
type invalidCounter struct {
	mu      sync.Mutex
	minutes [10]int64 // the minute (Unix time / 60) each bucket counts
	counts  [10]int
}

func (c *invalidCounter) add(now time.Time) {
	m := now.Unix() / 60
	i := m % int64(len(c.minutes))
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.minutes[i] != m {
		c.minutes[i], c.counts[i] = m, 0
	}
	c.counts[i]++
}

func (c *invalidCounter) count(now time.Time) int {
	m := now.Unix() / 60
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for i, bm := range c.minutes {
		if m-bm < int64(invalidWindow/time.Minute) {
			n += c.counts[i]
		}
	}
	return n
}
