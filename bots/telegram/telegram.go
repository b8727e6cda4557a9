// Package telegram connects the bot to Telegram through the Bot API, with
// github.com/go-telegram/bot for sending. It turns updates into bots.Event
// values (long polling with its own getUpdates loop, or a webhook) and
// bots.Message values into Telegram calls: HTML rendering, splitting of long
// text, inline keyboards, quiz polls, pacing under Telegram's limits, and a
// table that maps Telegram's errors to bots.SendError kinds.
//
// No update is lost: in polling mode the offset moves past an update only
// after the engine's Submit stored it; a webhook request is answered 200
// only after Submit returned nil.
package telegram

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/go-telegram/bot"
	"github.com/talentjourney/talentbot/bots"
	"github.com/talentjourney/talentbot/store"
)

// DefaultAPIURL is Telegram's own Bot API server.
const DefaultAPIURL = "https://api.telegram.org"

// Languages are the interface languages whose command menu Run sets.
var Languages = []string{"en", "sl", "fi", "et", "de", "it"}

// Command is one entry of the command menu.
type Command struct {
	// Name is the command without slash, for example "lesson".
	Name string
	// Description is what the menu shows, in the menu's language.
	Description string
}

// Config configures an Adapter. Only Token is required.
type Config struct {
	// Token is the bot token (TELEGRAM_TOKEN). It never appears in logs or
	// errors.
	Token string
	// APIURL is the Bot API server (TELEGRAM_API_URL); empty means
	// DefaultAPIURL.
	APIURL string
	// WebhookURL switches to webhook mode (TELEGRAM_WEBHOOK_URL): Run
	// registers it, and Handler serves it. Empty means long polling.
	WebhookURL string
	// WebhookSecret is the secret token Telegram sends with every webhook
	// request (TELEGRAM_WEBHOOK_SECRET). Empty: one is generated and kept
	// in Redis, shared by every process.
	WebhookSecret string
	// DeleteWebhook lets polling delete a webhook that is set
	// (TELEGRAM_DELETE_WEBHOOK=1). False: a 409 is logged and retried.
	DeleteWebhook bool
	// Rate is the most messages per second overall (TELEGRAM_RATE); zero
	// means 30, a negative value no limit (Rate, ChatRate and GroupRate
	// alike).
	Rate float64
	// ChatRate is the most messages per second to one private chat
	// (TELEGRAM_CHAT_RATE); zero means 1. Bursts of ChatBurst are allowed.
	ChatRate float64
	// ChatBurst is the burst allowed per private chat; zero means 3.
	ChatBurst int
	// GroupRate is the most messages per minute to one group
	// (TELEGRAM_GROUP_RATE); zero means 20.
	GroupRate float64
	// PaidBroadcast sets allow_paid_broadcast on broadcast messages
	// (TELEGRAM_PAID_BROADCAST=1); it spends the bot's Stars.
	PaidBroadcast bool
	// QuizPolls shows quizzes as native Telegram quiz polls when they fit.
	QuizPolls bool
	// Commands is the command menu per language ("en", "sl", ...); the
	// "en" list is also the default for every other language.
	Commands map[string][]Command
	// PrivateNote and PrivateButton are the text and button label posted in
	// a group instead of a private answer; empty means English defaults.
	PrivateNote, PrivateButton string
	// PollTimeout is the long-poll timeout of getUpdates; zero means 50 s.
	PollTimeout time.Duration
	// ConflictWait is the pause after a 409 Conflict on getUpdates; zero
	// means 30 s.
	ConflictWait time.Duration
	// MaxInFlight is the most calls under way at once; zero means 16.
	// Calls already under way when a 429 arrives cannot be recalled, so
	// with 1 no call at all reaches Telegram during a retry_after.
	MaxInFlight int
	// MaxRetryAfter caps one 429 wait; zero means 5 minutes. A longer
	// retry_after comes back as bots.ErrRateLimited.
	MaxRetryAfter time.Duration
	// HTTPClient makes every call; nil means a client tuned for many
	// parallel sends.
	HTTPClient *http.Client
	// Logger receives records; nil means slog.Default().
	Logger *slog.Logger
}

func (c *Config) setDefaults() {
	if c.APIURL == "" {
		c.APIURL = DefaultAPIURL
	}
	c.APIURL = strings.TrimRight(c.APIURL, "/")
	if c.Rate == 0 {
		c.Rate = 30
	}
	if c.ChatRate == 0 {
		c.ChatRate = 1
	}
	if c.ChatBurst <= 0 {
		c.ChatBurst = 3
	}
	if c.GroupRate == 0 {
		c.GroupRate = 20
	}
	if c.PrivateNote == "" {
		c.PrivateNote = "I answer this in our private chat."
	}
	if c.PrivateButton == "" {
		c.PrivateButton = "Open private chat"
	}
	if c.PollTimeout <= 0 {
		c.PollTimeout = 50 * time.Second
	}
	if c.ConflictWait <= 0 {
		c.ConflictWait = 30 * time.Second
	}
	if c.MaxInFlight <= 0 {
		c.MaxInFlight = 16
	}
	if c.MaxRetryAfter <= 0 {
		c.MaxRetryAfter = 5 * time.Minute
	}
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{Transport: &http.Transport{
			Proxy:               http.ProxyFromEnvironment,
			MaxIdleConns:        256,
			MaxIdleConnsPerHost: 256,
			IdleConnTimeout:     90 * time.Second,
			ForceAttemptHTTP2:   true,
		}}
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
}

