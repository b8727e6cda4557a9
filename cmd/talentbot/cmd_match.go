package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/talentjourney/talentbot/matching"
	"github.com/talentjourney/talentbot/store"
)

// runMatch runs "talentbot match": solve an OR-Library assignment file, or
// match a cohort of learners to tutors.
func runMatch(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	const usage = "usage: talentbot match solve FILE | " +
		"talentbot match cohort [--learners FILE --tutors FILE] [--dry-run]"
	if len(args) == 0 {
		fmt.Fprintln(stderr, usage)
		return 2
	}
	switch args[0] {
	case "-h", "--help", "help":
		fmt.Fprintln(stdout, usage)
		return 0
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
	if len(args) == 1 && (args[0] == "-h" || args[0] == "--help") {
		fmt.Fprintln(stdout, "usage: talentbot match solve FILE\n\n"+
			"Prints the optimal cost of an OR-Library linear assignment file\n"+
			"(n, then n×n costs or lines \"i j cost\") and the time taken.")
		return 0
	}
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

// runMatchCohort assigns a cohort of learners to tutors: from two CSV
// files (columns in package matching's ReadLearnersCSV and ReadTutorsCSV)
// or from the profiles in the store. It prints how many learners were
// matched, the total score and the time; without --dry-run it opens a
// request per pair (the chosen tutor first, then alternatives), which the
// engine offers through the accept / decline flow.
func runMatchCohort(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("talentbot match cohort", flag.ContinueOnError)
	fs.SetOutput(stderr)
	learnersFile := fs.String("learners", "", "CSV file of learners (with --tutors)")
	tutorsFile := fs.String("tutors", "", "CSV file of tutors (with --learners)")
	dryRun := fs.Bool("dry-run", false, "print the assignment without opening requests")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if (*learnersFile == "") != (*tutorsFile == "") {
		fmt.Fprintln(stderr, "talentbot match cohort: give both --learners and --tutors, or neither")
		return 2
	}
	var st *store.Store
	if !*dryRun || *learnersFile == "" {
		var err error
		if st, err = openMatchStore(ctx); err != nil {
			fmt.Fprintf(stderr, "talentbot match cohort: %v\n", err)
			return 1
		}
		defer st.Close()
	}
	learners, tutors, err := cohortInput(ctx, st, *learnersFile, *tutorsFile)
	if err != nil {
		fmt.Fprintf(stderr, "talentbot match cohort: %v\n", err)
		return 1
	}
	now := time.Now()
	res := matching.AssignCohort(learners, tutors, now, matching.DefaultWeights())
	took := time.Since(now)
	fmt.Fprintf(stdout, "matched: %d of %d learners (%d tutors)\n", len(res.Pairs), len(learners), len(tutors))
	fmt.Fprintf(stdout, "total score: %.2f\n", res.TotalScore)
	fmt.Fprintf(stdout, "time: %s\n", took.Round(time.Microsecond))
	if *dryRun {
		for _, p := range res.Pairs {
			fmt.Fprintf(stdout, "%s -> %s  %.2f  %s\n", p.Learner, p.Tutor, p.Score, p.Reason)
		}
		return 0
	}
	return openCohortRequests(ctx, st, learners, tutors, res, *learnersFile != "", stdout, stderr)
}

// openMatchStore opens the store named by REDIS_URL, else the embedded
// store in TALENTBOT_DATA or the default data folder.
func openMatchStore(ctx context.Context) (*store.Store, error) {
	dir := os.Getenv("TALENTBOT_DATA")
	if dir == "" {
		d, err := store.DefaultDataDir()
		if err != nil {
			return nil, err
		}
		dir = d
	}
	return store.Open(ctx, store.Config{URL: os.Getenv("REDIS_URL"), DataDir: dir,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
}

func cohortInput(ctx context.Context, st *store.Store, learnersFile, tutorsFile string) ([]matching.Learner, []matching.Tutor, error) {
	if learnersFile == "" {
		p := matching.NewProfiles(st)
		learners, err := p.Learners(ctx)
		if err != nil {
			return nil, nil, err
		}
		tutors, err := p.Tutors(ctx)
		return learners, tutors, err
	}
	lf, err := os.Open(learnersFile)
	if err != nil {
		return nil, nil, err
	}
	defer lf.Close()
	learners, err := matching.ReadLearnersCSV(lf)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", learnersFile, err)
	}
	tf, err := os.Open(tutorsFile)
	if err != nil {
		return nil, nil, err
	}
	defer tf.Close()
	tutors, err := matching.ReadTutorsCSV(tf)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", tutorsFile, err)
	}
	return learners, tutors, nil
}

// openCohortRequests opens one request per pair; profiles read from CSV
// files are saved first, since requests check tutors in the store.
func openCohortRequests(ctx context.Context, st *store.Store, learners []matching.Learner,
	tutors []matching.Tutor, res matching.CohortResult, fromFiles bool, stdout, stderr io.Writer) int {
	p := matching.NewProfiles(st)
	if fromFiles {
		for _, t := range tutors {
			if err := p.SaveTutor(ctx, t); err != nil {
				fmt.Fprintf(stderr, "talentbot match cohort: tutor %s: %v\n", t.User, err)
				return 1
			}
		}
		for _, l := range learners {
			if err := p.SaveLearner(ctx, l); err != nil {
				fmt.Fprintf(stderr, "talentbot match cohort: learner %s: %v\n", l.User, err)
				return 1
			}
		}
	}
	rs := matching.NewRequests(st, p, matching.RequestConfig{})
	opened, skipped := 0, 0
	for _, pair := range res.Pairs {
		cands := append([]string{pair.Tutor}, pair.Alternatives...)
		_, err := rs.Open(ctx, pair.Learner, pair.Skill, "", cands, time.Now())
		switch {
		case err == nil:
			opened++
		case errors.Is(err, matching.ErrRequestOpen), errors.Is(err, matching.ErrNoTutorAvailable):
			skipped++
		default:
			fmt.Fprintf(stderr, "talentbot match cohort: request of %s: %v\n", pair.Learner, err)
			return 1
		}
	}
	fmt.Fprintf(stdout, "requests opened: %d (skipped %d: one already open, or no tutor free)\n", opened, skipped)
	return 0
}
