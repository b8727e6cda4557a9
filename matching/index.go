package matching

import (
	"math/bits"
	"slices"
	"sync"
	"time"
)

const (
	slotMinutes = 15                                // resolution of the index's hours
	indexDays   = 7 * (AverageWeeks + 1)            // a week of slack after the base week
	indexSlots  = indexDays * 24 * 60 / slotMinutes // 3360
	indexWords  = (indexSlots + 63) / 64
)

// bitset marks the quarter hours of the index's span in which someone is free.
type bitset [indexWords]uint64

// Index holds every tutor in memory for fast ranking: languages as a bit
// mask, skills as small integers and each tutor's free quarter hours for
// the next five weeks as a bitset in UTC, so that the hours in common with
// a learner are a popcount. It is safe for concurrent use.
//
// Hours are counted in whole quarter hours: exact for windows that start
// and end on a quarter hour (every zone's offset is a multiple of 15 min).
type Index struct {
	w Weights

	mu       sync.RWMutex
	base     time.Time // Monday 00:00 UTC of the week the bitsets start
	entries  []entry
	pos      map[string]int
	langs    map[string]uint
	skills   map[string]int32
	shared   map[string]int32 // bitsets by zone and availability, for base
	bitsList []*bitset
	cursor   string // last change applied (see Profiles.Sync)

	// postings lists, by skill id, the tutors teaching it; rebuilt on the
	// next Rank after a change (dirty), which takes a few milliseconds
	// for 100,000 tutors.
	postings [][]posting
	hot      []hot // parallel to entries
	dirty    bool
	acc      sync.Pool // *scratch
}

// scratch is the per-call working memory of Rank, reused through a pool.
type scratch struct {
	acc     []int32 // levels summed per tutor, len(entries), zero between calls
	touched []int32
	common  []int32 // quarter hours in common per bitset, -1 not counted yet
}

type posting struct {
	i, level int32
	langs    uint64 // the tutor's languages, to filter before anything else
}

// entry is one tutor; the fields Rank reads for every tutor come first,
// within one cache line.
type entry struct {
	langs    uint64
	bits     *bitset
	bitsID   int32 // position of bits in Index.bitsList
	free     bool  // active and under capacity
	load     int32
	capacity int32
	country  string
	t        Tutor
	skills   []skillLevel
}

// hot is the part of an entry Rank reads for every candidate, kept in a
// compact array parallel to entries so that a ranking stays in cache.
type hot struct {
	bitsID, load, capacity int32
	country                uint16
	free                   bool
}

func (e *entry) hot() hot {
	return hot{bitsID: e.bitsID, load: e.load, capacity: e.capacity, country: countryCode(e.country), free: e.free}
}

func countryCode(c string) uint16 {
	if len(c) != 2 {
		return 0
	}
	return uint16(c[0])<<8 | uint16(c[1])
}

func (e *entry) setTutor(t Tutor) {
	e.t, e.free, e.load, e.capacity, e.country = t, t.Free(), int32(t.Load), int32(t.Capacity), t.Country
}

type skillLevel struct {
	id    int32
	level int32
}

// NewIndex returns an empty index that scores with w.
func NewIndex(w Weights) *Index {
	return &Index{w: w, pos: map[string]int{}, langs: map[string]uint{}, skills: map[string]int32{},
		shared: map[string]int32{}}
}

// Len is the number of tutors in the index.
func (x *Index) Len() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return len(x.entries)
}

// Tutor returns the indexed profile of user.
func (x *Index) Tutor(user string) (Tutor, bool) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	i, ok := x.pos[user]
	if !ok {
		return Tutor{}, false
	}
	return x.entries[i].t, true
}

// Upsert adds or replaces a tutor; now places the index's span when the
// index is empty.
func (x *Index) Upsert(t Tutor, now time.Time) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.base.IsZero() {
		x.base = weekStart(now)
	}
	e := entry{langs: x.langMaskLocked(t.Languages, true)}
	e.bitsID = x.bitsLocked(&t)
	e.bits = x.bitsList[e.bitsID]
	e.setTutor(t)
	for s, lv := range t.Skills {
		e.skills = append(e.skills, skillLevel{id: x.skillIDLocked(s, true), level: int32(lv)})
	}
	x.dirty = true
	if i, ok := x.pos[t.User]; ok {
		x.entries[i], x.hot[i] = e, e.hot()
		return
	}
	x.pos[t.User] = len(x.entries)
	x.entries = append(x.entries, e)
	x.hot = append(x.hot, e.hot())
}

// SetLoad records a tutor's current number of mentees.
func (x *Index) SetLoad(user string, load int) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if i, ok := x.pos[user]; ok {
		t := x.entries[i].t
		t.Load = load
		x.entries[i].setTutor(t)
		x.hot[i] = x.entries[i].hot()
	}
}

