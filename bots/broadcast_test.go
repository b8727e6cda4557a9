package bots_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/talentjourney/talentbot/bots"
	"github.com/talentjourney/talentbot/bots/bottest"
)

// TestBroadcastDialogue is the terminal coordinator's journey: write a text
// with a German version, see the preview, choose learners in Germany, send
// and read the report; each recipient gets one copy in their language.
func TestBroadcastDialogue(t *testing.T) {
	h := newHarness(t, nil, bots.Config{Coordinators: []string{"term:ana"}})
	seedUser(t, h.st, "term:ana", bots.Terminal, "ana", "en", bots.RoleCoordinator, "SI")
	var users []seed
	for i := range 30 {
		country, lang := "DE", "de"
		if i%3 == 0 {
			country, lang = "SI", "sl"
		}
		if i%5 == 0 && country == "DE" {
			lang = "en"
		}
		if i%7 == 1 && country == "DE" {
			lang = "it"
		}
		users = append(users, seed{fmt.Sprintf("term:u%d", i), bots.Terminal, fmt.Sprintf("u%d", i),
			lang, bots.RoleLearner, country})
	}
	users = append(users, seed{"term:tina", bots.Terminal, "tina", "de", bots.RoleTutor, "DE"})
	seedUsers(t, h.st, users)

	h.Send(t, "ana", "/broadcast")
	n := bottest.WaitFor(t, h, "ana", 0, "Type the announcement")
	h.Send(t, "ana", "Kick-off on Friday at 10:00 <b>*bold*</b>\nde: Auftakt am Freitag um 10:00")
	n = bottest.WaitFor(t, h, "ana", n, "Preview (default text)")
	got := h.Received(t, "ana")
	if got[n+1].Text != "Kick-off on Friday at 10:00 <b>*bold*</b>" {
		t.Fatalf("preview %q, want the text as typed", got[n+1].Text)
	}
	n = bottest.WaitFor(t, h, "ana", n, "Preview (Deutsch)")
	n = bottest.WaitFor(t, h, "ana", n, "right now: 32.")
	h.Send(t, "ana", "it: Inizio venerdì alle 10:00")
	n = bottest.WaitFor(t, h, "ana", n+1, "Preview (Italiano)")
	n = bottest.WaitFor(t, h, "ana", n, "right now: 32.")
	h.Press(t, "ana", "Role")
	n = bottest.WaitFor(t, h, "ana", n+1, "right now: 30.")
	h.Press(t, "ana", "Country")
	n = bottest.WaitFor(t, h, "ana", n+1, "Choose one or more")
	h.Press(t, "ana", "Germany")
	n = bottest.WaitFor(t, h, "ana", n+1, "Choose one or more")
	h.Press(t, "ana", "Done")
	n = bottest.WaitFor(t, h, "ana", n+1, "right now: 20.")
	h.Press(t, "ana", "Send now")
	n = bottest.WaitFor(t, h, "ana", n+1, "Recipients: Learner; Germany (20). Send now?")
	h.Press(t, "ana", "Yes, send it")
	n = bottest.WaitFor(t, h, "ana", n+1, "is on its way")
	n = bottest.WaitFor(t, h, "ana", n+1, "finished. Recipients: 20")
	if got := h.Received(t, "ana")[n].Text; !strings.Contains(got, "Sent: 20, blocked: 0") {
		t.Fatalf("final report %q, want 20 sent", got)
	}
	waitSettled(t, h, "term:ana")
	for _, u := range users {
		msgs := h.rec.got(u.user)
		if u.country != "DE" || u.role != bots.RoleLearner {
			if len(msgs) != 0 {
				t.Errorf("%s outside the segment got %d messages", u.user, len(msgs))
			}
			continue
		}
		want := "Kick-off on Friday at 10:00 <b>*bold*</b>"
		switch u.lang {
		case "de":
			want = "Auftakt am Freitag um 10:00"
		case "it":
			want = "Inizio venerdì alle 10:00"
		}
		if len(msgs) != 1 || msgs[0].Text.Plain() != want || msgs[0].Kind != bots.KindBroadcast {
			t.Errorf("%s got %d messages %v, want one broadcast %q", u.user, len(msgs), msgs, want)
		}
	}
}
