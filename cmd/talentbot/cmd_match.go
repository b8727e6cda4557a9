package main

import (
	"context"
	"fmt"
	"io"
)

// runMatch runs "talentbot match".
// TODO: not built yet; the match package's issue builds it.
func runMatch(_ context.Context, _ []string, _, stderr io.Writer) int {
	fmt.Fprintln(stderr, "talentbot match: not available yet")
	return 2
}
