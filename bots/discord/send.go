package discord

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/redis/go-redis/v9"
	"github.com/talentjourney/talentbot/bots"
)

// How long the adapter remembers what it learnt about a target.
const (
	dmClosedFor    = 30 * 24 * time.Hour // a user whose DMs are closed
	forbiddenFor   = time.Hour           // a channel that answered 403
	partsMemoryFor = 24 * time.Hour      // which parts of a long message went out
)

// Discord's JSON error codes the adapter acts on.
const (
	codeUnknownChannel      = 10003
	codeUnknownWebhook      = 10015
	codeCannotDM            = 50007
	codeInvalidWebhookToken = 50027
)

// errExpired: the interaction token no longer works (15 minutes passed).
var errExpired = errors.New("discord: interaction expired")

// target is where one message goes: a follow-up of an interaction (r set)
// or a message in a channel (dm says whether it is the user's DM channel).
type target struct {
	r       *reply
	channel string
	dm      bool
}

// Send delivers m. An answer to an interaction goes out as its follow-up
// (ephemeral in a server); a lesson or quiz asked for in a server, a
// Private message without an interaction, or any message without a chat
// goes to the user's direct messages; anything else to m.Chat. Errors are
// *bots.SendError: ErrUnreachable when the user's direct messages are
// closed (Discord 50007, tried once, remembered), ErrRateLimited after
// Config.RateRetries waits, ErrBlocked, ErrChatNotFound, ErrInvalid or
// ErrTemporary.
func (a *Adapter) Send(ctx context.Context, m bots.Message) error {
	r, hasReply := parseReply(m.Reply)
	if hasReply {
		a.waitAck(ctx, r.id)
	}
	parts := Render(m.Text)
	comps, err := a.components(ctx, m.Buttons)
	if err != nil {
		return &bots.SendError{Kind: bots.ErrTemporary, Err: err}
	}
	if len(parts) == 0 && len(comps) == 0 {
		return &bots.SendError{Kind: bots.ErrInvalid, Err: errors.New("discord: empty message")}
	}
	if len(parts) == 0 {
		parts = []string{""}
	}

	switch {
	case hasReply && r.guild && m.Private && toDM(m):
		return a.sendDM(ctx, m, &r, parts, comps)
	case hasReply:
		err := a.sendParts(ctx, m, target{r: &r}, parts, comps)
		if !errors.Is(err, errExpired) {
			return err
		}
		if r.guild {
			return a.sendDM(ctx, m, nil, parts, comps)
		}
	case m.Private || m.Chat == "":
		return a.sendDM(ctx, m, nil, parts, comps)
	}
	return a.sendParts(ctx, m, target{channel: m.Chat}, parts, comps)
}

// toDM says whether a private answer to a server interaction goes to
// direct messages: a lesson and a quiz do; other private answers are
// ephemeral in the server.
func toDM(m bots.Message) bool {
	return m.Kind == bots.KindLesson || m.Quiz != nil
}

// waitAck waits until this process acknowledged interaction id, so that a
// follow-up never overtakes its deferred response.
func (a *Adapter) waitAck(ctx context.Context, id string) {
	v, ok := a.acks.Load(id)
	if !ok {
		return
	}
	t := time.NewTimer(ackWindow)
	defer t.Stop()
	select {
	case <-v.(chan struct{}):
	case <-t.C:
	case <-ctx.Done():
	}
}

