package telegram

import (
	"context"
	"strings"

	"github.com/talentjourney/talentbot/bots"
)

// startPayload is the deep-link parameter of the private-chat button; it
// arrives as "/start private".
const startPayload = "private"

// sendPrivate answers a group request for personal content. A bot cannot
// open a private chat, so it tries the user's private chat (works once they
// started the bot) and posts in the group a button that opens the private
// chat through a deep link (t.me/<bot>?start=private).
func (a *Adapter) sendPrivate(ctx context.Context, m bots.Message) error {
	pm := m
	pm.Chat = strings.TrimPrefix(m.User, bots.Telegram+":")
	pm.Private, pm.Reply = false, ""
	if pm.ID != "" {
		pm.ID += ":p"
	}
	err := a.Send(ctx, pm)
	switch bots.SendErrorKindOf(err) {
	case "", bots.ErrBlocked, bots.ErrChatNotFound, bots.ErrUnreachable:
		// Delivered, or they never opened the chat: the button helps both.
	default:
		return err
	}
	name, err := a.username(ctx, false)
	if err != nil {
		return &bots.SendError{Kind: bots.ErrTemporary, Err: err}
	}
	note := bots.Message{
		ID: m.ID, Platform: m.Platform, Chat: m.Chat, User: m.User, Kind: m.Kind, Reply: m.Reply,
		Text:    bots.Text{{Text: a.cfg.PrivateNote}},
		Buttons: [][]bots.Button{{{Label: a.cfg.PrivateButton, URL: "https://t.me/" + name + "?start=" + startPayload}}},
	}
	return a.Send(ctx, note)
}
