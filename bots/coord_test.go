package bots_test

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/talentjourney/talentbot/bots"
	"github.com/talentjourney/talentbot/bots/bottest"
	"github.com/talentjourney/talentbot/store"
)

// seedUser stores an onboarded user who gave consent, as onboarding would
// leave them, and their entry in the user index.
func seedUser(t testing.TB, st *store.Store, user, platform, chat, lang, role, country string) {
	t.Helper()
	seedUsers(t, st, []seed{{user, platform, chat, lang, role, country}})
}

type seed struct{ user, platform, chat, lang, role, country string }

func seedUsers(t testing.TB, st *store.Store, users []seed) {
	t.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	for i := 0; i < len(users); i += 500 {
		pipe := st.Client.Pipeline()
		for _, u := range users[i:min(i+500, len(users))] {
			s := bots.State{V: 1, User: u.user, Platform: u.platform, Chat: u.chat, Consent: "yes",
				ConsentAt: now, Onboarded: true, Created: now, LastSeen: now,
				Profile: bots.Profile{Lang: u.lang, Role: u.role, Country: u.country,
					Zone: "Europe/Ljubljana"}}
			b, _ := json.Marshal(&s)
			pipe.Set(ctx, st.Keys.User(u.user, "state"), b, 0)
			sum, _ := json.Marshal(bots.Summary{Role: u.role, Country: u.country, Lang: u.lang,
				Platform: u.platform, Seen: now.Unix() / 86400})
			pipe.HSet(ctx, st.Keys.Global("users"), u.user, sum)
		}
		if _, err := pipe.Exec(ctx); err != nil {
			t.Fatal(err)
		}
	}
}

