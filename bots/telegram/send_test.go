package telegram

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/rivo/uniseg"
	"github.com/talentjourney/talentbot/bots"
	"github.com/talentjourney/talentbot/bots/telegram/telegramtest"
)

// Case 1: a reply quoting a learner's name and answer is accepted at the
// first attempt and shows exactly what they typed.
func TestSendQuotesUserTextUnchanged(t *testing.T) {
	f := newFixture(t, nil)
	name, answer := "Mary-Jane O'Neil (Kate_99)!", "5.0 (I think)"
	m := plainMessage("42", "")
	m.Text = bots.Text{{Text: "Thanks, "}, {Text: name, Style: bots.Bold}, {Text: ". You answered "},
		{Text: answer, Style: bots.Code}, {Text: " <b>not bold</b> & [not a link](x)"}}
	if err := f.a.Send(context.Background(), m); err != nil {
		t.Fatalf("Send: %v", err)
	}
	calls := f.srv.Calls("sendMessage")
	if len(calls) != 1 || calls[0].Status != 200 {
		t.Fatalf("want one accepted sendMessage, got %+v", calls)
	}
	if calls[0].Text != m.Text.Plain() {
		t.Errorf("user sees %q, want %q", calls[0].Text, m.Text.Plain())
	}
	if !strings.Contains(calls[0].Params["text"], "<b>"+name+"</b>") {
		t.Errorf("name not in bold: %q", calls[0].Params["text"])
	}
}

func TestRenderHTML(t *testing.T) {
	tests := []struct {
		name string
		in   bots.Text
		want string
	}{
		{"escapes", bots.Text{{Text: "a<b>&c"}}, "a&lt;b&gt;&amp;c"},
		{"bold italic", bots.Text{{Text: "x", Style: bots.Bold | bots.Italic}}, "<b><i>x</i></b>"},
		{"code drops bold", bots.Text{{Text: "<x>", Style: bots.Code | bots.Bold}}, "<code>&lt;x&gt;</code>"},
		{"link", bots.Text{{Text: "docs & more", URL: `https://e.org/?a=1&b="2"`}},
			`<a href="https://e.org/?a=1&amp;b=&quot;2&quot;">docs &amp; more</a>`},
		{"bold link", bots.Text{{Text: "go", Style: bots.Bold, URL: "https://e.org"}}, `<a href="https://e.org"><b>go</b></a>`},
		{"unsafe link is text", bots.Text{{Text: "x", URL: "javascript:alert(1)"}}, "x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := renderHTML(tt.in)
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			plain, err := telegramtest.ParseHTML(got)
			if err != nil || plain != tt.in.Plain() {
				t.Errorf("Telegram would see %q (%v), want %q", plain, err, tt.in.Plain())
			}
		})
	}
}

// devanagari returns n code points of Devanagari text without spaces, so
// that only grapheme clusters can be cut between.
func devanagari(n int) string {
	word := []rune("क्षत्रियों") // conjuncts, virama, vowel signs, anusvara
	out := make([]rune, 0, n)
	for len(out) < n {
		out = append(out, word[len(out)%len(word)])
	}
	return string(out)
}

// clusterBounds returns the byte offsets where s's grapheme clusters end.
func clusterBounds(s string) map[int]bool {
	b := map[int]bool{0: true}
	g := uniseg.NewGraphemes(s)
	for g.Next() {
		_, to := g.Positions()
		b[to] = true
	}
	return b
}

// Case 2: 4,500 Devanagari characters arrive as exactly two messages within
// Telegram's limit, cut between grapheme clusters, joined to the original.
func TestSendSplitsDevanagari(t *testing.T) {
	f := newFixture(t, nil)
	body := devanagari(4500)
	if err := f.a.Send(context.Background(), plainMessage("42", body)); err != nil {
		t.Fatalf("Send: %v", err)
	}
	calls := f.srv.Calls("sendMessage")
	if len(calls) != 2 {
		t.Fatalf("want 2 messages, got %d", len(calls))
	}
	joined := ""
	for _, c := range calls {
		if c.Status != 200 || telegramtest.UTF16Len(c.Text) > 4096 {
			t.Errorf("part refused or too long: status %d, %d units", c.Status, telegramtest.UTF16Len(c.Text))
		}
		joined += c.Text
	}
	if joined != body {
		t.Fatal("parts joined differ from the original")
	}
	if cut := len(calls[0].Text); !clusterBounds(body)[cut] {
		t.Errorf("cut at byte %d is inside a grapheme cluster", cut)
	}
}

