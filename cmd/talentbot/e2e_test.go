package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/talentjourney/talentbot/store"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// binary builds talentbot once for the end-to-end tests.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "talentbot-e2e")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "talentbot")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = err
			t.Log(string(out))
		}
	})
	if buildErr != nil {
		t.Fatalf("build: %v", buildErr)
	}
	return binPath
}

// env is the child's environment: no platform tokens, the given extras.
func env(extra ...string) []string {
	var out []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch name {
		case "REDIS_URL", "TELEGRAM_TOKEN", "DISCORD_TOKEN", "TALENTBOT_DATA", "TALENTBOT_PREFIX":
			continue
		}
		out = append(out, kv)
	}
	return append(out, extra...)
}

// onboardingLines answers onboarding with buttons: consent, 16+, English,
// learner, Slovenia, Europe/Ljubljana, first skill, Done, 18:00.
const onboardingLines = "/start\n1\n1\n1\n1\n1\n1\n1\n6\n3\n"

// TestChatFromPipe runs the chat with standard input from a pipe: a new
// learner is onboarded, takes a lesson and its quiz, and /progress shows
// it, also after the process is started again on the same data folder.
func TestChatFromPipe(t *testing.T) {
	bin := binary(t)
	data := t.TempDir()
	run := func(input string) string {
		cmd := exec.Command(bin, "chat")
		cmd.Env = env("TALENTBOT_DATA=" + data)
		cmd.Stdin = strings.NewReader(input)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		if err := cmd.Run(); err != nil {
			t.Fatalf("chat exited with %v; stderr:\n%s", err, errb.String())
		}
		return out.String()
	}
	out := run(onboardingLines + "/lesson\n1\n1\n1\n/progress\n")
	for _, want := range []string{"Do you agree?", "All set!", "Quiz: question 1", "Your progress",
		"1 lesson done"} {
		if !strings.Contains(out, want) {
			t.Fatalf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "> ") {
		t.Error("a prompt was printed although standard input is not a terminal")
	}
	again := run("/progress\n")
	if !strings.Contains(again, "1 lesson done") {
		t.Fatalf("after a restart /progress says:\n%s", again)
	}
}

// TestKilledDuringOnboardingResumes kills the chat with SIGKILL in the
// middle of onboarding against REDIS_URL and checks that a new process
// asks the same question, not the consent again.
func TestKilledDuringOnboardingResumes(t *testing.T) {
	url := os.Getenv("REDIS_URL")
	if url == "" {
		t.Skip("REDIS_URL not set: this test kills a process using a real Redis")
	}
	bin := binary(t)
	b := make([]byte, 6)
	rand.Read(b)
	prefix := "e2e-" + hex.EncodeToString(b)
	t.Cleanup(func() {
		opts, _ := redis.ParseURL(url)
		c := redis.NewClient(opts)
		defer c.Close()
		store.ScanDelete(context.Background(), c, prefix+"*")
	})
	environ := env("REDIS_URL="+url, "TALENTBOT_PREFIX="+prefix, "TALENTBOT_DATA="+t.TempDir())

	cmd := exec.Command(bin, "chat", "--user", "kill")
	cmd.Env = environ
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	waitLine := func(want string) {
		t.Helper()
		deadline := time.After(20 * time.Second)
		for {
			select {
			case l, ok := <-lines:
				if !ok {
					t.Fatalf("chat ended before %q", want)
				}
				if strings.Contains(l, want) {
					return
				}
			case <-deadline:
				t.Fatalf("no %q within 20 s", want)
			}
		}
	}
	io.WriteString(stdin, "/start\n")
	waitLine("Do you agree?")
	io.WriteString(stdin, "1\n")
	waitLine("How old are you?")
	io.WriteString(stdin, "1\n")
	waitLine("Which language")
	io.WriteString(stdin, "2\n") // Slovenščina
	waitLine("mentor")           // the role question, in Slovenian
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()

	again := exec.Command(bin, "chat", "--user", "kill")
	again.Env = environ
	again.Stdin = strings.NewReader("hello\n")
	out, err := again.Output()
	if err != nil {
		t.Fatalf("restart: %v", err)
	}
	got := string(out)
	if strings.Contains(got, "Do you agree?") || !strings.Contains(got, "gumbov") ||
		!strings.Contains(got, "mentor") {
		t.Fatalf("after SIGKILL the bot said:\n%s\nwant the role question again, in Slovenian", got)
	}
}

// TestChatStopsOnSIGTERMWhileWaiting stops the chat with SIGTERM while it
// waits for a line that never comes: it exits at once with status 0.
func TestChatStopsOnSIGTERMWhileWaiting(t *testing.T) {
	bin := binary(t)
	cmd := exec.Command(bin, "chat")
	cmd.Env = env("TALENTBOT_DATA=" + t.TempDir())
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	io.WriteString(in, "/help\n")
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(out.String(), "/lesson") {
		if time.Now().After(deadline) {
			t.Fatalf("no reply to /help:\n%s", out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v\n%s", err, out.String())
		}
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		t.Fatal("the chat kept waiting for input after SIGTERM")
	}
}

// TestChatAnswersAHugeLine sends a line of 2 MiB and then /help: the first
// gets the polite "too long" answer, the second its answer, exit 0.
func TestChatAnswersAHugeLine(t *testing.T) {
	bin := binary(t)
	cmd := exec.Command(bin, "chat")
	cmd.Env = env("TALENTBOT_DATA=" + t.TempDir())
	cmd.Stdin = strings.NewReader(strings.Repeat("ä", 1<<20) + "\n/help\n")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("chat exited with %v; stderr:\n%s", err, errb.String())
	}
	for _, want := range []string{"too long", "/lesson"} {
		if !strings.Contains(out.String(), want) {
			t.Fatalf("output lacks %q:\n%.2000s", want, out.String())
		}
	}
}

// TestChatAnswersAnEmptyLine: an empty or blank line gets a reply, and a
// command after a byte-order mark is still a command.
func TestChatAnswersAnEmptyLine(t *testing.T) {
	bin := binary(t)
	cmd := exec.Command(bin, "chat")
	cmd.Env = env("TALENTBOT_DATA=" + t.TempDir())
	cmd.Stdin = strings.NewReader(onboardingLines + "\n \t \r\n\ufeff/progress\n")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("chat exited with %v; stderr:\n%s", err, errb.String())
	}
	_, after, _ := strings.Cut(out.String(), "All set!")
	if n := strings.Count(after, "empty message"); n != 2 {
		t.Fatalf("%d replies about an empty message, want 2:\n%s", n, after)
	}
	if !strings.Contains(after, "Your progress") {
		t.Fatalf("/progress after a byte-order mark was not a command:\n%s", after)
	}
}

