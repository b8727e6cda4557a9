package scheduler

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Job is a one-off or recurring job of one user.
type Job struct {
	// ID names the job; Schedule with an existing ID replaces the job.
	// Keep it short (it is stored three times), for example "l:tg:123".
	// An ID belongs to one user.
	ID string
	// User is the user key the job belongs to, for example "tg:123".
	User string
	// Kind selects the job's Policy.
	Kind Kind
	// Payload is opaque data for the handler. Keep it short: jobs whose
	// encoded data stays under 64 bytes are stored most compactly.
	Payload string
	// At is the instant of a one-off job; zero for a recurring job.
	At time.Time
	// Spec is the cron spec of a recurring job (see ParseSpec).
	Spec string
	// Zone is the IANA zone of Spec, the quiet hours and the holidays, or
	// a fixed offset written "UTC+05:30"; empty means UTC.
	Zone string
	// Quiet are the person's quiet hours; the zero value is DefaultQuiet.
	// Only movable kinds respect them.
	Quiet QuietHours
	// Holidays is the country whose public holidays movable kinds avoid
	// (see Countries); empty means none.
	Holidays string
	// Grace overrides the kind's grace window; zero keeps the Policy's.
	Grace time.Duration
}

// ErrInvalidJob reports a job that cannot be scheduled; the message says
// which field is wrong.
var ErrInvalidJob = errors.New("scheduler: invalid job")

// plan is a validated job with its parsed parts.
type plan struct {
	Job
	spec   Spec
	loc    *time.Location
	policy Policy
}

// newPlan validates j.
func newPlan(j Job) (plan, error) {
	p := plan{Job: j, policy: PolicyOf(j.Kind)}
	bad := func(format string, a ...any) (plan, error) {
		return plan{}, fmt.Errorf("%w %q: %s", ErrInvalidJob, j.ID, fmt.Sprintf(format, a...))
	}
	switch {
	case j.ID == "" || strings.ContainsAny(j.ID, "|\x1f"):
		return bad("ID must be non-empty and contain no '|'")
	case j.User == "" || strings.ContainsRune(j.User, '\x1f'):
		return bad("no user")
	case j.At.IsZero() == (j.Spec == ""):
		return bad("give exactly one of At and Spec")
	case j.Holidays != "" && !KnownCountry(j.Holidays):
		return bad("no holidays known for %q", j.Holidays)
	case j.Grace < 0:
		return bad("negative grace")
	}
	if j.Grace > 0 {
		p.policy.Grace = j.Grace
	}
	loc, err := loadLocation(j.Zone)
	if err != nil {
		return bad("zone: %v", err)
	}
	p.loc = loc
	if j.Spec != "" {
		if p.spec, err = ParseSpec(j.Spec); err != nil {
			return bad("%v", err)
		}
	}
	return p, nil
}

// adjust applies the job's policy to an instant.
func (p plan) adjust(t time.Time) time.Time {
	if !p.policy.Movable || t.IsZero() {
		return t
	}
	return NextAllowed(t, p.loc, p.Quiet, p.Holidays)
}

// nextAfter returns the job's next firing strictly after t, or zero.
func (p plan) nextAfter(t time.Time) time.Time {
	if p.Spec == "" {
		return time.Time{}
	}
	return p.adjust(NextAfter(p.spec, p.loc, t))
}

// first returns the job's first firing after now (a one-off: its At).
func (p plan) first(now time.Time) time.Time {
	if p.Spec == "" {
		return p.adjust(p.At)
	}
	return p.nextAfter(now)
}

// Stored data of a job: a state byte ('1' active, '0' paused), then fields
// separated by \x1f, the payload last (it may contain anything).
const sep = "\x1f"

func encodeJob(j Job, paused bool) string {
	state := "1"
	if paused {
		state = "0"
	}
	when := j.Spec
	if when == "" {
		when = "=" + strconv.FormatInt(j.At.UnixMilli(), 10)
	}
	quiet := ""
	switch q := j.Quiet; {
	case q.Off:
		quiet = "-"
	case q != QuietHours{}:
		quiet = strconv.Itoa(q.Start) + "-" + strconv.Itoa(q.End)
	}
	grace := ""
	if j.Grace > 0 {
		grace = strconv.FormatInt(int64(j.Grace/time.Second), 10)
	}
	return state + string(j.Kind) + sep + j.User + sep + when + sep + j.Zone + sep + quiet +
		sep + j.Holidays + sep + grace + sep + j.Payload
}

var errCorrupt = errors.New("scheduler: corrupt job data")

func decodeJob(id, s string) (Job, bool, error) {
	f := strings.SplitN(s, sep, 8)
	if len(f) != 8 || len(f[0]) < 1 {
		return Job{}, false, errCorrupt
	}
	j := Job{ID: id, Kind: Kind(f[0][1:]), User: f[1], Zone: f[3], Holidays: f[5], Payload: f[7]}
	paused := f[0][0] == '0'
	if at, ok := strings.CutPrefix(f[2], "="); ok {
		ms, err := strconv.ParseInt(at, 10, 64)
		if err != nil {
			return Job{}, false, errCorrupt
		}
		j.At = time.UnixMilli(ms).UTC()
	} else {
		j.Spec = f[2]
	}
	switch q := f[4]; {
	case q == "-":
		j.Quiet = NoQuiet
	case q != "":
		a, b, _ := strings.Cut(q, "-")
		j.Quiet.Start, _ = strconv.Atoi(a)
		j.Quiet.End, _ = strconv.Atoi(b)
	}
	if f[6] != "" {
		sec, err := strconv.ParseInt(f[6], 10, 64)
		if err != nil {
			return Job{}, false, errCorrupt
		}
		j.Grace = time.Duration(sec) * time.Second
	}
	return j, paused, nil
}

// zones caches loaded locations: time.LoadLocation reads the zone database
// on every call.
var zones sync.Map // string -> *time.Location

// loadLocation reads an IANA zone name or a fixed offset written
// "UTC+05:30" or "UTC-03:00", the form matching.FixedZoneName makes.
func loadLocation(name string) (*time.Location, error) {
	if l, ok := zones.Load(name); ok {
		return l.(*time.Location), nil
	}
	l, err := time.LoadLocation(name)
	if off, ok := fixedOffset(name); ok {
		l, err = time.FixedZone(name, off), nil
	}
	if err != nil {
		return nil, err
	}
	zones.Store(name, l)
	return l, nil
}

// fixedOffset reads "UTC+hh:mm" or "UTC-hh:mm" as seconds east of UTC.
func fixedOffset(name string) (int, bool) {
	rest, ok := strings.CutPrefix(name, "UTC")
	if !ok || len(rest) != 6 || rest[0] != '+' && rest[0] != '-' || rest[3] != ':' {
		return 0, false
	}
	h, err1 := strconv.Atoi(rest[1:3])
	m, err2 := strconv.Atoi(rest[4:])
	if err1 != nil || err2 != nil || h > 14 || m > 59 {
		return 0, false
	}
	off := h*3600 + m*60
	if rest[0] == '-' {
		off = -off
	}
	return off, true
}