func TestSplitPrefersParagraphThenLine(t *testing.T) {
	para := strings.Repeat("a", 3000) + "\n\n" + strings.Repeat("b", 500) + "\n" + strings.Repeat("c", 2000)
	parts := splitText(bots.Text{{Text: para}}, maxMessage)
	if len(parts) != 2 || parts[0].Plain() != strings.Repeat("a", 3000)+"\n\n" {
		t.Errorf("not cut at the paragraph: first part has %d bytes", len(parts[0].Plain()))
	}
	lines := strings.Repeat("a", 3000) + "\n" + strings.Repeat("b", 2000)
	parts = splitText(bots.Text{{Text: lines}}, maxMessage)
	if len(parts) != 2 || parts[1].Plain() != strings.Repeat("b", 2000) {
		t.Errorf("not cut at the line break")
	}
}

func TestSplitNeverCutsEmojiSequences(t *testing.T) {
	family := "👨‍👩‍👧‍👦" // 11 UTF-16 units, one cluster
	body := strings.Repeat(family, 1000)
	parts := splitText(bots.Text{{Text: body}}, maxMessage)
	joined := ""
	for _, p := range parts {
		if n := utf16Len(p.Plain()); n > maxMessage {
			t.Errorf("part of %d units", n)
		}
		if !strings.HasPrefix(p.Plain(), family) || !strings.HasSuffix(p.Plain(), family) {
			t.Error("a part starts or ends inside an emoji sequence")
		}
		joined += p.Plain()
	}
	if joined != body || len(parts) != 3 {
		t.Errorf("got %d parts, joined equal: %v", len(parts), joined == body)
	}
}

func TestSplitReopensFormatting(t *testing.T) {
	f := newFixture(t, nil)
	m := plainMessage("42", "")
	m.Text = bots.Text{{Text: "intro "}, {Text: strings.Repeat("bold words ", 500), Style: bots.Bold}, {Text: " end"}}
	if err := f.a.Send(context.Background(), m); err != nil {
		t.Fatalf("Send: %v", err)
	}
	calls := f.srv.Calls("sendMessage")
	if len(calls) != 2 {
		t.Fatalf("want 2 parts, got %d", len(calls))
	}
	if !strings.HasSuffix(calls[0].Params["text"], "</b>") || !strings.HasPrefix(calls[1].Params["text"], "<b>") {
		t.Errorf("bold not closed and reopened at the cut")
	}
	if calls[0].Text+calls[1].Text != m.Text.Plain() {
		t.Error("parts joined differ from the original")
	}
}

func TestSendButtonsAndLongPayloads(t *testing.T) {
	f := newFixture(t, nil)
	long := "quiz:answer:" + strings.Repeat("ž", 40) // 92 bytes
	m := plainMessage("42", "Pick one")
	m.Buttons = [][]bots.Button{{{Label: "A", Data: "a"}, {Label: "Long", Data: long}}, {{Label: "Site", URL: "https://e.org"}}}
	if err := f.a.Send(context.Background(), m); err != nil {
		t.Fatalf("Send: %v", err)
	}
	var kb struct {
		InlineKeyboard [][]struct {
			Text         string `json:"text"`
			CallbackData string `json:"callback_data"`
			URL          string `json:"url"`
		} `json:"inline_keyboard"`
	}
	calls := f.srv.Calls("sendMessage")
	if err := json.Unmarshal([]byte(calls[0].Params["reply_markup"]), &kb); err != nil {
		t.Fatalf("reply_markup: %v", err)
	}
	if len(kb.InlineKeyboard) != 2 || kb.InlineKeyboard[0][0].CallbackData != "a" || kb.InlineKeyboard[1][0].URL != "https://e.org" {
		t.Fatalf("keyboard: %+v", kb)
	}
	short := kb.InlineKeyboard[0][1].CallbackData
	if len(short) > 64 || short == long {
		t.Fatalf("long payload sent as %q", short)
	}

	// Pressing the button brings the original payload back.
	f.run(t)
	f.srv.AddUpdate(telegramtest.CallbackUpdate(42, 42, short))
	waitFor(t, "the button event", func() bool { return len(f.sub.events(t)) == 1 })
	if ev := f.sub.events(t)[0]; ev.Kind != bots.KindButton || ev.Data != long || ev.User != "tg:42" {
		t.Errorf("event %+v", ev)
	}
	waitFor(t, "answerCallbackQuery", func() bool { return len(f.srv.Calls("answerCallbackQuery")) == 1 })
}

func quizMessage(chat string) bots.Message {
	m := plainMessage(chat, "Which protocol publishes to topics?")
	m.Quiz = &bots.Quiz{Question: "Which protocol publishes to topics?", Options: []string{"MQTT", "FTP"},
		OptionData: []string{"q:1:0", "q:1:1"}, Correct: 0, Explanation: "MQTT is publish/subscribe."}
	m.Buttons = [][]bots.Button{{{Label: "MQTT", Data: "q:1:0"}, {Label: "FTP", Data: "q:1:1"}}, {{Label: "Skip", Data: "skip"}}}
	return m
}

