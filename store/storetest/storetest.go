// Package storetest gives tests a real Redis connection of their own: the
// server named by REDIS_URL when it is set, else an embedded server started
// for the test. Each call uses its own key prefix and deletes its keys when
// the test ends.
//
// Tests that must make Redis unreachable never touch the shared server:
// they put a Proxy in front of it and Cut it, or run a private redis-server
// with StartRedisServer and stop it.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"

	"github.com/talentjourney/talentbot/store"
)

// New returns a store for t under a fresh key prefix. With REDIS_URL set it
// talks to that server; otherwise to an embedded server that lives as long
// as the test.
func New(t testing.TB) *store.Store {
	t.Helper()
	return NewAt(t, os.Getenv("REDIS_URL"))
}

// NewAt is New on the Redis at url (for example a Proxy's URL, or
// "redis://" + the address StartRedisServer returns); an empty url starts
// an embedded server. Keys the test leaves are deleted at its end when the
// server still answers.
func NewAt(t testing.TB, url string) *store.Store {
	t.Helper()
	ctx := context.Background()
	prefix := "test-" + randomID()
	cfg := store.Config{URL: url, Prefix: prefix, DataDir: t.TempDir(), Memory: url == ""}
	st, err := store.Open(ctx, cfg)
	if err != nil {
		t.Fatalf("storetest: open store: %v", err)
	}
	t.Cleanup(func() {
		if url != "" && st.Client.Ping(ctx).Err() == nil {
			if err := st.DeleteAll(ctx); err != nil {
				t.Errorf("storetest: clean up %s: %v", prefix, err)
			}
		}
		st.Close()
	})
	return st
}

func randomID() string {
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}
