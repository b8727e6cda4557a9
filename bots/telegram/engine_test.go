package telegram_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/talentjourney/talentbot/bots"
	"github.com/talentjourney/talentbot/bots/bottest"
	"github.com/talentjourney/talentbot/bots/telegram"
	"github.com/talentjourney/talentbot/bots/telegram/telegramtest"
	"github.com/talentjourney/talentbot/store"
	"github.com/talentjourney/talentbot/store/storetest"
)

// platform drives the real engine and the Telegram adapter through the
// fake Bot API, for the conformance suite.
type platform struct {
	srv *telegramtest.Server
	st  *store.Store

	mu    sync.Mutex
	ids   map[string]int64
	msgID int
}

// newPlatform wires the engine, the adapter (long polling) and a fake.
func newPlatform(t *testing.T) *platform {
	srv := telegramtest.NewServer(t)
	st := storetest.New(t)
	log := slog.New(slog.DiscardHandler)
	eng, err := bots.New(st, bots.Config{Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	a, err := telegram.New(telegram.Config{
		Token: telegramtest.Token, APIURL: srv.URL, PollTimeout: time.Second, Logger: log,
		Rate: 1000, ChatRate: 200, ChatBurst: 50, GroupRate: 6000,
	}, eng, st)
	if err != nil {
		t.Fatal(err)
	}
	eng.AddSender(bots.Telegram, a)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { _ = eng.Run(ctx) })
	wg.Go(func() { _ = a.Run(ctx) })
	t.Cleanup(func() { cancel(); wg.Wait() })
	return &platform{srv: srv, st: st, ids: map[string]int64{}}
}

func (p *platform) id(user string) int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	if id, ok := p.ids[user]; ok {
		return id
	}
	id := int64(5000 + len(p.ids))
	p.ids[user] = id
	return id
}

func (p *platform) Send(t testing.TB, user, text string) {
	p.sendIn(user, p.id(user), text)
}

func (p *platform) sendIn(user string, chat int64, text string) {
	p.mu.Lock()
	p.msgID++
	n := p.msgID
	p.mu.Unlock()
	from := telegramtest.User(p.id(user), bottest.UserTextName, "", "en")
	p.srv.AddUpdate(map[string]any{"message": telegramtest.Message(n, from, chat, text)})
}

type button struct {
	Text         string `json:"text"`
	CallbackData string `json:"callback_data"`
}

func buttons(c telegramtest.Call) []button {
	var kb struct {
		InlineKeyboard [][]button `json:"inline_keyboard"`
	}
	_ = json.Unmarshal([]byte(c.Params["reply_markup"]), &kb)
	var out []button
	for _, row := range kb.InlineKeyboard {
		out = append(out, row...)
	}
	return out
}

// delivered returns the accepted messages to chat, in order.
func (p *platform) delivered(chat int64) []telegramtest.Call {
	var out []telegramtest.Call
	for _, c := range p.srv.Calls("sendMessage") {
		if c.Status == 200 && c.Params["chat_id"] == strconv.FormatInt(chat, 10) {
			out = append(out, c)
		}
	}
	return out
}

func (p *platform) Press(t testing.TB, user, label string) {
	t.Helper()
	msgs := p.delivered(p.id(user))
	for i := len(msgs) - 1; i >= 0; i-- {
		for _, b := range buttons(msgs[i]) {
			if b.Text == label && b.CallbackData != "" {
				p.srv.AddUpdate(telegramtest.CallbackUpdate(p.id(user), p.id(user), b.CallbackData))
				return
			}
		}
	}
	t.Fatalf("%s has no button %q", user, label)
}

func (p *platform) Received(t testing.TB, user string) []bottest.Received {
	var out []bottest.Received
	for _, c := range p.delivered(p.id(user)) {
		r := bottest.Received{Text: c.Text}
		for _, b := range buttons(c) {
			r.Buttons = append(r.Buttons, b.Text)
		}
		out = append(out, r)
	}
	return out
}

// TestConformance runs the shared suite (the learner's journey: /start,
// onboarding, /lesson, a quiz answer, /progress; ordering; user text;
// bad input) over the fake Bot API.
func TestConformance(t *testing.T) {
	bottest.Run(t, func(t *testing.T) bottest.Platform { return newPlatform(t) })
}

type storedState struct {
	Chat     string `json:"chat"`
	Inactive bool   `json:"inactive"`
}

func (p *platform) state(t *testing.T, user string) storedState {
	t.Helper()
	key := p.st.Keys.User("tg:"+strconv.FormatInt(p.id(user), 10), "state")
	raw, err := p.st.Client.Get(context.Background(), key).Bytes()
	if err != nil {
		t.Fatalf("read state: %v", err)
	}
	var s storedState
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatal(err)
	}
	return s
}

func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Case 4 through the engine: a learner who blocked the bot gets one
// attempt and is marked inactive; a my_chat_member "kicked" does the same;
// writing again makes them active.
func TestEngineBlockedLearner(t *testing.T) {
	p := newPlatform(t)
	n := bottest.Onboard(t, p, "ana")
	id := p.id("ana")
	chat := strconv.FormatInt(id, 10)
	p.srv.FailChat(chat, telegramtest.Blocked())
	before := len(p.srv.Calls("sendMessage"))
	p.Send(t, "ana", "/help")
	waitUntil(t, "inactive", func() bool { return p.state(t, "ana").Inactive })
	time.Sleep(300 * time.Millisecond)
	if tries := len(p.srv.Calls("sendMessage")) - before; tries != 1 {
		t.Errorf("%d attempts to a blocked learner, want 1", tries)
	}
	p.srv.ClearChat(chat)
	p.Send(t, "ana", "/progress")
	bottest.WaitFor(t, p, "ana", n, "Your progress")
	if p.state(t, "ana").Inactive {
		t.Error("still inactive after writing again")
	}
	p.srv.AddUpdate(telegramtest.MyChatMemberUpdate(id, "member", "kicked"))
	waitUntil(t, "inactive after my_chat_member", func() bool { return p.state(t, "ana").Inactive })
}

// Case 5 through the engine: the answer to a command in a group that
// became a supergroup reaches the new chat.
func TestEngineMigratedGroup(t *testing.T) {
	p := newPlatform(t)
	bottest.Onboard(t, p, "ana")
	p.srv.FailChat("-4001", telegramtest.Migrated(-1004001))
	p.sendIn("ana", -4001, "/help@talentjourney_test_bot")
	waitUntil(t, "the answer in the supergroup", func() bool { return len(p.delivered(-1004001)) == 1 })
	if c := p.delivered(-1004001)[0]; c.Text == "" {
		t.Error("empty answer in the supergroup")
	}
}

func TestMenuFromEngine(t *testing.T) {
	eng, err := bots.New(storetest.New(t), bots.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	menu := telegram.Menu(eng, "")
	for _, lang := range telegram.Languages {
		var names []string
		for _, c := range menu[lang] {
			if c.Description == "" || len([]rune(c.Description)) > 256 {
				t.Errorf("%s /%s: description %q", lang, c.Name, c.Description)
			}
			names = append(names, c.Name)
		}
		if !slices.Contains(names, "lesson") || !slices.Contains(names, "progress") {
			t.Errorf("%s menu %v lacks /lesson or /progress", lang, names)
		}
	}
}
