package matching

import (
	"bufio"
	"errors"
	"math/rand"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// orlibDir finds the OR-Library instances beside the repository
// (../shared/data/orlib-assign from the module root).
func orlibDir(t testing.TB) string {
	t.Helper()
	dir := filepath.Join("..", "..", "shared", "data", "orlib-assign")
	if _, err := os.Stat(filepath.Join(dir, "assignopt.txt")); err != nil {
		t.Skipf("OR-Library assignment instances not found at %s: %v", dir, err)
	}
	return dir
}

func readOptima(t testing.TB, dir string) map[string]int64 {
	f, err := os.Open(filepath.Join(dir, "assignopt.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	opt := map[string]int64{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) != 2 {
			continue
		}
		if v, err := strconv.ParseInt(fs[1], 10, 64); err == nil {
			opt[fs[0]] = v
		}
	}
	return opt
}

func TestORLibOptima(t *testing.T) {
	dir := orlibDir(t)
	opt := readOptima(t, dir)
	if len(opt) < 12 {
		t.Fatalf("assignopt.txt lists %d optima, want 12", len(opt))
	}
	for name, want := range opt {
		t.Run(name, func(t *testing.T) {
			f, err := os.Open(filepath.Join(dir, name+".txt"))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			p, err := ReadORLib(f)
			if err != nil {
				t.Fatal(err)
			}
			rowCol, got, err := p.Solve()
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("optimal cost %d, want %d", got, want)
			}
			seen := make([]bool, p.N)
			for _, j := range rowCol {
				if seen[j] {
					t.Fatalf("column %d used twice", j)
				}
				seen[j] = true
			}
		})
	}
}

// bruteForce gives the least cost of an n×n assignment by trying every
// permutation (small n only); Forbidden when none is complete.
func bruteForce(n int, cost []int64) int64 {
	best := Forbidden
	perm := make([]int, n)
	used := make([]bool, n)
	var rec func(i int, sum int64)
	rec = func(i int, sum int64) {
		if i == n {
			best = min(best, sum)
			return
		}
		for j := 0; j < n; j++ {
			if c := cost[i*n+j]; !used[j] && c != Forbidden {
				used[j], perm[i] = true, j
				rec(i+1, sum+c)
				used[j] = false
			}
		}
	}
	rec(0, 0)
	return best
}

func TestAssignAgainstBruteForce(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for trial := 0; trial < 300; trial++ {
		n := 1 + rng.Intn(6)
		cost := make([]int64, n*n)
		var edges []Edge
		for k := range cost {
			if rng.Intn(3) == 0 {
				cost[k] = Forbidden
				continue
			}
			cost[k] = int64(rng.Intn(41) - 10)
			edges = append(edges, Edge{Row: k / n, Col: k % n, Cost: cost[k]})
		}
		want := bruteForce(n, cost)
		_, dense, derr := AssignDense(n, n, cost)
		_, sparse, serr := AssignSparse(n, edges)
		if want == Forbidden {
			if !errors.Is(derr, ErrNoAssignment) || !errors.Is(serr, ErrNoAssignment) {
				t.Fatalf("trial %d: no assignment exists, got %v / %v", trial, derr, serr)
			}
			continue
		}
		if derr != nil || serr != nil || dense != want || sparse != want {
			t.Fatalf("trial %d (n=%d): dense %d (%v), sparse %d (%v), want %d",
				trial, n, dense, derr, sparse, serr, want)
		}
	}
}

func TestReadORLibFormats(t *testing.T) {
	dense, err := ReadORLib(strings.NewReader(" 2\n 4 1\n 2 3\n"))
	if err != nil || dense.Dense == nil || dense.N != 2 {
		t.Fatalf("dense: %+v, %v", dense, err)
	}
	if _, c, _ := dense.Solve(); c != 3 {
		t.Errorf("dense optimum %d, want 3", c)
	}
	sparse, err := ReadORLib(strings.NewReader("2\n1 1 5\n2 2 7\n1 2 1\n"))
	if err != nil || sparse.Edges == nil {
		t.Fatalf("sparse: %+v, %v", sparse, err)
	}
	if _, c, _ := sparse.Solve(); c != 12 {
		t.Errorf("sparse optimum %d, want 12 (pair 2 1 is not allowed)", c)
	}
	none, _ := ReadORLib(strings.NewReader("2\n1 1 5\n2 1 7\n1 1 1\n"))
	if _, _, err := none.Solve(); !errors.Is(err, ErrNoAssignment) {
		t.Errorf("column 2 unreachable: got %v, want ErrNoAssignment", err)
	}
	if _, err := ReadORLib(strings.NewReader("3\n1 2 3 4\n")); err == nil {
		t.Error("4 numbers for n=3 accepted")
	}
}

func BenchmarkAssign800(b *testing.B) {
	dir := orlibDir(b)
	f, err := os.Open(filepath.Join(dir, "assign800.txt"))
	if err != nil {
		b.Fatal(err)
	}
	p, err := ReadORLib(f)
	f.Close()
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, c, err := p.Solve(); err != nil || c != 1552 {
			b.Fatalf("cost %d, %v", c, err)
		}
	}
}

func BenchmarkAssignP5000(b *testing.B) {
	dir := orlibDir(b)
	f, err := os.Open(filepath.Join(dir, "assignp5000.txt"))
	if err != nil {
		b.Fatal(err)
	}
	p, err := ReadORLib(f)
	f.Close()
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, c, err := p.Solve(); err != nil || c != 48533 {
			b.Fatalf("cost %d, %v", c, err)
		}
	}
}
