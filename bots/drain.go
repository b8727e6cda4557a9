package bots

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// drainWorker handles users whose lease this process holds.
func (e *Engine) drainWorker(ctx context.Context) {
	defer e.wg.Done()
	for {
		select {
		case j := <-e.work:
			e.drain(ctx, j)
		case <-ctx.Done():
			e.finishDrains()
			return
		}
	}
}

// finishDrains handles the jobs already claimed when the engine stops, so
// that no claimed event waits for its lease to expire.
func (e *Engine) finishDrains() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for {
		select {
		case j := <-e.work:
			e.drain(ctx, j)
		default:
			return
		}
	}
}

// drain handles the user's queued events in order while it holds the lease.
func (e *Engine) drain(ctx context.Context, j drainJob) {
	st, ok := e.states.take(j.user, j.state)
	if !ok {
		var err error
		st, err = decodeState(j.user, j.state)
		if err != nil {
			e.log.Error("bots: unreadable state; starting afresh", "learner_id", j.user, "err", err)
			st = newState(j.user)
		}
	}
	events := j.events
	for len(events) > 0 {
		res, ok := e.handleBatch(ctx, j, st, events)
		if !ok {
			return
		}
		events = res.next
		if len(events) == 0 && res.state != "" {
			// The state as stored, for this process's next drain of the
			// user; st is not used here any more.
			e.states.put(j.user, res.state, st)
		}
	}
}

// handleBatch handles events, commits the result and returns the outbox
// job (when this process claimed it), the next events waiting and, when
// st is exactly what a later drain would read back, the state as stored.
func (e *Engine) handleBatch(ctx context.Context, j drainJob, st *State,
	events []string) (commitResult, bool) {
	// Effects of the previous commit that were not applied (a crash) are
	// applied now; they are idempotent.
	if len(st.Effects) > 0 {
		if j.fx != strconv.FormatInt(st.FxSeq, 10) {
			e.applyEffects(ctx, st, false)
		}
		st.Effects = nil
	}
	var msgs []Message
	onlyOpen := true
	for _, raw := range events {
		ev := j.ev
		if ev == nil || raw != j.evRaw {
			ev = new(Event)
			if err := json.Unmarshal([]byte(raw), ev); err != nil {
				e.log.Error("bots: unreadable event dropped", "learner_id", j.user, "err", err)
				continue
			}
		}
		onlyOpen = onlyOpen && ev.Kind == KindOpen
		msgs = append(msgs, e.handle(ctx, st, *ev)...)
	}
	// A chat opened again with no question to show changes nothing.
	keep := onlyOpen && len(msgs) == 0 && len(st.Effects) == 0
	res, err := e.commit(ctx, j, st, len(events), msgs, keep)
	if err != nil {
		e.log.Warn("bots: commit failed; the lease will expire and the events run again",
			"learner_id", j.user, "err", err)
		return commitResult{}, false
	}
	// The replies go out first; the effects follow.
	if res.out != nil {
		e.queueOut(*res.out)
	}
	if len(st.Effects) > 0 {
		if !e.applyEffects(ctx, st, true) {
			res.state = "" // a later drain applies the effects again
		}
		st.Effects = nil
	}
	if st.Deleted {
		e.finishDelete(ctx, st)
		res.state = ""
	}
	return res, true
}

type commitResult struct {
	out  *outJob
	next []string
	// state is the state as stored ("" deleted).
	state string
}

// commit saves state (with keep, leaves it as stored), trims the handled
// events and appends msgs to the outbox, in one script; the outbox's
// waiting set is told first.
func (e *Engine) commit(ctx context.Context, j drainJob, st *State, n int,
	msgs []Message, keep bool) (commitResult, error) {
	k := e.keysOf(j.keys, j.user)
	state := "-"
	if len(st.Effects) > 0 {
		st.FxSeq++
	}
	if keep {
		state = "" // as stored
	} else if !st.Deleted || len(st.Effects) > 0 {
		b, err := json.Marshal(st)
		if err != nil {
			return commitResult{}, err
		}
		state = string(b)
	}
	outToken := newToken()
	// The outbox acknowledgement held back for this user goes with the
	// commit; it is held again if the commit does not run.
	ack, acked := e.takeAck(j.user)
	args := make([]any, 0, 8+len(msgs))
	stored := make([]string, len(msgs))
	args = append(args, j.token, n, state, e.cfg.LeaseTTL.Milliseconds(), outToken, e.cfg.Batch,
		ack.token, ack.n)
	for i := range msgs {
		b, err := json.Marshal(&msgs[i])
		if err != nil {
			return commitResult{}, err
		}
		stored[i] = string(b)
		e.sent.put(msgs[i].ID, stored[i], msgs[i])
		args = append(args, stored[i])
	}
	var cmd *redis.Cmd
	var zadd *redis.IntCmd
	e.batch.do(func(pipe redis.Pipeliner) {
		if len(msgs) > 0 {
			zadd = pipe.ZAddArgs(ctx, e.readyKey(j.user), zNow(e.cfg.Clock(), j.user))
		}
		cmd = commitScript.EvalSha(ctx, pipe, []string{k.q, k.lease, k.state, k.out, k.outlease},
			args...)
	})
	err := cmd.Err()
	if err == nil && zadd != nil {
		err = zadd.Err()
	}
	vals, _ := cmd.Slice()
	if acked && (err != nil || len(vals) < 4) {
		e.holdAck(j.user, ack)
	}
	if err != nil {
		if isNoScript(err) {
			if lerr := e.loadScripts(ctx); lerr != nil {
				return commitResult{}, lerr
			}
			if len(st.Effects) > 0 {
				st.FxSeq--
			}
			return e.commit(ctx, j, st, n, msgs, keep)
		}
		return commitResult{}, err
	}
	if len(vals) < 4 {
		return commitResult{}, errLeaseLost
	}
	var res commitResult
	if vals[1].(int64) == 1 {
		out := stored // a number: the outbox holds just these
		if _, mine := vals[2].(int64); !mine {
			out = strs(vals[2])
		}
		res.out = &outJob{user: j.user, token: outToken, msgs: out, keys: k}
	}
	res.next = strs(vals[3])
	if state != "-" && state != "" {
		res.state = state
	}
	return res, nil
}
