package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/talentjourney/talentbot/scheduler"
)

const scheduleUsage = `Usage: talentbot schedule <command>

Commands:
  next   print the next occurrences of a cron spec in a time zone

Run "talentbot schedule next --help" for details.
`

const scheduleNextUsage = `Usage: talentbot schedule next --zone ZONE --spec SPEC [--from RFC3339]
                              [--count N] [--quiet HH:MM-HH:MM] [--holidays CC]

Prints the next N occurrences of SPEC strictly after --from, one per line:
the instant in UTC, a space, then the same instant in ZONE's local time with
its offset, for example

  2027-03-28T01:00:00Z 2027-03-28T04:00:00+03:00

A local time that clocks jump over fires at the first instant after the
jump; a local time that happens twice fires once, at its first occurrence.
Quiet hours and holidays apply only when asked: an occurrence inside them
moves to the next allowed time, as reminders that may move do.

Flags:
  --zone ZONE        IANA time zone, for example Europe/Helsinki (required)
  --spec SPEC        5-field cron spec or descriptor, for example "30 3 * * *"
                     or @daily (required)
  --from RFC3339     start instant, for example 2027-03-27T12:00:00Z
                     (default: now)
  --count N          how many occurrences, 1-1000 (default 5)
  --quiet FROM-TO    quiet hours in local time, for example 21:00-08:00
  --holidays CC      skip public holidays of CC: DE, EE, FI, IT or SI
`

// runSchedule runs "talentbot schedule".
func runSchedule(_ context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, scheduleUsage)
		return 2
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, scheduleUsage)
		return 0
	case "next":
		return runScheduleNext(args[1:], time.Now(), stdout, stderr)
	default:
		fmt.Fprintf(stderr, "talentbot schedule: unknown command %q\n\n%s", args[0], scheduleUsage)
		return 2
	}
}

// nextQuery is a parsed "schedule next" command line.
type nextQuery struct {
	loc      *time.Location
	spec     scheduler.Spec
	from     time.Time
	count    int
	quiet    scheduler.QuietHours
	holidays string
}

// runScheduleNext runs "talentbot schedule next"; now is the default --from.
func runScheduleNext(args []string, now time.Time, stdout, stderr io.Writer) int {
	q, err := parseNextArgs(args, now)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, scheduleNextUsage)
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "talentbot schedule next: %v\n\n%s", err, scheduleNextUsage)
		return 2
	}
	at := q.from
	for range q.count {
		at = scheduler.NextAfter(q.spec, q.loc, at)
		if at.IsZero() {
			fmt.Fprintln(stderr, "talentbot schedule next: no further occurrence within 30 years")
			return 1
		}
		at = scheduler.NextAllowed(at, q.loc, q.quiet, q.holidays)
		fmt.Fprintf(stdout, "%s %s\n", at.UTC().Format(time.RFC3339),
			at.In(q.loc).Format("2006-01-02T15:04:05-07:00"))
	}
	return 0
}

func parseNextArgs(args []string, now time.Time) (nextQuery, error) {
	fset := flag.NewFlagSet("talentbot schedule next", flag.ContinueOnError)
	fset.SetOutput(io.Discard)
	zone := fset.String("zone", "", "")
	spec := fset.String("spec", "", "")
	from := fset.String("from", "", "")
	count := fset.Int("count", 5, "")
	quiet := fset.String("quiet", "", "")
	holidays := fset.String("holidays", "", "")
	if err := fset.Parse(args); err != nil {
		return nextQuery{}, err
	}
	q := nextQuery{from: now, count: *count, quiet: scheduler.NoQuiet, holidays: strings.ToUpper(*holidays)}
	var err error
	switch {
	case fset.NArg() > 0:
		return q, fmt.Errorf("unexpected argument %q (quote the spec: --spec \"30 3 * * *\")", fset.Arg(0))
	case *zone == "":
		return q, errors.New("--zone is required, for example --zone Europe/Helsinki")
	case *spec == "":
		return q, errors.New("--spec is required, for example --spec \"30 3 * * *\"")
	case q.count < 1 || q.count > 1000:
		return q, fmt.Errorf("--count %d: want 1 to 1000", q.count)
	case q.holidays != "" && !scheduler.KnownCountry(q.holidays):
		return q, fmt.Errorf("--holidays %s: known countries are %s", *holidays,
			strings.Join(scheduler.Countries, ", "))
	}
	if q.loc, err = time.LoadLocation(*zone); err != nil || *zone == "Local" {
		return q, fmt.Errorf("--zone %q is not an IANA time zone", *zone)
	}
	if q.spec, err = scheduler.ParseSpec(*spec); err != nil {
		return q, err
	}
	if *from != "" {
		if q.from, err = time.Parse(time.RFC3339, *from); err != nil {
			return q, fmt.Errorf("--from %q: want RFC 3339, for example 2027-03-27T12:00:00Z", *from)
		}
	}
	if *quiet != "" {
		if q.quiet, err = scheduler.ParseQuiet(*quiet); err != nil {
			return q, err
		}
	}
	return q, nil
}
