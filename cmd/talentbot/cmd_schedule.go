package main

import (
	"context"
	"fmt"
	"io"
)

// runSchedule runs "talentbot schedule".
// TODO: not built yet; the schedule package's issue builds it.
func runSchedule(_ context.Context, _ []string, _, stderr io.Writer) int {
	fmt.Fprintln(stderr, "talentbot schedule: not available yet")
	return 2
}
