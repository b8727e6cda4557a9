package telegram

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"github.com/redis/go-redis/v9"
)

// secretHeader carries the webhook's secret token in Telegram's requests.
const secretHeader = "X-Telegram-Bot-Api-Secret-Token"

// Handler serves Telegram's webhook requests. A request without the right
// secret token gets 401; an update is answered 200 only after Submit stored
// it, and 503 while Redis is unreachable, so that Telegram sends it again.
func (a *Adapter) Handler() http.Handler {
	return http.HandlerFunc(a.serveWebhook)
}

func (a *Adapter) serveWebhook(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 20*time.Second)
	defer cancel()
	secret, err := a.webhookSecret(ctx)
	if err != nil {
		a.log.Warn("telegram webhook: secret unavailable", "err", err)
		http.Error(w, "unavailable", http.StatusServiceUnavailable)
		return
	}
	got := r.Header.Get(secretHeader)
	if got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(secret)) != 1 {
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	var u models.Update
	if err == nil {
		err = json.Unmarshal(body, &u)
	}
	if err != nil {
		a.log.Warn("telegram webhook: undecodable update", "err", err)
		http.Error(w, "bad update", http.StatusBadRequest)
		return
	}
	if err := a.deliver(ctx, &u); err != nil {
		a.log.Warn("telegram webhook: update not stored; Telegram will retry", "update_id", u.ID, "err", err)
		http.Error(w, "unavailable", http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// webhookSecret returns WebhookSecret, or the secret kept in Redis, made
// on first use and shared by every process.
func (a *Adapter) webhookSecret(ctx context.Context) (string, error) {
	a.mu.Lock()
	s := a.secr
	a.mu.Unlock()
	if s != "" {
		return s, nil
	}
	s = a.cfg.WebhookSecret
	if s == "" {
		b := make([]byte, 32)
		if _, err := rand.Read(b); err != nil {
			return "", err
		}
		key := a.st.Keys.Global("tg:webhook-secret")
		if err := a.st.Client.SetNX(ctx, key, hex.EncodeToString(b), 0).Err(); err != nil {
			return "", err
		}
		v, err := a.st.Client.Get(ctx, key).Result()
		if errors.Is(err, redis.Nil) {
			return "", errors.New("webhook secret vanished")
		}
		if err != nil {
			return "", err
		}
		s = v
	}
	a.mu.Lock()
	a.secr = s
	a.mu.Unlock()
	return s, nil
}

// setWebhook registers WebhookURL with the secret, retrying until Telegram
// accepts it; it fails only when the token is refused.
func (a *Adapter) setWebhook(ctx context.Context) error {
	for try := 0; ctx.Err() == nil; try++ {
		secret, err := a.webhookSecret(ctx)
		if err == nil {
			_, err = a.bot.SetWebhook(ctx, &bot.SetWebhookParams{
				URL: a.cfg.WebhookURL, SecretToken: secret, AllowedUpdates: allowedUpdates,
			})
		}
		if err == nil {
			return nil
		}
		if errors.Is(err, bot.ErrorUnauthorized) {
			return errors.New("telegram: the token was refused (setWebhook)")
		}
		a.log.Warn("telegram setWebhook failed; retrying", "err", a.mask.Replace(err.Error()))
		sleep(ctx, backoff(try))
	}
	return nil
}
