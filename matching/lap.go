package matching

import (
	"errors"
	"math"
)

// Forbidden marks a pair of a cost matrix that may not be assigned.
const Forbidden int64 = math.MaxInt64

// ErrNoAssignment says no complete assignment exists: some row cannot be
// given a column of its own through allowed pairs.
var ErrNoAssignment = errors.New("matching: no complete assignment")

// AssignDense solves the linear assignment problem of n rows and m columns
// (n <= m) with the row-major cost matrix cost (n*m entries, Forbidden for a
// pair that is not allowed): every row gets its own column, at the least
// total cost. It returns each row's column and the total.
//
// It is the shortest augmenting path method with row and column potentials
// (Hungarian / Jonker-Volgenant), O(n²m) in the worst case.
func AssignDense(n, m int, cost []int64) ([]int, int64, error) {
	if n > m || len(cost) != n*m {
		return nil, 0, errors.New("matching: AssignDense wants n <= m and n*m costs")
	}
	p := lapProblem{n: n, m: m, width: m, cost: cost}
	rowCol, err := p.solve()
	if err != nil {
		return nil, 0, err
	}
	var total int64
	for i, j := range rowCol {
		total += cost[i*m+j]
	}
	return rowCol, total, nil
}

// lapProblem is a dense problem: the cost of (i, j) is cost[i*width+j].
type lapProblem struct {
	n, m  int
	width int
	cost  []int64
}

// solve returns each row's column.
func (p *lapProblem) solve() ([]int, error) {
	n, m := p.n, p.m
	u := make([]int64, n)
	v := make([]int64, m+1)
	owner := make([]int, m+1) // row in column j, -1 when free; m is the virtual start column
	way := make([]int, m+1)
	minv := make([]int64, m+1)
	used := make([]bool, m+1)
	rowCol := make([]int, n)
	for j := range owner {
		owner[j] = -1
	}
	for i := 0; i < n; i++ {
		owner[m] = i
		for j := 0; j <= m; j++ {
			minv[j], used[j] = Forbidden, false
		}
		j0 := m
		for {
			used[j0] = true
			i0 := owner[j0]
			base := i0 * p.width
			delta, j1 := Forbidden, -1
			ui := u[i0]
			for j := 0; j < m; j++ {
				if used[j] {
					continue
				}
				if c := p.cost[base+j]; c != Forbidden {
					if cur := c - ui - v[j]; cur < minv[j] {
						minv[j], way[j] = cur, j0
					}
				}
				if minv[j] < delta || (minv[j] == delta && owner[j] == -1) {
					delta, j1 = minv[j], j // on a tie, a free column ends the search
				}
			}
			if delta == Forbidden {
				return nil, ErrNoAssignment
			}
			for j := 0; j <= m; j++ {
				if used[j] {
					u[owner[j]] += delta
					v[j] -= delta
				} else if minv[j] != Forbidden {
					minv[j] -= delta
				}
			}
			j0 = j1
			if owner[j0] == -1 {
				augment(owner, way, j0, m)
				break
			}
		}
	}
	for i := range rowCol {
		rowCol[i] = -1
	}
	for j := 0; j < m; j++ {
		if owner[j] >= 0 {
			rowCol[owner[j]] = j
		}
	}
	return rowCol, nil
}

// augment shifts rows one column along the path ending at column end.
func augment(owner, way []int, end, start int) {
	for j0 := end; j0 != start; {
		j1 := way[j0]
		owner[j0] = owner[j1]
		j0 = j1
	}
}

// Edge is an allowed pair of a sparse assignment problem.
type Edge struct {
	Row, Col int
	Cost     int64
}

