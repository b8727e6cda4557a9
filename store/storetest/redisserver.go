package storetest

import (
	"bytes"
	"context"
	"net"
	"os/exec"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// StartRedisServer starts a private redis-server child process on a free
// loopback port, keeping nothing on disk, and returns its address and a
// function that stops it (safe to call more than once; it also runs when
// the test ends). Tests use it to stop Redis without touching the shared
// server. It skips the test when redis-server is not installed.
func StartRedisServer(t testing.TB) (addr string, stop func()) {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Skip("storetest: redis-server is not in PATH; install Redis to run this test")
	}
	var lastErr error
	for range 3 { // a free port may be taken before the child binds it
		addr, stop, lastErr = startRedis(t, bin)
		if lastErr == nil {
			t.Cleanup(stop)
			return addr, stop
		}
	}
	t.Fatalf("storetest: start redis-server: %v", lastErr)
	return "", nil
}

func startRedis(t testing.TB, bin string) (string, func(), error) {
	port, err := freePort()
	if err != nil {
		return "", nil, err
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	var out bytes.Buffer
	cmd := exec.Command(bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--dir", t.TempDir())
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cmd.Process.Kill()
			<-exited
		})
	}
	if err := waitPing(addr, exited); err != nil {
		stop()
		return "", nil, &startError{err: err, out: out.String()}
	}
	return addr, stop, nil
}

type startError struct {
	err error
	out string
}

func (e *startError) Error() string { return e.err.Error() + "; output: " + e.out }

// waitPing waits up to 5 s for addr to answer PING.
func waitPing(addr string, exited <-chan struct{}) error {
	c := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1, DisableIdentity: true})
	defer c.Close()
	deadline := time.Now().Add(5 * time.Second)
	for {
		err := c.Ping(context.Background()).Err()
		if err == nil {
			return nil
		}
		select {
		case <-exited:
			return err
		default:
		}
		if time.Now().After(deadline) {
			return err
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}
