package bots

import (
	"context"
	"time"

	"github.com/redis/go-redis/v9"
)

// ackDelay is how long the acknowledgement of a delivered batch waits for
// a commit of the same user (which carries it) or for others to share its
// round trip.
const ackDelay = 2 * time.Millisecond

// pendingAck says that the first n messages of a user's outbox were
// delivered under the outbox lease token.
type pendingAck struct {
	token string
	n     int
	keys  userKeys
}

// holdAck holds the acknowledgement of a delivered batch back: the user's
// next commit in this process carries it, or else it is sent with the
// others held back within ackDelay. Until then the user's outbox lease
// stays taken; a crash in between only means those messages are sent again,
// as after a crash between a send and its acknowledgement.
func (e *Engine) holdAck(user string, a pendingAck) {
	e.acksMu.Lock()
	defer e.acksMu.Unlock()
	if old, ok := e.acks[user]; ok && old.token != a.token {
		// Not expected: one outbox lease per user. Send the old one now.
		go e.sendAcks(map[string]pendingAck{user: old})
	}
	e.acks[user] = a
	if !e.ackTimer {
		e.ackTimer = true
		time.AfterFunc(ackDelay, e.flushAcks)
	}
}

// takeAck removes and returns the acknowledgement held for user.
func (e *Engine) takeAck(user string) (pendingAck, bool) {
	e.acksMu.Lock()
	defer e.acksMu.Unlock()
	a, ok := e.acks[user]
	if ok {
		delete(e.acks, user)
	}
	return a, ok
}

// flushAcks sends every acknowledgement held back.
func (e *Engine) flushAcks() {
	e.acksMu.Lock()
	acks := e.acks
	e.acks = map[string]pendingAck{}
	e.ackTimer = false
	e.acksMu.Unlock()
	if len(acks) > 0 {
		e.sendAcks(acks)
	}
}

// sendAcks acknowledges delivered batches in one round trip; an outbox
// with more messages goes back to the delivery workers.
func (e *Engine) sendAcks(acks map[string]pendingAck) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmds := make(map[string]*redis.Cmd, len(acks))
	e.batch.do(func(p redis.Pipeliner) {
		for user, a := range acks {
			k := e.keysOf(a.keys, user)
			cmds[user] = outDoneScript.EvalSha(ctx, p, []string{k.out, k.outlease},
				a.token, a.n, e.cfg.LeaseTTL.Milliseconds(), e.cfg.Batch)
		}
	})
	for user, a := range acks {
		v, err := cmds[user].Result()
		if isNoScript(err) {
			k := e.keysOf(a.keys, user)
			v, err = e.evalSha(ctx, outDoneScript, []string{k.out, k.outlease},
				a.token, a.n, e.cfg.LeaseTTL.Milliseconds(), e.cfg.Batch)
		}
		if err != nil {
			// The lease expires and the batch is delivered again.
			e.log.Warn("bots: delivery not acknowledged", "learner_id", user, "err", err)
			continue
		}
		if vals, _ := v.([]any); len(vals) == 2 {
			e.queueOut(outJob{user: user, token: a.token, msgs: strs(vals[1]), keys: a.keys})
		}
	}
}
