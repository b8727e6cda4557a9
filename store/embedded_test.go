package store

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"math"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

func openDir(t *testing.T, dir string, every time.Duration) *Store {
	t.Helper()
	st, err := Open(context.Background(), Config{DataDir: dir, SnapshotEvery: every})
	if err != nil {
		t.Fatalf("Open(%s): %v", dir, err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// fill writes one key of every type, with TTLs, in databases 0 and 3.
func fill(t *testing.T, ctx context.Context, c redis.UniversalClient) {
	t.Helper()
	p := c.Pipeline()
	p.Set(ctx, "str", "a\x00\xffz", time.Hour)
	p.Set(ctx, "short", "gone soon", 300*time.Millisecond)
	p.HSet(ctx, "hash", "f1", "v1", "f2", "")
	p.PExpire(ctx, "hash", 2*time.Hour)
	p.RPush(ctx, "list", "one", "two", "two", "three")
	p.SAdd(ctx, "set", "x", "y")
	p.ZAdd(ctx, "zset", redis.Z{Score: 1.5, Member: "m1"}, redis.Z{Score: math.Inf(-1), Member: "low"},
		redis.Z{Score: 0.1 + 0.2, Member: "odd"})
	p.XAdd(ctx, &redis.XAddArgs{Stream: "stream", ID: "1-1", Values: []string{"k", "v1"}})
	p.XAdd(ctx, &redis.XAddArgs{Stream: "stream", ID: "2-1", Values: []string{"k", "v2"}})
	p.XAdd(ctx, &redis.XAddArgs{Stream: "stream", ID: "3-1", Values: []string{"k", "v3"}})
	p.XGroupCreate(ctx, "stream", "workers", "0")
	if _, err := p.Exec(ctx); err != nil {
		t.Fatalf("fill: %v", err)
	}
	// worker w1 takes two entries and acknowledges the first.
	if _, err := c.XReadGroup(ctx, &redis.XReadGroupArgs{Group: "workers", Consumer: "w1",
		Streams: []string{"stream", ">"}, Count: 2}).Result(); err != nil {
		t.Fatalf("XREADGROUP: %v", err)
	}
	if err := c.XAck(ctx, "stream", "workers", "1-1").Err(); err != nil {
		t.Fatalf("XACK: %v", err)
	}
	conn := c.(*redis.Client).Conn()
	defer conn.Close()
	if err := conn.Select(ctx, 3).Err(); err != nil {
		t.Fatalf("SELECT 3: %v", err)
	}
	if err := conn.Set(ctx, "str", "in db 3", 0).Err(); err != nil {
		t.Fatalf("SET in db 3: %v", err)
	}
}

func TestSnapshotRoundTripKeepsEveryTypeAndTTL(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st := openDir(t, dir, time.Hour)
	fill(t, ctx, st.Client)
	if err := st.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, SnapshotFile)); err != nil {
		t.Fatalf("no snapshot after Close: %v", err)
	}
	time.Sleep(400 * time.Millisecond) // "short" expires while the store is down

	st = openDir(t, dir, time.Hour)
	c := st.Client
	if got := c.Get(ctx, "str").Val(); got != "a\x00\xffz" {
		t.Errorf("str = %q", got)
	}
	if ttl := c.TTL(ctx, "str").Val(); ttl < 59*time.Minute || ttl > time.Hour {
		t.Errorf("TTL str = %v, want just under 1h", ttl)
	}
	if n := c.Exists(ctx, "short").Val(); n != 0 {
		t.Errorf("short outlived its expiry while the store was down")
	}
	if got := c.HGetAll(ctx, "hash").Val(); len(got) != 2 || got["f1"] != "v1" || got["f2"] != "" {
		t.Errorf("hash = %v", got)
	}
	if ttl := c.TTL(ctx, "hash").Val(); ttl < 119*time.Minute || ttl > 2*time.Hour {
		t.Errorf("TTL hash = %v, want just under 2h", ttl)
	}
	if got := strings.Join(c.LRange(ctx, "list", 0, -1).Val(), ","); got != "one,two,two,three" {
		t.Errorf("list = %s", got)
	}
	if ttl := c.TTL(ctx, "list").Val(); ttl != -1 {
		t.Errorf("TTL list = %v, want none", ttl)
	}
	if got := c.SMembersMap(ctx, "set").Val(); len(got) != 2 {
		t.Errorf("set = %v", got)
	}
	zs := c.ZRangeWithScores(ctx, "zset", 0, -1).Val()
	want := []redis.Z{{Score: math.Inf(-1), Member: "low"}, {Score: 0.1 + 0.2, Member: "odd"},
		{Score: 1.5, Member: "m1"}}
	if len(zs) != len(want) {
		t.Fatalf("zset = %v", zs)
	}
	for i := range want {
		if zs[i] != want[i] {
			t.Errorf("zset[%d] = %v, want %v", i, zs[i], want[i])
		}
	}
	checkStream(t, ctx, c)
	conn := c.(*redis.Client).Conn()
	defer conn.Close()
	conn.Select(ctx, 3)
	if got := conn.Get(ctx, "str").Val(); got != "in db 3" {
		t.Errorf("db 3 str = %q", got)
	}
}

func checkStream(t *testing.T, ctx context.Context, c redis.UniversalClient) {
	t.Helper()
	if n := c.XLen(ctx, "stream").Val(); n != 3 {
		t.Errorf("XLEN stream = %d, want 3", n)
	}
	pend, err := c.XPendingExt(ctx, &redis.XPendingExtArgs{Stream: "stream", Group: "workers",
		Start: "-", End: "+", Count: 10}).Result()
	if err != nil || len(pend) != 1 || pend[0].ID != "2-1" || pend[0].Consumer != "w1" {
		t.Errorf("pending = %+v, %v; want 2-1 held by w1", pend, err)
	}
	res, err := c.XReadGroup(ctx, &redis.XReadGroupArgs{Group: "workers", Consumer: "w2",
		Streams: []string{"stream", ">"}, Count: 10}).Result()
	if err != nil || len(res) != 1 || len(res[0].Messages) != 1 || res[0].Messages[0].ID != "3-1" {
		t.Errorf("next for the group = %+v, %v; want only 3-1", res, err)
	}
}

func TestSnapshotEveryFewSecondsOnlyAfterChange(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st := openDir(t, dir, 50*time.Millisecond)
	path := filepath.Join(dir, SnapshotFile)
	if err := st.Client.Set(ctx, "k", "v1", 0).Err(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "periodic snapshot with k=v1", func() bool {
		snap, err := readSnapshot(dir)
		return err == nil && len(snap.Keys) == 1 && snap.Keys[0].Str == "v1"
	})
	before, _ := os.ReadFile(path)
	st.Client.Get(ctx, "k") // a read is no change
	time.Sleep(300 * time.Millisecond)
	after, _ := os.ReadFile(path)
	if !bytes.Equal(before, after) {
		t.Errorf("snapshot rewritten although nothing changed")
	}
}

func TestEvalScriptsWorkAcrossRestart(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	incr := redis.NewScript(`return redis.call('INCRBY', KEYS[1], ARGV[1])`)
	st := openDir(t, dir, time.Hour)
	if n, err := incr.Run(ctx, st.Client, []string{"n"}, 2).Int(); err != nil || n != 2 {
		t.Fatalf("script = %d, %v", n, err)
	}
	st.Close()
	st = openDir(t, dir, time.Hour)
	if n, err := incr.Run(ctx, st.Client, []string{"n"}, 3).Int(); err != nil || n != 5 {
		t.Fatalf("script after restart = %d, %v; want 5", n, err)
	}
}

func TestJoinSharesOneServer(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	a := openDir(t, dir, time.Hour)
	b := openDir(t, dir, time.Hour)
	if !strings.HasPrefix(a.Where(), "embedded store at 127.0.0.1:") ||
		!strings.Contains(a.Where(), "data in "+dir) {
		t.Errorf("first Where = %q", a.Where())
	}
	if !strings.HasPrefix(b.Where(), "joined embedded store at 127.0.0.1:") ||
		!strings.Contains(b.Where(), "(folder "+dir+")") {
		t.Errorf("second Where = %q", b.Where())
	}
	if err := a.Client.Set(ctx, "from-a", "1", 0).Err(); err != nil {
		t.Fatal(err)
	}
	if got := b.Client.Get(ctx, "from-a").Val(); got != "1" {
		t.Errorf("joiner reads %q, want 1", got)
	}
}

func TestJoinerTakesOverWhenServerStops(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	a := openDir(t, dir, time.Hour)
	b := openDir(t, dir, time.Hour)
	if err := b.Client.Set(ctx, "k", "kept", 0).Err(); err != nil {
		t.Fatal(err)
	}
	a.Close()
	waitFor(t, "joiner serving the folder", func() bool {
		return strings.HasPrefix(b.Where(), "embedded store at ")
	})
	if got := b.Client.Get(ctx, "k").Val(); got != "kept" {
		t.Errorf("after takeover k = %q", got)
	}
	c := openDir(t, dir, time.Hour) // a newcomer joins the successor
	if !strings.HasPrefix(c.Where(), "joined ") || c.Client.Get(ctx, "k").Val() != "kept" {
		t.Errorf("newcomer: Where = %q", c.Where())
	}
}

func TestStaleServerFileIsReplaced(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := ln.Addr().String()
	ln.Close()
	foreign, err := net.Listen("tcp", "127.0.0.1:0") // answers nothing useful
	if err != nil {
		t.Fatal(err)
	}
	defer foreign.Close()
	for name, addr := range map[string]string{"dead": dead, "foreign": foreign.Addr().String()} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			stale := serverInfo{Addr: addr, PID: 1, ID: "0123", Started: time.Now()}
			if err := writeServerInfo(dir, stale); err != nil {
				t.Fatal(err)
			}
			st := openDir(t, dir, time.Hour)
			if !strings.HasPrefix(st.Where(), "embedded store at ") {
				t.Errorf("Where = %q, want a server of its own", st.Where())
			}
			info, ok := readServerInfo(dir)
			if !ok || info.Addr == addr || info.PID != os.Getpid() {
				t.Errorf("server file = %+v, want this process's server", info)
			}
		})
	}
}

