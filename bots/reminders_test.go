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

// TestNudgesStopAfterThree lets a learner stay silent: a nudge comes after
// each 3 silent days, three in all (moved out of quiet hours), and none
// after that until the learner writes again.
func TestNudgesStopAfterThree(t *testing.T) {
	st := storetest.New(t)
	// Dates avoid Slovenian holidays (25 June would move a nudge a day).
	clock := scheduler.NewFakeClock(time.Date(2027, 9, 6, 10, 0, 0, 0, time.UTC))
	sch := scheduler.New(st, scheduler.Config{Clock: clock, Poll: 10 * time.Millisecond})
	h := newHarness(t, st, bots.Config{Clock: clock.Now, Scheduler: sch})
	n := bottest.Onboard(t, h, "quiet")
	count := func() int {
		c := 0
		for _, m := range h.Received(t, "quiet")[n:] {
			if m.Text == "We miss you! A three-minute lesson is waiting: tap below to continue." {
				c++
			}
		}
		return c
	}
	for i := 1; i <= 5; i++ {
		clock.Advance(3*24*time.Hour + time.Hour)
		time.Sleep(300 * time.Millisecond)
		want := min(i, 3)
		if got := count(); got != want {
			t.Fatalf("after %d silent periods got %d nudges, want %d", i, got, want)
		}
	}
	h.Send(t, "quiet", "/progress")
	bottest.WaitFor(t, h, "quiet", n, "Your progress")
	clock.Advance(3*24*time.Hour + time.Hour)
	deadline := time.Now().Add(3 * time.Second)
	for count() != 4 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if got := count(); got != 4 {
		t.Fatalf("after writing again and 3 silent days: %d nudges, want 4", got)
	}
}

// TestQuietHoursFromSettings sets quiet hours in /settings; the next
// reminder job carries them.
func TestQuietHoursFromSettings(t *testing.T) {
	st := storetest.New(t)
	clock := scheduler.NewFakeClock(time.Date(2027, 9, 6, 10, 0, 0, 0, time.UTC))
	sch := scheduler.New(st, scheduler.Config{Clock: clock, Poll: 10 * time.Millisecond})
	h := newHarness(t, st, bots.Config{Clock: clock.Now, Scheduler: sch})
	n := bottest.Onboard(t, h, "night")
	h.Send(t, "night", "/settings")
	n = bottest.WaitFor(t, h, "night", n, "What would you like to change?")
	h.press(t, "night", "set:quiet")
	n = bottest.WaitFor(t, h, "night", n+1, "21:00-08:00")
	h.Send(t, "night", "23:00-23:00") // refused, not taken as "off"
	n = bottest.WaitFor(t, h, "night", n+1, "such as 22:00-07:30")
	h.Send(t, "night", "23:00-06:30")
	n = bottest.WaitFor(t, h, "night", n+1, "Saved")
	clock.Advance(25 * time.Hour) // a new day: the nudge is planned again
	h.Send(t, "night", "/settings")
	i := bottest.WaitFor(t, h, "night", n+1, "What would you like to change?")
	if got := h.Received(t, "night")[i].Buttons; !strings.Contains(strings.Join(got, "|"), "23:00-06:30") {
		t.Fatalf("settings show %v, want the quiet hours 23:00-06:30", got)
	}
	deadline := time.Now().Add(3 * time.Second)
	for time.Now().Before(deadline) {
		jobs, err := sch.Jobs(context.Background(), "term:night")
		if err != nil {
			t.Fatal(err)
		}
		for _, j := range jobs {
			if j.Job.Kind == scheduler.KindNudge && j.Job.Quiet.String() == "23:00-06:30" {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("the nudge job does not carry the quiet hours 23:00-06:30")
}

// TestSettingsMoveTheDailyLesson: a new country in /settings moves the
// daily lesson to that country's holidays (and a new zone to its hour).
func TestSettingsMoveTheDailyLesson(t *testing.T) {
	st := storetest.New(t)
	clock := scheduler.NewFakeClock(time.Date(2027, 9, 6, 10, 0, 0, 0, time.UTC))
	sch := scheduler.New(st, scheduler.Config{Clock: clock, Poll: 10 * time.Millisecond})
	h := newHarness(t, st, bots.Config{Clock: clock.Now, Scheduler: sch})
	n := bottest.Onboard(t, h, "mover")
	daily := func() scheduler.Job {
		jobs, err := sch.Jobs(context.Background(), "term:mover")
		if err != nil {
			t.Fatal(err)
		}
		for _, j := range jobs {
			if j.Job.Kind == scheduler.KindLesson {
				return j.Job
			}
		}
		return scheduler.Job{}
	}
	h.Send(t, "mover", "/settings")
	n = bottest.WaitFor(t, h, "mover", n, "What would you like to change?")
	h.press(t, "mover", "set:country")
	n = bottest.WaitFor(t, h, "mover", n+1, "Which country")
	h.press(t, "mover", "country:EE")
	bottest.WaitFor(t, h, "mover", n+1, "Saved")
	deadline := time.Now().Add(3 * time.Second)
	for daily().Holidays != "EE" {
		if time.Now().After(deadline) {
			t.Fatalf("daily lesson job %+v, want Estonian holidays", daily())
		}
		time.Sleep(20 * time.Millisecond)
	}
}