// sendDM sends m to the user's direct messages. Via, when set, is the
// server interaction that asked for it: its user is told in an ephemeral
// follow-up where the answer went, or how to open direct messages.
func (a *Adapter) sendDM(ctx context.Context, m bots.Message, via *reply, parts []string,
	comps []discordgo.MessageComponent) error {
	closedKey, chanKey := a.st.Keys.User(m.User, "dc:dmclosed"), a.st.Keys.User(m.User, "dc:dm")
	vals, err := a.st.Client.MGet(ctx, closedKey, chanKey).Result()
	if err != nil {
		return &bots.SendError{Kind: bots.ErrTemporary, Err: err}
	}
	closedBy, _ := vals[0].(string)
	if closedBy != "" && (via == nil || closedBy == via.id) {
		return &bots.SendError{Kind: bots.ErrUnreachable, Err: errors.New("discord: direct messages closed")}
	}
	channel, _ := vals[1].(string)
	if channel == "" {
		if channel, err = a.dmChannel(ctx, m.User, chanKey); err != nil {
			return err
		}
	}

	err = a.sendParts(ctx, m, target{channel: channel, dm: true}, parts, comps)
	if bots.SendErrorKindOf(err) == bots.ErrUnreachable {
		mark := "-"
		if via != nil {
			mark = via.id
		}
		a.st.Client.Set(ctx, closedKey, mark, dmClosedFor)
		a.log.Info("discord: direct messages closed", "learner_id", m.User)
		if via != nil {
			a.noteOnce(ctx, *via, noteDMClosed)
		}
		return err
	}
	if err == nil && via != nil {
		a.noteOnce(ctx, *via, noteSentToDM)
	}
	return err
}

// dmChannel opens (or finds) the DM channel with user and remembers it.
func (a *Adapter) dmChannel(ctx context.Context, user, key string) (string, error) {
	id, ok := strings.CutPrefix(user, bots.Discord+":")
	if !ok {
		return "", &bots.SendError{Kind: bots.ErrInvalid, Err: errors.New("discord: not a Discord user")}
	}
	if err := a.gate(ctx); err != nil {
		return "", err
	}
	ch, err := a.s.UserChannelCreate(id, discordgo.WithContext(ctx))
	if err != nil {
		return "", a.classify(err, target{dm: true})
	}
	a.st.Client.Set(ctx, key, ch.ID, dmClosedFor)
	return ch.ID, nil
}

// dmWorks forgets that user's direct messages were closed and is called
// when the user writes to the bot in a DM.
func (a *Adapter) dmWorks(ctx context.Context, user string) {
	a.st.Client.Del(ctx, a.st.Keys.User(user, "dc:dmclosed"))
}

// noteOnce sends an adapter note as an ephemeral follow-up, once per
// interaction and process.
func (a *Adapter) noteOnce(ctx context.Context, r reply, n note) {
	if _, dup := a.noted.LoadOrStore(r.id, struct{}{}); dup {
		return
	}
	err := a.post(ctx, target{r: &r}, noteText(n, r.locale), nil)
	if err != nil {
		a.log.Warn("discord: send note", "err", err)
	}
}

// sendParts posts the parts of one message in order, the buttons under the
// last. For a message of several parts it remembers in Redis which went
// out, so that a retry of the message does not repeat them.
func (a *Adapter) sendParts(ctx context.Context, m bots.Message, t target, parts []string,
	comps []discordgo.MessageComponent) error {
	first, key := 0, ""
	if len(parts) > 1 && m.ID != "" {
		key = a.st.Keys.User(m.User, "dc:parts:"+m.ID)
		if n, err := a.st.Client.Get(ctx, key).Int(); err == nil {
			first = min(n, len(parts)-1)
		} else if !errors.Is(err, redis.Nil) {
			return &bots.SendError{Kind: bots.ErrTemporary, Err: err}
		}
	}
	for i := first; i < len(parts); i++ {
		var c []discordgo.MessageComponent
		if i == len(parts)-1 {
			c = comps
		}
		if err := a.post(ctx, t, parts[i], c); err != nil {
			return err
		}
		if key != "" {
			a.st.Client.Set(ctx, key, strconv.Itoa(i+1), partsMemoryFor)
		}
	}
	return nil
}

// post makes one request, waiting out 429s up to Config.RateRetries times.
func (a *Adapter) post(ctx context.Context, t target, content string, comps []discordgo.MessageComponent) error {
	for attempt := 0; ; attempt++ {
		err := a.postOnce(ctx, t, content, comps)
		var rl *discordgo.RateLimitError
		if !errors.As(err, &rl) {
			return err
		}
		a.invalid.add(time.Now())
		wait := rl.RetryAfter
		if attempt >= a.cfg.RateRetries || wait > a.cfg.MaxRetryWait {
			return &bots.SendError{Kind: bots.ErrRateLimited, RetryAfter: wait, Err: errors.New("discord: 429")}
		}
		if err := sleep(ctx, wait); err != nil {
			return &bots.SendError{Kind: bots.ErrTemporary, Err: err}
		}
	}
}

