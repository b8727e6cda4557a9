package matching

// transport gives learners to tutors with capacities at the least total
// cost among the assignments that match the most learners.
//
// It is the primal-dual method for min-cost flow: a Dijkstra from every
// tutor with a free place at once (reduced costs with node potentials)
// finds the cost D of the cheapest augmenting path; potentials move so that
// the shortest paths have zero reduced cost; then depth-first searches push
// as many learners as possible along zero-cost paths before the next
// Dijkstra. Successive shortest paths give a min-cost flow of every size,
// and the last Dijkstra, which finds no free learner, proves the size
// maximal.
type transport struct {
	nt, nl int
	start  []int   // allowed pairs of tutor t are learner[start[t]:start[t+1]]
	learn  []int32 // learner of each allowed pair
	cost   []int64 // cost of each allowed pair, >= 0
	spare  []int   // free places per tutor
	owner  []int   // tutor of each learner, -1 free
	ownArc []int   // pair index of each learner's assignment
	hT, hL []int64 // potentials: reduced cost of t->l is cost + hT[t] - hL[l]
	dT, dL []int64
	done   []bool // tutor scanned in this Dijkstra
	seen   []bool // learner visited in this push pass
	dead   []bool // tutor known to reach no free learner in this pass
	arc    []int  // next pair a tutor's search looks at in this pass
	heap   []distItem
}

// newTransport takes the dense cost matrix by tutor and learner
// (Forbidden for a pair not allowed) and each tutor's free places.
func newTransport(nt, nl int, dense []int64, capacity []int) *transport {
	p := &transport{nt: nt, nl: nl, start: make([]int, nt+1), spare: append([]int(nil), capacity...),
		owner: make([]int, nl), ownArc: make([]int, nl), hT: make([]int64, nt), hL: make([]int64, nl),
		dT: make([]int64, nt), dL: make([]int64, nl), done: make([]bool, nt),
		seen: make([]bool, nl), dead: make([]bool, nt), arc: make([]int, nt)}
	for t := 0; t < nt; t++ {
		for l, c := range dense[t*nl : (t+1)*nl] {
			if c != Forbidden {
				p.learn = append(p.learn, int32(l))
				p.cost = append(p.cost, c)
			}
		}
		p.start[t+1] = len(p.learn)
	}
	for l := range p.owner {
		p.owner[l] = -1
	}
	return p
}

// solve returns each learner's tutor, or -1.
func (p *transport) solve() []int {
	for p.dijkstra() {
		p.pushPass()
	}
	return p.owner
}

// dijkstra computes distances from all tutors with spare places and moves
// the potentials; false when no free learner can be reached.
func (p *transport) dijkstra() bool {
	for t := range p.dT {
		p.dT[t], p.done[t] = Forbidden, false
		if p.spare[t] > 0 {
			p.dT[t] = 0
		}
	}
	for l := range p.dL {
		p.dL[l] = Forbidden
	}
	bestFree := Forbidden
	h := p.heap[:0]
	for t := range p.dT {
		if p.dT[t] == 0 {
			h = append(h, distItem{d: 0, col: t})
		}
	}
	for len(h) > 0 {
		it := h[0]
		h = popItem(h)
		t := it.col
		if p.done[t] || it.d != p.dT[t] {
			continue
		}
		if it.d >= bestFree {
			break
		}
		p.done[t] = true
		base := p.dT[t] + p.hT[t]
		for k := p.start[t]; k < p.start[t+1]; k++ {
			l := p.learn[k]
			o := p.owner[l]
			if o == t {
				continue
			}
			d := base + p.cost[k] - p.hL[l]
			if d >= p.dL[l] {
				continue
			}
			p.dL[l] = d
			if o < 0 {
				bestFree = min(bestFree, d)
			} else if back := d + p.backCost(int(l)); !p.done[o] && back < p.dT[o] {
				p.dT[o] = back
				h = pushItem(h, distItem{d: back, col: o})
			}
		}
	}
	p.heap = h
	if bestFree == Forbidden {
		return false
	}
	for t := range p.hT {
		p.hT[t] += min(p.dT[t], bestFree)
	}
	for l := range p.hL {
		p.hL[l] += min(p.dL[l], bestFree)
	}
	return true
}

// backCost is the reduced cost of giving learner l back to its tutor (the
// residual edge of a matched pair); zero while the pair is tight.
func (p *transport) backCost(l int) int64 {
	o := p.owner[l]
	return p.hL[l] - p.hT[o] - p.cost[p.ownArc[l]]
}

// pushPass moves learners along zero reduced cost paths from tutors with
// spare places to free learners.
func (p *transport) pushPass() {
	clear(p.seen)
	clear(p.dead)
	copy(p.arc, p.start[:p.nt])
	for t := 0; t < p.nt; t++ {
		for p.spare[t] > 0 && p.push(t) {
			p.spare[t]--
		}
	}
}

// push finds a zero-cost path from tutor t to a free learner and flips it.
func (p *transport) push(t int) bool {
	if p.dead[t] {
		return false
	}
	h := p.hT[t]
	for ; p.arc[t] < p.start[t+1]; p.arc[t]++ {
		k := p.arc[t]
		l := int(p.learn[k])
		o := p.owner[l]
		if p.seen[l] || o == t || p.cost[k]+h != p.hL[l] || (o >= 0 && p.backCost(l) != 0) {
			continue
		}
		p.seen[l] = true
		if o < 0 || p.push(o) {
			p.owner[l], p.ownArc[l] = t, k
			p.arc[t]++
			return true
		}
	}
	p.dead[t] = true
	return false
}

// pushItem and popItem keep a binary min-heap of tutors by distance
// (without container/heap's interface calls, which cost here).
func pushItem(h []distItem, it distItem) []distItem {
	h = append(h, it)
	for i := len(h) - 1; i > 0; {
		parent := (i - 1) / 2
		if h[parent].d <= h[i].d {
			break
		}
		h[parent], h[i] = h[i], h[parent]
		i = parent
	}
	return h
}

func popItem(h []distItem) []distItem {
	n := len(h) - 1
	h[0] = h[n]
	h = h[:n]
	for i := 0; ; {
		c := 2*i + 1
		if c >= n {
			break
		}
		if c+1 < n && h[c+1].d < h[c].d {
			c++
		}
		if h[i].d <= h[c].d {
			break
		}
		h[i], h[c] = h[c], h[i]
		i = c
	}
	return h
}
