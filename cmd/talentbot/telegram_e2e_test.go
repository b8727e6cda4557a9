package main

import (
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/talentjourney/talentbot/bots/telegram/telegramtest"
)

// TestBinaryServesTelegram runs the README's run command (the built
// binary, with TELEGRAM_TOKEN and TELEGRAM_API_URL) against a fake Bot API
// and takes a learner from /start through consent to the age question;
// /healthz answers on the HTTP listener.
func TestBinaryServesTelegram(t *testing.T) {
	bin := binary(t)
	srv := telegramtest.NewServer(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(bin)
	cmd.Env = env("TELEGRAM_TOKEN="+telegramtest.Token, "TELEGRAM_API_URL="+srv.URL,
		"TALENTBOT_DATA="+t.TempDir(), "TALENTBOT_HTTP_ADDR="+addr)
	logFile, err := os.Create(filepath.Join(t.TempDir(), "bot.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = logFile
	logs := func() string {
		b, _ := os.ReadFile(logFile.Name())
		return string(b)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })

	const user = 4242
	srv.AddUpdate(telegramtest.TextUpdate(user, "/start"))
	waitSent := func(want string) telegramtest.Call {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for time.Now().Before(deadline) {
			for _, c := range srv.Calls("sendMessage") {
				if c.Params["chat_id"] == telegramtest.ChatID(user) && strings.Contains(c.Text, want) {
					return c
				}
			}
			time.Sleep(20 * time.Millisecond)
		}
		t.Fatalf("no message with %q within 30 s; bot logs:\n%s", want, logs())
		return telegramtest.Call{}
	}
	waitSent("Do you agree?")
	srv.AddUpdate(telegramtest.CallbackUpdate(user, user, "consent:yes"))
	waitSent("How old are you?")
	if strings.Contains(logs(), telegramtest.Token) {
		t.Fatal("the token appears in the logs")
	}
	resp, err := http.Get("http://" + addr + "/healthz")
	if err != nil {
		t.Fatalf("/healthz: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "ok") {
		t.Fatalf("/healthz answered %d %q", resp.StatusCode, body)
	}
}
