package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/talentjourney/talentbot/lessons"
)

const lessonsUsage = `Usage: talentbot lessons <command>

Commands:
  lint [--alone] [DIR]   check lesson files (no DIR: the embedded catalogue)

Run "talentbot lessons lint --help" for details.
`

const lessonsLintUsage = `Usage: talentbot lessons lint [--alone] [DIR]

Checks lesson files and prints every problem as "path:line: message" on
standard error (warnings as "path:line: warning: message"), then one line on
standard output: "N lessons, M tracks, K skills, L languages".

Without DIR it checks the catalogue embedded in the binary. With DIR it
checks that folder as TALENTBOT_LESSONS would use it: extending the embedded
catalogue, whose lessons it may name as prerequisites or replace by id.

It exits 1 when there is any error; warnings (text too long for a Telegram
quiz poll, which is then shown as buttons) do not change the exit code.

Flags:
  --alone   check DIR as a catalogue of its own, without the embedded one
`

// runLessons runs "talentbot lessons".
func runLessons(_ context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, lessonsUsage)
		return 2
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, lessonsUsage)
		return 0
	case "lint":
		return runLessonsLint(args[1:], stdout, stderr)
	default:
		fmt.Fprintf(stderr, "talentbot lessons: unknown command %q\n\n%s", args[0], lessonsUsage)
		return 2
	}
}

// runLessonsLint runs "talentbot lessons lint [--alone] [DIR]".
func runLessonsLint(args []string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("talentbot lessons lint", flag.ContinueOnError)
	fset.SetOutput(io.Discard)
	alone := fset.Bool("alone", false, "")
	if err := fset.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, lessonsLintUsage)
			return 0
		}
		fmt.Fprintf(stderr, "talentbot lessons lint: %v\n\n%s", err, lessonsLintUsage)
		return 2
	}
	if fset.NArg() > 1 {
		fmt.Fprintf(stderr, "talentbot lessons lint: one folder at most\n\n%s", lessonsLintUsage)
		return 2
	}

	var r lessons.Report
	switch dir := fset.Arg(0); {
	case dir == "":
		r = lessons.Lint(lessons.EmbeddedFS(), lessons.EmbeddedName)
	case !isDir(dir):
		fmt.Fprintf(stderr, "%s: not a folder\n", dir)
		return 1
	case *alone:
		r = lessons.Lint(os.DirFS(dir), dir)
	default:
		r = lessons.LintExtension(os.DirFS(dir), dir)
	}

	for _, p := range r.Problems() {
		fmt.Fprintln(stderr, p)
	}
	fmt.Fprintln(stdout, r.Summary)
	if !r.OK() {
		return 1
	}
	return 0
}

func isDir(name string) bool {
	fi, err := os.Stat(name)
	return err == nil && fi.IsDir()
}