// AssignSparse solves the n×n assignment problem whose allowed pairs are
// edges (0-based; of repeated pairs the cheapest counts). It returns each
// row's column and the total, or ErrNoAssignment. Each augmentation is a
// Dijkstra search over columns with a heap, stopping at the first free
// column, so the work follows the number of edges rather than n².
func AssignSparse(n int, edges []Edge) ([]int, int64, error) {
	g := newSparseGraph(n, edges)
	s := sparseSolver{
		g: g, v: make([]int64, n), dist: make([]int64, n), way: make([]int, n),
		colRow: make([]int, n), rowCol: make([]int, n), done: make([]bool, n),
	}
	for j := range s.colRow {
		s.colRow[j], s.rowCol[j], s.dist[j] = -1, -1, Forbidden
	}
	for i := 0; i < n; i++ {
		if !s.augment(i) {
			return nil, 0, ErrNoAssignment
		}
	}
	var total int64
	for i, j := range s.rowCol {
		total += g.cost(i, j)
	}
	return s.rowCol, total, nil
}

type sparseGraph struct {
	start []int // edges of row i are cols[start[i]:start[i+1]]
	cols  []int
	costs []int64
}

func newSparseGraph(n int, edges []Edge) sparseGraph {
	g := sparseGraph{start: make([]int, n+1)}
	for _, e := range edges {
		g.start[e.Row+1]++
	}
	for i := 0; i < n; i++ {
		g.start[i+1] += g.start[i]
	}
	g.cols = make([]int, len(edges))
	g.costs = make([]int64, len(edges))
	next := append([]int(nil), g.start[:n]...)
	for _, e := range edges {
		k := next[e.Row]
		g.cols[k], g.costs[k] = e.Col, e.Cost
		next[e.Row]++
	}
	return g
}

// cost gives the cheapest edge (i, j), or Forbidden.
func (g sparseGraph) cost(i, j int) int64 {
	best := Forbidden
	for k := g.start[i]; k < g.start[i+1]; k++ {
		if g.cols[k] == j && g.costs[k] < best {
			best = g.costs[k]
		}
	}
	return best
}

type sparseSolver struct {
	g       sparseGraph
	v       []int64 // column potentials; reduced cost of (i, j) is c - u(i) - v[j] >= 0
	dist    []int64
	way     []int // row that reached column j
	colRow  []int
	rowCol  []int
	done    []bool
	touched []int
	h       []distItem // binary min-heap (pushItem, popItem)
}

// augment assigns the free row s along a shortest path, keeping all
// reduced costs non-negative; false when no free column can be reached.
func (s *sparseSolver) augment(row int) bool {
	defer s.reset()
	s.relax(row, 0)
	var scanned []int
	for len(s.h) > 0 {
		it := s.h[0]
		s.h = popItem(s.h)
		j := it.col
		if s.done[j] || it.d != s.dist[j] {
			continue
		}
		if s.colRow[j] == -1 {
			for _, c := range scanned {
				s.v[c] -= it.d - s.dist[c]
			}
			s.flip(j, row)
			return true
		}
		s.done[j] = true
		scanned = append(scanned, j)
		r := s.colRow[j]
		s.relax(r, it.d-(s.g.cost(r, j)-s.v[j]))
	}
	return false
}

// relax offers the columns of row r at base + c - v[j]; base already
// subtracts r's own potential, so every step is a reduced cost.
func (s *sparseSolver) relax(r int, base int64) {
	for k := s.g.start[r]; k < s.g.start[r+1]; k++ {
		j := s.g.cols[k]
		if s.done[j] {
			continue
		}
		d := base + s.g.costs[k] - s.v[j]
		if d < s.dist[j] {
			if s.dist[j] == Forbidden {
				s.touched = append(s.touched, j)
			}
			s.dist[j], s.way[j] = d, r
			s.h = pushItem(s.h, distItem{d: d, col: j})
		}
	}
}

// flip moves each row on the path to the column that reached it.
func (s *sparseSolver) flip(j, start int) {
	for {
		r := s.way[j]
		prev := s.rowCol[r]
		s.rowCol[r], s.colRow[j] = j, r
		if r == start {
			return
		}
		j = prev
	}
}

func (s *sparseSolver) reset() {
	for _, j := range s.touched {
		s.dist[j], s.done[j] = Forbidden, false
	}
	s.touched = s.touched[:0]
	s.h = s.h[:0]
}

type distItem struct {
	d   int64
	col int
}
