package bots

import (
	"os"
	"runtime/debug"
)

// The Go runtime's memory settings the bot runs with. The engine keeps a
// small live heap (a few MB) and makes garbage quickly, so with Go's
// default (a collection each time the heap doubles) it collected several
// times a second, and the collections showed in p99 handling time. A
// collection at five times the live heap, with a soft limit that keeps a
// busy process (a 10,000-learner broadcast) well under 100 MB, removes
// most of them.
const (
	// GCPercent is the garbage collector's target (GOGC).
	GCPercent = 400
	// MemoryLimit is the soft memory limit in bytes (GOMEMLIMIT).
	MemoryLimit = 64 << 20
)

// TuneRuntime applies GCPercent and MemoryLimit, except where the GOGC or
// GOMEMLIMIT environment variables say otherwise. The binary calls it at
// start; benchmarks of the engine call it to measure it as it runs.
func TuneRuntime() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(GCPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(MemoryLimit)
	}
}
