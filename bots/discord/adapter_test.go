package discord

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/talentjourney/talentbot/bots"
	"github.com/talentjourney/talentbot/bots/discord/discordtest"
)

const learner = "700000000000000001"

func guildCommand(id, cmd string) discordtest.Interaction {
	return discordtest.Interaction{ID: id, Token: "tok-" + id, GuildID: testGuild,
		ChannelID: "800000000000000001", UserID: learner, Username: "ana", Locale: "de", Command: cmd}
}

func dmCommand(id, cmd string) discordtest.Interaction {
	return discordtest.Interaction{ID: id, Token: "tok-" + id, ChannelID: discordtest.DMChannel(learner),
		UserID: learner, Username: "ana", Locale: "en-GB", Command: cmd}
}

func callbackType(c discordtest.Call) (int, int) {
	m := c.JSON()
	typ, _ := m["type"].(float64)
	flags := 0.0
	if d, ok := m["data"].(map[string]any); ok {
		flags, _ = d["flags"].(float64)
	}
	return int(typ), int(flags)
}

func flagsOf(c discordtest.Call) int {
	f, _ := c.JSON()["flags"].(float64)
	return int(f)
}

// Case 1: a learner whose direct messages are closed asks for /lesson in a
// server: one attempt at the DM (50007), an ephemeral note, no retry.
func TestLessonInServerWithClosedDMsGetsEphemeralNote(t *testing.T) {
	h := start(t, func(ev bots.Event) []bots.Message {
		return []bots.Message{{ID: "m1", Kind: bots.KindLesson, Private: true, Text: text("MQTT in five minutes")}}
	}, 0)
	dmPath := "/channels/" + discordtest.DMChannel(learner) + "/messages"
	fake.Fail(discordtest.Fault{Method: http.MethodPost, PathContains: dmPath, Status: 403, Code: 50007})

	if err := fake.Interact(testApp, guildCommand("900000000000000001", "lesson")); err != nil {
		t.Fatal(err)
	}
	if err := h.sendResult(t); bots.SendErrorKindOf(err) != bots.ErrUnreachable {
		t.Fatalf("Send = %v, want kind %q", err, bots.ErrUnreachable)
	}
	notes := fake.WaitCalls("/webhooks/"+testApp+"/tok-900000000000000001", 1, 3*time.Second)
	if len(notes) != 1 || flagsOf(notes[0]) != 64 || !strings.Contains(notes[0].Content(), "Privatsphäre") {
		t.Fatalf("want one ephemeral German note on allowing DMs, got %d calls: %+v", len(notes), notes)
	}
	time.Sleep(300 * time.Millisecond)
	if got := fake.Calls(dmPath); len(got) != 1 {
		t.Fatalf("DM attempts = %d, want exactly 1", len(got))
	}
	mark, _ := h.st.Client.Get(context.Background(), h.st.Keys.User("dc:"+learner, "dc:dmclosed")).Result()
	if mark == "" {
		t.Fatal("the learner is not remembered as unreachable by DM")
	}

	// A reminder later is not even tried while the DMs stay closed.
	err := h.a.Send(context.Background(), bots.Message{ID: "m2", Platform: "dc", User: "dc:" + learner,
		Kind: bots.KindReminder, Private: true, Text: text("Time for a lesson")})
	if bots.SendErrorKindOf(err) != bots.ErrUnreachable || len(fake.Calls(dmPath)) != 1 {
		t.Fatalf("reminder: err %v, DM attempts %d; want unreachable without a request", err, len(fake.Calls(dmPath)))
	}
}

