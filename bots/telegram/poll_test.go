package telegram

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/talentjourney/talentbot/bots"
	"github.com/talentjourney/talentbot/bots/telegram/telegramtest"
)

func TestPollingTurnsUpdatesIntoEvents(t *testing.T) {
	f := newFixture(t, nil)
	f.run(t)
	from := telegramtest.User(42, "Ana", "ana_k", "sl")
	ids := []int64{
		f.srv.AddUpdate(map[string]any{"message": telegramtest.Message(1, from, 42, "hello there")}),
		f.srv.AddUpdate(map[string]any{"message": telegramtest.Message(2, from, 42, "/Lesson@talentjourney_test_bot now")}),
		f.srv.AddUpdate(map[string]any{"message": telegramtest.Message(3, from, -100, "/help@other_bot")}),
		f.srv.AddUpdate(map[string]any{"message": telegramtest.Message(4, from, -100, "chatting in the group")}),
		f.srv.AddUpdate(map[string]any{"message": telegramtest.Message(5, from, -100, "/progress")}),
	}
	waitFor(t, "3 events", func() bool { return len(f.sub.events(t)) == 3 })
	waitFor(t, "the offset", func() bool { return f.srv.Offset() == ids[4]+1 })
	evs := f.sub.events(t)
	want := []bots.Event{
		{ID: "tg:u:" + strconv.FormatInt(ids[0], 10), Kind: bots.KindText, Text: "hello there", Chat: "42"},
		{ID: "tg:u:" + strconv.FormatInt(ids[1], 10), Kind: bots.KindCommand, Command: "lesson", Args: "now", Chat: "42"},
		{ID: "tg:u:" + strconv.FormatInt(ids[4], 10), Kind: bots.KindCommand, Command: "progress", Chat: "-100", Group: true, Reply: "5"},
	}
	for i, w := range want {
		e := evs[i]
		if e.ID != w.ID || e.Kind != w.Kind || e.Text != w.Text || e.Command != w.Command || e.Args != w.Args ||
			e.Chat != w.Chat || e.Group != w.Group || e.Reply != w.Reply {
			t.Errorf("event %d = %+v, want %+v", i, e, w)
		}
		if e.User != "tg:42" || e.Platform != bots.Telegram || e.Locale != "sl" || e.Handle != "ana_k" {
			t.Errorf("event %d user fields: %+v", i, e)
		}
	}
	stored, _ := f.st.Client.Get(context.Background(), f.st.Keys.Global("tg:offset")).Int64()
	if stored != ids[4]+1 {
		t.Errorf("stored offset %d, want %d", stored, ids[4]+1)
	}
}

func TestPollingOffsetWaitsForSubmit(t *testing.T) {
	f := newFixture(t, nil)
	f.sub.fail.Store(true)
	f.run(t)
	id := f.srv.AddUpdate(telegramtest.TextUpdate(42, "/start"))
	waitFor(t, "a failed submit", func() bool { return strings.Contains(f.logs.String(), "not stored") })
	time.Sleep(1500 * time.Millisecond) // a retry, still failing
	if f.srv.Pending() != 1 || f.srv.Offset() > id {
		t.Fatalf("update confirmed before it was stored (pending %d, offset %d)", f.srv.Pending(), f.srv.Offset())
	}
	if n, _ := f.st.Client.Exists(context.Background(), f.st.Keys.Global("tg:offset")).Result(); n != 0 {
		t.Fatal("offset stored before the update was")
	}
	f.sub.fail.Store(false)
	waitFor(t, "the event", func() bool { return len(f.sub.events(t)) == 1 })
	waitFor(t, "the confirmation", func() bool { return f.srv.Pending() == 0 && f.srv.Offset() == id+1 })
}

// Case 6: an edited message and my_chat_member updates: no panic; the edit
// is ignored, "kicked" in a private chat reports a block, unblocking and
// group membership changes are ignored, and the offset moves past all.
func TestPollingEditedAndMemberUpdates(t *testing.T) {
	f := newFixture(t, nil)
	f.run(t)
	f.srv.AddUpdate(telegramtest.EditedUpdate(42, "/lesson edited"))
	f.srv.AddUpdate(telegramtest.MyChatMemberUpdate(42, "member", "kicked"))
	f.srv.AddUpdate(telegramtest.MyChatMemberUpdate(42, "kicked", "member"))
	group := telegramtest.MyChatMemberUpdate(42, "member", "left")
	group["my_chat_member"].(map[string]any)["chat"] = telegramtest.Chat(-100)
	f.srv.AddUpdate(group)
	f.srv.AddUpdate(map[string]any{"message_reaction": map[string]any{"chat": telegramtest.Chat(42), "message_id": 1}})
	last := f.srv.AddUpdate(map[string]any{"poll_answer": map[string]any{"poll_id": "unknown", "option_ids": []int{0}}})
	waitFor(t, "all updates confirmed", func() bool { return f.srv.Offset() == last+1 })
	evs := f.sub.events(t)
	if len(evs) != 1 || evs[0].Kind != bots.KindBlocked || evs[0].User != "tg:42" {
		t.Fatalf("events %+v, want one block of tg:42", evs)
	}
}

