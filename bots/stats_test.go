package bots_test

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/talentjourney/talentbot/bots"
	"github.com/talentjourney/talentbot/bots/bottest"
)

// TestStatsAndExport counts users by country in /stats and writes the
// export: pseudonyms by default, user keys with Names.
func TestStatsAndExport(t *testing.T) {
	h := newHarness(t, nil, bots.Config{Coordinators: []string{"term:ana"}})
	seedUsers(t, h.st, []seed{
		{"term:ana", bots.Terminal, "ana", "en", bots.RoleCoordinator, "SI"},
		{"term:l1", bots.Terminal, "l1", "de", bots.RoleLearner, "DE"},
		{"term:l2", bots.Terminal, "l2", "de", bots.RoleLearner, "DE"},
		{"term:l3", bots.Terminal, "l3", "fi", bots.RoleLearner, "FI"},
		{"term:t1", bots.Terminal, "t1", "de", bots.RoleTutor, "DE"},
	})
	h.Send(t, "ana", "/stats")
	i := bottest.WaitFor(t, h, "ana", 0, "Programme statistics")
	got := h.Received(t, "ana")[i].Text
	for _, want := range []string{"Germany: learners 2, tutors 1", "Finland: learners 1, tutors 0",
		"Active in the last 7 days: 5", "Mentoring requests: open 0"} {
		if !strings.Contains(got, want) {
			t.Errorf("/stats says %q, want a line %q", got, want)
		}
	}

	id, err := h.eng.StartBroadcast(context.Background(), "term:ana",
		map[string]string{"": "Hello", "de": "Hallo"}, bots.Segment{Role: bots.RoleLearner})
	if err != nil {
		t.Fatal(err)
	}
	bottest.WaitFor(t, h, "ana", i+1, "finished. Recipients: 3")

	ctx := context.Background()
	dir := t.TempDir()
	if _, err := bots.Export(ctx, h.st, dir, bots.ExportOptions{Now: time.Now()}); err != nil {
		t.Fatal(err)
	}
	learners := readCSV(t, filepath.Join(dir, bots.ExportLearners))
	if len(learners) != 6 {
		t.Fatalf("learners.csv has %d rows, want a header and 5 users", len(learners))
	}
	deliveries := readCSV(t, filepath.Join(dir, bots.ExportDeliveries))
	if len(deliveries) != 4 || deliveries[1][0] != id || deliveries[1][2] != "sent" {
		t.Fatalf("deliveries.csv = %v, want 3 sent rows of broadcast %s", deliveries, id)
	}
	broadcasts := readCSV(t, filepath.Join(dir, bots.ExportBroadcasts))
	if len(broadcasts) != 2 || broadcasts[1][4] != "3" || broadcasts[1][5] != "3" {
		t.Fatalf("broadcasts.csv = %v, want one broadcast to 3, 3 sent", broadcasts)
	}
	for _, f := range []string{bots.ExportLearners, bots.ExportDeliveries, bots.ExportBroadcasts} {
		b, _ := os.ReadFile(filepath.Join(dir, f))
		if strings.Contains(string(b), "term:") {
			t.Errorf("%s names a user: %s", f, b)
		}
	}
	again := t.TempDir()
	if _, err := bots.Export(ctx, h.st, again, bots.ExportOptions{}); err != nil {
		t.Fatal(err)
	}
	if a, b := readCSV(t, filepath.Join(again, bots.ExportDeliveries)), deliveries; a[1][1] != b[1][1] {
		t.Errorf("pseudonyms changed between exports: %q, %q", a[1][1], b[1][1])
	}

	named := t.TempDir()
	if _, err := bots.Export(ctx, h.st, named, bots.ExportOptions{Names: true}); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(named, bots.ExportLearners))
	if !strings.Contains(string(b), "term:l1,learner,DE,de") {
		t.Errorf("learners.csv with names lacks term:l1:\n%s", b)
	}
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}
