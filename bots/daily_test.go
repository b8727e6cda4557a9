package bots_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/talentjourney/talentbot/bots"
	"github.com/talentjourney/talentbot/bots/bottest"
	"github.com/talentjourney/talentbot/scheduler"
	"github.com/talentjourney/talentbot/store/storetest"
)

// clockedHarness is a harness with a scheduler, both on a fake clock that
// starts at start.
func clockedHarness(t *testing.T, start time.Time) (*harness, *scheduler.Scheduler,
	*scheduler.FakeClock) {
	st := storetest.New(t)
	clock := scheduler.NewFakeClock(start)
	sch := scheduler.New(st, scheduler.Config{Clock: clock, Poll: 10 * time.Millisecond})
	return newHarness(t, st, bots.Config{Clock: clock.Now, Scheduler: sch}), sch, clock
}

// TestDailyLessonAtLocalHour onboards a learner in Tallinn who picks 18:00
// and checks that the daily lesson comes at 18:00 Tallinn time, not before.
func TestDailyLessonAtLocalHour(t *testing.T) {
	h, _, clock := clockedHarness(t, time.Date(2027, 5, 12, 9, 0, 0, 0, time.UTC))

	user := "tallinn"
	h.Send(t, user, "/start")
	n := bottest.WaitFor(t, h, user, 0, "Do you agree?")
	steps := []struct{ press, next string }{
		{"Yes, I agree", "How old"}, {"16 or older", "language"}, {"Eesti", "õppija"},
	}
	for _, s := range steps {
		h.Press(t, user, s.press)
		n = bottest.WaitFor(t, h, user, n+1, s.next)
	}
	for _, d := range []string{"role:learner", "country:EE", "zone:Europe/Tallinn",
		"skill:mqtt.qos", "skills:done", "time:18:00"} {
		h.submit(t, bots.Event{Platform: bots.Terminal, User: "term:" + user, Chat: user,
			Kind: bots.KindButton, Data: d})
	}
	n = bottest.WaitFor(t, h, user, n+1, "18:00") + 1

	// 18:00 in Tallinn (UTC+3 in May), in Estonian ("min").
	lessonComesAt(t, h, clock, user, n, time.Date(2027, 5, 12, 15, 0, 0, 0, time.UTC))
}

// lessonComesAt checks that user, who has received n messages, gets nothing
// half a minute before at and the daily lesson at at.
func lessonComesAt(t *testing.T, h *harness, clock *scheduler.FakeClock, user string, n int,
	at time.Time) {
	t.Helper()
	clock.Set(at.Add(-30 * time.Second))
	time.Sleep(300 * time.Millisecond)
	if got := h.Received(t, user); len(got) != n {
		t.Fatalf("before %s UTC the learner got %q", at.Format("15:04"), got[n].Text)
	}
	clock.Set(at)
	i := bottest.WaitFor(t, h, user, n, "min")
	if txt := h.Received(t, user)[i].Text; !strings.Contains(txt, "·") {
		t.Fatalf("the daily message %q is not a lesson", txt)
	}
}

// TestDailyLessonInFixedOffset: a learner who keeps the fixed offset
// UTC+05:30 rather than a named zone gets the 18:00 lesson at 12:30 UTC.
func TestDailyLessonInFixedOffset(t *testing.T) {
	h, _, clock := clockedHarness(t, time.Date(2027, 5, 12, 9, 0, 0, 0, time.UTC))

	user := "offset"
	n := toCountry(t, h, user)
	h.press(t, user, "country:EE")
	n = bottest.WaitFor(t, h, user, n+1, "Which time zone")
	h.press(t, user, "zone:other")
	n = bottest.WaitFor(t, h, user, n+1, "Type a city")
	h.Send(t, user, "UTC+05:30")
	n = bottest.WaitFor(t, h, user, n+1, "UTC+05:30 → Asia/Kolkata?")
	h.Press(t, user, "Keep UTC+05:30 (no daylight saving)")
	n = bottest.WaitFor(t, h, user, n+1, "no daylight saving")
	for _, d := range []string{"skill:mqtt.qos", "skills:done", "time:18:00"} {
		h.press(t, user, d)
	}
	n = bottest.WaitFor(t, h, user, n+1, "All set!") + 1
	if s := h.state(t, user); s.Profile.Zone != "UTC+05:30" || !s.Profile.Fixed {
		t.Fatalf("zone %q fixed %v, want UTC+05:30 kept", s.Profile.Zone, s.Profile.Fixed)
	}
	lessonComesAt(t, h, clock, user, n, time.Date(2027, 5, 12, 12, 30, 0, 0, time.UTC))
}

