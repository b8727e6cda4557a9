package bots

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Submitter takes events from an adapter. Submit returns only after the
// event is stored durably (in the user's queue in Redis); an adapter
// acknowledges an update to its platform only after Submit returned nil.
// Submit may be called concurrently.
type Submitter interface {
	Submit(ctx context.Context, ev Event) error
}

// Sender delivers one message on one platform. Send returns nil when the
// platform accepted the message, or a *SendError saying why not. Rate
// limits (429) are waited out and retried inside the adapter; a SendError
// with KindRateLimited is returned only when retries ran out. Send may be
// called concurrently, also for the same chat; the outbox never sends two
// messages of one user at once.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// SendErrorKind classifies why a send failed.
type SendErrorKind string

// Kinds of send errors.
const (
	// ErrBlocked: the user blocked the bot or deleted the account (403);
	// the user is marked inactive and nothing more is sent.
	ErrBlocked SendErrorKind = "blocked"
	// ErrChatNotFound: the chat does not exist (Telegram 400 chat not
	// found); treated like ErrBlocked.
	ErrChatNotFound SendErrorKind = "chat_not_found"
	// ErrUnreachable: the user cannot get direct messages (Discord 50007).
	ErrUnreachable SendErrorKind = "unreachable"
	// ErrMigrated: the group moved to NewChat; the outbox stores it and
	// resends there.
	ErrMigrated SendErrorKind = "migrated"
	// ErrRateLimited: still limited after the adapter's retries.
	ErrRateLimited SendErrorKind = "rate_limited"
	// ErrTemporary: network or server trouble; the outbox retries later.
	ErrTemporary SendErrorKind = "temporary"
	// ErrElsewhere: this process cannot reach the user (a terminal chat
	// shown by another process); the message waits for one that can.
	ErrElsewhere SendErrorKind = "elsewhere"
	// ErrInvalid: the platform refused the message itself (400); retrying
	// will not help.
	ErrInvalid SendErrorKind = "invalid"
)

// SendError is a failed send.
type SendError struct {
	Kind SendErrorKind
	// RetryAfter is the platform's advice, when it gave one.
	RetryAfter time.Duration
	// NewChat is the new chat id for ErrMigrated.
	NewChat string
	// Err is the cause, for logs.
	Err error
}

func (e *SendError) Error() string {
	if e.Err == nil {
		return "send: " + string(e.Kind)
	}
	return fmt.Sprintf("send: %s: %v", e.Kind, e.Err)
}

func (e *SendError) Unwrap() error { return e.Err }

// SendErrorKindOf returns the kind of err, or "" when err is not a
// *SendError.
func SendErrorKindOf(err error) SendErrorKind {
	var se *SendError
	if errors.As(err, &se) {
		return se.Kind
	}
	return ""
}
