// Package store owns the connection to Redis: a real server named by
// REDIS_URL (standalone, Sentinel or Cluster) or an embedded
// Redis-compatible server whose data lives in a folder, plus the key names
// every other package uses.
//
// Key names carry a prefix and a schema version ("tj:v1:"), and all keys of
// one user share the hash tag "{u:<user>}", so that a script or transaction
// over one user's keys stays inside one Redis Cluster hash slot.
package store
