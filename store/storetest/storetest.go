// Package storetest gives tests a real Redis connection of their own: the
// server named by REDIS_URL when it is set, else an embedded server started
// for the test. Each call uses its own key prefix and deletes its keys when
// the test ends.
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
	ctx := context.Background()
	prefix := "test-" + randomID()
	cfg := store.Config{URL: os.Getenv("REDIS_URL"), Prefix: prefix, DataDir: t.TempDir()}
	if cfg.URL == "" {
		cfg.Memory = true
	}
	st, err := store.Open(ctx, cfg)
	if err != nil {
		t.Fatalf("storetest: open store: %v", err)
	}
	t.Cleanup(func() {
		if cfg.URL != "" {
			if err := st.DeleteAll(context.Background()); err != nil {
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
