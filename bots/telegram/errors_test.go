package telegram

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/talentjourney/talentbot/bots"
	"github.com/talentjourney/talentbot/bots/telegram/telegramtest"
)

// errorCase is what Telegram answers for a row of errorTable.
var errorCases = []struct {
	code int
	desc string
	want bots.SendErrorKind
}{
	{429, "Too Many Requests: retry after 60", bots.ErrRateLimited},
	{403, "Forbidden: bot was blocked by the user", bots.ErrBlocked},
	{403, "Forbidden: user is deactivated", bots.ErrBlocked},
	{403, "Forbidden: bot was kicked from the group chat", bots.ErrBlocked},
	{403, "Forbidden: bot is not a member of the supergroup chat", bots.ErrBlocked},
	{403, "Forbidden: bot can't initiate conversation with a user", bots.ErrBlocked},
	{403, "Forbidden: bot can't send messages to bots", bots.ErrUnreachable},
	{403, "Forbidden: not enough rights to send text messages to the chat", bots.ErrUnreachable},
	{403, "Forbidden: something new", bots.ErrBlocked},
	{400, "Bad Request: group chat was upgraded to a supergroup chat", bots.ErrMigrated},
	{400, "Bad Request: chat not found", bots.ErrChatNotFound},
	{400, "Bad Request: user not found", bots.ErrChatNotFound},
	{400, "Bad Request: PEER_ID_INVALID", bots.ErrChatNotFound},
	{400, "Bad Request: group chat was deactivated", bots.ErrChatNotFound},
	{400, "Bad Request: not enough rights to send text messages to the chat", bots.ErrUnreachable},
	{400, "Bad Request: have no rights to send a message", bots.ErrUnreachable},
	{400, "Bad Request: TOPIC_CLOSED", bots.ErrUnreachable},
	{400, "Bad Request: can't parse entities: unsupported start tag", bots.ErrInvalid},
	{401, "Unauthorized", bots.ErrTemporary},
	{404, "Not Found", bots.ErrTemporary},
	{409, "Conflict: terminated by other getUpdates request", bots.ErrTemporary},
	{502, "Bad Gateway", bots.ErrTemporary},
}

// TestErrorTableRows checks every row of errorTable: Telegram's answer,
// read back through the go-telegram library, gives the row's kind.
func TestErrorTableRows(t *testing.T) {
	if len(errorCases) != len(errorTable) {
		t.Fatalf("%d cases for %d rows: add a case per row", len(errorCases), len(errorTable))
	}
	for i, tc := range errorCases {
		rule := errorTable[i]
		t.Run(strconv.Itoa(tc.code)+" "+tc.desc, func(t *testing.T) {
			t.Parallel()
			if got := kindOf(&apiError{Code: tc.code, Description: tc.desc}); got != tc.want || got != rule.kind {
				t.Fatalf("kindOf = %s, want %s (row %d: %+v)", got, tc.want, i, rule)
			}
			f := newFixture(t, func(c *Config) { c.MaxRetryAfter = 500 * time.Millisecond })
			fault := telegramtest.Fault{Code: tc.code, Description: tc.desc, RetryAfter: 60}
			if tc.want == bots.ErrMigrated {
				fault.MigrateTo = -1009
			}
			for n := 1; n <= 3; n++ {
				f.srv.Fail("sendMessage", n, fault)
			}
			err := f.a.Send(context.Background(), plainMessage("42", "hi"))
			var se *bots.SendError
			if !errors.As(err, &se) || se.Kind != tc.want {
				t.Fatalf("Send error %v, want kind %s", err, tc.want)
			}
		})
	}
}

// Case 4: a learner who blocked the bot: one attempt, then ErrBlocked, so
// the engine marks them inactive.
func TestSendBlockedUserTriesOnce(t *testing.T) {
	f := newFixture(t, nil)
	f.srv.FailChat("42", telegramtest.Blocked())
	err := f.a.Send(context.Background(), plainMessage("42", "Your daily lesson"))
	if bots.SendErrorKindOf(err) != bots.ErrBlocked {
		t.Fatalf("want blocked, got %v", err)
	}
	if n := len(f.srv.Calls("sendMessage")); n != 1 {
		t.Errorf("%d attempts, want 1", n)
	}
}

// Case 5: a migrated group gives ErrMigrated with the new chat; the resend
// there arrives.
func TestSendMigratedGroup(t *testing.T) {
	f := newFixture(t, nil)
	f.srv.FailChat("-555", telegramtest.Migrated(-1005550001))
	err := f.a.Send(context.Background(), plainMessage("-555", "Group news"))
	var se *bots.SendError
	if !errors.As(err, &se) || se.Kind != bots.ErrMigrated || se.NewChat != "-1005550001" {
		t.Fatalf("want migrated to -1005550001, got %v", err)
	}
	if err := f.a.Send(context.Background(), plainMessage(se.NewChat, "Group news")); err != nil {
		t.Fatalf("resend: %v", err)
	}
	calls := f.srv.Calls("sendMessage")
	if len(calls) != 2 || calls[1].Params["chat_id"] != "-1005550001" || calls[1].Status != 200 {
		t.Errorf("calls %+v", calls)
	}
}

func TestSendNetworkErrorIsTemporary(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.APIURL = "http://127.0.0.1:1" })
	err := f.a.Send(context.Background(), plainMessage("42", "hi"))
	if bots.SendErrorKindOf(err) != bots.ErrTemporary {
		t.Fatalf("want temporary, got %v", err)
	}
	if err == nil || strings.Contains(err.Error(), telegramtest.Token) {
		t.Errorf("error shows the token: %v", err)
	}
}
