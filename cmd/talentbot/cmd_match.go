package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/talentjourney/talentbot/matching"
)

// runMatch runs "talentbot match": solve an OR-Library assignment file, or
// match a cohort of learners to tutors.
func runMatch(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: talentbot match solve FILE | talentbot match cohort [--learners FILE --tutors FILE] [--dry-run]")
		return 2
	}
	switch args[0] {
	case "solve":
		return runMatchSolve(args[1:], stdout, stderr)
	case "cohort":
		return runMatchCohort(ctx, args[1:], stdout, stderr)
	default:
		fmt.Fprintf(stderr, "talentbot match: unknown command %q (solve, cohort)\n", args[0])
		return 2
	}
}

// runMatchSolve prints the optimal cost of an OR-Library linear assignment
// file and the time taken; exit 2 when no complete assignment exists.
func runMatchSolve(args []string, stdout, stderr io.Writer) int {
	if len(args) != 1 {
		fmt.Fprintln(stderr, "usage: talentbot match solve FILE")
		return 2
	}
	start := time.Now()
	f, err := os.Open(args[0])
	if err != nil {
		fmt.Fprintf(stderr, "talentbot match solve: %v\n", err)
		return 1
	}
	p, err := matching.ReadORLib(f)
	f.Close()
	if err != nil {
		fmt.Fprintf(stderr, "talentbot match solve: %s: %v\n", args[0], err)
		return 1
	}
	_, cost, err := p.Solve()
	if errors.Is(err, matching.ErrNoAssignment) {
		fmt.Fprintln(stdout, "no complete assignment: some row has no column left among the allowed pairs")
		fmt.Fprintf(stdout, "time: %s\n", time.Since(start).Round(time.Microsecond))
		return 2
	}
	if err != nil {
		fmt.Fprintf(stderr, "talentbot match solve: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "optimal cost: %d\n", cost)
	fmt.Fprintf(stdout, "time: %s\n", time.Since(start).Round(time.Microsecond))
	return 0
}

// runMatchCohort is filled in below.
func runMatchCohort(_ context.Context, _ []string, _, stderr io.Writer) int {
	fmt.Fprintln(stderr, "talentbot match cohort: not available yet")
	return 2
}
