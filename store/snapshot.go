package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// SnapshotFile is the name of the embedded server's snapshot inside its data
// folder.
const SnapshotFile = "store.snapshot"

// snapshotMagic starts every snapshot file; the last 4 bytes of the file are
// the CRC-32 (IEEE) of everything before them.
const snapshotMagic = "TJSNAP01"

// snapshotDBs is how many databases a snapshot covers, like Redis's default
// "databases 16"; the embedded server refuses SELECT beyond them.
const snapshotDBs = 16

// snapshot is the embedded server's data at one moment.
type snapshot struct {
	Taken time.Time
	Keys  []snapKey
}

// snapKey is one key with its value and absolute expiry.
type snapKey struct {
	DB       int
	Key      string
	Type     string    // as TYPE says: string, hash, list, set, zset, stream
	ExpireAt time.Time // zero: no expiry
	Str      string    // string
	Items    []string  // hash: field, value, ...; list, set, zset: members
	Scores   []float64 // zset: score of Items[i]
	Entries  []streamEntry
	Groups   []streamGroup
}

type streamEntry struct {
	ID     string
	Values []string
}

type streamGroup struct {
	Name      string
	LastID    string
	Consumers []string
	Pending   []pendingEntry
}

type pendingEntry struct {
	ID       string
	Consumer string
	Count    int64
}

// snapshotScript reads every key of every database in one atomic step (a
// script runs under the server's lock, so no command lands half-way).
const snapshotScript = `
local out = {}
for db = 0, tonumber(ARGV[1]) - 1 do
  redis.call('SELECT', db)
  for _, k in ipairs(redis.call('KEYS', '*')) do
    local t = redis.call('TYPE', k)['ok']
    local ttl = redis.call('PTTL', k)
    local v = {}
    if t == 'string' then v = {redis.call('GET', k)}
    elseif t == 'hash' then v = redis.call('HGETALL', k)
    elseif t == 'list' then v = redis.call('LRANGE', k, 0, -1)
    elseif t == 'set' then v = redis.call('SMEMBERS', k)
    elseif t == 'zset' then v = redis.call('ZRANGE', k, 0, -1, 'WITHSCORES')
    elseif t == 'stream' then
      local groups = {}
      for _, g in ipairs(redis.call('XINFO', 'GROUPS', k)) do
        local name, last
        for i = 1, #g, 2 do
          if g[i] == 'name' then name = g[i+1] end
          if g[i] == 'last-delivered-id' then last = g[i+1] end
        end
        local cons = {}
        for _, c in ipairs(redis.call('XINFO', 'CONSUMERS', k, name)) do
          for i = 1, #c, 2 do
            if c[i] == 'name' then table.insert(cons, c[i+1]) end
          end
        end
        local pend = redis.call('XPENDING', k, name, '-', '+', 1000000000)
        table.insert(groups, {name, last, cons, pend})
      end
      v = {redis.call('XRANGE', k, '-', '+'), groups}
    end
    table.insert(out, {db, k, t, ttl, v})
  end
end
return out
`

// errUnsupported marks a key of a type a snapshot cannot hold (HyperLogLog).
var errUnsupported = errors.New("unsupported type")

// takeSnapshot reads the whole data set through c, a connection to the
// embedded server. skipped counts keys of types a snapshot cannot hold.
func takeSnapshot(ctx context.Context, c *redis.Client) (snap *snapshot, skipped int, err error) {
	now := time.Now()
	res, err := c.Eval(ctx, snapshotScript, nil, snapshotDBs).Slice()
	if err != nil {
		return nil, 0, fmt.Errorf("store: read data for snapshot: %w", err)
	}
	snap = &snapshot{Taken: now, Keys: make([]snapKey, 0, len(res))}
	for _, r := range res {
		k, err := parseSnapKey(r, now)
		if errors.Is(err, errUnsupported) {
			skipped++
			continue
		}
		if err != nil {
			return nil, 0, fmt.Errorf("store: read data for snapshot: %w", err)
		}
		if k != nil {
			snap.Keys = append(snap.Keys, *k)
		}
	}
	return snap, skipped, nil
}