// Case 2: engine work of 4 seconds: the deferred acknowledgement comes
// within 3 seconds, the answer after, as the follow-up.
func TestSlowEngineIsDeferredThenFollowedUp(t *testing.T) {
	h := start(t, func(ev bots.Event) []bots.Message {
		return []bots.Message{{ID: "p1", Private: true, Text: text("Lessons done: 3")}}
	}, 4*time.Second)

	sent := time.Now()
	if err := fake.Interact(testApp, guildCommand("900000000000000002", "progress")); err != nil {
		t.Fatal(err)
	}
	acks := fake.WaitCalls("/interactions/900000000000000002/", 1, 3*time.Second)
	if len(acks) != 1 {
		t.Fatal("no acknowledgement within 3 seconds")
	}
	if typ, flags := callbackType(acks[0]); typ != 5 || flags != 64 {
		t.Fatalf("ack type %d flags %d, want deferred (5) ephemeral (64)", typ, flags)
	}
	if d := acks[0].At.Sub(sent); d > 3*time.Second {
		t.Fatalf("acknowledged after %v", d)
	}
	if err := h.sendResult(t); err != nil {
		t.Fatal(err)
	}
	ups := fake.Calls("/webhooks/" + testApp + "/tok-900000000000000002")
	if len(ups) != 1 || ups[0].Content() != "Lessons done: 3" || flagsOf(ups[0]) != 64 {
		t.Fatalf("follow-ups = %+v, want the ephemeral answer", ups)
	}
	if d := ups[0].At.Sub(sent); d < 4*time.Second {
		t.Fatalf("follow-up after %v, before the engine finished", d)
	}
	if ev := h.sub.stored(t, "dc:"+learner); len(ev) != 1 || ev[0].Command != "progress" || !ev[0].Group {
		t.Fatalf("stored events = %+v", ev)
	}
}

// Case 3: a 2,500-character lesson arrives as 2 messages of at most 2000
// characters whose texts joined are the original.
func TestLongLessonArrivesInTwoParts(t *testing.T) {
	var b strings.Builder
	for i := 0; b.Len() < 2500; i++ {
		b.WriteString("Sensors publish readings to a broker and subscribers receive them.\n")
	}
	lesson := b.String()[:2500]
	h := start(t, func(ev bots.Event) []bots.Message {
		return []bots.Message{{ID: "l1", Kind: bots.KindLesson, Private: true, Text: text(lesson)}}
	}, 0)

	if err := fake.Interact(testApp, dmCommand("900000000000000003", "lesson")); err != nil {
		t.Fatal(err)
	}
	if err := h.sendResult(t); err != nil {
		t.Fatal(err)
	}
	parts := fake.Calls("/webhooks/" + testApp + "/tok-900000000000000003")
	if len(parts) != 2 {
		t.Fatalf("got %d messages, want 2", len(parts))
	}
	joined := ""
	for _, p := range parts {
		if n := u16len(p.Content()); n > 2000 {
			t.Fatalf("a part has %d characters", n)
		}
		joined += p.Content()
	}
	if joined != lesson {
		t.Fatal("the parts joined are not the lesson")
	}
	if !strings.HasSuffix(parts[0].Content(), "\n") {
		t.Fatal("the first part does not end at a line end")
	}
}

// Case 4: a button pressed in a direct message (no member): no panic, the
// right answer, not ephemeral.
func TestButtonInDirectMessage(t *testing.T) {
	h := start(t, func(ev bots.Event) []bots.Message {
		if ev.Kind == bots.KindButton && ev.Data == "quiz:q1:b" {
			return []bots.Message{{ID: "a1", Text: text("Right! QoS 1 delivers at least once.")}}
		}
		return []bots.Message{{ID: "a1", Text: text("unexpected")}}
	}, 0)
	press := discordtest.Interaction{ID: "900000000000000004", Token: "tok-900000000000000004",
		ChannelID: discordtest.DMChannel(learner), UserID: learner, Username: "ana", CustomID: "1.quiz:q1:b"}
	if err := fake.Interact(testApp, press); err != nil {
		t.Fatal(err)
	}
	if err := h.sendResult(t); err != nil {
		t.Fatal(err)
	}
	acks := fake.Calls("/interactions/900000000000000004/")
	if len(acks) != 1 {
		t.Fatalf("acks = %d", len(acks))
	}
	if typ, _ := callbackType(acks[0]); typ != 6 {
		t.Fatalf("ack type %d, want deferred update (6)", typ)
	}
	ups := fake.Calls("/webhooks/" + testApp + "/tok-900000000000000004")
	if len(ups) != 1 || ups[0].Content() != "Right! QoS 1 delivers at least once." {
		t.Fatalf("follow-ups = %+v", ups)
	}
	if flagsOf(ups[0]) != 0 {
		t.Fatal("an answer in a DM is marked ephemeral")
	}
	ev := h.sub.stored(t, "dc:"+learner)
	if len(ev) != 1 || ev[0].Group || ev[0].ID != "dc:i:900000000000000004" {
		t.Fatalf("stored = %+v", ev)
	}
}

