package discord

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/talentjourney/talentbot/bots"
	"github.com/talentjourney/talentbot/bots/bottest"
	"github.com/talentjourney/talentbot/bots/discord/discordtest"
	"github.com/talentjourney/talentbot/store/storetest"
)

// The shared conformance suite (journey, ordering, user text, bad input)
// over the fake Discord with the real engine: once in direct messages, once
// in a server, where replies are ephemeral and lessons go to DMs.
func TestConformanceDirectMessages(t *testing.T) {
	bottest.Run(t, func(t *testing.T) bottest.Platform { return newPlatform(t, false) })
}

func TestConformanceServer(t *testing.T) {
	bottest.Run(t, func(t *testing.T) bottest.Platform { return newPlatform(t, true) })
}

// The learner's journey in a server: /start and /progress answered
// ephemerally there, the lesson and its quiz in direct messages.
func TestLearnerJourneyInServer(t *testing.T) {
	p := newPlatform(t, true)
	n := bottest.Onboard(t, p, "ana")
	// Onboarding starts in the server; the typed city goes to the DM (the
	// bot does not read server channels), and the dialogue goes on there.
	if m := p.received("ana")[0]; !m.guild || !m.ephemeral {
		t.Fatalf("the answer to /start: server %v, ephemeral %v", m.guild, m.ephemeral)
	}
	p.Send(t, "ana", "/lesson")
	q := bottest.WaitFor(t, p, "ana", n, "Quiz: question 1")
	bottest.WaitFor(t, p, "ana", n, "I sent it to you in a direct message.")
	got := p.received("ana")
	if got[n].guild || got[q].guild {
		t.Fatal("the lesson or its quiz did not go to direct messages")
	}
	p.Press(t, "ana", got[q].Buttons[0])
	f := bottest.WaitFor(t, p, "ana", q+1, "")
	if m := p.received("ana")[f]; m.guild || m.ephemeral {
		t.Fatal("quiz feedback left the DM")
	}
	p.Send(t, "ana", "/progress")
	i := bottest.WaitFor(t, p, "ana", f+1, "Your progress")
	if m := p.received("ana")[i]; !m.guild || !m.ephemeral {
		t.Fatalf("progress: server %v, ephemeral %v; want an ephemeral reply in the server", m.guild, m.ephemeral)
	}
}

var interactionIDs atomic.Int64

// platform drives the adapter through the fake Discord as people would:
// registered commands as slash commands, other text typed in the DM,
// buttons pressed where their message is.
type platform struct {
	guild bool

	mu     sync.Mutex
	ids    map[string]string // name -> Discord user id
	tokens map[string]madeBy // interaction token -> who made it, where
}

type madeBy struct {
	user  string
	guild bool
}

// dcMessage is a message a user received, with where it was.
type dcMessage struct {
	bottest.Received
	customIDs []string
	guild     bool
	ephemeral bool
}