// dump reads every key under the store's prefix with its value.
func dump(t testing.TB, st *store.Store) map[string]string {
	t.Helper()
	ctx := context.Background()
	out := map[string]string{}
	iter := st.Client.Scan(ctx, 0, st.Keys.Base()+"*", 1000).Iterator()
	for iter.Next(ctx) {
		key := iter.Val()
		typ, _ := st.Client.Type(ctx, key).Result()
		var v any
		var err error
		switch typ {
		case "string":
			v, err = st.Client.Get(ctx, key).Result()
		case "hash":
			v, err = st.Client.HGetAll(ctx, key).Result()
		case "list":
			v, err = st.Client.LRange(ctx, key, 0, -1).Result()
		case "set":
			var m []string
			m, err = st.Client.SMembers(ctx, key).Result()
			sort.Strings(m)
			v = m
		case "zset":
			v, err = st.Client.ZRangeWithScores(ctx, key, 0, -1).Result()
		default:
			v = typ
		}
		if err != nil && err != redis.Nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(v)
		out[key] = string(b)
	}
	if err := iter.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

var lastSeenRE = regexp.MustCompile(`"(last_seen|seq)":("[^"]*"|\d+)`)

// TestLearnerIsRefusedCoordinatorCommands is the case 3: each
// coordinator command is refused, and Redis is the same afterwards except
// for the learner's last-seen time and the refusal replies.
func TestLearnerIsRefusedCoordinatorCommands(t *testing.T) {
	h := newHarness(t, nil, bots.Config{Coordinators: []string{"term:ana"}})
	seedUser(t, h.st, "term:ana", bots.Terminal, "ana", "en", bots.RoleCoordinator, "SI")
	seedUser(t, h.st, "term:tim", bots.Terminal, "tim", "en", bots.RoleTutor, "SI")
	n := bottest.Onboard(t, h, "lea")
	// An invite code that exists, to be sure /revoke cannot touch it.
	h.Send(t, "ana", "/invite tutor")
	i := bottest.WaitFor(t, h, "ana", 0, "Invite code")
	code := h.rec.got("term:ana")[i].Text[1].Text
	// A command without effects, so that the stored state holds none.
	h.Send(t, "lea", "/help")
	n = bottest.WaitFor(t, h, "lea", n, "/progress") + 1
	waitSettled(t, h, "term:lea", "term:ana")

	before := dump(t, h.st)
	cmds := []string{"/broadcast", "/invite tutor", "/invite coordinator", "/revoke " + code,
		"/revoke term:tim", "/remove term:tim", "/remove term:ana", "/stats"}
	for _, c := range cmds {
		h.Send(t, "lea", c)
		n = bottest.WaitFor(t, h, "lea", n, "not allowed") + 1
	}
	h.Send(t, "lea", "de: hello everyone") // no dialogue was opened
	n = bottest.WaitFor(t, h, "lea", n, "") + 1
	h.submit(t, bots.Event{Platform: bots.Terminal, User: "term:lea", Chat: "lea",
		Kind: bots.KindButton, Data: "bcs:go"})
	bottest.WaitFor(t, h, "lea", n, "not allowed")
	waitSettled(t, h, "term:lea")
	after := dump(t, h.st)

	stateKey := h.st.Keys.User("term:lea", "state")
	for k, v := range after {
		w, ok := before[k]
		switch {
		case waitingSet(k):
			// The shards' waiting sets come and go as any user's events
			// and sends are picked up; a score is the time the user waited.
		case !ok:
			t.Errorf("new key %s = %.200s", k, v)
		case k == stateKey:
			var vs, ws string
			_ = json.Unmarshal([]byte(v), &vs)
			_ = json.Unmarshal([]byte(w), &ws)
			if lastSeenRE.ReplaceAllString(vs, "") != lastSeenRE.ReplaceAllString(ws, "") {
				t.Errorf("learner's state changed beyond the last-seen time:\n%s\n%s", w, v)
			}
		case v != w:
			t.Errorf("key %s changed:\n%.300s\n%.300s", k, w, v)
		}
	}
	for k := range before {
		if _, ok := after[k]; !ok && !waitingSet(k) {
			t.Errorf("key %s disappeared", k)
		}
	}
	if got := len(h.rec.got("term:tim")); got != 0 {
		t.Errorf("the tutor got %d messages", got)
	}
}

// waitingSet tells whether key is a shard's set of users waiting to be
// handled or sent to.
func waitingSet(key string) bool {
	return strings.HasSuffix(key, "}:ready") || strings.HasSuffix(key, "}:pending")
}

// waitSettled waits until the users' queues and outboxes are empty.
func waitSettled(t testing.TB, h *harness, users ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, u := range users {
		if err := h.eng.Settle(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(100 * time.Millisecond)
}

// TestInviteOnceAndRevoke invites a tutor: the code works once, the role
// can be taken back, and each action is in the audit log.
func TestInviteOnceAndRevoke(t *testing.T) {
	h := newHarness(t, nil, bots.Config{Coordinators: []string{"term:ana"},
		BotUsername: "TalentjourneyBot"})
	seedUser(t, h.st, "term:ana", bots.Terminal, "ana", "en", bots.RoleLearner, "SI")
	h.Send(t, "ana", "/invite tutor")
	i := bottest.WaitFor(t, h, "ana", 0, "Invite code for a Tutor")
	m := h.rec.got("term:ana")[i]
	code := m.Text[1].Text
	if link := m.Text[len(m.Text)-1].URL; link != "https://t.me/TalentjourneyBot?start="+code {
		t.Fatalf("invite link %q, want the deep link with code %q", link, code)
	}

	nb := bottest.Onboard(t, h, "bob")
	h.Send(t, "bob", "/start "+code)
	nb = bottest.WaitFor(t, h, "bob", nb, "Your role is now: Tutor") + 1
	nc := bottest.Onboard(t, h, "cid")
	h.Send(t, "cid", "/start "+code)
	bottest.WaitFor(t, h, "cid", nc, "already")
	h.Send(t, "bob", "/broadcast")
	nb = bottest.WaitFor(t, h, "bob", nb, "not allowed") + 1

	h.Send(t, "ana", "/revoke term:bob")
	bottest.WaitFor(t, h, "ana", i+1, "term:bob is no longer a Tutor")
	bottest.WaitFor(t, h, "bob", nb, "Your role is now: Learner")

	h.Send(t, "ana", "/invite coordinator")
	j := bottest.WaitFor(t, h, "ana", i+2, "Invite code for a Coordinator")
	code2 := h.rec.got("term:ana")[j].Text[1].Text
	h.Send(t, "ana", "/revoke "+code2)
	bottest.WaitFor(t, h, "ana", j, "revoked")
	h.Send(t, "cid", "/start "+code2)
	waitSettled(t, h, "term:cid")
	for _, r := range h.Received(t, "cid") {
		if strings.Contains(r.Text, "Your role is now") {
			t.Fatalf("a revoked code still worked: %q", r.Text)
		}
	}

	entries, err := h.eng.Audit(context.Background(), 10)
	if err != nil {
		t.Fatal(err)
	}
	var acts []string
	for _, e := range entries {
		var a struct{ By, Act, To string }
		_ = json.Unmarshal([]byte(e), &a)
		acts = append(acts, a.By+" "+a.Act+" "+a.To)
	}
	want := "term:ana revoke_code |term:ana invite coordinator|term:ana revoke_role term:bob|term:ana invite tutor"
	if got := strings.Join(acts, "|"); got != want {
		t.Fatalf("audit log %q, want %q", got, want)
	}
}

// TestRemoveDeletesTheUser removes a learner: their data goes as with
// /delete, including their place in a broadcast report.
func TestRemoveDeletesTheUser(t *testing.T) {
	h := newHarness(t, nil, bots.Config{Coordinators: []string{"term:ana"}})
	seedUser(t, h.st, "term:ana", bots.Terminal, "ana", "en", bots.RoleLearner, "SI")
	seedUser(t, h.st, "term:gus", bots.Terminal, "gus", "en", bots.RoleLearner, "DE")
	id, err := h.eng.StartBroadcast(context.Background(), "term:ana",
		map[string]string{"": "Hello"}, bots.Segment{Countries: []string{"DE"}})
	if err != nil {
		t.Fatal(err)
	}
	bottest.WaitFor(t, h, "ana", 0, "finished")
	h.Send(t, "ana", "/remove term:gus")
	bottest.WaitFor(t, h, "gus", 0, "took you out of the programme")
	// The coordinator's next event clears the applied effect (which names
	// the user) from their stored state.
	h.Send(t, "ana", "/help")
	bottest.WaitFor(t, h, "ana", 0, "/stats")
	deadline := time.Now().Add(5 * time.Second)
	for {
		traces := storeTraces(t, h, "term:gus")
		if len(traces) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after /remove Redis still names the user: %v", traces)
		}
		time.Sleep(50 * time.Millisecond)
	}
	r, err := h.eng.Report(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if r.Counts[bots.DeliverySent] != 0 || r.Gone != 1 || r.Total != 1 {
		t.Fatalf("report after removal: %+v, want the recipient counted as gone", r)
	}
}

func storeTraces(t *testing.T, h *harness, user string) []string {
	var out []string
	for k, v := range dump(t, h.st) {
		if strings.Contains(k, user) || strings.Contains(v, user) {
			out = append(out, fmt.Sprintf("%s=%.120s", k, v))
		}
	}
	return out
}
