package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/redis/go-redis/v9"
)

// ServerFile is the name of the file, inside the data folder, in which the
// serving process records the embedded server's address.
const ServerFile = "store.server.json"

// instanceCommand is a command only our embedded server knows; it answers
// with the server's random instance id, so that a joiner can tell our
// server from some other program that took over a recorded port.
const instanceCommand = "TALENTBOT.INSTANCE"

// serverInfo is the content of ServerFile.
type serverInfo struct {
	Addr    string    `json:"addr"`
	PID     int       `json:"pid"`
	ID      string    `json:"id"`
	Started time.Time `json:"started"`
}

// writeServerInfo records info in dir, atomically.
func writeServerInfo(dir string, info serverInfo) error {
	data, err := json.MarshalIndent(info, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(dir, ServerFile, append(data, '\n'))
}

// readServerInfo reads dir's server file; ok is false when there is none or
// it cannot be read (a stale or half-written file is as good as none).
func readServerInfo(dir string) (info serverInfo, ok bool) {
	data, err := os.ReadFile(filepath.Join(dir, ServerFile))
	if err != nil {
		return serverInfo{}, false
	}
	if err := json.Unmarshal(data, &info); err != nil || info.Addr == "" || info.ID == "" {
		return serverInfo{}, false
	}
	return info, true
}

// removeServerInfo removes dir's server file if it still names instance id.
func removeServerInfo(dir, id string) {
	if info, ok := readServerInfo(dir); ok && info.ID == id {
		os.Remove(filepath.Join(dir, ServerFile))
	}
}

// errNotOurs says that the recorded address answers but is not the server
// the file names.
var errNotOurs = errors.New("not the recorded talentbot store")

// probe checks that the server info names answers PING and carries the
// recorded instance id.
func probe(ctx context.Context, info serverInfo) error {
	conn, err := net.DialTimeout("tcp", info.Addr, 500*time.Millisecond)
	if err != nil {
		return err
	}
	conn.Close()
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	c := redis.NewClient(&redis.Options{
		Addr: info.Addr, Protocol: 2, MaxRetries: -1, PoolSize: 1,
		DialTimeout: 500 * time.Millisecond, ReadTimeout: 500 * time.Millisecond,
		WriteTimeout: 500 * time.Millisecond, DisableIdentity: true,
	})
	defer c.Close()
	if err := c.Ping(ctx).Err(); err != nil {
		return err
	}
	id, err := c.Do(ctx, instanceCommand).Text()
	if err != nil || id != info.ID {
		return fmt.Errorf("%s: %w", info.Addr, errNotOurs)
	}
	return nil
}
