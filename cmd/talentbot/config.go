package main

import (
	"fmt"
	"strings"
	"time"
)

// setting is one environment variable the bot reads, with its default and
// meaning; the README's settings table lists the same.
type setting struct {
	Name, Default, Help string
}

var settings = []setting{
	{"REDIS_URL", "(embedded store)",
		"Redis to use: redis://, rediss://, or with master_name and addr for Sentinel"},
	{"TALENTBOT_DATA", "(user data dir)/talentbot", "folder of the embedded store's snapshot"},
	{"TALENTBOT_PREFIX", "tj", "prefix of every Redis key"},
	{"TALENTBOT_LESSONS", "", "folder of lessons that extends the embedded catalogue"},
	{"TALENTBOT_TUTOR_CODES", "", "comma-separated invite codes that make a user a tutor"},
	{"TALENTBOT_ENROLMENT_CODES", "", "comma-separated enrolment codes for learners under 16"},
	{"TALENTBOT_COORDINATORS", "", "comma-separated user keys of coordinators (tg:123,dc:456,term:ana)"},
	{"TALENTBOT_HTTP_ADDR", "127.0.0.1:8080",
		"health, readiness, metrics and webhook listener (when a platform is on)"},
	{"TALENTBOT_LOG", "text", "log format: text or json"},
	{"TALENTBOT_LOG_LEVEL", "info", "debug, info, warn or error"},
	{"TALENTBOT_BOT_USERNAME", "", "the Telegram bot's username, for t.me invite links"},
	{"TALENTBOT_MEETING_URL", "https://meet.jit.si/talentjourney-{id}", "meeting link template"},
	{"TELEGRAM_TOKEN", "", "Telegram bot token; turns Telegram on"},
	{"TELEGRAM_API_URL", "https://api.telegram.org", "Bot API server"},
	{"TELEGRAM_WEBHOOK_URL", "", "public webhook URL; empty means long polling"},
	{"TELEGRAM_WEBHOOK_SECRET", "(generated, kept in Redis)", "webhook secret token"},
	{"TELEGRAM_DELETE_WEBHOOK", "0", "1: delete a webhook that blocks polling"},
	{"TELEGRAM_RATE", "30", "messages per second overall"},
	{"TELEGRAM_CHAT_RATE", "1", "messages per second per private chat"},
	{"TELEGRAM_GROUP_RATE", "20", "messages per minute per group"},
	{"TELEGRAM_PAID_BROADCAST", "0", "1: allow paid broadcasts (spends Stars)"},
	{"TELEGRAM_QUIZ_POLLS", "0", "1: show quiz items as native quiz polls where they fit"},
	{"DISCORD_TOKEN", "", "Discord bot token; turns Discord on"},
	{"DISCORD_APP_ID", "", "Discord application id"},
	{"DISCORD_GUILD_ID", "", "register commands in this server at once (for trying out)"},
	{"DISCORD_API_URL", "https://discord.com/", "where the REST API and (through GET /gateway) the gateway are, for tests and proxies"},
	{"GOGC", "400", "Go's garbage collector target (the bot's own default; Go's is 100)"},
	{"GOMEMLIMIT", "64MiB", "Go's soft memory limit (the bot's own default; Go has none)"},
}

// config is the bot's configuration, read from the environment.
type config struct {
	RedisURL       string
	DataDir        string
	Prefix         string
	LessonsDir     string
	TutorCodes     []string
	EnrolmentCodes []string
	Coordinators   []string
	HTTPAddr       string
	LogFormat      string
	LogLevel       string
	MeetingURL     string
	BotUsername    string
	TelegramToken  string
	DiscordToken   string
	ShutdownGrace  time.Duration
}

func loadConfig(getenv func(string) string) (config, error) {
	c := config{
		RedisURL: getenv("REDIS_URL"), DataDir: getenv("TALENTBOT_DATA"),
		Prefix: orDefault(getenv("TALENTBOT_PREFIX"), "tj"), LessonsDir: getenv("TALENTBOT_LESSONS"),
		TutorCodes:     list(getenv("TALENTBOT_TUTOR_CODES")),
		EnrolmentCodes: list(getenv("TALENTBOT_ENROLMENT_CODES")),
		Coordinators:   list(getenv("TALENTBOT_COORDINATORS")),
		HTTPAddr:       orDefault(getenv("TALENTBOT_HTTP_ADDR"), "127.0.0.1:8080"),
		LogFormat:      orDefault(getenv("TALENTBOT_LOG"), "text"),
		LogLevel:       orDefault(getenv("TALENTBOT_LOG_LEVEL"), "info"),
		MeetingURL:     orDefault(getenv("TALENTBOT_MEETING_URL"), "https://meet.jit.si/talentjourney-{id}"),
		BotUsername:    getenv("TALENTBOT_BOT_USERNAME"),
		TelegramToken:  getenv("TELEGRAM_TOKEN"),
		DiscordToken:   getenv("DISCORD_TOKEN"),
		ShutdownGrace:  20 * time.Second,
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return c, fmt.Errorf("TALENTBOT_LOG must be text or json, not %q", c.LogFormat)
	}
	return c, nil
}

func orDefault(v, d string) string {
	if v == "" {
		return d
	}
	return v
}

func list(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
