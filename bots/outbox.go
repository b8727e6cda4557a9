package bots

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

var errLeaseLost = errors.New("lease lost")

func isNoScript(err error) bool {
	return err != nil && strings.HasPrefix(err.Error(), "NOSCRIPT")
}

// zNow adds member to a waiting set with now, to the second, as score:
// writing the same score again is cheap for Redis, and an entry written
// after a sweep began still scores above what the sweep may forget (it
// forgets entries older than a second).
func zNow(now time.Time, member string) redis.ZAddArgs {
	return zAt(now.Truncate(time.Second), member)
}

func zAt(t time.Time, member string) redis.ZAddArgs {
	return redis.ZAddArgs{Members: []redis.Z{{Score: float64(t.UnixMicro()), Member: member}}}
}

// outWorker delivers the messages of users whose outbox lease this process
// holds, in order.
func (e *Engine) outWorker(ctx context.Context) {
	defer e.wg.Done()
	for {
		select {
		case j := <-e.outWork:
			e.deliver(ctx, j, true)
		case <-ctx.Done():
			e.finishOutbox()
			return
		}
	}
}

// finishOutbox sends what was claimed before the engine stopped.
func (e *Engine) finishOutbox() {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	idle := time.NewTimer(300 * time.Millisecond)
	defer idle.Stop()
	for {
		select {
		case j := <-e.outWork:
			e.deliver(ctx, j, false)
			idle.Reset(300 * time.Millisecond)
		case <-idle.C:
			return
		case <-ctx.Done():
			return
		}
	}
}

// deliver sends a user's outbox batch by batch until it is empty or a send
// must wait. With later, the acknowledgement of a sent batch is held back
// (see holdAck) and the rest of the outbox follows from it.
func (e *Engine) deliver(ctx context.Context, j outJob, later bool) {
	k := e.keysOf(j.keys, j.user)
	msgs := j.msgs
	for len(msgs) > 0 {
		done, retry := e.sendBatch(ctx, j.user, msgs)
		if retry {
			// Leave the rest for later, or for the process that can send
			// it (a terminal user's own): the sweeper finds the user in
			// the waiting set again.
			e.rdb.ZAddArgs(ctx, e.readyKey(j.user), zAt(e.cfg.Clock().Add(time.Second), j.user))
			e.evalSha(ctx, outReleaseScript, []string{k.out, k.outlease}, j.token, done)
			return
		}
		if later {
			e.holdAck(j.user, pendingAck{token: j.token, n: done, keys: k})
			return
		}
		var cmd *redis.Cmd
		e.batch.do(func(pipe redis.Pipeliner) {
			cmd = outDoneScript.EvalSha(ctx, pipe, []string{k.out, k.outlease},
				j.token, done, e.cfg.LeaseTTL.Milliseconds(), e.cfg.Batch)
		})
		v, err := cmd.Result()
		if isNoScript(err) {
			v, err = e.evalSha(ctx, outDoneScript, []string{k.out, k.outlease},
				j.token, done, e.cfg.LeaseTTL.Milliseconds(), e.cfg.Batch)
		}
		if err != nil {
			return
		}
		vals, _ := v.([]any)
		if len(vals) < 2 {
			return
		}
		msgs = strs(vals[1])
	}
}

// sendBatch sends msgs in order and returns how many are done (sent or
// given up) and whether the rest must wait.
func (e *Engine) sendBatch(ctx context.Context, user string, msgs []string) (int, bool) {
	for i, raw := range msgs {
		m, ok := e.sent.take(storedMessageID(raw), raw)
		if !ok {
			m = Message{}
			if err := json.Unmarshal([]byte(raw), &m); err != nil {
				e.log.Error("bots: unreadable outgoing message dropped", "learner_id", user, "err", err)
				continue
			}
		}
		if !e.sendOne(ctx, m) {
			return i, true
		}
	}
	return len(msgs), false
}

// sendOne sends m and reports whether it is done with (sent, or failed for
// good); false means try again later.
func (e *Engine) sendOne(ctx context.Context, m Message) bool {
	s := e.sender(m.Platform)
	if s == nil {
		e.log.Warn("bots: no sender for platform; message kept", "platform", m.Platform,
			"learner_id", m.User)
		return false
	}
	err := s.Send(ctx, m)
	if SendErrorKindOf(err) == ErrElsewhere {
		return false // another process delivers it; no outcome to record
	}
	e.recordDelivery(ctx, m, err)
	if err == nil {
		e.m.sent.WithLabelValues(m.Platform).Inc()
		return true
	}
	e.m.failed.WithLabelValues(m.Platform).Inc()
	switch SendErrorKindOf(err) {
	case ErrBlocked, ErrChatNotFound:
		e.notifySelf(ctx, m.User, "sys:blocked", "")
		return true
	case ErrMigrated:
		var se *SendError
		errors.As(err, &se)
		e.notifySelf(ctx, m.User, "sys:migrated", m.Chat+" "+se.NewChat)
		m.Chat = se.NewChat
		return e.sendOne(ctx, m)
	case ErrUnreachable, ErrInvalid:
		e.log.Warn("bots: message not deliverable", "platform", m.Platform,
			"learner_id", m.User, "err", err)
		return true
	default:
		e.log.Warn("bots: send failed; will retry", "platform", m.Platform,
			"learner_id", m.User, "err", err)
		return false
	}
}

// notifySelf tells the engine about something the outbox learnt of a user
// (blocked, chat migrated), as an internal event in the user's own queue.
func (e *Engine) notifySelf(ctx context.Context, user, data, arg string) {
	ev := Event{Platform: Internal, User: user, Kind: KindJob, Data: data, Args: arg,
		Time: e.cfg.Clock()}
	if err := e.Submit(ctx, ev); err != nil {
		e.log.Error("bots: could not record delivery outcome", "learner_id", user, "err", err)
	}
}

// storedMessageID returns the id of a message in its stored form without
// decoding it: the id is its first field. A guess: memo.take compares the
// whole stored form.
func storedMessageID(raw string) string {
	const head = `{"id":"`
	if !strings.HasPrefix(raw, head) {
		return ""
	}
	id, _, _ := strings.Cut(raw[len(head):], `"`)
	return id
}