// An interaction in a server has a member and no top-level user; one in a
// DM the other way round. Both become the same user key.
func TestInteractionShapes(t *testing.T) {
	h := start(t, nil, 0)
	if err := fake.Interact(testApp, guildCommand("900000000000000005", "help")); err != nil {
		t.Fatal(err)
	}
	dm := dmCommand("900000000000000006", "start")
	dm.Args = "CODE-7"
	if err := fake.Interact(testApp, dm); err != nil {
		t.Fatal(err)
	}
	acks := fake.WaitCalls("/interactions/", 2, 3*time.Second)
	if len(acks) != 2 {
		t.Fatalf("acks = %d", len(acks))
	}
	ev := h.sub.stored(t, "dc:"+learner)
	if len(ev) != 2 {
		t.Fatalf("stored %d events", len(ev))
	}
	g, d := ev[0], ev[1]
	if !g.Group || g.Command != "help" || g.Locale != "de" || g.Chat != "800000000000000001" || g.Name != "ana" {
		t.Fatalf("server event = %+v", g)
	}
	if d.Group || d.Command != "start" || d.Args != "CODE-7" || d.Chat != discordtest.DMChannel(learner) {
		t.Fatalf("DM event = %+v", d)
	}
	for _, c := range acks {
		typ, flags := callbackType(c)
		wantFlags := 0
		if strings.Contains(c.Path, "900000000000000005") {
			wantFlags = 64
		}
		if typ != 5 || flags != wantFlags {
			t.Fatalf("%s: type %d flags %d, want 5 and %d", c.Path, typ, flags, wantFlags)
		}
	}
}

// A message typed in a DM arrives as text, a typed "/progress" as a command.
func TestDirectMessagesBecomeEvents(t *testing.T) {
	h := start(t, nil, 0)
	if err := fake.DirectMessage("910000000000000001", learner, "ana", "Ljubljana"); err != nil {
		t.Fatal(err)
	}
	if err := fake.DirectMessage("910000000000000002", learner, "ana", "/Progress now"); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(3 * time.Second)
	for len(h.sub.stored(t, "dc:"+learner)) < 2 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	ev := h.sub.stored(t, "dc:"+learner)
	if len(ev) != 2 {
		t.Fatalf("stored %d events", len(ev))
	}
	if ev[0].Kind != bots.KindText || ev[0].Text != "Ljubljana" || ev[0].ID != "dc:m:910000000000000001" {
		t.Fatalf("text event = %+v", ev[0])
	}
	if ev[1].Kind != bots.KindCommand || ev[1].Command != "progress" || ev[1].Args != "now" {
		t.Fatalf("command event = %+v", ev[1])
	}
}

// The gateway is opened with guilds and direct messages only, and the
// commands are registered in the guild with their translations.
func TestIdentifyAndRegistration(t *testing.T) {
	start(t, nil, 0)
	ids := fake.Identified()
	d := ids[len(ids)-1]
	if got := int(d["intents"].(float64)); got != 1|1<<12 {
		t.Fatalf("intents = %d, want %d (guilds + direct messages)", got, 1|1<<12)
	}
	if d["token"] != "Bot "+testToken {
		t.Fatal("identify does not carry the bot token")
	}
	puts := fake.Calls("/applications/" + testApp + "/guilds/" + testGuild + "/commands")
	if len(puts) != 1 || puts[0].Method != http.MethodPut {
		t.Fatalf("registration calls = %+v", puts)
	}
	body := string(puts[0].Body)
	for _, want := range []string{`"name":"lesson"`, `"de":"lektion"`, `"fi":"oppitunti"`, `"it":"lezione"`,
		`"en-GB":"lesson"`, `"en-US":"lesson"`} {
		if !strings.Contains(body, want) {
			t.Errorf("registration lacks %s", want)
		}
	}
}

