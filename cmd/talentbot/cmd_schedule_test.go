package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

func TestScheduleNext(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"case 1 helsinki jump", []string{"--zone", "Europe/Helsinki", "--spec", "30 3 * * *",
			"--from", "2027-03-27T12:00:00Z", "--count", "2"},
			"2027-03-28T01:00:00Z 2027-03-28T04:00:00+03:00\n2027-03-29T00:30:00Z 2027-03-29T03:30:00+03:00\n"},
		{"case 1 new york jump", []string{"--zone", "America/New_York", "--spec", "30 2 * * *",
			"--from", "2027-03-13T12:00:00Z", "--count", "1"},
			"2027-03-14T07:00:00Z 2027-03-14T03:00:00-04:00\n"},
		{"case 2 helsinki back", []string{"--zone", "Europe/Helsinki", "--spec", "30 3 * * *",
			"--from", "2027-10-30T12:00:00Z", "--count", "2"},
			"2027-10-31T00:30:00Z 2027-10-31T03:30:00+03:00\n2027-11-01T01:30:00Z 2027-11-01T03:30:00+02:00\n"},
		{"case 2 lord howe", []string{"--zone", "Australia/Lord_Howe", "--spec", "45 1 * * *",
			"--from", "2027-04-03T00:00:00Z", "--count", "2"},
			"2027-04-03T14:45:00Z 2027-04-04T01:45:00+11:00\n2027-04-04T15:15:00Z 2027-04-05T01:45:00+10:30\n"},
		{"quiet hours and holidays when asked", []string{"--zone", "Europe/Berlin", "--spec", "30 22 * * *",
			"--from", "2027-05-16T10:00:00Z", "--count", "2", "--quiet", "21:00-08:00", "--holidays", "de"},
			"2027-05-18T06:00:00Z 2027-05-18T08:00:00+02:00\n2027-05-19T06:00:00Z 2027-05-19T08:00:00+02:00\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := runScheduleNext(tt.args, time.Now(), &out, &errb)
			if code != 0 || out.String() != tt.want {
				t.Fatalf("exit %d, stderr %q\ngot:\n%s\nwant:\n%s", code, errb.String(), out.String(), tt.want)
			}
		})
	}
}

func TestScheduleNextDefaultsToFiveFromNow(t *testing.T) {
	var out bytes.Buffer
	now := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	if code := runScheduleNext([]string{"--zone", "UTC", "--spec", "@daily"}, now, &out, &out); code != 0 {
		t.Fatalf("exit %d: %s", code, out.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 5 || lines[0] != "2027-01-02T00:00:00Z 2027-01-02T00:00:00+00:00" {
		t.Fatalf("got %q", lines)
	}
}

func TestScheduleNextBadInput(t *testing.T) {
	base := []string{"--zone", "Europe/Rome", "--spec", "0 8 * * *"}
	tests := []struct {
		args    []string
		wantErr string
	}{
		{[]string{"--spec", "@daily"}, "--zone is required"},
		{[]string{"--zone", "UTC"}, "--spec is required"},
		{[]string{"--zone", "Mars/Base", "--spec", "@daily"}, "not an IANA time zone"},
		{[]string{"--zone", "UTC", "--spec", "61 * * * *"}, "bad cron spec"},
		{append(base, "--from", "yesterday"), "want RFC 3339"},
		{append(base, "--count", "0"), "want 1 to 1000"},
		{append(base, "--quiet", "9-5"), "quiet hours"},
		{append(base, "--holidays", "FR"), "known countries are DE, EE, FI, IT, SI"},
		{[]string{"--zone", "UTC", "--spec", "0", "8", "*"}, "unexpected argument"},
		{[]string{"--nope"}, "flag provided but not defined"},
	}
	for _, tt := range tests {
		var out, errb bytes.Buffer
		if code := runScheduleNext(tt.args, time.Now(), &out, &errb); code != 2 || !strings.Contains(errb.String(), tt.wantErr) {
			t.Errorf("%q: exit %d, stderr %q; want 2 and %q", tt.args, code, errb.String(), tt.wantErr)
		}
	}
}

func TestScheduleHelp(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"next", "--help"}, {"next", "-h"}} {
		var out, errb bytes.Buffer
		if code := runSchedule(context.Background(), args, &out, &errb); code != 0 || !strings.Contains(out.String(), "Usage: talentbot schedule") {
			t.Errorf("%q: exit %d, stdout %q", args, code, out.String())
		}
	}
	var out, errb bytes.Buffer
	if code := runSchedule(context.Background(), []string{"later"}, &out, &errb); code != 2 {
		t.Errorf("unknown command: exit %d", code)
	}
}
