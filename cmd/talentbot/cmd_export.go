package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/talentjourney/talentbot/bots"
	"github.com/talentjourney/talentbot/store"
)

// runExport runs "talentbot export [--names] [--salt S] DIR": CSV files of
// learner progress (pseudonymous unless --names), mentoring requests,
// broadcasts and their delivery, for partner reports.
func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	names := fs.Bool("names", false, "write user keys and names instead of pseudonyms")
	salt := fs.String("salt", "", "salt of the pseudonyms (default: one kept in the store)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: talentbot export [--names] [--salt S] DIR")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	cfg, err := loadConfig(os.Getenv)
	if err != nil {
		fmt.Fprintf(stderr, "talentbot export: %v\n", err)
		return 2
	}
	st, err := store.Open(ctx, store.Config{URL: cfg.RedisURL, DataDir: cfg.DataDir,
		Prefix: cfg.Prefix, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		fmt.Fprintf(stderr, "talentbot export: %v\n", err)
		return 1
	}
	defer st.Close()
	paths, err := bots.Export(ctx, st, fs.Arg(0), bots.ExportOptions{Names: *names, Salt: *salt})
	for _, p := range paths {
		fmt.Fprintln(stdout, p)
	}
	if err != nil {
		fmt.Fprintf(stderr, "talentbot export: %v\n", err)
		return 1
	}
	return 0
}
