package matching

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/talentjourney/talentbot/store/storetest"
)

type requestFixture struct {
	t   *testing.T
	ctx context.Context
	p   *Profiles
	rs  *Requests
	now time.Time
}

func newRequestFixture(t *testing.T) *requestFixture {
	st := storetest.New(t)
	p := NewProfiles(st)
	f := &requestFixture{t: t, ctx: context.Background(), p: p, rs: NewRequests(st, p, RequestConfig{}),
		now: time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)}
	for _, tu := range []struct {
		user string
		cap  int
	}{{"tg:a", 1}, {"dc:b", 2}, {"term:c", 1}} {
		f.saveTutor(tu.user, tu.cap)
	}
	return f
}

func (f *requestFixture) saveTutor(user string, capacity int) {
	tu := baseTutor()
	tu.User, tu.Capacity = user, capacity
	if err := f.p.SaveTutor(f.ctx, tu); err != nil {
		f.t.Fatal(err)
	}
}

func (f *requestFixture) load(user string) int {
	tu, err := f.p.Tutor(f.ctx, user)
	if err != nil {
		f.t.Fatal(err)
	}
	return tu.Load
}

func TestRequestMovesOnByItself(t *testing.T) {
	f := newRequestFixture(t)
	ctx, now := f.ctx, f.now
	r, err := f.rs.Open(ctx, "tg:1", "mqtt.qos", "stuck on QoS 2", []string{"tg:a", "dc:b", "term:c", "tg:1"}, now)
	if err != nil {
		t.Fatal(err)
	}
	if r.Tutor != "tg:a" || !r.Deadline.Equal(now.Add(24*time.Hour)) || !r.RemindAt.Equal(now.Add(12*time.Hour)) {
		t.Fatalf("offered to %s until %v (remind %v), want tg:a, +24 h, +12 h", r.Tutor, r.Deadline, r.RemindAt)
	}
	if len(r.Candidates) != 3 {
		t.Errorf("candidates %v: the learner themself must not be one", r.Candidates)
	}
	if _, err := f.rs.Open(ctx, "tg:1", "mqtt.qos", "", []string{"dc:b"}, now); !errors.Is(err, ErrRequestOpen) {
		t.Errorf("second open request for the skill: %v, want ErrRequestOpen", err)
	}
	if _, err := f.rs.Decline(ctx, r.ID, "dc:b", now); !errors.Is(err, ErrNotYours) {
		t.Errorf("decline by another tutor: %v, want ErrNotYours", err)
	}

	// tg:a declines after an hour: dc:b is asked, with a fresh deadline.
	now = now.Add(time.Hour)
	out, err := f.rs.Decline(ctx, r.ID, "tg:a", now)
	if err != nil || !out.Offered || out.Request.Tutor != "dc:b" || out.Previous != "tg:a" {
		t.Fatalf("after decline: %+v, %v; want dc:b asked", out, err)
	}
	if !out.Request.Deadline.Equal(now.Add(24 * time.Hour)) {
		t.Errorf("deadline %v, want %v", out.Request.Deadline, now.Add(24*time.Hour))
	}

	// A deadline job that fires early, or for the old tutor, changes nothing.
	if out, _ := f.rs.Expire(ctx, r.ID, "dc:b", now.Add(23*time.Hour)); out.Changed {
		t.Error("expired before the deadline")
	}
	if out, _ := f.rs.Expire(ctx, r.ID, "tg:a", now.Add(48*time.Hour)); out.Changed {
		t.Error("a stale deadline of tg:a moved the request")
	}

	// dc:b does not answer in 24 h: term:c is asked.
	now = now.Add(24 * time.Hour)
	out, err = f.rs.Expire(ctx, r.ID, "dc:b", now)
	if err != nil || !out.Offered || out.Request.Tutor != "term:c" {
		t.Fatalf("after expiry: %+v, %v; want term:c asked", out, err)
	}

	// A restart: new values on the same store see the same request.
	rs2 := NewRequests(f.rs.st, NewProfiles(f.rs.st), RequestConfig{})
	out, err = rs2.Accept(ctx, r.ID, "term:c", now.Add(time.Hour))
	if err != nil || out.Request.State != StateAccepted || out.Mentorship == nil {
		t.Fatalf("accept: %+v, %v", out, err)
	}
	m := out.Mentorship
	if m.Learner != "tg:1" || m.Tutor != "term:c" || m.Skill != "mqtt.qos" {
		t.Errorf("mentorship %+v", m)
	}
	if got := f.load("term:c"); got != 1 {
		t.Errorf("term:c load %d, want 1", got)
	}
	if _, err := f.rs.OpenFor(ctx, "tg:1", "mqtt.qos"); !errors.Is(err, ErrNotFound) {
		t.Errorf("request still open after accept: %v", err)
	}

	// term:c is full: another learner's request skips them.
	r2, err := f.rs.Open(ctx, "tg:2", "mqtt.qos", "", []string{"term:c", "dc:b"}, now)
	if err != nil || r2.Tutor != "dc:b" {
		t.Fatalf("request of tg:2 went to %q (%v), want dc:b", r2.Tutor, err)
	}

	// tg:1 asks again for the same skill: tg:a declined them before.
	if _, err := f.rs.End(ctx, m.ID, "tg:1", now); err != nil {
		t.Fatal(err)
	}
	if got := f.load("term:c"); got != 0 {
		t.Errorf("term:c load %d after the end, want 0", got)
	}
	r3, err := f.rs.Open(ctx, "tg:1", "mqtt.qos", "", []string{"tg:a", "term:c"}, now)
	if err != nil || r3.Tutor != "term:c" {
		t.Fatalf("new request went to %q (%v), want term:c (tg:a declined before)", r3.Tutor, err)
	}
}

