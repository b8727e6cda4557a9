package storetest

import (
	"context"
	"strings"
	"testing"

	"github.com/talentjourney/talentbot/store"
)

// Traces scans every key under the store's prefix and returns the places
// that name user: key names, and string values, hash fields and values,
// list items and set or sorted-set members that contain it.
func Traces(ctx context.Context, t testing.TB, st *store.Store, user string) []string {
	t.Helper()
	c := st.Client
	var found []string
	iter := c.Scan(ctx, 0, st.Keys.Base()+"*", 1000).Iterator()
	for iter.Next(ctx) {
		key := iter.Val()
		if strings.Contains(key, user) {
			found = append(found, "key "+key)
			continue
		}
		typ, err := c.Type(ctx, key).Result()
		if err != nil {
			t.Fatalf("storetest: type of %s: %v", key, err)
		}
		var values []string
		switch typ {
		case "string":
			values = []string{c.Get(ctx, key).Val()}
		case "hash":
			for f, v := range c.HGetAll(ctx, key).Val() {
				values = append(values, f, v)
			}
		case "list":
			values = c.LRange(ctx, key, 0, -1).Val()
		case "set":
			values = c.SMembers(ctx, key).Val()
		case "zset":
			values = c.ZRange(ctx, key, 0, -1).Val()
		case "stream":
			for _, m := range c.XRange(ctx, key, "-", "+").Val() {
				for f, v := range m.Values {
					values = append(values, f, toString(v))
				}
			}
		}
		for _, v := range values {
			if strings.Contains(v, user) {
				found = append(found, typ+" "+key)
				break
			}
		}
	}
	if err := iter.Err(); err != nil {
		t.Fatalf("storetest: scan: %v", err)
	}
	return found
}

func toString(v any) string {
	s, _ := v.(string)
	return s
}
