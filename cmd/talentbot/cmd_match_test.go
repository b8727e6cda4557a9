package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestMatchSolve(t *testing.T) {
	tests := []struct {
		name, file string
		code       int
		first      string
	}{
		{"dense", "3\n4 1 3\n2 0 5\n3 2 2\n", 0, "optimal cost: 5"},
		{"sparse", "2\n1 1 5\n2 2 7\n1 2 1\n", 0, "optimal cost: 12"},
		{"no complete assignment", "2\n1 1 5\n2 1 7\n1 1 1\n", 2, "no complete assignment"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(context.Background(), []string{"match", "solve", writeFile(t, "a.txt", tt.file)},
				nil, &out, &errOut)
			lines := strings.Split(out.String(), "\n")
			if code != tt.code || !strings.HasPrefix(lines[0], tt.first) {
				t.Fatalf("exit %d, output %q %q; want exit %d, %q", code, out.String(), errOut.String(), tt.code, tt.first)
			}
			if len(lines) < 2 || !strings.HasPrefix(lines[1], "time: ") {
				t.Errorf("second line %q, want the time taken", lines[1])
			}
		})
	}
}

func TestMatchSolveORLib(t *testing.T) {
	path := filepath.Join("..", "..", "..", "shared", "data", "orlib-assign", "assignp800.txt")
	if _, err := os.Stat(path); err != nil {
		t.Skipf("OR-Library instance not found: %v", err)
	}
	var out bytes.Buffer
	if code := run(context.Background(), []string{"match", "solve", path}, nil, &out, &out); code != 0 ||
		!strings.HasPrefix(out.String(), "optimal cost: 2239\n") {
		t.Errorf("exit %d, output %q; want optimal cost: 2239", code, out.String())
	}
}

func TestMatchCohortDryRun(t *testing.T) {
	learners := writeFile(t, "l.csv", "user,country,zone,languages,skills,availability\n"+
		"tg:1,SI,Ljubljana,sl;en,mqtt.qos,mon-thu 17:00-20:00\n"+
		"tg:2,IT,Rome,it,opcua.model,sat 09:00-12:00\n"+
		"tg:3,FI,Helsinki,fi,mqtt.qos,mon 07:00-09:00\n")
	tutors := writeFile(t, "t.csv", "user,country,zone,languages,skills,capacity,availability\n"+
		"dc:9,EE,Tallinn,et;en;it,mqtt.qos:3;opcua.model:2,1,mon-fri 17:00-20:00|sat 10:00-12:00\n"+
		"dc:8,DE,Berlin,de;it,opcua.model:3,1,sat 09:00-12:00\n")
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"match", "cohort", "--learners", learners, "--tutors", tutors, "--dry-run"},
		nil, &out, &errOut)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	text := out.String()
	// tg:3 speaks only Finnish: no tutor. tg:1 takes dc:9, tg:2 dc:8.
	for _, want := range []string{"matched: 2 of 3 learners", "total score: ", "time: ",
		"tg:1 -> dc:9", "tg:2 -> dc:8"} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
}
