package store

import (
	"hash/crc32"
	"strconv"
)

// SchemaVersion is the version of the key layout; it is part of every key.
const SchemaVersion = "v1"

// Keys builds key names under one prefix. The zero value is not usable: use
// NewKeys.
type Keys struct {
	base string // prefix + ":" + SchemaVersion + ":"
}

// NewKeys returns the key builder for prefix (for example "tj").
func NewKeys(prefix string) Keys {
	return Keys{base: prefix + ":" + SchemaVersion + ":"}
}

// Base returns the common start of every key, for example "tj:v1:". A SCAN
// with Base()+"*" finds every key of the product.
func (k Keys) Base() string { return k.base }

// User returns a key of one user, for example User("tg:1", "state") is
// "tj:v1:{u:tg:1}:state". All keys of a user share one hash slot.
func (k Keys) User(user, part string) string {
	return k.base + "{u:" + user + "}:" + part
}

// UserTag returns the hash-tagged part every key of user starts with.
func (k Keys) UserTag(user string) string {
	return k.base + "{u:" + user + "}"
}

// Global returns a key that is not tied to a user or shard, for example
// Global("skills") is "tj:v1:{g}:skills". Global keys share one slot.
func (k Keys) Global(part string) string {
	return k.base + "{g}:" + part
}

// Shard returns a key of shard i of the shared queue name, for example
// Shard("sched", 3, "due") is "tj:v1:{sched:3}:due". Keys of one shard share a
// hash slot; different shards spread over a cluster.
func (k Keys) Shard(name string, i int, part string) string {
	return k.base + "{" + name + ":" + strconv.Itoa(i) + "}:" + part
}

// ShardOf picks one of n shards for id, stably.
func ShardOf(id string, n int) int {
	if n <= 1 {
		return 0
	}
	return int(crc32.ChecksumIEEE([]byte(id)) % uint32(n))
}
