package discord

import (
	"context"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/talentjourney/talentbot/bots"
)

// ackWindow is how long a send waits for its interaction's deferred
// acknowledgement (Discord allows 3 seconds for it).
const ackWindow = 3 * time.Second

// interactionLife is how long an interaction token can be used.
const interactionLife = 15 * time.Minute

// reply is what Event.Reply carries for an interaction, encoded as
// "<kind><where>|<locale>|<interaction id>|<token>" with kind 'a'
// (application command) or 'c' (component) and where 'g' (server) or 'd'
// (direct message).
type reply struct {
	component bool
	guild     bool
	locale    string
	id        string
	token     string
}

func (r reply) String() string {
	b := []byte{'a', 'd'}
	if r.component {
		b[0] = 'c'
	}
	if r.guild {
		b[1] = 'g'
	}
	return string(b) + "|" + r.locale + "|" + r.id + "|" + r.token
}

func parseReply(s string) (reply, bool) {
	p := strings.SplitN(s, "|", 4)
	if len(p) != 4 || len(p[0]) != 2 || p[3] == "" {
		return reply{}, false
	}
	return reply{component: p[0][0] == 'c', guild: p[0][1] == 'g', locale: p[1], id: p[2], token: p[3]}, true
}

// interactionUser is the user of an interaction: Member.User in a server,
// User in a direct message. Nil when neither is there.
func interactionUser(i *discordgo.Interaction) *discordgo.User {
	if i.Member != nil && i.Member.User != nil {
		return i.Member.User
	}
	return i.User
}

// onInteraction stores a slash command or button press as an event, then
// acknowledges it (in the background, so the gateway goes on).
func (a *Adapter) onInteraction(_ *discordgo.Session, ic *discordgo.InteractionCreate) {
	i := ic.Interaction
	if i.Type != discordgo.InteractionApplicationCommand && i.Type != discordgo.InteractionMessageComponent {
		return
	}
	u := interactionUser(i)
	if u == nil {
		a.log.Warn("discord: interaction without a user", "interaction", i.ID)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), a.cfg.SubmitTimeout)
	defer cancel()

	r := reply{component: i.Type == discordgo.InteractionMessageComponent, guild: i.GuildID != "",
		locale: string(i.Locale), id: i.ID, token: i.Token}
	ev := bots.Event{
		ID: "dc:i:" + i.ID, Platform: bots.Discord, User: bots.Discord + ":" + u.ID,
		Chat: i.ChannelID, Group: r.guild, Locale: r.locale, Name: displayName(u),
		Handle: u.Username, Reply: r.String(), Time: snowflakeTime(i.ID),
	}
	done := make(chan struct{}) // before Submit: the engine may answer before Submit returns
	a.acks.Store(i.ID, done)
	var err error
	if r.component {
		ev.Kind = bots.KindButton
		ev.Data, err = a.payload(ctx, i.MessageComponentData().CustomID)
	} else {
		data := i.ApplicationCommandData()
		ev.Kind, ev.Command, ev.Args = bots.KindCommand, strings.ToLower(data.Name), commandArgs(data)
	}
	if err == nil {
		err = a.sub.Submit(ctx, ev)
	}

	go a.ack(i, r, ev.User, err, done)
}

// ack acknowledges an interaction: deferred (ephemeral in a server) for a
// command, a deferred update for a button; when the event could not be
// stored, an ephemeral apology instead, so that the user can try again.
func (a *Adapter) ack(i *discordgo.Interaction, r reply, user string, submitErr error, done chan struct{}) {
	defer time.AfterFunc(interactionLife, func() { a.acks.Delete(i.ID); a.noted.Delete(i.ID) })
	defer close(done)
	ctx, cancel := context.WithTimeout(context.Background(), ackWindow)
	defer cancel()

	resp := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource}
	switch {
	case submitErr != nil:
		a.log.Error("discord: store interaction", "learner_id", user, "err", submitErr)
		resp = &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource,
			Data: &discordgo.InteractionResponseData{Content: noteText(noteTryAgain, r.locale),
				Flags: discordgo.MessageFlagsEphemeral}}
	case r.component:
		resp.Type = discordgo.InteractionResponseDeferredMessageUpdate
	case r.guild:
		resp.Data = &discordgo.InteractionResponseData{Flags: discordgo.MessageFlagsEphemeral}
	}
	if err := a.s.InteractionRespond(i, resp, discordgo.WithContext(ctx)); err != nil {
		a.log.Warn("discord: acknowledge interaction", "learner_id", user, "err", redact(err.Error()))
	}
	if !r.guild {
		a.dmWorks(ctx, user)
	}
}

// onMessage stores a message typed in a direct message with the bot.
// Messages in servers are not read (the bot has no intent for them).
func (a *Adapter) onMessage(_ *discordgo.Session, m *discordgo.MessageCreate) {
	if m.Author == nil || m.Author.Bot || m.GuildID != "" {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), a.cfg.SubmitTimeout)
	defer cancel()
	ev := bots.Event{
		ID: "dc:m:" + m.ID, Platform: bots.Discord, User: bots.Discord + ":" + m.Author.ID,
		Chat: m.ChannelID, Name: displayName(m.Author), Handle: m.Author.Username,
		Time: m.Timestamp, Kind: bots.KindText, Text: m.Content,
	}
	if name, args, ok := parseCommand(m.Content); ok {
		ev.Kind, ev.Command, ev.Args, ev.Text = bots.KindCommand, name, args, ""
	}
	if err := a.sub.Submit(ctx, ev); err != nil {
		a.log.Error("discord: store direct message", "learner_id", ev.User, "err", err)
		return
	}
	go a.dmWorks(context.Background(), ev.User)
}

// parseCommand reads "/name args" (a slash command typed as text).
func parseCommand(s string) (name, args string, ok bool) {
	s = strings.TrimSpace(s)
	if len(s) < 2 || s[0] != '/' {
		return "", "", false
	}
	name, args, _ = strings.Cut(s[1:], " ")
	name, _, _ = strings.Cut(name, "@")
	return strings.ToLower(name), strings.TrimSpace(args), name != ""
}

func commandArgs(d discordgo.ApplicationCommandInteractionData) string {
	var parts []string
	for _, o := range d.Options {
		if o.Type == discordgo.ApplicationCommandOptionString {
			parts = append(parts, o.StringValue())
		}
	}
	return strings.Join(parts, " ")
}

func displayName(u *discordgo.User) string {
	if u.GlobalName != "" {
		return u.GlobalName
	}
	return u.Username
}

func snowflakeTime(id string) time.Time {
	t, err := discordgo.SnowflakeTimestamp(id)
	if err != nil {
		return time.Now()
	}
	return t
}
