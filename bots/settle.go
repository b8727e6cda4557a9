package bots

import (
	"context"
	"time"
)

// Flush delivers the user's waiting messages from this process now, in
// order. The terminal chat uses it, since only the process that shows a
// terminal user's chat can print to it.
func (e *Engine) Flush(ctx context.Context, user string) error {
	k := e.userKeys(user)
	if ack, ok := e.takeAck(user); ok {
		v, err := e.evalSha(ctx, outDoneScript, []string{k.out, k.outlease},
			ack.token, ack.n, e.cfg.LeaseTTL.Milliseconds(), e.cfg.Batch)
		if err != nil {
			e.holdAck(user, ack)
			return err
		}
		if vals, _ := v.([]any); len(vals) == 2 {
			e.deliver(ctx, outJob{user: user, token: ack.token, msgs: strs(vals[1])}, false)
		}
	}
	token := newToken()
	v, err := e.evalSha(ctx, outClaimScript, []string{k.out, k.outlease},
		token, e.cfg.LeaseTTL.Milliseconds(), e.cfg.Batch)
	if err != nil {
		return err
	}
	vals, _ := v.([]any)
	if len(vals) == 2 && vals[0].(int64) == 1 {
		e.deliver(ctx, outJob{user: user, token: token, msgs: strs(vals[1])}, false)
	}
	return nil
}

// Settle waits until the user's queue is handled and their messages are
// delivered (or waiting for another process), or ctx ends.
func (e *Engine) Settle(ctx context.Context, user string) error {
	k := e.userKeys(user)
	stuck := 0
	for {
		pipe := e.rdb.Pipeline()
		q := pipe.LLen(ctx, k.q)
		lease := pipe.Exists(ctx, k.lease)
		out := pipe.LLen(ctx, k.out)
		outLease := pipe.Exists(ctx, k.outlease)
		if _, err := pipe.Exec(ctx); err != nil {
			return err
		}
		if q.Val() == 0 && lease.Val() == 0 && outLease.Val() == 0 {
			if out.Val() == 0 || stuck > 3 {
				return nil
			}
			stuck++
			if err := e.Flush(ctx, user); err != nil {
				return err
			}
			continue
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(2 * time.Millisecond):
		}
	}
}
