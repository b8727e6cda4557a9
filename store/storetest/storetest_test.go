package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

func TestProxyCutAndRestore(t *testing.T) {
	ctx := context.Background()
	m := miniredis.RunT(t)
	p := NewProxy(t, m.Addr())
	c := redis.NewClient(&redis.Options{Addr: p.Addr(), MaxRetries: -1,
		DialTimeout: 200 * time.Millisecond, ReadTimeout: 200 * time.Millisecond})
	defer c.Close()

	if err := c.Set(ctx, "k", "before", 0).Err(); err != nil {
		t.Fatalf("SET through the proxy: %v", err)
	}
	p.Cut()
	if err := c.Get(ctx, "k").Err(); err == nil {
		t.Fatal("GET succeeded on a cut proxy (pooled connection)")
	}
	if err := c.Get(ctx, "k").Err(); err == nil {
		t.Fatal("GET succeeded on a cut proxy (new connection)")
	}
	if got, _ := m.Get("k"); got != "before" {
		t.Errorf("the server itself lost data: %q", got)
	}
	p.Restore()
	if got, err := c.Get(ctx, "k").Result(); err != nil || got != "before" {
		t.Errorf("GET after Restore = %q, %v", got, err)
	}
}

func TestStartRedisServerAndStop(t *testing.T) {
	ctx := context.Background()
	addr, stop := StartRedisServer(t)
	c := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1})
	defer c.Close()
	if err := c.Set(ctx, "k", "v", 0).Err(); err != nil {
		t.Fatalf("SET on the private server: %v", err)
	}
	stop()
	if err := c.Ping(ctx).Err(); err == nil {
		t.Error("PING succeeded after stop")
	}
	stop() // a second stop is harmless
}

func TestNewGivesSeparatePrefixes(t *testing.T) {
	ctx := context.Background()
	a, b := New(t), New(t)
	if a.Keys.Base() == b.Keys.Base() {
		t.Fatalf("two stores share prefix %q", a.Keys.Base())
	}
	if err := a.Client.Set(ctx, a.Keys.Global("x"), "1", 0).Err(); err != nil {
		t.Fatal(err)
	}
	if n := b.Client.Exists(ctx, b.Keys.Global("x")).Val(); n != 0 {
		t.Errorf("b sees a's key")
	}
}

func TestNewAtThroughACutProxy(t *testing.T) {
	ctx := context.Background()
	addr, _ := StartRedisServer(t)
	p := NewProxy(t, addr)
	st := NewAt(t, p.URL())
	key := st.Keys.User("term:ana", "state")
	if err := st.Client.Set(ctx, key, "q3", 0).Err(); err != nil {
		t.Fatal(err)
	}
	p.Cut()
	if err := st.Client.Get(ctx, key).Err(); err == nil {
		t.Fatal("GET succeeded while Redis was cut off")
	}
	p.Restore()
	if got, err := st.Client.Get(ctx, key).Result(); err != nil || got != "q3" {
		t.Errorf("after Restore: %q, %v", got, err)
	}
}
