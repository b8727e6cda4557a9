package telegram

import (
	"errors"
	"fmt"
	"strings"

	"github.com/go-telegram/bot"
	"github.com/talentjourney/talentbot/bots"
)

// errorRule maps a Telegram error to a send error kind. Telegram reports
// most causes only as text, so this table is the one place that reads
// descriptions; each row has a test.
type errorRule struct {
	code int    // HTTP-like error_code; 500 matches every 5xx
	desc string // lower-case part of the description; "" matches any
	kind bots.SendErrorKind
}

// errorTable is read top to bottom; the first matching row wins.
var errorTable = []errorRule{
	{429, "", bots.ErrRateLimited},
	{403, "bot was blocked by the user", bots.ErrBlocked},
	{403, "user is deactivated", bots.ErrBlocked},
	{403, "bot was kicked", bots.ErrBlocked},
	{403, "bot is not a member", bots.ErrBlocked},
	{403, "bot can't initiate conversation", bots.ErrBlocked},
	{403, "bot can't send messages to bots", bots.ErrUnreachable},
	{403, "not enough rights", bots.ErrUnreachable},
	{403, "", bots.ErrBlocked},
	{400, "upgraded to a supergroup", bots.ErrMigrated},
	{400, "chat not found", bots.ErrChatNotFound},
	{400, "user not found", bots.ErrChatNotFound},
	{400, "peer_id_invalid", bots.ErrChatNotFound},
	{400, "group chat was deactivated", bots.ErrChatNotFound},
	{400, "not enough rights", bots.ErrUnreachable},
	{400, "have no rights to send", bots.ErrUnreachable},
	{400, "topic_closed", bots.ErrUnreachable},
	{400, "", bots.ErrInvalid},
	{401, "", bots.ErrTemporary},
	{404, "", bots.ErrTemporary},
	{409, "", bots.ErrTemporary},
	{500, "", bots.ErrTemporary},
}

// kindOf looks e up in errorTable; unknown codes are temporary.
func kindOf(e *apiError) bots.SendErrorKind {
	if e.MigrateTo != 0 {
		return bots.ErrMigrated
	}
	desc := strings.ToLower(e.Description)
	for _, r := range errorTable {
		codeOK := r.code == e.Code || (r.code == 500 && e.Code >= 500)
		if codeOK && strings.Contains(desc, r.desc) {
			return r.kind
		}
	}
	return bots.ErrTemporary
}

// apiErrorOf recovers Telegram's answer from an error of the go-telegram
// library (which keeps code and description only in its error text), or
// returns nil for a network error.
func apiErrorOf(err error) *apiError {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae
	}
	var tm *bot.TooManyRequestsError
	if errors.As(err, &tm) {
		return &apiError{Code: 429, Description: tm.Message, RetryAfter: tm.RetryAfter}
	}
	var me *bot.MigrateError
	if errors.As(err, &me) {
		return &apiError{Code: 400, Description: me.Message, MigrateTo: int64(me.MigrateToChatID)}
	}
	for _, s := range []struct {
		err  error
		code int
	}{{bot.ErrorForbidden, 403}, {bot.ErrorBadRequest, 400}, {bot.ErrorUnauthorized, 401},
		{bot.ErrorNotFound, 404}, {bot.ErrorConflict, 409}} {
		if errors.Is(err, s.err) {
			_, desc, _ := strings.Cut(err.Error(), s.err.Error()+", ")
			return &apiError{Code: s.code, Description: desc}
		}
	}
	// "error response from telegram for method M, CODE DESCRIPTION"
	if _, rest, ok := strings.Cut(err.Error(), "error response from telegram for method "); ok {
		var method string
		var code int
		if n, _ := fmt.Sscanf(rest, "%s %d", &method, &code); n == 2 {
			_, desc, _ := strings.Cut(rest, fmt.Sprintf("%d ", code))
			return &apiError{Code: code, Description: desc}
		}
	}
	return nil
}
