package store

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// Config says which Redis to use. The zero value (with DataDir set) starts
// an embedded server.
type Config struct {
	// URL is REDIS_URL: redis:// or rediss:// for one server, with
	// master_name (and addr per sentinel) for Sentinel. Empty: embedded.
	URL string
	// DataDir is the folder of the embedded server's snapshot and port file.
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

	where string
	mini  *miniredis.Miniredis
	stop  func()
}

// Open connects to the Redis that cfg names and checks that it answers.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	if cfg.Prefix == "" {
		cfg.Prefix = "tj"
	}
	s := &Store{Keys: NewKeys(cfg.Prefix)}
	if cfg.URL == "" {
		if err := s.startEmbedded(ctx, cfg); err != nil {
			return nil, err
		}
	} else {
		opts, err := universalOptions(cfg.URL)
		if err != nil {
			return nil, err
		}
		s.Client = redis.NewUniversalClient(opts)
		s.where = "redis " + redactURL(cfg.URL)
	}
	if err := s.Client.Ping(ctx).Err(); err != nil {
		s.Close()
		return nil, fmt.Errorf("store: %s does not answer: %w", s.where, err)
	}
	return s, nil
}

// Where says which store is in use, for the start-up log (no password).
func (s *Store) Where() string { return s.where }

// Close closes the connection and, for an embedded server this process
// started, writes a last snapshot and stops it.
func (s *Store) Close() error {
	var err error
	if s.Client != nil {
		err = s.Client.Close()
	}
	if s.stop != nil {
		s.stop()
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

func universalOptions(raw string) (*redis.UniversalOptions, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("store: REDIS_URL: %w", err)
	}
	if u.Query().Get("master_name") != "" {
		fo, err := redis.ParseFailoverURL(raw)
		if err != nil {
			return nil, fmt.Errorf("store: REDIS_URL: %w", err)
		}
		return &redis.UniversalOptions{
			Addrs: fo.SentinelAddrs, MasterName: fo.MasterName, DB: fo.DB,
			Username: fo.Username, Password: fo.Password,
			SentinelUsername: fo.SentinelUsername, SentinelPassword: fo.SentinelPassword,
			TLSConfig: fo.TLSConfig, Protocol: fo.Protocol,
		}, nil
	}
	o, err := redis.ParseURL(raw)
	if err != nil {
		return nil, fmt.Errorf("store: REDIS_URL: %w", err)
	}
	return &redis.UniversalOptions{
		Addrs: []string{o.Addr}, DB: o.DB, Username: o.Username, Password: o.Password,
		TLSConfig: o.TLSConfig, Protocol: o.Protocol,
		PoolSize: o.PoolSize,
	}, nil
}

func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}