func TestSendQuizPoll(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.QuizPolls = true })
	if err := f.a.Send(context.Background(), quizMessage("42")); err != nil {
		t.Fatalf("Send: %v", err)
	}
	polls := f.srv.Calls("sendPoll")
	if len(polls) != 1 || polls[0].Params["type"] != "quiz" || polls[0].Params["correct_option_id"] != "0" ||
		polls[0].Params["is_anonymous"] != "false" {
		t.Fatalf("sendPoll calls: %+v", polls)
	}
	if strings.Contains(polls[0].Params["reply_markup"], "q:1:") || !strings.Contains(polls[0].Params["reply_markup"], "skip") {
		t.Errorf("poll keyboard should keep Skip only: %s", polls[0].Params["reply_markup"])
	}
	f.run(t)
	f.srv.AddUpdate(telegramtest.PollAnswerUpdate(42, "poll1", 1))
	waitFor(t, "the poll answer", func() bool { return len(f.sub.events(t)) == 1 })
	if ev := f.sub.events(t)[0]; ev.Kind != bots.KindPollAnswer || ev.Data != "q:1:1" || ev.Chat != "42" {
		t.Errorf("event %+v", ev)
	}
}

func TestSendQuizTooLongUsesButtons(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.QuizPolls = true })
	m := quizMessage("42")
	m.Quiz.Options[1] = strings.Repeat("x", 101)
	if err := f.a.Send(context.Background(), m); err != nil {
		t.Fatalf("Send: %v", err)
	}
	if n := len(f.srv.Calls("sendPoll")); n != 0 {
		t.Errorf("%d polls for a quiz that does not fit", n)
	}
	if c := f.srv.Calls("sendMessage"); len(c) != 1 || !strings.Contains(c[0].Params["reply_markup"], "q:1:1") {
		t.Errorf("quiz buttons missing: %+v", c)
	}
}

func TestSendPrivateInGroupGivesDeepLink(t *testing.T) {
	f := newFixture(t, nil)
	m := plainMessage("-100777", "Your progress: 3 lessons")
	m.User, m.Private = "tg:42", true
	if err := f.a.Send(context.Background(), m); err != nil {
		t.Fatalf("Send: %v", err)
	}
	calls := f.srv.Calls("sendMessage")
	if len(calls) != 2 || calls[0].Params["chat_id"] != "42" || calls[0].Text != "Your progress: 3 lessons" {
		t.Fatalf("private copy: %+v", calls)
	}
	if calls[1].Params["chat_id"] != "-100777" || strings.Contains(calls[1].Text, "progress") ||
		!strings.Contains(calls[1].Params["reply_markup"], "https://t.me/talentjourney_test_bot?start=private") {
		t.Errorf("group note: %+v", calls[1])
	}
}

func TestPaidBroadcastOnlyWhenConfigured(t *testing.T) {
	for _, paid := range []bool{false, true} {
		f := newFixture(t, func(c *Config) { c.PaidBroadcast = paid })
		m := plainMessage("42", "News")
		m.Kind = bots.KindBroadcast
		if err := f.a.Send(context.Background(), m); err != nil {
			t.Fatal(err)
		}
		m.Kind = bots.KindReply
		if err := f.a.Send(context.Background(), m); err != nil {
			t.Fatal(err)
		}
		c := f.srv.Calls("sendMessage")
		if got := c[0].Params["allow_paid_broadcast"] == "true"; got != paid {
			t.Errorf("PaidBroadcast %v: broadcast allow_paid_broadcast %v", paid, got)
		}
		if c[1].Params["allow_paid_broadcast"] != "" {
			t.Errorf("a reply asked for a paid broadcast")
		}
	}
}

func TestMultiPartResendSkipsSentParts(t *testing.T) {
	f := newFixture(t, nil)
	f.srv.Fail("sendMessage", 2, telegramtest.Fault{Code: 400, Description: "Bad Request: something odd"})
	m := plainMessage("42", devanagari(4500))
	if err := f.a.Send(context.Background(), m); bots.SendErrorKindOf(err) != bots.ErrInvalid {
		t.Fatalf("want invalid, got %v", err)
	}
	if err := f.a.Send(context.Background(), m); err != nil {
		t.Fatalf("resend: %v", err)
	}
	calls := f.srv.Calls("sendMessage")
	if len(calls) != 3 || calls[2].Text != calls[1].Params["text"] {
		t.Errorf("want part 1, failed part 2, part 2 again; got %d calls", len(calls))
	}
}
