package discord

import (
	"context"
	"testing"
	"time"

	"github.com/talentjourney/talentbot/bots"
)

func TestInvalidRequestsAreCountedOverTenMinutes(t *testing.T) {
	var c invalidCounter
	t0 := time.Date(2026, 3, 1, 12, 0, 30, 0, time.UTC)
	for range 5 {
		c.add(t0)
	}
	c.add(t0.Add(5 * time.Minute))
	if n := c.count(t0.Add(9 * time.Minute)); n != 6 {
		t.Fatalf("after 9 minutes: %d, want 6", n)
	}
	if n := c.count(t0.Add(11 * time.Minute)); n != 1 {
		t.Fatalf("after 11 minutes: %d, want 1", n)
	}
	if n := c.count(t0.Add(16 * time.Minute)); n != 0 {
		t.Fatalf("after 16 minutes: %d, want 0", n)
	}
}

func TestSendingStopsNearTheInvalidRequestLimit(t *testing.T) {
	a := &Adapter{cfg: Config{InvalidSlowdown: 2, InvalidStop: 3}}
	for range 3 {
		a.invalid.add(time.Now())
	}
	err := a.gate(context.Background())
	if bots.SendErrorKindOf(err) != bots.ErrTemporary {
		t.Fatalf("gate = %v, want a temporary refusal", err)
	}
}