// parseSnapKey turns one {db, key, type, pttl, value} row of snapshotScript
// into a snapKey; nil when the key expired meanwhile.
func parseSnapKey(r any, now time.Time) (*snapKey, error) {
	row, ok := r.([]any)
	if !ok || len(row) != 5 {
		return nil, fmt.Errorf("unexpected row %T", r)
	}
	db, _ := row[0].(int64)
	k := &snapKey{DB: int(db), Key: str(row[1]), Type: str(row[2])}
	switch ttl, _ := row[3].(int64); {
	case ttl == -2:
		return nil, nil
	case ttl >= 0:
		k.ExpireAt = now.Add(time.Duration(ttl) * time.Millisecond)
	}
	v, _ := row[4].([]any)
	switch k.Type {
	case "string":
		if len(v) == 1 {
			k.Str = str(v[0])
		}
	case "hash", "list", "set":
		k.Items = strs(v)
	case "zset":
		for i := 0; i+1 < len(v); i += 2 {
			score, err := strconv.ParseFloat(str(v[i+1]), 64)
			if err != nil {
				return nil, fmt.Errorf("key %q: score: %w", k.Key, err)
			}
			k.Items = append(k.Items, str(v[i]))
			k.Scores = append(k.Scores, score)
		}
	case "stream":
		parseStream(k, v)
	default:
		return nil, errUnsupported
	}
	return k, nil
}