func newPlatform(t *testing.T, guild bool) *platform {
	fake.Reset()
	st := storetest.New(t)
	log := slog.New(slog.DiscardHandler)
	eng, err := bots.New(st, bots.Config{Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	a, err := New(Config{Token: testToken, AppID: testApp, APIURL: fake.URL, Logger: log}, eng, st)
	if err != nil {
		t.Fatal(err)
	}
	eng.AddSender(bots.Discord, a)

	before := len(fake.Identified())
	ctx, cancel := context.WithCancel(context.Background())
	engDone := make(chan struct{})
	go func() { defer close(engDone); eng.Run(ctx) }()
	go a.Run(ctx)
	t.Cleanup(func() {
		cancel()
		<-engDone
		fake.WaitConns(0, 3*time.Second) // see start
	})
	for deadline := time.Now().Add(5 * time.Second); len(fake.Identified()) == before; {
		if time.Now().After(deadline) {
			t.Fatal("the adapter did not connect")
		}
		time.Sleep(2 * time.Millisecond)
	}
	time.Sleep(20 * time.Millisecond)
	return &platform{guild: guild, ids: map[string]string{}, tokens: map[string]madeBy{}}
}

func (p *platform) userID(name string) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	id, ok := p.ids[name]
	if !ok {
		id = fmt.Sprintf("72%016d", len(p.ids)+1)
		p.ids[name] = id
	}
	return id
}

func (p *platform) interact(t testing.TB, name string, guild bool, i discordtest.Interaction) {
	t.Helper()
	i.ID = fmt.Sprint(960000000000000000 + interactionIDs.Add(1))
	i.Token = "tok-" + i.ID
	i.UserID, i.Username, i.Locale = p.userID(name), bottest.UserTextName, "en-GB"
	i.ChannelID = discordtest.DMChannel(i.UserID)
	if guild {
		i.GuildID, i.ChannelID = testGuild, "800000000000000009"
	}
	p.mu.Lock()
	p.tokens[i.Token] = madeBy{user: name, guild: guild}
	p.mu.Unlock()
	if err := fake.Interact(testApp, i); err != nil {
		t.Fatal(err)
	}
}

// Send runs a registered command as a slash command (where the platform
// is); anything else is typed in the DM with the bot.
func (p *platform) Send(t testing.TB, user, text string) {
	t.Helper()
	name, args, isCmd := parseCommand(text)
	for _, c := range DefaultCommands() {
		if isCmd && c.Name == name && (args == "" || c.Args) {
			p.interact(t, user, p.guild, discordtest.Interaction{Command: name, Args: args})
			return
		}
	}
	id := fmt.Sprint(970000000000000000 + interactionIDs.Add(1))
	if err := fake.DirectMessage(id, p.userID(user), bottest.UserTextName, text); err != nil {
		t.Fatal(err)
	}
}

func (p *platform) Press(t testing.TB, user, label string) {
	t.Helper()
	got := p.received(user)
	for i := len(got) - 1; i >= 0; i-- {
		for j, l := range got[i].Buttons {
			if l == label && got[i].customIDs[j] != "" {
				p.interact(t, user, got[i].guild, discordtest.Interaction{CustomID: got[i].customIDs[j]})
				return
			}
		}
	}
	t.Fatalf("%s has no button %q", user, label)
}

func (p *platform) Received(t testing.TB, user string) []bottest.Received {
	var out []bottest.Received
	for _, m := range p.received(user) {
		out = append(out, m.Received)
	}
	return out
}

// received reads what the fake recorded for user: follow-ups of the user's
// interactions and messages in the user's DM channel.
func (p *platform) received(user string) []dcMessage {
	dm := "/channels/" + discordtest.DMChannel(p.userID(user)) + "/messages"
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []dcMessage
	for _, c := range fake.Calls("") {
		var guild bool
		switch {
		case c.Method == "POST" && c.Path == dm:
		case c.Method == "POST" && strings.HasPrefix(c.Path, "/webhooks/"+testApp+"/"):
			by, ok := p.tokens[strings.TrimPrefix(c.Path, "/webhooks/"+testApp+"/")]
			if !ok || by.user != user {
				continue
			}
			guild = by.guild
		default:
			continue
		}
		out = append(out, parseSent(c, guild))
	}
	return out
}

func parseSent(c discordtest.Call, guild bool) dcMessage {
	var body struct {
		Flags      int    `json:"flags"`
		Content    string `json:"content"`
		Components []struct {
			Components []struct {
				Label    string `json:"label"`
				CustomID string `json:"custom_id"`
			} `json:"components"`
		} `json:"components"`
	}
	_ = json.Unmarshal(c.Body, &body)
	m := dcMessage{Received: bottest.Received{Text: readable(body.Content)}, guild: guild,
		ephemeral: body.Flags&64 != 0}
	for _, row := range body.Components {
		for _, b := range row.Components {
			m.Buttons = append(m.Buttons, b.Label)
			m.customIDs = append(m.customIDs, b.CustomID)
		}
	}
	return m
}

// readable is Discord markdown as a reader sees it: escapes resolved,
// emphasis and code marks and link targets removed.
func readable(md string) string {
	var b strings.Builder
	for i := 0; i < len(md); i++ {
		c := md[i]
		switch {
		case c == '\\' && i+1 < len(md) && strings.IndexByte(escapable, md[i+1]) >= 0:
			b.WriteByte(md[i+1])
			i++
		case c == '*' || c == '_' || c == '`' || c == '[':
		case strings.HasPrefix(md[i:], "](<"):
			end := strings.Index(md[i:], ">)")
			i += end + 1
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// Menu takes the engine's commands and descriptions, and the registration
// carries them.
func TestMenuFromEngine(t *testing.T) {
	eng, err := bots.New(storetest.New(t), bots.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	menu := Menu(eng, "")
	byName := map[string]Command{}
	for _, c := range menu {
		byName[c.Name] = c
		if c.Description == "" || len([]rune(c.Description)) > maxDescription {
			t.Errorf("/%s: description %q", c.Name, c.Description)
		}
	}
	lesson, ok := byName["lesson"]
	if !ok || lesson.Names["de"] != "lektion" || !lesson.Args {
		t.Fatalf("/lesson in the menu = %+v", lesson)
	}
	if lesson.Descriptions["de"] == lesson.Descriptions["en"] {
		t.Errorf("/lesson has no German description: %q", lesson.Descriptions["de"])
	}
}