func (a *Adapter) postOnce(ctx context.Context, t target, content string, comps []discordgo.MessageComponent) error {
	if until, ok := a.forbidden.Load(t.channel); ok && t.r == nil && time.Now().Before(until.(time.Time)) {
		return &bots.SendError{Kind: bots.ErrUnreachable, Err: errors.New("discord: channel refused the bot")}
	}
	if err := a.gate(ctx); err != nil {
		return err
	}
	if comps == nil {
		comps = []discordgo.MessageComponent{}
	}
	mentions := &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
	var err error
	if t.r != nil {
		p := &discordgo.WebhookParams{Content: content, Components: comps, AllowedMentions: mentions}
		if t.r.guild {
			p.Flags = discordgo.MessageFlagsEphemeral
		}
		_, err = a.s.FollowupMessageCreate(&discordgo.Interaction{AppID: a.cfg.AppID, Token: t.r.token},
			false, p, discordgo.WithContext(ctx))
	} else {
		_, err = a.s.ChannelMessageSendComplex(t.channel, &discordgo.MessageSend{
			Content: content, Components: comps, AllowedMentions: mentions}, discordgo.WithContext(ctx))
	}
	if err == nil {
		return nil
	}
	var rl *discordgo.RateLimitError
	if errors.As(err, &rl) {
		return err
	}
	return a.classify(err, t)
}

// classify turns a REST error into a *bots.SendError (or errExpired),
// counting the answers Discord counts as invalid requests.
func (a *Adapter) classify(err error, t target) error {
	var se *bots.SendError
	if errors.As(err, &se) {
		return err
	}
	var re *discordgo.RESTError
	if !errors.As(err, &re) || re.Response == nil {
		return &bots.SendError{Kind: bots.ErrTemporary, Err: errors.New(redact(err.Error()))}
	}
	code := 0
	if re.Message != nil {
		code = re.Message.Code
	}
	cause := errors.New("discord: HTTP " + strconv.Itoa(re.Response.StatusCode) + " code " + strconv.Itoa(code))
	switch status := re.Response.StatusCode; {
	case status == 401:
		a.invalid.add(time.Now())
		a.log.Error("discord: the bot token was refused (401); check DISCORD_TOKEN")
		return &bots.SendError{Kind: bots.ErrTemporary, RetryAfter: time.Minute, Err: cause}
	case status == 403 && code == codeCannotDM:
		a.invalid.add(time.Now())
		return &bots.SendError{Kind: bots.ErrUnreachable, Err: cause}
	case status == 403 && t.dm:
		a.invalid.add(time.Now())
		return &bots.SendError{Kind: bots.ErrBlocked, Err: cause}
	case status == 403:
		a.invalid.add(time.Now())
		a.forbidden.Store(t.channel, time.Now().Add(forbiddenFor))
		return &bots.SendError{Kind: bots.ErrUnreachable, Err: cause}
	case status == 404 && t.r != nil, code == codeUnknownWebhook, code == codeInvalidWebhookToken:
		return errExpired
	case status == 404 && code == codeUnknownChannel:
		return &bots.SendError{Kind: bots.ErrChatNotFound, Err: cause}
	case status >= 500:
		return &bots.SendError{Kind: bots.ErrTemporary, Err: cause}
	}
	return &bots.SendError{Kind: bots.ErrInvalid, Err: cause}
}

// gate slows sending down, then stops it, as 401, 403 and 429 answers
// approach Discord's invalid-request limit.
func (a *Adapter) gate(ctx context.Context) error {
	n := a.invalid.count(time.Now())
	switch {
	case n >= a.cfg.InvalidStop:
		return &bots.SendError{Kind: bots.ErrTemporary, RetryAfter: time.Minute,
			Err: errors.New("discord: too many invalid requests in 10 minutes")}
	case n >= a.cfg.InvalidSlowdown:
		if err := sleep(ctx, time.Second); err != nil {
			return &bots.SendError{Kind: bots.ErrTemporary, Err: err}
		}
	}
	return nil
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