// Adapter is the Telegram adapter: a bots.Sender, a webhook http.Handler
// and, through Run, the source of Telegram events.
type Adapter struct {
	cfg  Config
	sub  bots.Submitter
	st   *store.Store
	log  *slog.Logger
	bot  *bot.Bot
	pace *pacer
	api  *apiClient
	mu   sync.Mutex
	user string // the bot's username, from getMe
	secr string // webhook secret in force
	mask *strings.Replacer
}

var _ bots.Sender = (*Adapter)(nil)

// New returns an adapter that hands events to sub and keeps its own state
// (offset, webhook secret, long button payloads, quiz polls) in st. It
// makes no network call; Run does.
func New(cfg Config, sub bots.Submitter, st *store.Store) (*Adapter, error) {
	if strings.TrimSpace(cfg.Token) == "" {
		return nil, errors.New("telegram: no token")
	}
	if st == nil {
		return nil, errors.New("telegram: no store")
	}
	cfg.setDefaults()
	a := &Adapter{
		cfg:  cfg,
		sub:  sub,
		st:   st,
		log:  cfg.Logger.With("platform", bots.Telegram),
		mask: strings.NewReplacer(cfg.Token, "<token>"),
	}
	a.pace = newPacer(cfg)
	a.api = &apiClient{base: cfg.APIURL + "/bot" + cfg.Token + "/", mask: a.mask, http: cfg.HTTPClient}
	b, err := bot.New(cfg.Token,
		bot.WithServerURL(cfg.APIURL),
		bot.WithSkipGetMe(),
		bot.WithHTTPClient(cfg.PollTimeout, timeoutClient{cfg.HTTPClient, 30 * time.Second}),
		bot.WithErrorsHandler(func(err error) {
			a.log.Warn("telegram library error", "err", a.mask.Replace(err.Error()))
		}),
		bot.WithDebugHandler(func(format string, args ...any) {
			a.log.Debug("telegram library", "msg", a.mask.Replace(fmt.Sprintf(format, args...)))
		}),
	)
	if err != nil {
		return nil, fmt.Errorf("telegram: %s", a.mask.Replace(err.Error()))
	}
	a.bot = b
	return a, nil
}

// timeoutClient gives every library call a deadline without the
// http.Client's own Timeout, which would also cut long polls.
type timeoutClient struct {
	c *http.Client
	d time.Duration
}

func (t timeoutClient) Do(r *http.Request) (*http.Response, error) {
	ctx, cancel := context.WithTimeout(r.Context(), t.d)
	resp, err := t.c.Do(r.WithContext(ctx))
	if err != nil {
		cancel()
		return nil, err
	}
	resp.Body = &cancelBody{ReadCloser: resp.Body, cancel: cancel}
	return resp, nil
}

// Run connects to Telegram and feeds events to the Submitter until ctx
// ends: it learns the bot's name (getMe), sets the command menus, then
// either registers the webhook (WebhookURL set; Handler receives the
// updates) or polls getUpdates. It returns nil when ctx ends, or an error
// when Telegram refuses the token.
func (a *Adapter) Run(ctx context.Context) error {
	if _, err := a.username(ctx, true); err != nil {
		return err
	}
	a.setCommands(ctx)
	if a.cfg.WebhookURL != "" {
		if err := a.setWebhook(ctx); err != nil {
			return err
		}
		a.log.Info("telegram webhook registered")
		<-ctx.Done()
		return nil
	}
	a.log.Info("telegram long polling started")
	return a.poll(ctx)
}

// username returns the bot's @username, asking getMe once; with wait it
// retries until Telegram answers or ctx ends.
func (a *Adapter) username(ctx context.Context, wait bool) (string, error) {
	a.mu.Lock()
	u := a.user
	a.mu.Unlock()
	if u != "" {
		return u, nil
	}
	for try := 0; ; try++ {
		me, err := a.bot.GetMe(ctx)
		if err == nil && me.Username != "" {
			a.mu.Lock()
			a.user = me.Username
			a.mu.Unlock()
			return me.Username, nil
		}
		if err == nil {
			err = errors.New("getMe gave no username")
		}
		if errors.Is(err, bot.ErrorUnauthorized) || errors.Is(err, bot.ErrorNotFound) {
			return "", errors.New("telegram: the token was refused (getMe); check TELEGRAM_TOKEN")
		}
		if !wait {
			return "", fmt.Errorf("telegram: getMe: %s", a.mask.Replace(err.Error()))
		}
		a.log.Warn("telegram getMe failed, retrying", "err", a.mask.Replace(err.Error()))
		if !sleep(ctx, backoff(try)) {
			return "", nil
		}
	}
}

// sleep waits d or until ctx ends; it says whether d passed.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// backoff is the pause before retry number try (from 0): 1 s doubling to
// 30 s.
func backoff(try int) time.Duration {
	d := time.Second << min(try, 5)
	return min(d, 30*time.Second)
}