func TestCorruptSnapshotStopsStart(t *testing.T) {
	ctx := context.Background()
	good := t.TempDir()
	st := openDir(t, good, time.Hour)
	st.Client.Set(ctx, "k", strings.Repeat("v", 100), 0)
	st.Close()
	valid, err := os.ReadFile(filepath.Join(good, SnapshotFile))
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{
		"garbage":   []byte("not a snapshot at all"),
		"truncated": valid[:len(valid)-10],
		"bit flip":  append(append([]byte{}, valid[:20]...), append([]byte{valid[20] ^ 1}, valid[21:]...)...),
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, SnapshotFile)
			os.WriteFile(path, data, 0o600)
			st, err := Open(ctx, Config{DataDir: dir})
			if err == nil {
				st.Close()
				t.Fatal("Open succeeded on a corrupt snapshot")
			}
			if !errors.Is(err, ErrCorruptSnapshot) || !strings.Contains(err.Error(), path) {
				t.Errorf("error = %v; want ErrCorruptSnapshot naming %s", err, path)
			}
			if kept, _ := os.ReadFile(path); !bytes.Equal(kept, data) {
				t.Errorf("the corrupt snapshot was changed")
			}
			if release, err := tryLock(dir); release == nil {
				t.Errorf("data folder still locked after the failed start (%v)", err)
			} else {
				release()
			}
		})
	}
}

