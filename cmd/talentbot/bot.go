package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/redis/go-redis/v9"
	"golang.org/x/term"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/talentjourney/talentbot/bots"
	"github.com/talentjourney/talentbot/bots/terminal"
	"github.com/talentjourney/talentbot/lessons"
	"github.com/talentjourney/talentbot/scheduler"
	"github.com/talentjourney/talentbot/store"
)

// Main is the wired program: store, catalogue, engine and adapters. End-to-
// end tests build one, Run it and Close it.
type Main struct {
	Config config
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer

	Log      *slog.Logger
	Store    *store.Store
	Engine   *bots.Engine
	Registry *prometheus.Registry

	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// Open connects the store, loads the lessons and builds the engine.
func (m *Main) Open(ctx context.Context) error {
	m.Log = newLogger(m.Config, m.Stderr)
	redis.SetLogger(redisLog{m.Log})
	cat, err := loadLessons(m.Config.LessonsDir)
	if err != nil {
		return err
	}
	m.Store, err = store.Open(ctx, store.Config{URL: m.Config.RedisURL, DataDir: m.Config.DataDir,
		Prefix: m.Config.Prefix, Logger: m.Log})
	if err != nil {
		return err
	}
	m.Log.Info("store ready", "store", m.Store.Where())
	m.Registry = prometheus.NewRegistry()
	sched := scheduler.New(m.Store, scheduler.Config{Logger: m.Log})
	m.Engine, err = bots.New(m.Store, bots.Config{
		Lessons: cat, Logger: m.Log, Scheduler: sched, TutorCodes: m.Config.TutorCodes,
		MeetingURL: m.Config.MeetingURL, BotUsername: m.Config.BotUsername,
		EnrolmentCodes: m.Config.EnrolmentCodes, Coordinators: m.Config.Coordinators,
		Registerer: m.Registry,
	})
	return err
}

func loadLessons(dir string) (*lessons.Catalog, error) {
	if dir == "" {
		return lessons.LoadDefault()
	}
	if !isDir(dir) {
		return nil, fmt.Errorf("TALENTBOT_LESSONS: %s is not a folder", dir)
	}
	return lessons.Extend(dir)
}

// Start runs the engine in the background until Close.
func (m *Main) Start(ctx context.Context) {
	// What loading the catalogue, the texts and the store left behind goes
	// back to the system now: with the bot's rarer collections (GCPercent)
	// it would otherwise stay resident while the bot is idle.
	debug.FreeOSMemory()
	ctx, m.cancel = context.WithCancel(ctx)
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		m.Engine.Run(ctx)
	}()
}

// Close stops the engine (finishing the events in hand and sending what
// the outbox holds) and closes the store.
func (m *Main) Close() error {
	if m.cancel != nil {
		m.cancel()
	}
	m.wg.Wait()
	if m.Store != nil {
		return m.Store.Close()
	}
	return nil
}

// runBot runs the configured platforms, or the terminal chat as "local".
func runBot(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("talentbot", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { usage(stderr) }
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			usage(stdout)
			return 0
		}
		return 2
	}
	cfg, err := loadConfig(os.Getenv)
	if err != nil {
		fmt.Fprintln(stderr, "talentbot:", err)
		return 2
	}
	if cfg.TelegramToken == "" && cfg.DiscordToken == "" {
		return chat(ctx, cfg, "local", stdin, stdout, stderr)
	}
	return serve(ctx, cfg, stdin, stdout, stderr)
}

// runChat runs "talentbot chat --user NAME".
func runChat(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("talentbot chat", flag.ContinueOnError)
	fs.SetOutput(stderr)
	user := fs.String("user", "local", "chat as term:NAME")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: talentbot chat [--user NAME]\n\n"+
			"Chat with the bot in the terminal as user term:NAME.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	name := strings.TrimSpace(*user)
	if name == "" || strings.ContainsAny(name, " {}:") {
		fmt.Fprintln(stderr, "talentbot chat: --user must be a name without spaces, braces or colons")
		return 2
	}
	cfg, err := loadConfig(os.Getenv)
	if err != nil {
		fmt.Fprintln(stderr, "talentbot:", err)
		return 2
	}
	return chat(ctx, cfg, name, stdin, stdout, stderr)
}

