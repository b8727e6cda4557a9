package bots_test

import (
	"context"
	"testing"
	"time"

	"github.com/talentjourney/talentbot/bots"
	"github.com/talentjourney/talentbot/bots/bottest"
)

// TestBroadcastToDiscordChannel sends a broadcast whose segment names a
// Discord announcement channel: it is posted there once, Discord learners
// get no direct message, and a terminal learner gets it as usual.
func TestBroadcastToDiscordChannel(t *testing.T) {
	h := newHarness(t, nil, bots.Config{Coordinators: []string{"term:ana"}})
	h.eng.AddSender(bots.Discord, h.rec)
	bottest.Onboard(t, h, "lea")
	for _, d := range []string{"consent:yes", "age:adult", "lang:en", "role:learner", "country:SI",
		"zone:Europe/Ljubljana", "skill:mqtt.qos", "skills:done", "time:18:00"} {
		ev := bots.Event{Platform: bots.Discord, User: "dc:77", Chat: "dm77", Kind: bots.KindButton, Data: d}
		if d == "consent:yes" {
			h.submit(t, bots.Event{Platform: bots.Discord, User: "dc:77", Chat: "dm77",
				Kind: bots.KindCommand, Command: "start"})
		}
		h.submit(t, ev)
	}
	h.Send(t, "ana", "/start")
	bottest.WaitFor(t, h, "ana", 0, "")
	deadline := time.Now().Add(5 * time.Second)
	for len(h.rec.got("dc:77")) < 10 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}

	id, err := h.eng.StartBroadcast(context.Background(), "term:ana",
		map[string]string{"": "Workshop on Friday"}, bots.Segment{Role: "learner", Channel: "999"})
	if err != nil {
		t.Fatal(err)
	}
	bottest.WaitFor(t, h, "lea", 0, "Workshop on Friday")
	posts := 0
	deadline = time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) && posts == 0 {
		for _, m := range h.rec.got("term:ana") {
			if m.Platform == bots.Discord && m.Chat == "999" && m.Text.Plain() == "Workshop on Friday" {
				posts++
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	if posts != 1 {
		t.Fatalf("broadcast %s posted %d times in the channel, want 1", id, posts)
	}
	for _, m := range h.rec.got("dc:77") {
		if m.Text.Plain() == "Workshop on Friday" {
			t.Fatal("the Discord learner got a direct message although the channel was chosen")
		}
	}
}
