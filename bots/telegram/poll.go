package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"github.com/redis/go-redis/v9"
)

// poll runs the getUpdates loop until ctx ends. The offset moves past an
// update only after the update was stored through Submit; it is kept in
// Redis as well, for a restart.
func (a *Adapter) poll(ctx context.Context) error {
	offset := a.loadOffset(ctx)
	for try := 0; ctx.Err() == nil; {
		var ups []json.RawMessage
		cctx, cancel := context.WithTimeout(ctx, a.cfg.PollTimeout+15*time.Second)
		err := a.api.call(cctx, "getUpdates", map[string]any{
			"offset": offset, "timeout": int(a.cfg.PollTimeout / time.Second), "allowed_updates": allowedUpdates,
		}, &ups)
		cancel()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			if ferr := a.pollFailed(ctx, err, try); ferr != nil {
				return ferr
			}
			try++
			continue
		}
		try = 0
		for _, raw := range ups {
			id, ok := a.deliverRaw(ctx, raw)
			if !ok {
				return nil // ctx ended before the update was stored
			}
			offset = id + 1
		}
		if len(ups) > 0 {
			a.saveOffset(ctx, offset)
		}
	}
	return nil
}

// deliverRaw stores one update through Submit, retrying until it is stored
// or ctx ends; ok is false in the latter case. An update that cannot be
// decoded is logged and skipped.
func (a *Adapter) deliverRaw(ctx context.Context, raw json.RawMessage) (id int64, ok bool) {
	var head struct {
		ID int64 `json:"update_id"`
	}
	_ = json.Unmarshal(raw, &head)
	var u models.Update
	if err := json.Unmarshal(raw, &u); err != nil {
		a.log.Warn("telegram update undecodable, skipped", "update_id", head.ID, "err", err)
		return head.ID, true
	}
	for try := 0; ; try++ {
		err := a.deliver(ctx, &u)
		if err == nil {
			return u.ID, true
		}
		if ctx.Err() != nil {
			return u.ID, false
		}
		a.log.Warn("telegram update not stored, retrying", "update_id", u.ID, "err", err)
		if !sleep(ctx, backoff(try)) {
			return u.ID, false
		}
	}
}

// deliver turns u into an event and submits it; a callback query is then
// answered at once, so the button stops spinning. A panic while reading
// the update is logged and the update skipped.
func (a *Adapter) deliver(ctx context.Context, u *models.Update) (err error) {
	defer func() {
		if p := recover(); p != nil {
			a.log.Error("telegram update made the adapter panic; skipped", "update_id", u.ID, "panic", p)
			err = nil
		}
	}()
	ev, ok, err := a.eventOf(ctx, u)
	if err != nil {
		return err
	}
	if ok {
		if err := a.sub.Submit(ctx, ev); err != nil {
			return err
		}
	}
	if u.CallbackQuery != nil {
		a.answerCallback(ctx, u.CallbackQuery.ID)
	}
	return nil
}

func (a *Adapter) answerCallback(ctx context.Context, id string) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if _, err := a.bot.AnswerCallbackQuery(ctx, &bot.AnswerCallbackQueryParams{CallbackQueryID: id}); err != nil {
		a.log.Debug("telegram answerCallbackQuery failed", "err", a.mask.Replace(err.Error()))
	}
}

// pollFailed logs a failed getUpdates and waits before the next one; it
// returns an error when polling cannot go on (the token was refused).
func (a *Adapter) pollFailed(ctx context.Context, err error, try int) error {
	var ae *apiError
	if !errors.As(err, &ae) {
		a.log.Warn("telegram getUpdates failed (network); retrying", "err", err, "retry_in", backoff(try))
		sleep(ctx, backoff(try))
		return nil
	}
	switch {
	case ae.Code == 401 || ae.Code == 404:
		a.log.Error("telegram refused the bot token; polling stopped, check TELEGRAM_TOKEN", "err", ae.Error())
		return errors.New("telegram: the token was refused (getUpdates)")
	case ae.Code == 409:
		return a.conflict(ctx, ae, try)
	case ae.Code == 429:
		sleep(ctx, time.Duration(max(ae.RetryAfter, 1))*time.Second)
	default:
		a.log.Warn("telegram getUpdates failed; retrying", "err", ae.Error(), "retry_in", backoff(try))
		sleep(ctx, backoff(try))
	}
	return nil
}

// conflict handles 409 on getUpdates: a webhook is set, or another process
// polls with the same token. Only with DeleteWebhook does the adapter
// remove a webhook; otherwise it says so and retries slowly.
func (a *Adapter) conflict(ctx context.Context, ae *apiError, try int) error {
	if a.cfg.DeleteWebhook && try == 0 {
		a.log.Warn("telegram: a webhook is set or another process polls; deleting the webhook as TELEGRAM_DELETE_WEBHOOK says")
		if _, err := a.bot.DeleteWebhook(ctx, &bot.DeleteWebhookParams{}); err != nil {
			a.log.Warn("telegram deleteWebhook failed", "err", a.mask.Replace(err.Error()))
		}
		return nil
	}
	a.log.Warn("telegram will not give updates to this process: a webhook is set for this bot, "+
		"or another process is polling with the same token. Stop the other process, or set "+
		"TELEGRAM_DELETE_WEBHOOK=1 to remove the webhook. Retrying slowly.",
		"err", ae.Error(), "retry_in", a.cfg.ConflictWait)
	sleep(ctx, a.cfg.ConflictWait)
	return nil
}

func (a *Adapter) offsetKey() string { return a.st.Keys.Global("tg:offset") }

// loadOffset reads the stored offset, retrying while Redis does not answer.
func (a *Adapter) loadOffset(ctx context.Context) int64 {
	for try := 0; ; try++ {
		v, err := a.st.Client.Get(ctx, a.offsetKey()).Result()
		if errors.Is(err, redis.Nil) {
			return 0
		}
		if err == nil {
			n, _ := strconv.ParseInt(v, 10, 64)
			return n
		}
		a.log.Warn("telegram: reading the update offset failed; retrying", "err", err)
		if !sleep(ctx, backoff(try)) {
			return 0
		}
	}
}

func (a *Adapter) saveOffset(ctx context.Context, offset int64) {
	if err := a.st.Client.Set(ctx, a.offsetKey(), offset, 0).Err(); err != nil {
		// Telegram itself keeps the offset confirmed by the next call.
		a.log.Warn("telegram: storing the update offset failed", "err", err)
	}
}