// TestDataGoesAYearAfterTheLastMessage: a user silent for the retention
// time is deleted without a message, every trace with them; one who wrote
// meanwhile is kept. A user who only refused consent goes too.
func TestDataGoesAYearAfterTheLastMessage(t *testing.T) {
	start := time.Date(2027, 5, 12, 9, 0, 0, 0, time.UTC)
	h, sch, clock := clockedHarness(t, start)
	st := h.st
	ctx := context.Background()

	gone := bottest.Onboard(t, h, "silent")
	kept := bottest.Onboard(t, h, "active")
	h.Send(t, "no", "/start")
	bottest.WaitFor(t, h, "no", 0, "Do you agree?")
	h.Press(t, "no", "No, thanks")
	bottest.WaitFor(t, h, "no", 1, "")

	clock.Set(start.Add(200 * 24 * time.Hour))
	h.Send(t, "active", "/progress")
	bottest.WaitFor(t, h, "active", kept, "Your progress")

	clock.Set(start.Add(366 * 24 * time.Hour))
	exists := func(user string) bool {
		n, err := st.Client.Exists(ctx, st.Keys.User("term:"+user, "state")).Result()
		if err != nil {
			t.Fatal(err)
		}
		return n == 1
	}
	deadline := time.Now().Add(10 * time.Second)
	for exists("silent") || exists("no") {
		if time.Now().After(deadline) {
			t.Fatalf("a year after the last message: silent user kept %v, refusal kept %v",
				exists("silent"), exists("no"))
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !exists("active") {
		t.Fatal("the user who wrote 166 days ago was deleted")
	}
	if got := h.Received(t, "silent"); len(got) > gone {
		t.Fatalf("the deleted user was sent %q", got[gone].Text)
	}
	if jobs, err := sch.Jobs(ctx, "term:silent"); err != nil || len(jobs) != 0 {
		t.Fatalf("jobs of the deleted user: %v %v", jobs, err)
	}
}

// TestRemindersFollowSettings: after the time zone and the quiet hours are
// changed in /settings, the pending nudge uses the new ones.
func TestRemindersFollowSettings(t *testing.T) {
	h, sch, _ := clockedHarness(t, time.Date(2027, 5, 12, 9, 0, 0, 0, time.UTC))
	ctx := context.Background()
	user := "moved"
	n := bottest.Onboard(t, h, user)
	h.Send(t, user, "/settings")
	n = bottest.WaitFor(t, h, user, n, "What would you like to change?")
	h.press(t, user, "set:zone")
	n = bottest.WaitFor(t, h, user, n+1, "Which time zone")
	h.press(t, user, "zone:other")
	n = bottest.WaitFor(t, h, user, n+1, "Type a city")
	h.Send(t, user, "Helsinki")
	n = bottest.WaitFor(t, h, user, n+1, "Europe/Helsinki?")
	h.press(t, user, "zone:Europe/Helsinki")
	n = bottest.WaitFor(t, h, user, n+1, "Saved")
	h.Send(t, user, "/settings")
	n = bottest.WaitFor(t, h, user, n+1, "What would you like to change?")
	h.press(t, user, "set:quiet")
	n = bottest.WaitFor(t, h, user, n+1, "21:00-08:00")
	h.Send(t, user, "off")
	bottest.WaitFor(t, h, user, n+1, "Saved")
	h.state(t, user) // settled: the effects are applied

	jobs, err := sch.Jobs(ctx, "term:"+user)
	if err != nil {
		t.Fatal(err)
	}
	var nudge *scheduler.Scheduled
	for i := range jobs {
		if jobs[i].Kind == scheduler.KindNudge {
			nudge = &jobs[i]
		}
	}
	if nudge == nil || nudge.Zone != "Europe/Helsinki" || nudge.Quiet != scheduler.NoQuiet {
		t.Fatalf("nudge job %+v, want Europe/Helsinki without quiet hours", nudge)
	}
}
