// Package store owns the connection to Redis, the embedded server used when
// there is none, and the key names every other package uses.
//
// # Which Redis
//
// Open reads Config.URL (REDIS_URL) the way go-redis reads URLs:
// redis:// or rediss:// for one server; with master_name (and addr for each
// further sentinel) for Sentinel; with addr but no master_name for Cluster.
// Store.Client is a redis.UniversalClient either way.
//
// Without a URL, Open starts an embedded Redis-compatible server
// (miniredis, TTLs on the real clock, Lua scripts through EVAL and EVALSHA)
// on a loopback port, with its data in a folder (Config.DataDir, by default
// DefaultDataDir):
//
//   - At start it loads SnapshotFile. Every Config.SnapshotEvery (5 s) after
//     a change, and at Close, it writes a new snapshot: a temporary file,
//     synced, then renamed over the old one. A crash loses at most the last
//     few seconds. A snapshot that cannot be read stops Open with an error
//     wrapping ErrCorruptSnapshot and naming the file, which is left as it
//     is.
//   - A snapshot holds databases 0-15 (the server refuses SELECT beyond
//     them) with strings, hashes, lists, sets, sorted sets and streams
//     (entries, consumer groups, their consumers and pending entries), each
//     key with its absolute expiry; a key whose expiry passes while the store
//     is down is gone at the next start. Not saved: HyperLogLog keys (left
//     out with a warning), hash field TTLs (HEXPIRE, newer than Redis
//     7.0), loaded scripts (go-redis's Script.Run sends the script again
//     after NOSCRIPT), a stream's last ID beyond its newest entry, and the
//     idle times of pending entries.
//   - The serving process holds a lock in the folder and records its address,
//     pid and a random instance id in ServerFile. A second process on the
//     same folder that finds a server there answering PING with that
//     instance id joins it instead of starting its own; Store.Where tells
//     "joined embedded store at ADDR (folder DIR)" from "embedded store at
//     ADDR, data in DIR". A file whose server is dead or someone else's is
//     replaced.
//   - When the serving process stops (Close writes a last snapshot) or
//     dies, a joiner's calls fail for about two seconds; then the joiner
//     takes the folder over: it starts a server from the last snapshot, on
//     the same port when it is free, and its Client carries on. Writes the
//     dead server had not yet saved are lost.
//
// Config.Memory starts an embedded server that keeps nothing on disk, for
// tests; package storetest gives each test such a store, or its own prefix
// on REDIS_URL.
//
// # Keys
//
// Key names carry a prefix and a schema version ("tj:v1:"), and all keys of
// one user share the hash tag "{u:<user>}", so that a script or transaction
// over one user's keys stays inside one Redis Cluster hash slot. Keys builds
// them.
package store
