package main

import (
	"context"
	"fmt"
	"io"
)

// runLessons runs "talentbot lessons".
// TODO: not built yet; the lessons package's issue builds it.
func runLessons(_ context.Context, _ []string, _, stderr io.Writer) int {
	fmt.Fprintln(stderr, "talentbot lessons: not available yet")
	return 2
}
