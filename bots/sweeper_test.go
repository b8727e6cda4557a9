package bots_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/talentjourney/talentbot/bots"
	"github.com/talentjourney/talentbot/bots/bottest"
	"github.com/talentjourney/talentbot/store/storetest"
)

// TestSweepTakesEventsOfADeadProcess stores the /start of 40 users through
// an engine that never handles them (a process that died holding their
// leases); once the leases run out, a running engine's sweep answers every
// one of them, and the shards' waiting sets end up empty.
func TestSweepTakesEventsOfADeadProcess(t *testing.T) {
	st := storetest.New(t)
	dead, err := bots.New(st, bots.Config{LeaseTTL: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	const users = 40
	for i := range users {
		name := fmt.Sprintf("orphan%d", i)
		err := dead.Submit(ctx, bots.Event{Platform: bots.Terminal, User: "term:" + name,
			Chat: name, Kind: bots.KindCommand, Command: "start"})
		if err != nil {
			t.Fatal(err)
		}
	}

	h := newHarness(t, st, bots.Config{})
	for i := range users {
		bottest.WaitFor(t, h, fmt.Sprintf("orphan%d", i), 0, "Do you agree?")
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		var left []string
		for _, pattern := range []string{"{q:*}:pending", "{ob:*}:ready"} {
			iter := st.Client.Scan(ctx, 0, st.Keys.Base()+pattern, 1000).Iterator()
			for iter.Next(ctx) {
				left = append(left, iter.Val())
			}
			if err := iter.Err(); err != nil {
				t.Fatal(err)
			}
		}
		if len(left) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("waiting sets still there 10 s after every user was answered: %s",
				strings.Join(left, ", "))
		}
		time.Sleep(100 * time.Millisecond)
	}
}