func TestRequestEndsWhenCandidatesRunOut(t *testing.T) {
	f := newRequestFixture(t)
	r, err := f.rs.Open(f.ctx, "tg:1", "opcua.model", "", []string{"tg:a", "dc:b"}, f.now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.rs.Decline(f.ctx, r.ID, "tg:a", f.now); err != nil {
		t.Fatal(err)
	}
	out, err := f.rs.Decline(f.ctx, r.ID, "dc:b", f.now)
	if err != nil || out.Request.State != StateDeclined || out.Offered {
		t.Fatalf("last decline: %+v, %v; want state declined", out, err)
	}
	if _, err := f.rs.Accept(f.ctx, r.ID, "dc:b", f.now); !errors.Is(err, ErrClosed) {
		t.Errorf("accept after the end: %v, want ErrClosed", err)
	}
	r2, err := f.rs.Open(f.ctx, "tg:1", "mqtt.qos", "", []string{"term:c"}, f.now)
	if err != nil {
		t.Fatal(err)
	}
	out, err = f.rs.Expire(f.ctx, r2.ID, "term:c", r2.Deadline)
	if err != nil || out.Request.State != StateExpired {
		t.Fatalf("last expiry: %+v, %v; want state expired", out, err)
	}
	if _, err := f.rs.Open(f.ctx, "tg:1", "mqtt.qos", "", []string{"tg:1"}, f.now); !errors.Is(err, ErrNoTutorAvailable) {
		t.Errorf("only the learner as candidate: %v, want ErrNoTutorAvailable", err)
	}
}

func TestAcceptBeyondCapacityMovesOn(t *testing.T) {
	f := newRequestFixture(t)
	r1, _ := f.rs.Open(f.ctx, "tg:1", "mqtt.qos", "", []string{"tg:a"}, f.now)
	r2, _ := f.rs.Open(f.ctx, "tg:2", "mqtt.qos", "", []string{"tg:a", "dc:b"}, f.now)
	if r1.Tutor != "tg:a" || r2.Tutor != "tg:a" {
		t.Fatalf("both should wait for tg:a (free when offered): %s, %s", r1.Tutor, r2.Tutor)
	}
	if _, err := f.rs.Accept(f.ctx, r1.ID, "tg:a", f.now); err != nil {
		t.Fatal(err)
	}
	out, err := f.rs.Accept(f.ctx, r2.ID, "tg:a", f.now)
	if err != nil || out.Request.State != StateOpen || out.Request.Tutor != "dc:b" {
		t.Fatalf("accept beyond capacity: %+v, %v; want the request moved to dc:b", out, err)
	}
	if got := f.load("tg:a"); got != 1 {
		t.Errorf("tg:a load %d, want 1 (capacity)", got)
	}
	// Accepting twice is harmless.
	again, err := f.rs.Accept(f.ctx, r1.ID, "tg:a", f.now)
	if err != nil || again.Changed || f.load("tg:a") != 1 {
		t.Errorf("second accept: %+v, %v, load %d", again, err, f.load("tg:a"))
	}
}

func TestIndexesStayInStep(t *testing.T) {
	f := newRequestFixture(t)
	x1, x2 := NewIndex(DefaultWeights()), NewIndex(DefaultWeights())
	if err := f.p.Load(f.ctx, x1, f.now); err != nil {
		t.Fatal(err)
	}
	if err := f.p.Sync(f.ctx, x2, f.now); err != nil {
		t.Fatal(err)
	}
	if x1.Len() != 3 || x2.Len() != 3 {
		t.Fatalf("indexes hold %d and %d tutors, want 3", x1.Len(), x2.Len())
	}
	other := NewProfiles(f.rs.st) // another process
	f.saveTutor("tg:d", 4)
	if err := other.DeleteTutor(f.ctx, "dc:b"); err != nil {
		t.Fatal(err)
	}
	r, _ := f.rs.Open(f.ctx, "tg:1", "mqtt.qos", "", []string{"tg:a"}, f.now)
	if _, err := f.rs.Accept(f.ctx, r.ID, "tg:a", f.now); err != nil {
		t.Fatal(err)
	}
	for _, x := range []*Index{x1, x2} {
		if err := f.p.Sync(f.ctx, x, f.now); err != nil {
			t.Fatal(err)
		}
		if _, ok := x.Tutor("tg:d"); !ok {
			t.Error("new tutor tg:d missing")
		}
		if _, ok := x.Tutor("dc:b"); ok {
			t.Error("deleted tutor dc:b still there")
		}
		if a, _ := x.Tutor("tg:a"); a.Load != 1 {
			t.Errorf("tg:a load %d, want 1", a.Load)
		}
		l := baseLearner()
		for _, c := range x.Rank(&l, Query{Limit: 10}, f.now) {
			if c.Tutor == "tg:a" {
				t.Error("tg:a is full but ranked")
			}
		}
	}
}

func TestProposeMeeting(t *testing.T) {
	learner := side(t, "Asia/Kathmandu", "mon 18:00-20:00")
	tutor := side(t, "Asia/Kolkata", "mon 18:00-20:00")
	now := time.Date(2027, 1, 3, 10, 0, 0, 0, time.UTC) // Sunday
	p, ok := ProposeMeeting(learner, tutor, now, time.Hour)
	if !ok {
		t.Fatal("no proposal")
	}
	if got := p.Start.Format("2006-01-02 15:04"); got != "2027-01-04 12:30" {
		t.Errorf("start %s UTC, want 2027-01-04 12:30", got)
	}
	if got := p.LearnerStart.Format("15:04"); got != "18:15" {
		t.Errorf("learner's time %s, want 18:15", got)
	}
	if got := p.TutorStart.Format("15:04"); got != "18:00" {
		t.Errorf("tutor's time %s, want 18:00", got)
	}
	// Less than 24 h ahead: next Monday.
	p, _ = ProposeMeeting(learner, tutor, now.Add(24*time.Hour), time.Hour)
	if got := p.Start.Format("2006-01-02"); got != "2027-01-11" {
		t.Errorf("start %s, want the next Monday 2027-01-11", got)
	}
	none := side(t, "Asia/Kolkata", "tue 18:00-20:00")
	if _, ok := ProposeMeeting(learner, none, now, time.Hour); ok {
		t.Error("a proposal without common hours")
	}
}