// Remove drops a tutor.
func (x *Index) Remove(user string) {
	x.mu.Lock()
	defer x.mu.Unlock()
	i, ok := x.pos[user]
	if !ok {
		return
	}
	x.dirty = true
	last := len(x.entries) - 1
	x.entries[i], x.hot[i] = x.entries[last], x.hot[last]
	x.pos[x.entries[i].t.User] = i
	x.entries, x.hot = x.entries[:last], x.hot[:last]
	delete(x.pos, user)
}

func weekStart(now time.Time) time.Time {
	d := now.UTC().Truncate(24 * time.Hour)
	return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
}

func (x *Index) langMaskLocked(langs []string, add bool) uint64 {
	var m uint64
	for _, l := range langs {
		b, ok := x.langs[l]
		if !ok && add && len(x.langs) < 64 {
			b, ok = uint(len(x.langs)), true
			x.langs[l] = b
		}
		if ok {
			m |= 1 << b
		}
	}
	return m
}

func (x *Index) skillIDLocked(s string, add bool) int32 {
	id, ok := x.skills[s]
	if !ok {
		if !add {
			return -1
		}
		id = int32(len(x.skills))
		x.skills[s] = id
	}
	return id
}

// bitsLocked gives the position in x.bitsList of the tutor's free quarter
// hours from x.base, shared between tutors with the same zone and
// availability. Bitsets no tutor uses any more stay until the next rebase.
func (x *Index) bitsLocked(t *Tutor) int32 {
	key := t.Zone + "|" + t.Availability.String()
	if id, ok := x.shared[key]; ok {
		return id
	}
	b := slotsOf(t.side(), x.base, x.base.Add(indexDays*24*time.Hour), x.base)
	id := int32(len(x.bitsList))
	x.bitsList = append(x.bitsList, b)
	x.shared[key] = id
	return id
}

// slotsOf marks the quarter hours from base that lie wholly inside s's
// windows between from and to.
func slotsOf(s Side, from, to, base time.Time) *bitset {
	var b bitset
	if s.Loc == nil {
		return &b
	}
	const slot = slotMinutes * time.Minute
	for _, iv := range s.Avail.Intervals(s.Loc, from, to) {
		first := int((iv.Start.Sub(base) + slot - 1) / slot)
		last := int(iv.End.Sub(base) / slot)
		for k := max(first, 0); k < min(last, indexSlots); k++ {
			b[k/64] |= 1 << (k % 64)
		}
	}
	return &b
}

// rebaseLocked moves the span to the week of now and recomputes bitsets.
func (x *Index) rebaseLocked(now time.Time) {
	x.base = weekStart(now)
	x.shared, x.bitsList = map[string]int32{}, nil
	for i := range x.entries {
		e := &x.entries[i]
		e.bitsID = x.bitsLocked(&e.t)
		e.bits = x.bitsList[e.bitsID]
		x.hot[i] = e.hot()
	}
}

func (x *Index) fresh(now time.Time) bool {
	return !now.Before(x.base) && now.Before(x.base.Add(7*24*time.Hour))
}

// Rank returns the best tutors for l under q, best first, with their
// reasons; hours in common are counted as WeeklyMinutes counts them.
func (x *Index) Rank(l *Learner, q Query, now time.Time) []Candidate {
	x.mu.RLock()
	if !x.fresh(now) || x.dirty {
		x.mu.RUnlock()
		x.mu.Lock()
		if !x.fresh(now) {
			x.rebaseLocked(now)
		}
		if x.dirty {
			x.repostLocked()
		}
		x.mu.Unlock()
		x.mu.RLock()
	}
	defer x.mu.RUnlock()
	return x.rankLocked(l, q, now)
}

// repostLocked rebuilds the postings lists.
func (x *Index) repostLocked() {
	x.postings = make([][]posting, len(x.skills))
	for i := range x.entries {
		for _, s := range x.entries[i].skills {
			x.postings[s.id] = append(x.postings[s.id],
				posting{i: int32(i), level: s.level, langs: x.entries[i].langs})
		}
	}
	x.acc = sync.Pool{}
	x.dirty = false
}

// levelsLocked sums, for every tutor who speaks one of langs and teaches a
// wanted skill, the levels of the wanted skills taught; with askFirst only tutors teaching ids[0]
// count. The caller zeroes sc.acc at the touched tutors and puts sc back.
func (x *Index) levelsLocked(ids []int32, langs uint64, askFirst bool) *scratch {
	sc, _ := x.acc.Get().(*scratch)
	if sc == nil || len(sc.acc) < len(x.entries) {
		sc = &scratch{acc: make([]int32, len(x.entries))}
	}
	acc, touched := sc.acc, sc.touched[:0]
	for k, id := range ids {
		if id < 0 || int(id) >= len(x.postings) {
			continue
		}
		for _, p := range x.postings[id] {
			if p.langs&langs == 0 {
				continue
			}
			if acc[p.i] == 0 {
				if askFirst && k > 0 {
					continue
				}
				touched = append(touched, p.i)
			}
			acc[p.i] += p.level
		}
	}
	sc.touched = touched
	sc.common = slices.Grow(sc.common[:0], len(x.bitsList))[:len(x.bitsList)]
	for k := range sc.common {
		sc.common[k] = -1
	}
	return sc
}

