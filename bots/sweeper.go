package bots

import (
	"context"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// sweeper finds users with queued events or messages that no process is
// working on (its holder died, or a send must be retried) and takes them.
// It also forgets users whose queue and outbox are empty.
func (e *Engine) sweeper(ctx context.Context) {
	defer e.wg.Done()
	t := time.NewTicker(e.cfg.SweepEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			for i := 0; i < e.cfg.Shards; i++ {
				e.sweepQueue(ctx, i)
				e.sweepOutbox(ctx, i)
			}
		}
	}
}

// sweepBatch is the most users of one waiting set a sweep looks at; their
// claims go to Redis in one pipeline.
const sweepBatch = 200

// waiting lists the members of a waiting set older than a second.
func (e *Engine) waiting(ctx context.Context, key string) []redis.Z {
	max := e.cfg.Clock().Add(-time.Second).UnixMicro()
	zs, err := e.rdb.ZRangeByScoreWithScores(ctx, key, &redis.ZRangeBy{
		Min: "-inf", Max: strconv.FormatInt(max, 10), Count: sweepBatch,
	}).Result()
	if err != nil && ctx.Err() == nil {
		e.log.Warn("bots: sweep failed", "err", err)
	}
	return zs
}

// sweep claims every user of the waiting set key older than a second, all
// in one pipeline: claim(user, token) adds the claim to the pipeline. It
// hands claimed users to take, and removes the users with nothing left
// from the set in one script call, unless they were added again since.
// Every user costs Redis the same few commands, and the sweep as a whole
// a fixed number of round trips, however many users wait.
func (e *Engine) sweep(ctx context.Context, key string,
	claim func(pipe redis.Pipeliner, user, token string) *redis.Cmd,
	take func(user, token string, vals []any)) {
	zs := e.waiting(ctx, key)
	if len(zs) == 0 {
		return
	}
	tokens := make([]string, len(zs))
	cmds := make([]*redis.Cmd, len(zs))
	_, err := e.rdb.Pipelined(ctx, func(pipe redis.Pipeliner) error {
		for i, z := range zs {
			tokens[i] = newToken()
			cmds[i] = claim(pipe, z.Member.(string), tokens[i])
		}
		return nil
	})
	if isNoScript(err) {
		if err := e.loadScripts(ctx); err != nil && ctx.Err() == nil {
			e.log.Warn("bots: sweep failed", "err", err)
		}
		return // the next sweep claims them
	}
	var gone []any
	for i, z := range zs {
		vals, err := cmds[i].Slice()
		if err != nil || len(vals) == 0 {
			continue
		}
		switch vals[0].(int64) {
		case 0:
			gone = append(gone, z.Member, int64(z.Score))
		case 1:
			take(z.Member.(string), tokens[i], vals)
		}
	}
	if len(gone) > 0 {
		if _, err := e.evalSha(ctx, forgetScript, []string{key}, gone...); err != nil &&
			ctx.Err() == nil {
			e.log.Warn("bots: sweep failed", "err", err)
		}
	}
}

func (e *Engine) sweepQueue(ctx context.Context, shard int) {
	e.sweep(ctx, e.keys.Shard("q", shard, "pending"),
		func(pipe redis.Pipeliner, user, token string) *redis.Cmd {
			k := e.userKeys(user)
			return claimScript.EvalSha(ctx, pipe, []string{k.q, k.lease, k.state, k.fx},
				token, e.cfg.LeaseTTL.Milliseconds(), e.cfg.Batch)
		},
		func(user, token string, vals []any) {
			e.queueDrain(drainJob{user: user, token: token, state: str(vals[1]),
				events: strs(vals[2]), fx: str(vals[3])})
		})
}

func (e *Engine) sweepOutbox(ctx context.Context, shard int) {
	e.sweep(ctx, e.keys.Shard("ob", shard, "ready"),
		func(pipe redis.Pipeliner, user, token string) *redis.Cmd {
			k := e.userKeys(user)
			return outClaimScript.EvalSha(ctx, pipe, []string{k.out, k.outlease},
				token, e.cfg.LeaseTTL.Milliseconds(), e.cfg.Batch)
		},
		func(user, token string, vals []any) {
			e.queueOut(outJob{user: user, token: token, msgs: strs(vals[1])})
		})
}

// queueDrain hands a claimed user to a drain worker without blocking the
// caller for long.
func (e *Engine) queueDrain(j drainJob) {
	select {
	case e.work <- j:
	default:
		go func() { e.work <- j }()
	}
}

// queueOut hands a claimed outbox to a delivery worker.
func (e *Engine) queueOut(j outJob) {
	select {
	case e.outWork <- j:
	default:
		go func() { e.outWork <- j }()
	}
}
