package main

import (
	"context"
	"fmt"
	"io"
)

// runBot runs the configured platforms, or the terminal chat.
func runBot(_ context.Context, _ []string, _ io.Reader, _, stderr io.Writer) int {
	fmt.Fprintln(stderr, "talentbot: not wired yet")
	return 2
}
