package matching

import (
	"slices"
	"testing"
	"time"
)

// BenchmarkRank100k ranks 100,000 tutors for one learner at a time and
// reports the 99th percentile of single calls (target: 20 ms).
func BenchmarkRank100k(b *testing.B) {
	g := newGenerator(1)
	x := NewIndex(DefaultWeights())
	for i := 0; i < 100_000; i++ {
		x.Upsert(g.tutor(i), genNow)
	}
	learners := make([]Learner, 256)
	for i := range learners {
		learners[i] = g.learner(i)
	}
	x.Rank(&learners[0], Query{}, genNow) // builds the postings once
	var times []time.Duration
	b.ResetTimer()
	i := 0
	for b.Loop() {
		l := &learners[i%len(learners)]
		q := Query{Limit: 10}
		if i%2 == 0 {
			q.Skill = l.Skills[0]
		}
		start := time.Now()
		if got := x.Rank(l, q, genNow); len(got) == 0 {
			b.Fatal("no candidates")
		}
		times = append(times, time.Since(start))
		i++
	}
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(times[len(times)*99/100].Microseconds())/1000, "p99-ms")
}
