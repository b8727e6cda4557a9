package matching

import (
	"errors"
	"fmt"
	"io"
)

// ORLibProblem is an OR-Library linear assignment instance: n rows and n
// columns with either a dense matrix or a list of allowed pairs.
type ORLibProblem struct {
	N     int
	Dense []int64 // n*n costs, row-major; nil for a sparse instance
	Edges []Edge  // allowed pairs, 0-based; nil for a dense instance
}

// ReadORLib reads an OR-Library assignment file: n, then either n*n costs
// (dense) or triples "i j cost" with 1-based i and j (sparse). The two are
// told apart by the count of numbers after n; numbers are read as a stream
// whatever the line breaks.
func ReadORLib(r io.Reader) (*ORLibProblem, error) {
	nums, err := readInts(r)
	if err != nil {
		return nil, err
	}
	if len(nums) == 0 || nums[0] <= 0 {
		return nil, errors.New("matching: assignment file: first number must be n > 0")
	}
	n, rest := int(nums[0]), nums[1:]
	switch {
	case len(rest) == n*n:
		return &ORLibProblem{N: n, Dense: rest}, nil
	case len(rest)%3 == 0:
		edges := make([]Edge, 0, len(rest)/3)
		for k := 0; k < len(rest); k += 3 {
			i, j := int(rest[k])-1, int(rest[k+1])-1
			if i < 0 || i >= n || j < 0 || j >= n {
				return nil, fmt.Errorf("matching: assignment file: pair %d %d outside 1..%d",
					i+1, j+1, n)
			}
			edges = append(edges, Edge{Row: i, Col: j, Cost: rest[k+2]})
		}
		return &ORLibProblem{N: n, Edges: edges}, nil
	}
	return nil, fmt.Errorf("matching: assignment file: %d numbers after n=%d: neither %d costs nor triples",
		len(rest), n, n*n)
}

// Solve finds an optimal assignment: each row's column and the total cost.
func (p *ORLibProblem) Solve() ([]int, int64, error) {
	if p.Dense != nil {
		return AssignDense(p.N, p.N, p.Dense)
	}
	return AssignSparse(p.N, p.Edges)
}

// readInts reads whitespace-separated integers.
func readInts(r io.Reader) ([]int64, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	nums := make([]int64, 0, len(data)/3)
	var cur int64
	in, neg := false, false
	for _, b := range append(data, '\n') {
		switch {
		case b >= '0' && b <= '9':
			cur, in = cur*10+int64(b-'0'), true
		case b == '-' && !in:
			neg = true
		case b == ' ' || b == '\n' || b == '\r' || b == '\t':
			if in {
				if neg {
					cur = -cur
				}
				nums = append(nums, cur)
			}
			cur, in, neg = 0, false, false
		default:
			return nil, fmt.Errorf("matching: assignment file: unexpected %q", b)
		}
	}
	return nums, nil
}
