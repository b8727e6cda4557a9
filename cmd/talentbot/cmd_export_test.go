package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExportWritesFiles exports an empty embedded store: four CSV files
// with their headers.
func TestExportWritesFiles(t *testing.T) {
	t.Setenv("REDIS_URL", "")
	t.Setenv("TALENTBOT_DATA", t.TempDir())
	t.Setenv("TALENTBOT_PREFIX", "exporttest")
	dir := filepath.Join(t.TempDir(), "out")
	var stdout, stderr bytes.Buffer
	if code := runExport(context.Background(), []string{dir}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	for _, f := range []string{"learners.csv", "requests.csv", "broadcasts.csv", "deliveries.csv"} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(stdout.String(), f) || len(b) == 0 {
			t.Errorf("%s: printed %q, file %q", f, stdout.String(), b)
		}
	}
}

// TestExportUsage refuses a missing folder.
func TestExportUsage(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := runExport(context.Background(), nil, &stdout, &stderr); code != 2 {
		t.Fatalf("exit %d, want 2", code)
	}
	if !strings.Contains(stderr.String(), "usage: talentbot export") {
		t.Fatalf("stderr %q, want the usage", stderr.String())
	}
}