// lockedBuffer is a bytes.Buffer safe to read while a child writes to it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestInteractiveChatLogsToAFile: at a terminal, log lines after the
// start-up would break the conversation; they go to talentbot.log in the
// data folder, whose name the chat prints first.
func TestInteractiveChatLogsToAFile(t *testing.T) {
	data := t.TempDir()
	cfg, err := loadConfig(func(k string) string {
		if k == "TALENTBOT_DATA" {
			return data
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := chatOn(context.Background(), cfg, "logs", strings.NewReader("/help\n"), &out, &errb,
		true); code != 0 {
		t.Fatalf("chat exited %d; stderr:\n%s", code, errb.String())
	}
	path := filepath.Join(data, "talentbot.log")
	if !strings.Contains(errb.String(), "store ready") ||
		!strings.Contains(errb.String(), "Log messages go to "+path) {
		t.Fatalf("the terminal shows:\n%s\nwant the start-up line and the log file's name", errb.String())
	}
	if strings.Contains(errb.String(), "chat ended") {
		t.Fatalf("a log line after the start-up reached the terminal:\n%s", errb.String())
	}
	b, err := os.ReadFile(path)
	if err != nil || !strings.Contains(string(b), "chat ended") {
		t.Fatalf("log file: %v\n%s", err, b)
	}
	if !strings.Contains(out.String(), "/lesson") {
		t.Fatalf("the chat did not answer /help:\n%s", out.String())
	}
}
