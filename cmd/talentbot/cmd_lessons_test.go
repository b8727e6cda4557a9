package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"
)

func runLessonsArgs(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = runLessons(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

var summaryLine = regexp.MustCompile(`^\d+ lessons, \d+ tracks, \d+ skills, \d+ languages\n$`)

func TestLessonsLintEmbedded(t *testing.T) {
	code, out, errs := runLessonsArgs("lint")
	if code != 0 {
		t.Errorf("exit %d, stderr:\n%s", code, errs)
	}
	if !summaryLine.MatchString(out) || !strings.Contains(out, " 6 tracks, 24 skills, ") {
		t.Errorf("stdout %q", out)
	}
	for _, line := range strings.Split(strings.TrimSpace(errs), "\n") {
		if line != "" && !strings.Contains(line, ": warning: ") {
			t.Errorf("error on the embedded catalogue: %s", line)
		}
	}
}

func TestLessonsLintBrokenFolder(t *testing.T) {
	const dir = "../../lessons/testdata/broken"
	for _, args := range [][]string{{"lint", dir}, {"lint", "--alone", dir}} {
		code, out, errs := runLessonsArgs(args...)
		if code != 1 {
			t.Errorf("%v: exit %d, want 1", args, code)
		}
		if !summaryLine.MatchString(out) {
			t.Errorf("%v: stdout %q", args, out)
		}
		for _, want := range []string{
			dir + `/unknown-skill.md:5: unknown skill "mqtt.telepathy"`,
			dir + `/cycle-b.md:8: prerequisite cycle: cycle-a -> cycle-b -> cycle-a`,
			dir + `/poll-limits.md:12: warning: question 1 is 394 characters`,
		} {
			if !strings.Contains(errs, want) {
				t.Errorf("%v: stderr lacks %q", args, want)
			}
		}
	}
	if _, out, _ := runLessonsArgs("lint", "--alone", dir); !strings.HasPrefix(out, "22 lessons, 1 tracks,") {
		t.Errorf("--alone counts %q", out)
	}
}

func TestLessonsUsage(t *testing.T) {
	tests := []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"--help"}, 0, "Usage: talentbot lessons <command>"},
		{[]string{"lint", "--help"}, 0, "Usage: talentbot lessons lint"},
		{[]string{"lint", "-h"}, 0, "Usage: talentbot lessons lint"},
		{nil, 2, ""},
		{[]string{"frobnicate"}, 2, ""},
		{[]string{"lint", "a", "b"}, 2, ""},
		{[]string{"lint", "--nope"}, 2, ""},
	}
	for _, tt := range tests {
		code, out, _ := runLessonsArgs(tt.args...)
		if code != tt.code || !strings.HasPrefix(out, tt.out) {
			t.Errorf("%v: exit %d, stdout %q", tt.args, code, out)
		}
	}
	code, out, errs := runLessonsArgs("lint", "no/such/folder")
	if code != 1 || out != "" || errs != "no/such/folder: not a folder\n" {
		t.Errorf("missing folder: exit %d, stdout %q, stderr %q", code, out, errs)
	}
}

// TestMissingLessonsFolder: TALENTBOT_LESSONS naming no folder stops the
// start with one plain sentence.
func TestMissingLessonsFolder(t *testing.T) {
	_, err := loadLessons("no/such/folder")
	if err == nil || err.Error() != "TALENTBOT_LESSONS: no/such/folder is not a folder" {
		t.Fatalf("loadLessons of a missing folder: %v", err)
	}
}
