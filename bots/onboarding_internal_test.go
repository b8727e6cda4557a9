package bots

import "testing"

// TestParseHM reads lesson times as people type them.
func TestParseHM(t *testing.T) {
	for in, want := range map[string]string{
		"17:30": "17:30", "17.30": "17:30", "7": "07:00", " 18 ": "18:00", "00:00": "00:00",
		"5pm": "17:00", "5 PM": "17:00", "5:30 pm": "17:30", "12am": "00:00", "12 pm": "12:00",
		"7 a.m.": "07:00", "１７:３０": "17:30",
		"24:00": "", "13pm": "", "0am": "", "17:5": "", "noon": "", "": "", "17:30:00": "",
	} {
		got, ok := parseHM(in)
		if ok != (want != "") || got != want {
			t.Errorf("parseHM(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}
