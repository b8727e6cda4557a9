package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/talentjourney/talentbot/bots"
	"github.com/talentjourney/talentbot/bots/discord"
	"github.com/talentjourney/talentbot/bots/telegram"
)

// serve runs the configured platforms and the HTTP listener until ctx ends
// (SIGTERM), then stops taking events, finishes those in hand, sends what
// the outbox holds and exits.
func serve(ctx context.Context, cfg config, stdin io.Reader, stdout, stderr io.Writer) int {
	m := &Main{Config: cfg, Stdin: stdin, Stdout: stdout, Stderr: stderr}
	if err := m.Open(ctx); err != nil {
		fmt.Fprintln(stderr, "talentbot:", err)
		m.Close()
		return 1
	}
	defer m.Close()
	platforms, mux, err := m.platforms()
	if err != nil {
		m.Log.Error("platform setup failed", "err", err)
		return 1
	}
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		io.WriteString(w, "ok\n")
	})
	mux.HandleFunc("/readyz", func(w http.ResponseWriter, r *http.Request) {
		pctx, cancel := context.WithTimeout(r.Context(), time.Second)
		defer cancel()
		if err := m.Store.Client.Ping(pctx).Err(); err != nil {
			http.Error(w, "redis unreachable", http.StatusServiceUnavailable)
			return
		}
		io.WriteString(w, "ready\n")
	})
	mux.Handle("/metrics", promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{}))
	ln, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		m.Log.Error("cannot listen", "addr", cfg.HTTPAddr, "err", err)
		return 1
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	m.Log.Info("http listening", "addr", ln.Addr().String())

	m.Start(context.WithoutCancel(ctx))
	errc := make(chan error, len(platforms))
	for _, p := range platforms {
		go func(p interface{ Run(context.Context) error }) { errc <- p.Run(ctx) }(p)
	}
	code := 0
	select {
	case <-ctx.Done():
		m.Log.Info("stopping: finishing events in hand and sending the outbox")
	case err := <-errc:
		if err != nil && !errors.Is(err, context.Canceled) {
			m.Log.Error("platform stopped", "err", err)
			code = 1
		}
	}
	shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	srv.Shutdown(shut)
	return code
}

type runner interface{ Run(context.Context) error }

// platforms builds the adapters the environment turns on.
func (m *Main) platforms() ([]runner, *http.ServeMux, error) {
	mux := http.NewServeMux()
	var out []runner
	getenv := os.Getenv
	if m.Config.TelegramToken != "" {
		tg, err := telegram.New(telegram.Config{
			Token: m.Config.TelegramToken, APIURL: getenv("TELEGRAM_API_URL"),
			WebhookURL: getenv("TELEGRAM_WEBHOOK_URL"), WebhookSecret: getenv("TELEGRAM_WEBHOOK_SECRET"),
			DeleteWebhook: getenv("TELEGRAM_DELETE_WEBHOOK") == "1",
			Rate:          floatEnv("TELEGRAM_RATE"), ChatRate: floatEnv("TELEGRAM_CHAT_RATE"),
			GroupRate:     floatEnv("TELEGRAM_GROUP_RATE"),
			PaidBroadcast: getenv("TELEGRAM_PAID_BROADCAST") == "1",
			QuizPolls:     getenv("TELEGRAM_QUIZ_POLLS") == "1",
			Commands:      telegram.Menu(m.Engine, ""), Logger: m.Log.With("platform", "tg"),
		}, m.Engine, m.Store)
		if err != nil {
			return nil, nil, fmt.Errorf("telegram: %w", err)
		}
		m.Engine.AddSender(bots.Telegram, tg)
		mux.Handle("/telegram", tg.Handler())
		out = append(out, tg)
	}
	if m.Config.DiscordToken != "" {
		dc, err := discord.New(discord.Config{
			Token: m.Config.DiscordToken, AppID: getenv("DISCORD_APP_ID"),
			GuildID: getenv("DISCORD_GUILD_ID"), APIURL: getenv("DISCORD_API_URL"),
			Commands: discord.Menu(m.Engine, ""), Logger: m.Log.With("platform", "dc"),
		}, m.Engine, m.Store)
		if err != nil {
			return nil, nil, fmt.Errorf("discord: %w", err)
		}
		m.Engine.AddSender(bots.Discord, dc)
		out = append(out, dc)
	}
	return out, mux, nil
}

func floatEnv(name string) float64 {
	var f float64
	fmt.Sscan(os.Getenv(name), &f)
	return f
}