// 429: retry_after is honoured a bounded number of times.
func TestRateLimitRetriesAreBounded(t *testing.T) {
	h := start(t, nil, 0)
	ch := "810000000000000001"
	path := "/channels/" + ch + "/messages"
	m := bots.Message{ID: "r1", Platform: "dc", User: "dc:" + learner, Chat: ch, Text: text("hello")}

	fake.Fail(discordtest.Fault{PathContains: path, Status: 429, RetryAfter: 0.05, Times: 1})
	if err := h.a.Send(context.Background(), m); err != nil {
		t.Fatalf("after one 429: %v", err)
	}
	if n := len(fake.Calls(path)); n != 2 {
		t.Fatalf("requests = %d, want 2", n)
	}

	fake.Reset()
	fake.Fail(discordtest.Fault{PathContains: path, Status: 429, RetryAfter: 0.05})
	err := h.a.Send(context.Background(), m)
	if bots.SendErrorKindOf(err) != bots.ErrRateLimited {
		t.Fatalf("always 429: %v, want rate_limited", err)
	}
	if n := len(fake.Calls(path)); n != 4 {
		t.Fatalf("requests = %d, want 1 + 3 retries", n)
	}
}

// A channel that answered 403 is not tried again for a while.
func TestForbiddenChannelIsNotRetried(t *testing.T) {
	h := start(t, nil, 0)
	ch := "810000000000000002"
	path := "/channels/" + ch + "/messages"
	fake.Fail(discordtest.Fault{PathContains: path, Status: 403, Code: 50001})
	m := bots.Message{ID: "f1", Platform: "dc", User: "dc:" + learner, Chat: ch, Text: text("hello")}
	for range 3 {
		if err := h.a.Send(context.Background(), m); bots.SendErrorKindOf(err) != bots.ErrUnreachable {
			t.Fatalf("Send = %v", err)
		}
	}
	if n := len(fake.Calls(path)); n != 1 {
		t.Fatalf("requests = %d, want 1", n)
	}
}

// A lesson asked for in a server goes to DMs, with an ephemeral pointer.
func TestLessonInServerGoesToDM(t *testing.T) {
	h := start(t, func(ev bots.Event) []bots.Message {
		return []bots.Message{
			{ID: "l1", Kind: bots.KindLesson, Private: true, Text: text("What is MQTT?")},
			{ID: "l2", Private: true, Text: text("Quiz"), Quiz: &bots.Quiz{Question: "Quiz"},
				Buttons: [][]bots.Button{{{Label: "A", Data: "quiz:1:a"}, {Label: "B", Data: "quiz:1:b"}}}},
		}
	}, 0)
	if err := fake.Interact(testApp, guildCommand("900000000000000007", "lesson")); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := h.sendResult(t); err != nil {
			t.Fatal(err)
		}
	}
	dms := fake.Calls("/channels/" + discordtest.DMChannel(learner) + "/messages")
	if len(dms) != 2 || dms[0].Content() != "What is MQTT?" || !strings.Contains(string(dms[1].Body), `"custom_id":"1.quiz:1:b"`) {
		t.Fatalf("DMs = %+v", dms)
	}
	notes := fake.Calls("/webhooks/" + testApp + "/tok-900000000000000007")
	if len(notes) != 1 || flagsOf(notes[0]) != 64 || !strings.Contains(notes[0].Content(), "Direktnachricht") {
		t.Fatalf("notes = %+v", notes)
	}
}

// discordgo's log never carries tokens or payload text.
func TestDiscordgoLogIsRedacted(t *testing.T) {
	h := start(t, nil, 0)
	logDiscordgo(1, 0, "unknown Op: %d, Data: %s, err %s", 7, "secret lesson text",
		&urlError{"Post https://x/api/v9/webhooks/1/aW50ZXJhY3Rpb24 " + testToken})
	out := h.log.String()
	for _, bad := range []string{"secret lesson text", "aW50ZXJhY3Rpb24", testToken} {
		if strings.Contains(out, bad) {
			t.Fatalf("log carries %q: %s", bad, out)
		}
	}
	if !strings.Contains(out, "unknown Op: 7") {
		t.Fatalf("log lost the record: %s", out)
	}
}

type urlError struct{ s string }

func (e *urlError) Error() string { return e.s }
