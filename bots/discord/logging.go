package discord

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/bwmarrin/discordgo"
)

var (
	dgLogger   atomic.Pointer[slog.Logger]
	dgToken    atomic.Pointer[string]
	dgInstall  sync.Once
	secretPath = regexp.MustCompile(`((?:webhooks|interactions)/\d+/)[^/\s"?]+`)
)

// routeLogs sends discordgo's package-wide log into log (the latest
// adapter's logger wins; discordgo has one Logger variable per process).
func routeLogs(log *slog.Logger, token string) {
	dgLogger.Store(log)
	dgToken.Store(&token)
	dgInstall.Do(func() { discordgo.Logger = logDiscordgo })
}

// logDiscordgo is discordgo's Logger. It never writes message text or
// tokens: string arguments (payloads, names, URLs) are replaced by a
// mark, and errors have tokens in URLs masked. Debug records, which carry
// whole payloads, are dropped.
func logDiscordgo(level, _ int, format string, args ...any) {
	log := dgLogger.Load()
	if log == nil || level >= discordgo.LogDebug {
		return
	}
	safe := make([]any, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case error:
			safe[i] = redact(v.Error())
		case string, []byte:
			safe[i] = "[…]"
		case fmt.Stringer:
			safe[i] = redact(v.String())
		default:
			safe[i] = v
		}
	}
	msg := strings.TrimSpace(fmt.Sprintf(format, safe...))
	lvl := map[int]slog.Level{discordgo.LogError: slog.LevelError,
		discordgo.LogWarning: slog.LevelWarn}[level]
	if level == discordgo.LogInformational {
		lvl = slog.LevelDebug
	}
	log.Log(context.Background(), lvl, "discordgo: "+msg, "platform", "dc")
}

// redact masks webhook and interaction tokens in URLs and the bot token.
func redact(s string) string {
	s = secretPath.ReplaceAllString(s, "${1}***")
	if t := dgToken.Load(); t != nil && *t != "" {
		s = strings.ReplaceAll(s, *t, "***")
	}
	return s
}