// chat opens a terminal chat with the bot.
func chat(ctx context.Context, cfg config, name string, stdin io.Reader, stdout, stderr io.Writer) int {
	return chatOn(ctx, cfg, name, stdin, stdout, stderr, isTerminal(stdin))
}

// chatOn opens the chat; interactive when a person types at a terminal.
func chatOn(ctx context.Context, cfg config, name string, stdin io.Reader, stdout, stderr io.Writer,
	interactive bool) int {
	if !interactive && os.Getenv("TALENTBOT_LOG_LEVEL") == "" {
		cfg.LogLevel = "warn"
	}
	logs := &logSwitch{w: stderr}
	m := &Main{Config: cfg, Stdin: stdin, Stdout: stdout, Stderr: logs}
	if err := m.Open(ctx); err != nil {
		fmt.Fprintln(stderr, "talentbot:", err)
		m.Close()
		return 1
	}
	if interactive {
		// Log lines written into the conversation would break it: after
		// the start-up lines they go to a file, named here.
		if f, err := openLogFile(cfg.DataDir); err == nil {
			fmt.Fprintf(stderr, "Log messages go to %s\n", f.Name())
			logs.set(f)
			defer f.Close()
			defer logs.set(stderr)
		}
	}
	c := terminal.New(m.Engine, name, stdout, interactive)
	if f, ok := stdout.(*os.File); ok && interactive && term.IsTerminal(int(f.Fd())) {
		c.Width = func() int {
			w, _, err := term.GetSize(int(f.Fd()))
			if err != nil {
				return 0
			}
			return w
		}
	}
	m.Engine.AddSender(bots.Terminal, c)
	m.Start(ctx)
	err := c.Run(ctx, stdin)
	m.Log.Info("chat ended", "user", c.User())
	if cerr := m.Close(); err == nil {
		err = cerr
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		fmt.Fprintln(stderr, "talentbot:", err)
		return 1
	}
	return 0
}

// logSwitch is a writer whose destination can change while loggers use it.
type logSwitch struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *logSwitch) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func (l *logSwitch) set(w io.Writer) {
	l.mu.Lock()
	l.w = w
	l.mu.Unlock()
}

// openLogFile opens talentbot.log in the data folder (dir, else the
// default one) for appending, readable by the user only.
func openLogFile(dir string) (*os.File, error) {
	if dir == "" {
		d, err := store.DefaultDataDir()
		if err != nil {
			return nil, err
		}
		dir = d
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	return os.OpenFile(filepath.Join(dir, "talentbot.log"), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
}

func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func newLogger(cfg config, w io.Writer) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.LogLevel)); err != nil {
		level = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

func usage(w io.Writer) {
	fmt.Fprintln(w, `Usage: talentbot [command]

Commands:
  (none)          run the configured platforms, or a terminal chat when none is configured
  chat            chat with the bot in the terminal (--user NAME)
  lessons lint    check a lesson folder (or the embedded catalogue)
  schedule next   print the next occurrences of a schedule
  match solve     solve an OR-Library assignment file
  match cohort    assign a cohort of learners to tutors
  export DIR      write CSV files for partner reports (pseudonymous unless --names)

Every setting is an environment variable:`)
	for _, s := range settings {
		def := orDefault(s.Default, "none")
		if strings.HasPrefix(def, "(") && strings.HasSuffix(def, ")") {
			def = def[1 : len(def)-1] // "(embedded store)": a description, not a value
		}
		fmt.Fprintf(w, "  %-26s %s (default: %s)\n", s.Name, s.Help, def)
	}
}

// redisLog routes go-redis's own messages (connection retries) into slog
// at debug level, so they do not clutter a terminal chat.
type redisLog struct{ log *slog.Logger }

func (l redisLog) Printf(_ context.Context, format string, v ...any) {
	l.log.Debug("redis client", "detail", fmt.Sprintf(format, v...))
}
