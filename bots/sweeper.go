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

// waiting lists the members of a waiting set older than a second.
func (e *Engine) waiting(ctx context.Context, key string) []redis.Z {
	max := e.cfg.Clock().Add(-time.Second).UnixMicro()
	zs, err := e.rdb.ZRangeByScoreWithScores(ctx, key, &redis.ZRangeBy{
		Min: "-inf", Max: strconv.FormatInt(max, 10), Count: 200,
	}).Result()
	if err != nil && ctx.Err() == nil {
		e.log.Warn("bots: sweep failed", "err", err)
	}
	return zs
}

func (e *Engine) sweepQueue(ctx context.Context, shard int) {
	key := e.keys.Shard("q", shard, "pending")
	for _, z := range e.waiting(ctx, key) {
		user := z.Member.(string)
		k := e.userKeys(user)
		token := newToken()
		v, err := e.evalSha(ctx, claimScript, []string{k.q, k.lease, k.state, k.fx},
			token, e.cfg.LeaseTTL.Milliseconds(), e.cfg.Batch)
		if err != nil {
			continue
		}
		vals, _ := v.([]any)
		switch vals[0].(int64) {
		case 0:
			e.evalSha(ctx, forgetScript, []string{key}, user, int64(z.Score))
		case 1:
			e.queueDrain(drainJob{user: user, token: token, state: str(vals[1]),
				events: strs(vals[2]), fx: str(vals[3])})
		}
	}
}

func (e *Engine) sweepOutbox(ctx context.Context, shard int) {
	key := e.keys.Shard("ob", shard, "ready")
	for _, z := range e.waiting(ctx, key) {
		user := z.Member.(string)
		k := e.userKeys(user)
		token := newToken()
		v, err := e.evalSha(ctx, outClaimScript, []string{k.out, k.outlease},
			token, e.cfg.LeaseTTL.Milliseconds(), e.cfg.Batch)
		if err != nil {
			continue
		}
		vals, _ := v.([]any)
		switch vals[0].(int64) {
		case 0:
			e.evalSha(ctx, forgetScript, []string{key}, user, int64(z.Score))
		case 1:
			e.queueOut(outJob{user: user, token: token, msgs: strs(vals[1])})
		}
	}
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
