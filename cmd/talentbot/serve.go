package main

import (
	"context"
	"fmt"
	"io"
)

// serve runs the configured platforms with the HTTP listener.
// TODO: platforms are wired as their adapters land.
func serve(_ context.Context, _ config, _ io.Reader, _, stderr io.Writer) int {
	fmt.Fprintln(stderr, "talentbot: platforms are not wired yet")
	return 2
}
