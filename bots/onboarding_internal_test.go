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

// TestQuietInput reads quiet hours as people type them.
func TestQuietInput(t *testing.T) {
	for in, want := range map[string]string{
		"22:00-07:30": "22:00-07:30", "22:00 - 07:30": "22:00-07:30", "22.00–7.30": "22:00-7:30",
		"Aus": "off", " välja ": "off", "OFF": "off", "pois": "off", "later": "later",
	} {
		if got := quietInput(in); got != want {
			t.Errorf("quietInput(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestFindTrack reads a track as a learner names it, in any language.
func TestFindTrack(t *testing.T) {
	for in, want := range map[string]string{
		"mqtt": "mqtt", "MQTT": "mqtt", " opcua ": "opcua", "Sensors and signals": "sensors",
		"Sensoren": "sensors", "anturit": "sensors", "mqtt please": "mqtt",
		"se": "", "nothing": "", "": "",
	} {
		if got := findTrack(in); got != want {
			t.Errorf("findTrack(%q) = %q, want %q", in, got, want)
		}
	}
}