func TestEmbeddedRefusesDatabasesBeyondSnapshot(t *testing.T) {
	st := openDir(t, t.TempDir(), time.Hour)
	conn := st.Client.(*redis.Client).Conn()
	defer conn.Close()
	if err := conn.Select(context.Background(), snapshotDBs).Err(); err == nil {
		t.Errorf("SELECT %d succeeded; its data would not be saved", snapshotDBs)
	}
}

func TestMemoryStoreWritesNothing(t *testing.T) {
	dir := t.TempDir()
	st, err := Open(context.Background(), Config{DataDir: dir, Memory: true})
	if err != nil {
		t.Fatal(err)
	}
	st.Client.Set(context.Background(), "k", "v", 0)
	if !strings.HasSuffix(st.Where(), "(in memory only)") {
		t.Errorf("Where = %q", st.Where())
	}
	st.Close()
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("memory store left %d files in its folder", len(ents))
	}
}

func TestTTLRunsOnRealClock(t *testing.T) {
	ctx := context.Background()
	st := openDir(t, t.TempDir(), time.Hour)
	st.Client.Set(ctx, "k", "v", 200*time.Millisecond)
	waitFor(t, "key expiry", func() bool { return st.Client.Exists(ctx, "k").Val() == 0 })
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestSnapshotLeavesOutHyperLogLogButSavesTheRest(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st := openDir(t, dir, time.Hour)
	st.Client.PFAdd(ctx, "visitors", "a", "b")
	st.Client.Set(ctx, "k", "v", 0)
	if err := st.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	st = openDir(t, dir, time.Hour)
	if got := st.Client.Get(ctx, "k").Val(); got != "v" {
		t.Errorf("k = %q after restart", got)
	}
}

// BenchmarkSnapshot measures one snapshot of benchUsers users' worth of
// keys (a hash, a list and a sorted set each), written to disk; the server
// holds its lock while the data is read.
func BenchmarkSnapshot(b *testing.B) {
	ctx := context.Background()
	dir := b.TempDir()
	srv, err := startServer(ctx, dir, "127.0.0.1:0", time.Hour, slogDiscard(), func() {})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.close()
	p := srv.admin.Pipeline()
	for i := range benchUsers {
		u := strconv.Itoa(i)
		p.HSet(ctx, "u:"+u+":profile", "name", "learner "+u, "tz", "Europe/Ljubljana")
		p.RPush(ctx, "u:"+u+":queue", "e1", "e2")
		p.ZAdd(ctx, "u:"+u+":due", redis.Z{Score: float64(i), Member: "lesson"})
	}
	if _, err := p.Exec(ctx); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		srv.writes.Add(1)
		if err := srv.save(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

func slogDiscard() *slog.Logger { return slog.New(slog.DiscardHandler) }

const benchUsers = 1000
