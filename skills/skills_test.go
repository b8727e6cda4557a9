package skills

import (
	"strings"
	"testing"
)

func TestEveryNameInEveryLanguage(t *testing.T) {
	check := func(id string, names map[string]string) {
		for _, lang := range Languages {
			if strings.TrimSpace(names[lang]) == "" {
				t.Errorf("%s: no name in %q", id, lang)
			}
		}
		if len(names) != len(Languages) {
			t.Errorf("%s: %d names, want %d", id, len(names), len(Languages))
		}
	}
	for _, tr := range Tracks() {
		check(tr.ID, tr.Names)
	}
	for _, s := range All() {
		check(s.ID, s.Names)
	}
}

func TestSkillIDsNameTheirTrack(t *testing.T) {
	perTrack := map[string]int{}
	seen := map[string]bool{}
	for _, s := range All() {
		if seen[s.ID] {
			t.Errorf("duplicate skill %q", s.ID)
		}
		seen[s.ID] = true
		if _, ok := TrackByID(s.Track); !ok {
			t.Errorf("%s: unknown track %q", s.ID, s.Track)
		}
		if !strings.HasPrefix(s.ID, s.Track+".") {
			t.Errorf("%s: id does not start with its track %q", s.ID, s.Track)
		}
		perTrack[s.Track]++
	}
	if len(Tracks()) != 6 || len(All()) != 24 {
		t.Errorf("%d tracks and %d skills, want 6 and 24", len(Tracks()), len(All()))
	}
	for _, tr := range Tracks() {
		if perTrack[tr.ID] != 4 {
			t.Errorf("track %s has %d skills, want 4", tr.ID, perTrack[tr.ID])
		}
	}
}

func TestName(t *testing.T) {
	tests := []struct {
		id, lang, want string
	}{
		{"mqtt.qos", "en", "MQTT quality of service"},
		{"mqtt.qos", "de", "MQTT-Dienstgüte"},
		{"mqtt.qos", "de-AT", "MQTT-Dienstgüte"},
		{"security.segmentation", "fi", "Verkon segmentointi"},
		{"edge.digital-twin", "it", "Gemelli digitali"},
		{"sensors.digital-io", "sl", "Digitalni vhodi in izhodi"},
		{"edge.timeseries", "et", "Aegridade andmed"},
		{"mqtt.qos", "pt", "MQTT quality of service"}, // falls back to English
		{"no.such", "de", "no.such"},
	}
	for _, tt := range tests {
		if got := Name(tt.id, tt.lang); got != tt.want {
			t.Errorf("Name(%q, %q) = %q, want %q", tt.id, tt.lang, got, tt.want)
		}
	}
	if got := TrackName("security", "de"); got != "OT-Sicherheit" {
		t.Errorf("TrackName(security, de) = %q", got)
	}
}

func TestByIDAndIndex(t *testing.T) {
	s, ok := ByID("networks.io-link")
	if !ok || s.Track != "networks" {
		t.Fatalf("ByID(networks.io-link) = %+v, %v", s, ok)
	}
	if i := Index("networks.io-link"); All()[i].ID != "networks.io-link" {
		t.Errorf("Index points at %q", All()[i].ID)
	}
	if Index("nope") != -1 {
		t.Error("Index of an unknown skill is not -1")
	}
	if _, ok := ByID("mqtt"); ok {
		t.Error("a track id is found as a skill")
	}
}
