package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/redis/go-redis/v9"
)

// Config says which Redis to use. The zero value starts (or joins) an
// embedded server whose data lives in DefaultDataDir.
type Config struct {
	// URL is REDIS_URL, read as go-redis reads URLs: redis:// or rediss://
	// for one server; with master_name (and addr for each further sentinel)
	// for Sentinel; with addr but no master_name for Cluster. Empty: the
	// embedded server.
	URL string
	// DataDir is the folder of the embedded server's snapshot (SnapshotFile),
	// server file (ServerFile) and lock; created when missing. Empty means
	// DefaultDataDir(). Unused with URL or Memory.
	DataDir string
	// Prefix starts every key; empty means "tj".
	Prefix string
	// Memory starts an embedded server that keeps nothing on disk (tests).
	Memory bool
	// SnapshotEvery is how often the embedded server writes its snapshot;
	// zero means 5 seconds.
	SnapshotEvery time.Duration
	// Logger receives lifecycle records; nil means slog.Default().
	Logger *slog.Logger
}

// Store is an open connection to Redis plus the key names.
type Store struct {
	// Client is the connection; safe for concurrent use.
	Client redis.UniversalClient
	// Keys builds key names under the configured prefix.
	Keys Keys

	where string    // for a server named by URL
	emb   *embedded // for an embedded store
}

// Open connects to the Redis that cfg names and checks that it answers.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	if cfg.Prefix == "" {
		cfg.Prefix = "tj"
	}
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	s := &Store{Keys: NewKeys(cfg.Prefix)}
	if cfg.URL == "" {
		emb, err := openEmbedded(ctx, cfg, log)
		if err != nil {
			return nil, err
		}
		s.emb, s.Client = emb, emb.client()
	} else {
		u, err := parseRedisURL(cfg.URL)
		if err != nil {
			return nil, err
		}
		s.Client, s.where = u.client(), u.String()
	}
	if err := s.Client.Ping(ctx).Err(); err != nil {
		s.Close()
		return nil, fmt.Errorf("store: %s does not answer: %w", s.Where(), err)
	}
	return s, nil
}

// Where says which store is in use, for the start-up log (no password), for
// example "redis redis://127.0.0.1:6379", "embedded store at
// 127.0.0.1:40123, data in /home/ana/.local/share/talentbot" or "joined
// embedded store at 127.0.0.1:40123 (folder ...)". After a takeover it names
// the new server.
func (s *Store) Where() string {
	if s.emb != nil {
		return s.emb.Where()
	}
	return s.where
}

// Close closes the connection and, for an embedded server this process
// serves, writes a last snapshot and stops it; processes that joined it
// then take it over. Close reports a failed last snapshot.
func (s *Store) Close() error {
	var err error
	if s.Client != nil {
		err = s.Client.Close()
	}
	if s.emb != nil {
		err = errors.Join(s.emb.close(), err)
	}
	return err
}

// DeleteAll removes every key under the store's prefix (tests use it).
func (s *Store) DeleteAll(ctx context.Context) error {
	return ScanDelete(ctx, s.Client, s.Keys.Base()+"*")
}

// ScanDelete deletes every key matching pattern, on every master.
func ScanDelete(ctx context.Context, c redis.UniversalClient, pattern string) error {
	del := func(ctx context.Context, c redis.UniversalClient) error {
		iter := c.Scan(ctx, 0, pattern, 1000).Iterator()
		for iter.Next(ctx) {
			if err := c.Del(ctx, iter.Val()).Err(); err != nil {
				return err
			}
		}
		return iter.Err()
	}
	if cc, ok := c.(*redis.ClusterClient); ok {
		return cc.ForEachMaster(ctx, func(ctx context.Context, m *redis.Client) error {
			return del(ctx, m)
		})
	}
	return del(ctx, c)
}
