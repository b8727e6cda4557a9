package telegram

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"sync"
	"testing"

	"github.com/alicebob/miniredis/v2"
	"github.com/talentjourney/talentbot/bots/telegram/telegramtest"
	"github.com/talentjourney/talentbot/store"
)

// tcpProxy forwards connections to a Redis server until cut.
type tcpProxy struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	down   bool
	conns  []net.Conn
}

func newProxy(t *testing.T, target string) *tcpProxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &tcpProxy{ln: ln, target: target}
	go p.accept()
	t.Cleanup(func() { ln.Close(); p.cut() })
	return p
}

func (p *tcpProxy) accept() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		down := p.down
		p.mu.Unlock()
		if down {
			c.Close()
			continue
		}
		s, err := net.Dial("tcp", p.target)
		if err != nil {
			c.Close()
			continue
		}
		p.mu.Lock()
		p.conns = append(p.conns, c, s)
		p.mu.Unlock()
		go func() { _, _ = io.Copy(s, c); s.Close() }()
		go func() { _, _ = io.Copy(c, s); c.Close() }()
	}
}

// cut closes every connection and refuses new ones until restore.
func (p *tcpProxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = true
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

func (p *tcpProxy) restore() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = false
}

// cuttableStore opens a store through a proxy the test can cut: to
// REDIS_URL's server when set, else to an embedded server of its own.
func cuttableStore(t *testing.T) (*store.Store, *tcpProxy) {
	raw := os.Getenv("REDIS_URL")
	if raw == "" {
		m := miniredis.RunT(t)
		raw = "redis://" + m.Addr()
	}
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	p := newProxy(t, u.Host)
	u.Host = p.ln.Addr().String()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	st, err := store.Open(context.Background(), store.Config{URL: u.String(), Prefix: "test-" + hex.EncodeToString(b)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		p.restore()
		_ = st.DeleteAll(context.Background())
		st.Close()
	})
	return st, p
}

func postUpdate(t *testing.T, h http.Handler, secret string, update map[string]any) int {
	body, _ := json.Marshal(update)
	req := httptest.NewRequest(http.MethodPost, "/telegram", bytes.NewReader(body))
	if secret != "" {
		req.Header.Set(secretHeader, secret)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code
}

func TestWebhookChecksSecretAndStoresFirst(t *testing.T) {
	st, proxy := cuttableStore(t)
	f := newFixtureOn(t, telegramtest.NewServer(t), st, func(c *Config) { c.WebhookURL = "https://bot.example.org/telegram" })
	f.run(t)
	waitFor(t, "setWebhook", func() bool { return len(f.srv.Calls("setWebhook")) == 1 })
	hookURL, secret := f.srv.Webhook()
	if hookURL != "https://bot.example.org/telegram" || len(secret) < 32 {
		t.Fatalf("webhook %q with secret of %d chars", hookURL, len(secret))
	}
	if kept, _ := st.Client.Get(context.Background(), st.Keys.Global("tg:webhook-secret")).Result(); kept != secret {
		t.Error("generated secret not kept in Redis")
	}
	h := f.a.Handler()
	update := map[string]any{"update_id": 77, "message": telegramtest.Message(1, telegramtest.User(42, "Ana", "", "en"), 42, "/start")}
	if code := postUpdate(t, h, "", update); code != http.StatusUnauthorized {
		t.Errorf("no secret: %d, want 401", code)
	}
	if code := postUpdate(t, h, secret+"x", update); code != http.StatusUnauthorized {
		t.Errorf("wrong secret: %d, want 401", code)
	}
	if n := len(f.sub.events(t)); n != 0 {
		t.Fatalf("%d events stored from unauthorised requests", n)
	}

	proxy.cut()
	if code := postUpdate(t, h, secret, update); code != http.StatusServiceUnavailable {
		t.Errorf("Redis down: %d, want 503", code)
	}
	proxy.restore()
	if code := postUpdate(t, h, secret, update); code != http.StatusOK {
		t.Errorf("Redis back: %d, want 200", code)
	}
	evs := f.sub.events(t)
	if len(evs) != 1 || evs[0].ID != "tg:u:77" || evs[0].Command != "start" {
		t.Errorf("events %+v, want the update once", evs)
	}
}

func TestWebhookWithoutRedisAtStartIs503(t *testing.T) {
	st, proxy := cuttableStore(t)
	f := newFixtureOn(t, telegramtest.NewServer(t), st, func(c *Config) { c.WebhookURL = "https://bot.example.org/telegram" })
	proxy.cut()
	update := map[string]any{"update_id": 78, "message": telegramtest.Message(1, telegramtest.User(42, "Ana", "", "en"), 42, "hi")}
	if code := postUpdate(t, f.a.Handler(), "guess", update); code != http.StatusServiceUnavailable {
		t.Errorf("secret unknown, Redis down: %d, want 503", code)
	}
}

func TestWebhookConfiguredSecret(t *testing.T) {
	f := newFixture(t, func(c *Config) {
		c.WebhookURL = "https://bot.example.org/telegram"
		c.WebhookSecret = "configured_secret-123"
	})
	f.run(t)
	waitFor(t, "setWebhook", func() bool { return len(f.srv.Calls("setWebhook")) == 1 })
	if _, secret := f.srv.Webhook(); secret != "configured_secret-123" {
		t.Errorf("secret %q", secret)
	}
	update := map[string]any{"update_id": 79, "message": telegramtest.Message(1, telegramtest.User(42, "Ana", "", "en"), 42, "hi")}
	if code := postUpdate(t, f.a.Handler(), "configured_secret-123", update); code != http.StatusOK {
		t.Errorf("right secret: %d", code)
	}
}
