package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/alicebob/miniredis/v2/server"
	"github.com/redis/go-redis/v9"
)

// adminName is the client name of the serving process's own connection,
// which takes snapshots; its commands never count as changes.
const adminName = "talentbot-admin"

// harmless lists commands that change no data although the embedded server
// does not mark them read-only.
var harmless = map[string]bool{
	"AUTH": true, "CLIENT": true, "COMMAND": true, "DISCARD": true, "ECHO": true,
	"HELLO": true, "INFO": true, "MULTI": true, "PING": true, "PSUBSCRIBE": true,
	"PUBLISH": true, "PUBSUB": true, "PUNSUBSCRIBE": true, "QUIT": true, "SCRIPT": true,
	"SELECT": true, "SUBSCRIBE": true, "UNSUBSCRIBE": true, "UNWATCH": true,
	"WATCH": true, "XINFO": true, instanceCommand: true,
}

// embeddedServer is an embedded Redis-compatible server this process serves:
// miniredis with TTLs on the real clock, plus, when dir is set, a snapshot
// in dir loaded at start, rewritten every few seconds after a change and at
// close, and the server file that lets other processes join.
type embeddedServer struct {
	m       *miniredis.Miniredis
	srv     *server.Server
	dir     string // "": memory only
	id      string // random instance id, answered by instanceCommand
	log     *slog.Logger
	release func() // the data folder's lock; nil in memory mode
	admin   *redis.Client

	writes  atomic.Int64 // commands that may have changed data
	closing atomic.Bool  // refuse changes: the last snapshot is being taken

	saveMu sync.Mutex
	saved  int64 // writes at the last snapshot; guarded by saveMu

	stop chan struct{}  // closed by close
	wg   sync.WaitGroup // the clock and snapshot goroutines
}

// startServer starts a server on addr ("127.0.0.1:0" for any free port). With
// dir set the caller holds dir's lock; close calls release, but on an error
// the caller still owns the lock.
func startServer(ctx context.Context, dir, addr string, every time.Duration,
	log *slog.Logger, release func()) (*embeddedServer, error) {
	snap := &snapshot{}
	if dir != "" {
		var err error
		if snap, err = readSnapshot(dir); err != nil {
			return nil, err
		}
	}
	s := &embeddedServer{m: miniredis.NewMiniRedis(), dir: dir, id: randomHex(16), log: log,
		release: release, stop: make(chan struct{})}
	if err := loadSnapshot(s.m, snap, time.Now()); err != nil {
		return nil, err
	}
	if err := s.listen(addr); err != nil {
		s.m.Close()
		return nil, err
	}
	s.srv = s.m.Server()
	s.srv.Register(instanceCommand, func(c *server.Peer, _ string, _ []string) {
		c.WriteBulk(s.id)
	}, server.ReadOnlyOption())
	s.srv.SetPreHook(s.hook)
	s.admin = redis.NewClient(&redis.Options{
		Protocol: 2, PoolSize: 1, DisableIdentity: true, ReadTimeout: time.Minute,
		Addr: s.m.Addr(),
		OnConnect: func(ctx context.Context, cn *redis.Conn) error {
			return cn.ClientSetName(ctx, adminName).Err()
		},
	})
	if err := loadGroups(ctx, s.admin, snap, time.Now()); err != nil {
		s.shut()
		return nil, err
	}
	if dir != "" {
		info := serverInfo{Addr: s.m.Addr(), PID: os.Getpid(), ID: s.id, Started: time.Now().UTC()}
		if err := writeServerInfo(dir, info); err != nil {
			s.shut()
			return nil, err
		}
		s.wg.Add(1)
		go s.loop(every)
	}
	s.wg.Add(1)
	go s.clock()
	return s, nil
}

// listen starts serving on addr, or on any free loopback port when addr is
// taken.
func (s *embeddedServer) listen(addr string) error {
	if err := s.m.StartAddr(addr); err == nil {
		return nil
	}
	if err := s.m.StartAddr("127.0.0.1:0"); err != nil {
		return fmt.Errorf("store: start embedded server: %w", err)
	}
	return nil
}

// hook runs before every command, Lua's included. It keeps SELECT within the
// databases a snapshot covers, counts changes, and refuses them at close.
func (s *embeddedServer) hook(c *server.Peer, cmd string, args ...string) bool {
	if cmd == "SELECT" && len(args) == 1 {
		if n, err := strconv.Atoi(args[0]); err == nil && (n < 0 || n >= snapshotDBs) {
			c.WriteError("ERR DB index is out of range")
			return true
		}
	}
	if c.ClientName == adminName || harmless[cmd] || s.srv.IsReadOnlyCommand(cmd) {
		return false
	}
	if s.closing.Load() {
		c.WriteError("ERR talentbot embedded store is shutting down")
		return true
	}
	s.writes.Add(1)
	return false
}

// Addr returns the server's loopback address.
func (s *embeddedServer) Addr() string { return s.m.Addr() }

// clockTick is how often TTLs advance: a key lives up to this much past its
// expiry. miniredis's own ClockTTL advances them on every command instead,
// which sorts all keys each time and is far too slow for a snapshot.
const clockTick = 50 * time.Millisecond

// clock makes TTLs run on the real clock until stop.
func (s *embeddedServer) clock() {
	defer s.wg.Done()
	t := time.NewTicker(clockTick)
	defer t.Stop()
	last := time.Now()
	for {
		select {
		case <-s.stop:
			return
		case now := <-t.C:
			s.m.FastForward(now.Sub(last))
			last = now
		}
	}
}

// loop writes a snapshot every period after a change, until stop.
func (s *embeddedServer) loop(every time.Duration) {
	defer s.wg.Done()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			if err := s.save(context.Background()); err != nil {
				s.log.Error("store: snapshot failed; retrying", "err", err)
			}
		}
	}
}

// save writes a snapshot when something changed since the last one.
func (s *embeddedServer) save(ctx context.Context) error {
	s.saveMu.Lock()
	defer s.saveMu.Unlock()
	w := s.writes.Load()
	if w == s.saved {
		return nil
	}
	snap, skipped, err := takeSnapshot(ctx, s.admin)
	if err != nil {
		return err
	}
	if skipped > 0 {
		s.log.Warn("store: snapshot leaves out keys of unsupported types (HyperLogLog)",
			"keys", skipped)
	}
	if err := writeSnapshot(s.dir, snap); err != nil {
		return err
	}
	s.saved = w
	return nil
}

// close refuses further changes, writes the last snapshot, and stops the
// server. Processes that joined it lose their connection.
func (s *embeddedServer) close() error {
	s.closing.Store(true)
	close(s.stop)
	s.wg.Wait()
	var err error
	if s.dir != "" {
		err = s.save(context.Background())
		removeServerInfo(s.dir, s.id)
	}
	s.shut()
	if s.release != nil {
		s.release()
	}
	return err
}

// shut stops the server without a snapshot and keeps the lock.
func (s *embeddedServer) shut() {
	if s.admin != nil {
		s.admin.Close()
	}
	s.m.Close()
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}
