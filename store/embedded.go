package store

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// joinWait is how long Open waits for a server whose process holds the data
// folder's lock but does not answer yet (it may be loading its snapshot).
const joinWait = 5 * time.Second

// embedded is this process's side of an embedded store: either the server
// itself (srv set) or a connection to the server another process runs on
// the same data folder. A joiner watches that server and, when it is gone,
// takes its place from the last snapshot.
type embedded struct {
	dir   string
	every time.Duration
	log   *slog.Logger

	mu    sync.Mutex
	srv   *embeddedServer // non-nil while this process serves
	info  serverInfo      // the joined server; zero while serving
	where string

	stop chan struct{}
	done chan struct{}
}

// openEmbedded starts or joins the embedded store that cfg describes.
func openEmbedded(ctx context.Context, cfg Config, log *slog.Logger) (*embedded, error) {
	e := &embedded{every: cfg.SnapshotEvery, log: log,
		stop: make(chan struct{}), done: make(chan struct{})}
	if e.every <= 0 {
		e.every = 5 * time.Second
	}
	if cfg.Memory {
		srv, err := startServer(ctx, "", "127.0.0.1:0", e.every, log, nil)
		if err != nil {
			return nil, err
		}
		e.srv, e.where = srv, "embedded store at "+srv.Addr()+" (in memory only)"
		close(e.done)
		return e, nil
	}
	e.dir = cfg.DataDir
	if e.dir == "" {
		dir, err := DefaultDataDir()
		if err != nil {
			return nil, err
		}
		e.dir = dir
	}
	if err := os.MkdirAll(e.dir, 0o700); err != nil {
		return nil, fmt.Errorf("store: data folder: %w", err)
	}
	if err := e.startOrJoin(ctx); err != nil {
		return nil, err
	}
	go e.watch()
	return e, nil
}

// startOrJoin joins the live server the data folder records, or, when there
// is none, takes the folder's lock and serves it.
func (e *embedded) startOrJoin(ctx context.Context) error {
	deadline := time.Now().Add(joinWait)
	for {
		if info, ok := readServerInfo(e.dir); ok && probe(ctx, info) == nil {
			e.setJoined(info)
			return nil
		}
		release, err := tryLock(e.dir)
		if err != nil {
			return err
		}
		if release != nil {
			srv, err := startServer(ctx, e.dir, "127.0.0.1:0", e.every, e.log, release)
			if err != nil {
				release()
				return err
			}
			e.setServing(srv)
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("store: data folder %s is in use by another process "+
				"whose embedded store does not answer", e.dir)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func (e *embedded) setJoined(info serverInfo) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.info = info
	e.where = fmt.Sprintf("joined embedded store at %s (folder %s)", info.Addr, e.dir)
}

func (e *embedded) setServing(srv *embeddedServer) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.srv, e.info = srv, serverInfo{}
	e.where = fmt.Sprintf("embedded store at %s, data in %s", srv.Addr(), e.dir)
}

// Where says which store is in use.
func (e *embedded) Where() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.where
}

// addr is the address of the server in use now.
func (e *embedded) addr() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.srv != nil {
		return e.srv.Addr()
	}
	return e.info.Addr
}

// client returns a client that always dials the server in use now, so that
// it keeps working after a takeover.
func (e *embedded) client() redis.UniversalClient {
	return redis.NewUniversalClient(&redis.UniversalOptions{
		Addrs: []string{e.addr()},
		Dialer: func(ctx context.Context, network, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, network, e.addr())
		},
	})
}

// watch runs in a joiner: it checks the joined server every second and,
// after two failed checks in a row, joins its successor or becomes it.
func (e *embedded) watch() {
	defer close(e.done)
	t := time.NewTicker(time.Second)
	defer t.Stop()
	fails := 0
	for {
		select {
		case <-e.stop:
			return
		case <-t.C:
		}
		e.mu.Lock()
		serving, info := e.srv != nil, e.info
		e.mu.Unlock()
		if serving {
			return
		}
		if probe(context.Background(), info) == nil {
			fails = 0
			continue
		}
		if fails++; fails < 2 {
			continue
		}
		if err := e.takeOver(info); err != nil {
			e.log.Error("store: cannot take over the embedded store; calls fail until restart",
				"err", err)
			return
		}
	}
}

// takeOver replaces the dead server old: it joins a successor another
// process started, or starts one itself, from the last snapshot, on old's
// address when that is free.
func (e *embedded) takeOver(old serverInfo) error {
	ctx := context.Background()
	if info, ok := readServerInfo(e.dir); ok && info.ID != old.ID && probe(ctx, info) == nil {
		e.setJoined(info)
		e.log.Info("store: joined the new embedded store", "addr", info.Addr)
		return nil
	}
	release, err := tryLock(e.dir)
	if err != nil || release == nil {
		return err // someone else is taking over; look again next tick
	}
	srv, err := startServer(ctx, e.dir, old.Addr, e.every, e.log, release)
	if err != nil {
		release()
		return err
	}
	e.setServing(srv)
	e.log.Info("store: the embedded store's process is gone; serving it here",
		"addr", srv.Addr(), "dir", e.dir)
	return nil
}

// close stops watching and, when this process serves, writes the last
// snapshot and stops the server.
func (e *embedded) close() error {
	select {
	case <-e.stop:
	default:
		close(e.stop)
	}
	<-e.done
	e.mu.Lock()
	srv := e.srv
	e.srv = nil
	e.mu.Unlock()
	if srv == nil {
		return nil
	}
	return srv.close()
}
