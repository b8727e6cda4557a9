// Package discord connects the bot to Discord with discordgo v0.28.1: slash
// commands and buttons (interactions) and direct messages come in through
// the gateway as neutral events; the engine's messages go out as
// interaction follow-ups, direct messages or channel messages.
//
// Every interaction is stored with the engine (Submit) and then
// acknowledged at once with a deferred response, ephemeral in a server, so
// that Discord's 3-second limit holds however long the user's queue is; the
// engine's answers then arrive as follow-ups through the interaction token
// carried in Event.Reply. Lessons go to direct messages.
package discord

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/talentjourney/talentbot/bots"
	"github.com/talentjourney/talentbot/store"
)

// Intents are the gateway intents the adapter asks for: guilds, and direct
// messages, whose content reaches the bot without the privileged
// message-content intent. Interactions need no intent.
const Intents = discordgo.IntentsGuilds | discordgo.IntentsDirectMessages

// Config configures an Adapter.
type Config struct {
	// Token is the bot token (DISCORD_TOKEN), without "Bot ". Required.
	Token string
	// AppID is the application id (DISCORD_APP_ID). Required.
	AppID string
	// GuildID (DISCORD_GUILD_ID), when set, registers the slash commands in
	// that server only, where they appear at once; empty registers them
	// globally.
	GuildID string
	// APIURL is the base URL of the API and, through GET /gateway, of the
	// gateway (DISCORD_API_URL); empty means DefaultAPIURL. It applies to
	// the whole process.
	APIURL string
	// ShardID and ShardCount split the gateway between processes (Discord
	// sends each server's events to one shard, and direct messages to shard
	// 0); zero ShardCount means one shard. Only shard 0 registers commands.
	ShardID, ShardCount int
	// Commands are the slash commands; nil means DefaultCommands(); Menu
	// builds them from the engine.
	Commands []Command
	// Logger receives records; nil means slog.Default().
	Logger *slog.Logger
	// SubmitTimeout bounds storing one event; zero means 2 seconds.
	SubmitTimeout time.Duration
	// RateRetries is how many times a 429 is waited out before Send gives
	// up with bots.ErrRateLimited; zero means 3.
	RateRetries int
	// MaxRetryWait is the longest retry_after waited inside Send; a longer
	// one is returned to the outbox at once. Zero means 30 seconds.
	MaxRetryWait time.Duration
	// InvalidSlowdown and InvalidStop are numbers of 401, 403 and 429
	// answers within 10 minutes (Discord bans an IP at 10,000): from the
	// first every send waits a second before it goes; from the second no
	// send goes at all. Zero means 1,000 and 5,000.
	InvalidSlowdown, InvalidStop int
	// HTTPClient makes REST calls; nil means a client with a 10-second
	// timeout that keeps up to 32 idle connections.
	HTTPClient *http.Client
}

// Adapter is the Discord side of the bot. Create it with New; it is safe
// for concurrent use.
type Adapter struct {
	cfg Config
	sub bots.Submitter
	st  *store.Store
	log *slog.Logger
	s   *discordgo.Session

	acks      sync.Map // interaction id -> chan struct{}, closed when acknowledged
	noted     sync.Map // interaction id -> struct{}: "sent to your DMs" was said
	forbidden sync.Map // channel id -> time.Time until which it is not tried
	invalid   invalidCounter
}

var _ bots.Sender = (*Adapter)(nil)

// New makes an adapter that submits events to sub and keeps its few keys in
// st. It points discordgo at cfg.APIURL; Run connects.
func New(cfg Config, sub bots.Submitter, st *store.Store) (*Adapter, error) {
	if cfg.Token == "" || cfg.AppID == "" {
		return nil, errors.New("discord: DISCORD_TOKEN and DISCORD_APP_ID are required")
	}
	setDefaults(&cfg)
	pointEndpoints(cfg.APIURL)
	routeLogs(cfg.Logger, cfg.Token)

	s, err := discordgo.New("Bot " + cfg.Token)
	if err != nil {
		return nil, err
	}
	s.Identify.Intents = Intents
	s.ShouldRetryOnRateLimit = false // Send waits out 429s itself, a bounded number of times
	s.MaxRestRetries = 1
	s.SyncEvents = true // handlers run in gateway order; they only store and hand off
	s.StateEnabled = false
	s.LogLevel = discordgo.LogWarning
	s.Client = cfg.HTTPClient
	if cfg.ShardCount > 1 {
		s.ShardID, s.ShardCount = cfg.ShardID, cfg.ShardCount
	}

	a := &Adapter{cfg: cfg, sub: sub, st: st, log: cfg.Logger.With("platform", bots.Discord), s: s}
	s.AddHandler(a.onInteraction)
	s.AddHandler(a.onMessage)
	s.AddHandler(func(_ *discordgo.Session, r *discordgo.Ready) {
		a.log.Info("discord gateway ready", "guilds", len(r.Guilds))
	})
	return a, nil
}

func setDefaults(cfg *Config) {
	if cfg.APIURL == "" {
		cfg.APIURL = DefaultAPIURL
	}
	if cfg.Commands == nil {
		cfg.Commands = DefaultCommands()
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.SubmitTimeout == 0 {
		cfg.SubmitTimeout = 2 * time.Second
	}
	if cfg.RateRetries == 0 {
		cfg.RateRetries = 3
	}
	if cfg.MaxRetryWait == 0 {
		cfg.MaxRetryWait = 30 * time.Second
	}
	if cfg.InvalidSlowdown == 0 {
		cfg.InvalidSlowdown = 1000
	}
	if cfg.InvalidStop == 0 {
		cfg.InvalidStop = 5000
	}
	if cfg.HTTPClient == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = 32 // acknowledgements and follow-ups run side by side
		cfg.HTTPClient = &http.Client{Timeout: 10 * time.Second, Transport: t}
	}
}

// Run registers the slash commands (on shard 0), connects to the gateway
// and handles events until ctx ends. A failed registration is logged, not fatal (the
// commands of the last run stay).
func (a *Adapter) Run(ctx context.Context) error {
	if a.cfg.ShardID == 0 {
		if err := a.register(ctx); err != nil {
			a.log.Error("discord: register slash commands", "err", redact(err.Error()))
		}
	}
	if err := a.s.Open(); err != nil {
		return errors.New("discord: connect to gateway: " + redact(err.Error()))
	}
	a.log.Info("discord adapter running", "commands", len(a.cfg.Commands), "guild_scoped", a.cfg.GuildID != "")
	<-ctx.Done()
	return a.s.Close()
}
