package store

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// serveEnv makes the test binary a store server on the folder it names
// (see TestMain), so that tests can kill a serving process.
const serveEnv = "TALENTBOT_STORE_TEST_SERVE"

func TestMain(m *testing.M) {
	if dir := os.Getenv(serveEnv); dir != "" {
		st, err := Open(context.Background(), Config{DataDir: dir, SnapshotEvery: 20 * time.Millisecond})
		if err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		fmt.Println("serving", st.Where())
		select {}
	}
	os.Exit(m.Run())
}

// startServingProcess runs a child process that serves dir until killed.
func startServingProcess(t *testing.T, dir string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), serveEnv+"="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, _ := bufio.NewReader(out).ReadString('\n')
	if !strings.HasPrefix(line, "serving embedded store at") {
		t.Fatalf("child: %q", line)
	}
	return cmd
}

func TestSecondProcessJoinsAndSurvivesCrash(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	child := startServingProcess(t, dir)
	st := openDir(t, dir, time.Hour)
	if !strings.HasPrefix(st.Where(), "joined embedded store at") {
		t.Fatalf("Where = %q, want joined", st.Where())
	}
	if err := st.Client.Set(ctx, "k", "from the joiner", time.Hour).Err(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the server's periodic snapshot", func() bool {
		snap, err := readSnapshot(dir)
		return err == nil && len(snap.Keys) == 1
	})
	child.Process.Kill() // no last snapshot, no clean-up: a crash
	child.Wait()

	waitFor(t, "takeover after the crash", func() bool {
		return strings.HasPrefix(st.Where(), "embedded store at")
	})
	if got := st.Client.Get(ctx, "k").Val(); got != "from the joiner" {
		t.Errorf("after takeover k = %q", got)
	}
	if ttl := st.Client.TTL(ctx, "k").Val(); ttl < 59*time.Minute {
		t.Errorf("TTL after takeover = %v", ttl)
	}
}

func TestStartAfterCrashReplacesServerFile(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	child := startServingProcess(t, dir)
	dead, ok := readServerInfo(dir)
	if !ok || dead.PID != child.Process.Pid {
		t.Fatalf("server file = %+v, want the child's", dead)
	}
	child.Process.Kill()
	child.Wait()

	st := openDir(t, dir, time.Hour)
	if !strings.HasPrefix(st.Where(), "embedded store at") {
		t.Errorf("Where = %q, want a server of its own", st.Where())
	}
	if info, _ := readServerInfo(dir); info.PID != os.Getpid() || info.ID == dead.ID {
		t.Errorf("server file = %+v, still the dead one", info)
	}
	if err := st.Client.Ping(ctx).Err(); err != nil {
		t.Error(err)
	}
}