// parseStream fills the entries and consumer groups of a stream key from
// {XRANGE reply, {{name, last id, consumers, XPENDING reply}, ...}}.
func parseStream(k *snapKey, v []any) {
	if len(v) != 2 {
		return
	}
	entries, _ := v[0].([]any)
	for _, e := range entries {
		e, _ := e.([]any)
		if len(e) == 2 {
			vals, _ := e[1].([]any)
			k.Entries = append(k.Entries, streamEntry{ID: str(e[0]), Values: strs(vals)})
		}
	}
	groups, _ := v[1].([]any)
	for _, g := range groups {
		g, _ := g.([]any)
		if len(g) != 4 {
			continue
		}
		cons, _ := g[2].([]any)
		sg := streamGroup{Name: str(g[0]), LastID: str(g[1]), Consumers: strs(cons)}
		pend, _ := g[3].([]any)
		for _, p := range pend {
			p, _ := p.([]any)
			if len(p) == 4 {
				n, _ := p[3].(int64)
				sg.Pending = append(sg.Pending, pendingEntry{ID: str(p[0]), Consumer: str(p[1]), Count: n})
			}
		}
		k.Groups = append(k.Groups, sg)
	}
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func strs(v []any) []string {
	out := make([]string, len(v))
	for i, x := range v {
		out[i] = str(x)
	}
	return out
}

// writeSnapshot writes snap to dir/SnapshotFile atomically: a temporary file
// in dir, synced, then renamed over the old snapshot.
func writeSnapshot(dir string, snap *snapshot) error {
	var buf bytes.Buffer
	buf.WriteString(snapshotMagic)
	if err := gob.NewEncoder(&buf).Encode(snap); err != nil {
		return fmt.Errorf("store: encode snapshot: %w", err)
	}
	buf.Write(binary.BigEndian.AppendUint32(nil, crc32.ChecksumIEEE(buf.Bytes())))
	return writeFileAtomic(dir, SnapshotFile, buf.Bytes())
}

// writeFileAtomic replaces dir/name with data so that a reader (or a crash)
// sees either the old or the new content, never a part.
func writeFileAtomic(dir, name string, data []byte) error {
	f, err := os.CreateTemp(dir, name+".tmp-*")
	if err != nil {
		return fmt.Errorf("store: write %s: %w", name, err)
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, filepath.Join(dir, name))
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("store: write %s: %w", filepath.Join(dir, name), err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync() // make the rename durable; not every system can sync a folder
		d.Close()
	}
	return nil
}

// ErrCorruptSnapshot is wrapped by the error Open returns when the embedded
// server's snapshot cannot be read. The file is left as it is.
var ErrCorruptSnapshot = errors.New("corrupt snapshot")

// readSnapshot reads dir/SnapshotFile; a missing file is an empty snapshot.
func readSnapshot(dir string) (*snapshot, error) {
	path := filepath.Join(dir, SnapshotFile)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &snapshot{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: read snapshot: %w", err)
	}
	corrupt := func(why string) error {
		return fmt.Errorf("store: %w %s: %s; move the file away to start with an empty store",
			ErrCorruptSnapshot, path, why)
	}
	n := len(data) - 4
	if n < len(snapshotMagic) || string(data[:len(snapshotMagic)]) != snapshotMagic {
		return nil, corrupt("not a talentbot snapshot")
	}
	if crc32.ChecksumIEEE(data[:n]) != binary.BigEndian.Uint32(data[n:]) {
		return nil, corrupt("checksum mismatch (truncated or damaged)")
	}
	var snap snapshot
	if err := gob.NewDecoder(bytes.NewReader(data[len(snapshotMagic):n])).Decode(&snap); err != nil {
		return nil, corrupt(err.Error())
	}
	return &snap, nil
}

// loadSnapshot puts the keys of snap into m, skipping keys whose expiry has
// passed. Stream consumer groups need commands; loadGroups does them.
func loadSnapshot(m *miniredis.Miniredis, snap *snapshot, now time.Time) error {
	for _, k := range snap.Keys {
		var ttl time.Duration
		if !k.ExpireAt.IsZero() {
			if ttl = k.ExpireAt.Sub(now); ttl <= 0 {
				continue
			}
		}
		if err := loadKey(m.DB(k.DB), k); err != nil {
			return fmt.Errorf("store: load snapshot key %q: %w", k.Key, err)
		}
		if ttl > 0 {
			m.DB(k.DB).SetTTL(k.Key, ttl)
		}
	}
	return nil
}

func loadKey(db *miniredis.RedisDB, k snapKey) error {
	var err error
	switch k.Type {
	case "string":
		err = db.Set(k.Key, k.Str)
	case "hash":
		if len(k.Items) > 0 {
			db.HSet(k.Key, k.Items...)
		}
	case "list":
		_, err = db.Push(k.Key, k.Items...)
	case "set":
		_, err = db.SetAdd(k.Key, k.Items...)
	case "zset":
		for i, m := range k.Items {
			if _, err = db.ZAdd(k.Key, k.Scores[i], m); err != nil {
				break
			}
		}
	case "stream":
		for _, e := range k.Entries {
			if _, err = db.XAdd(k.Key, e.ID, e.Values); err != nil {
				break
			}
		}
	}
	return err
}

// loadGroups recreates the consumer groups of the snapshot's streams, with
// their consumers and pending entries, through c.
func loadGroups(ctx context.Context, c *redis.Client, snap *snapshot, now time.Time) error {
	for _, k := range snap.Keys {
		if len(k.Groups) == 0 || (!k.ExpireAt.IsZero() && !k.ExpireAt.After(now)) {
			continue
		}
		pipe := c.Pipeline()
		pipe.Select(ctx, k.DB)
		for _, g := range k.Groups {
			pipe.XGroupCreateMkStream(ctx, k.Key, g.Name, g.LastID)
			for _, name := range g.Consumers {
				pipe.XGroupCreateConsumer(ctx, k.Key, g.Name, name)
			}
			for _, p := range g.Pending {
				pipe.Do(ctx, "XCLAIM", k.Key, g.Name, p.Consumer, 0, p.ID,
					"RETRYCOUNT", p.Count, "FORCE", "JUSTID")
			}
		}
		if !k.ExpireAt.IsZero() {
			pipe.PExpireAt(ctx, k.Key, k.ExpireAt) // an empty stream exists only now
		}
		pipe.Select(ctx, 0)
		if _, err := pipe.Exec(ctx); err != nil {
			return fmt.Errorf("store: load snapshot groups of %q: %w", k.Key, err)
		}
	}
	return nil
}
