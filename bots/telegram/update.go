package telegram

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/go-telegram/bot/models"
	"github.com/talentjourney/talentbot/bots"
)

// allowedUpdates are the update types the bot asks Telegram for.
var allowedUpdates = []string{"message", "edited_message", "callback_query", "poll_answer", "my_chat_member"}

// eventOf turns an update into an event. ok is false for updates the bot
// ignores: edited messages (the original was answered already, and
// answering an edit would answer twice), messages from channels or in
// groups that are not commands for this bot, and every other kind. err is
// set only when a lookup in Redis failed, so the update must be retried.
func (a *Adapter) eventOf(ctx context.Context, u *models.Update) (ev bots.Event, ok bool, err error) {
	ev = bots.Event{ID: "tg:u:" + strconv.FormatInt(u.ID, 10), Platform: bots.Telegram}
	switch {
	case u.Message != nil:
		return a.messageEvent(ctx, ev, u.Message)
	case u.CallbackQuery != nil:
		return a.callbackEvent(ctx, ev, u.CallbackQuery)
	case u.PollAnswer != nil:
		return a.pollEvent(ctx, ev, u.PollAnswer)
	case u.MyChatMember != nil:
		return memberEvent(ev, u.MyChatMember)
	case u.EditedMessage != nil:
		a.log.Debug("telegram edited message ignored", "chat_id", u.EditedMessage.Chat.ID)
	}
	return ev, false, nil
}

// fromUser fills the user fields of ev.
func fromUser(ev *bots.Event, from *models.User) {
	ev.User = bots.Telegram + ":" + strconv.FormatInt(from.ID, 10)
	ev.Locale = from.LanguageCode
	ev.Name = strings.TrimSpace(from.FirstName + " " + from.LastName)
	ev.Handle = from.Username
}

func (a *Adapter) messageEvent(ctx context.Context, ev bots.Event, m *models.Message) (bots.Event, bool, error) {
	if m.From == nil || m.From.IsBot {
		return ev, false, nil
	}
	fromUser(&ev, m.From)
	ev.Chat = strconv.FormatInt(m.Chat.ID, 10)
	ev.Group = m.Chat.Type != models.ChatTypePrivate
	ev.Time = time.Unix(int64(m.Date), 0).UTC()
	if ev.Group {
		ev.Reply = strconv.Itoa(m.ID)
	}
	name, args, target, isCmd := parseCommand(m.Text)
	if isCmd && target != "" {
		me, err := a.username(ctx, false)
		if err != nil {
			return ev, false, err
		}
		if !strings.EqualFold(target, me) {
			return ev, false, nil // a command for another bot
		}
	}
	switch {
	case isCmd:
		ev.Kind, ev.Command, ev.Args = bots.KindCommand, name, args
	case ev.Group:
		return ev, false, nil // groups: commands only
	default:
		// Stickers, photos and the like arrive as empty text, which the
		// engine answers politely.
		ev.Kind, ev.Text = bots.KindText, m.Text
	}
	return ev, true, nil
}

// parseCommand splits "/Name@bot args" into "name", "args" and "bot".
// Text that does not start with a valid command name is not a command.
func parseCommand(text string) (name, args, target string, ok bool) {
	if !strings.HasPrefix(text, "/") {
		return "", "", "", false
	}
	head, args, _ := strings.Cut(text[1:], " ")
	if i := strings.IndexAny(head, "\n\t"); i >= 0 {
		head, args = head[:i], strings.TrimSpace(head[i:]+" "+args)
	}
	name, target, _ = strings.Cut(head, "@")
	if name == "" || len(name) > 32 {
		return "", "", "", false
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_') {
			return "", "", "", false
		}
	}
	return strings.ToLower(name), strings.TrimSpace(args), target, true
}

func (a *Adapter) callbackEvent(ctx context.Context, ev bots.Event, q *models.CallbackQuery) (bots.Event, bool, error) {
	fromUser(&ev, &q.From)
	ev.Kind = bots.KindButton
	ev.Time = time.Now().UTC()
	ev.Chat = strings.TrimPrefix(ev.User, bots.Telegram+":")
	if m := q.Message.Message; m != nil {
		ev.Chat = strconv.FormatInt(m.Chat.ID, 10)
		ev.Group = m.Chat.Type != models.ChatTypePrivate
	} else if im := q.Message.InaccessibleMessage; im != nil && im.Chat.ID != 0 {
		ev.Chat = strconv.FormatInt(im.Chat.ID, 10)
		ev.Group = im.Chat.Type != models.ChatTypePrivate
	}
	data, err := a.buttonData(ctx, q.Data)
	if err != nil {
		return ev, false, err
	}
	ev.Data = data
	return ev, true, nil
}

func (a *Adapter) pollEvent(ctx context.Context, ev bots.Event, p *models.PollAnswer) (bots.Event, bool, error) {
	if p.User == nil || len(p.OptionIDs) == 0 {
		return ev, false, nil // anonymous, or a vote taken back
	}
	rec, known, err := a.pollAnswer(ctx, p.PollID)
	if err != nil || !known {
		return ev, false, err
	}
	opt := p.OptionIDs[0]
	if opt < 0 || opt >= len(rec.Data) {
		return ev, false, nil
	}
	fromUser(&ev, p.User)
	ev.Kind, ev.Data, ev.Chat = bots.KindPollAnswer, rec.Data[opt], rec.Chat
	ev.Group = isGroup(rec.Chat)
	ev.Time = time.Now().UTC()
	return ev, true, nil
}

// memberEvent reports a user who blocked the bot in their private chat.
// Unblocking needs no event: the user's next message makes them active.
func memberEvent(ev bots.Event, m *models.ChatMemberUpdated) (bots.Event, bool, error) {
	if m.Chat.Type != models.ChatTypePrivate || m.NewChatMember.Type != models.ChatMemberTypeBanned {
		return ev, false, nil
	}
	fromUser(&ev, &m.From)
	ev.Kind = bots.KindBlocked
	ev.Chat = strconv.FormatInt(m.Chat.ID, 10)
	ev.Time = time.Unix(int64(m.Date), 0).UTC()
	return ev, true, nil
}
