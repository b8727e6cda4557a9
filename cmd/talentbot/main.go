// Command talentbot runs the Talentjourney bot and its tools.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/talentjourney/talentbot/bots"
)

func main() {
	bots.TuneRuntime()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run dispatches to a subcommand and returns the exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		return runBot(ctx, nil, stdin, stdout, stderr)
	}
	switch args[0] {
	case "lessons":
		return runLessons(ctx, args[1:], stdout, stderr)
	case "schedule":
		return runSchedule(ctx, args[1:], stdout, stderr)
	case "match":
		return runMatch(ctx, args[1:], stdout, stderr)
	case "export":
		return runExport(ctx, args[1:], stdout, stderr)
	case "chat":
		return runChat(ctx, args[1:], stdin, stdout, stderr)
	case "-h", "--help", "help":
		usage(stdout)
		return 0
	case "run":
		return runBot(ctx, args[1:], stdin, stdout, stderr)
	default:
		fmt.Fprintf(stderr, "talentbot: unknown command %q (try talentbot --help)\n", args[0])
		return 2
	}
}