type scored struct {
	i       int
	score   float64
	minutes int
}

func (x *Index) rankLocked(l *Learner, q Query, now time.Time) []Candidate {
	want := wanted(l, q)
	ids := make([]int32, len(want))
	for k, s := range want {
		ids[k] = x.skillIDLocked(s, false)
	}
	lm := x.langMaskLocked(l.Languages, false)
	from, to := averageSpan(now)
	lb := slotsOf(l.side(), from, to, x.base)
	lo, hi := wordRange(lb)
	var declined map[string]bool
	if len(q.Declined) > 0 {
		declined = map[string]bool{}
		for _, d := range q.Declined {
			declined[d] = true
		}
	}
	top := make([]scored, 0, q.limit()+1)
	lc := countryCode(l.Country)
	self, ok := x.pos[l.User]
	if !ok {
		self = -1
	}
	sc := x.levelsLocked(ids, lm, q.Skill != "")
	acc := sc.acc
	for _, i := range sc.touched {
		levels := int(acc[i])
		acc[i] = 0
		h := x.hot[i]
		if !h.free || int(i) == self || (declined != nil && declined[x.entries[i].t.User]) {
			continue
		}
		n := sc.common[h.bitsID]
		if n < 0 {
			b := x.bitsList[h.bitsID]
			n = 0
			for k := lo; k < hi; k++ {
				n += int32(bits.OnesCount64(lb[k] & b[k]))
			}
			sc.common[h.bitsID] = n
		}
		minutes := int(n) * slotMinutes / AverageWeeks
		cross := h.country != 0 && lc != 0 && h.country != lc
		s := combine(x.w, levels, len(want), minutes, cross, int(h.load), int(h.capacity))
		top = pushTop(top, scored{i: int(i), score: s, minutes: minutes}, q.limit(), x.entries)
	}
	x.acc.Put(sc)
	out := make([]Candidate, len(top))
	for k, c := range top {
		t := &x.entries[c.i].t
		s, r := Score(l, t, q, c.minutes, x.w)
		out[k] = Candidate{Tutor: t.User, Score: s, Reason: r}
	}
	return out
}

func wordRange(b *bitset) (lo, hi int) {
	lo, hi = 0, len(b)
	for lo < hi && b[lo] == 0 {
		lo++
	}
	for hi > lo && b[hi-1] == 0 {
		hi--
	}
	return lo, hi
}

// pushTop keeps the best k, best first; ties go to the smaller user key.
func pushTop(top []scored, c scored, k int, es []entry) []scored {
	better := func(a, b scored) bool {
		if a.score != b.score {
			return a.score > b.score
		}
		return es[a.i].t.User < es[b.i].t.User
	}
	if len(top) == k && !better(c, top[k-1]) {
		return top
	}
	j := len(top)
	if j < k {
		top = append(top, c)
	} else {
		j = k - 1
	}
	for j > 0 && better(c, top[j-1]) {
		top[j] = top[j-1]
		j--
	}
	top[j] = c
	return top
}

// Cursor is the id of the last tutor change the index holds ("" before
// its first load).
func (x *Index) Cursor() string {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.cursor
}

// replace swaps the whole content for tutors, as of change cursor.
func (x *Index) replace(tutors []Tutor, cursor string, now time.Time) {
	x.mu.Lock()
	x.entries, x.hot, x.pos, x.dirty = x.entries[:0], x.hot[:0], map[string]int{}, true
	x.base = weekStart(now)
	x.shared, x.bitsList = map[string]int32{}, nil
	x.mu.Unlock()
	for _, t := range tutors {
		x.Upsert(t, now)
	}
	x.mu.Lock()
	x.cursor = cursor
	x.mu.Unlock()
}

// apply brings the named users up to date: those in tutors are upserted,
// the others (no longer tutors) removed.
func (x *Index) apply(users []string, tutors []Tutor, cursor string, now time.Time) {
	found := map[string]bool{}
	for _, t := range tutors {
		found[t.User] = true
		x.Upsert(t, now)
	}
	for _, u := range users {
		if !found[u] {
			x.Remove(u)
		}
	}
	x.mu.Lock()
	x.cursor = cursor
	x.mu.Unlock()
}