func TestPollingConflictRetriesSlowly(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.ConflictWait = 300 * time.Millisecond })
	f.srv.Fail("getUpdates", 1, telegramtest.Conflict())
	f.srv.Fail("getUpdates", 2, telegramtest.Conflict())
	f.run(t)
	f.srv.AddUpdate(telegramtest.TextUpdate(42, "hi"))
	waitFor(t, "the event after the conflict", func() bool { return len(f.sub.events(t)) == 1 })
	if !strings.Contains(f.logs.String(), "a webhook is set for this bot, or another process is polling") {
		t.Error("the conflict was not explained in the log")
	}
	if n := len(f.srv.Calls("deleteWebhook")); n != 0 {
		t.Errorf("deleteWebhook called %d times without DeleteWebhook", n)
	}
	c := f.srv.Calls("getUpdates")
	if gap := c[1].Time.Sub(c[0].Time); gap < 300*time.Millisecond {
		t.Errorf("retried after %v, want the conflict wait", gap)
	}
}

func TestPollingConflictDeletesWebhookWhenAllowed(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.DeleteWebhook = true })
	f.srv.Fail("getUpdates", 1, telegramtest.Conflict())
	f.run(t)
	f.srv.AddUpdate(telegramtest.TextUpdate(42, "hi"))
	waitFor(t, "the event", func() bool { return len(f.sub.events(t)) == 1 })
	if n := len(f.srv.Calls("deleteWebhook")); n != 1 {
		t.Errorf("deleteWebhook called %d times, want 1", n)
	}
}

func TestRunSetsCommandMenus(t *testing.T) {
	f := newFixture(t, func(c *Config) {
		c.Commands = map[string][]Command{
			"en": {{"lesson", "Next lesson"}, {"progress", "Your progress"}},
			"de": {{"lesson", "Nächste Lektion"}, {"progress", "Dein Fortschritt"}},
		}
	})
	f.run(t)
	waitFor(t, "7 menus", func() bool { return len(f.srv.Calls("setMyCommands")) == 7 })
	for _, c := range f.srv.Calls("setMyCommands") {
		lang := c.Params["language_code"]
		want := "Next lesson"
		if lang == "de" {
			want = "Nächste Lektion"
		}
		if !strings.Contains(c.Params["commands"], want) {
			t.Errorf("menu %q: %s", lang, c.Params["commands"])
		}
	}
}

func TestNetworkErrorsNeverShowTheToken(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.APIURL = "http://127.0.0.1:1" })
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	if err := f.a.Run(ctx); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if !strings.Contains(f.logs.String(), "getMe failed") {
		t.Fatalf("no failure logged:\n%s", f.logs.String())
	}
	// newFixture's cleanup fails the test if a log line holds the token.
}

func TestParseCommand(t *testing.T) {
	tests := []struct {
		in, name, args, target string
		ok                     bool
	}{
		{"/start", "start", "", "", true},
		{"/Help@TalentBot  me ", "help", "me", "TalentBot", true},
		{"/lesson\nnext", "lesson", "next", "", true},
		{"/5.0 (I think)", "", "", "", false},
		{"/", "", "", "", false},
		{"hello /start", "", "", "", false},
	}
	for _, tt := range tests {
		name, args, target, ok := parseCommand(tt.in)
		if name != tt.name || args != tt.args || target != tt.target || ok != tt.ok {
			t.Errorf("parseCommand(%q) = %q %q %q %v", tt.in, name, args, target, ok)
		}
	}
}

func FuzzParseCommand(f *testing.F) {
	for _, s := range []string{"/start", "/help@bot x", "/", "/ä", "/a@b@c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		name, _, _, ok := parseCommand(s)
		if ok && (name == "" || name != strings.ToLower(name) || len(name) > 32) {
			t.Errorf("parseCommand(%q) gave name %q", s, name)
		}
	})
}
