package matching

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// CSV files for a cohort have a header row naming their columns, in any
// order; list fields are separated by ';'.
//
// Learners: user,country,zone,languages,skills,availability
//
//	tg:1,SI,Europe/Ljubljana,sl;en,mqtt.qos;opcua.model,mon-thu 17:00-20:00
//
// Tutors: user,country,zone,languages,skills,capacity,availability and
// optionally load (current mentees, default 0) and paused (true/false).
// A tutor's skills carry a level 1..3 after a colon (default 2):
//
//	dc:9,EE,Tallinn,et;en,mqtt.qos:3;opcua.model,4,mon-fri 18:00-20:00|sat 10:00-12:00
//
// zone is anything ParseZone understands without asking back (an IANA name,
// a city, CET, UTC+2), read with the row's country. availability is the
// text form of Availability; its groups are separated by '|' (or by ','
// inside a quoted field).

// ReadLearnersCSV reads learners from a CSV file described above.
func ReadLearnersCSV(r io.Reader) ([]Learner, error) {
	var out []Learner
	err := readCSV(r, []string{"user", "country", "zone", "languages", "skills", "availability"},
		func(row func(string) string) error {
			l := Learner{User: row("user"), Country: strings.ToUpper(row("country")),
				Languages: splitList(row("languages")), Skills: splitList(row("skills"))}
			var err error
			if l.Zone, err = csvZone(row("zone"), l.Country); err != nil {
				return err
			}
			if l.Availability, err = ParseAvailability(strings.ReplaceAll(row("availability"), "|", ",")); err != nil {
				return err
			}
			out = append(out, l)
			return l.Validate()
		})
	return out, err
}

// ReadTutorsCSV reads tutors from a CSV file described above.
func ReadTutorsCSV(r io.Reader) ([]Tutor, error) {
	var out []Tutor
	err := readCSV(r, []string{"user", "country", "zone", "languages", "skills", "capacity", "availability"},
		func(row func(string) string) error {
			t := Tutor{User: row("user"), Country: strings.ToUpper(row("country")),
				Languages: splitList(row("languages")), Skills: map[string]int{},
				Paused: row("paused") == "true"}
			var err error
			if t.Zone, err = csvZone(row("zone"), t.Country); err != nil {
				return err
			}
			if t.Availability, err = ParseAvailability(strings.ReplaceAll(row("availability"), "|", ",")); err != nil {
				return err
			}
			if t.Capacity, err = strconv.Atoi(row("capacity")); err != nil {
				return fmt.Errorf("capacity %q", row("capacity"))
			}
			if s := row("load"); s != "" {
				if t.Load, err = strconv.Atoi(s); err != nil {
					return fmt.Errorf("load %q", s)
				}
			}
			for _, item := range splitList(row("skills")) {
				id, lv, hasLevel := strings.Cut(item, ":")
				t.Skills[id] = 2
				if hasLevel {
					if t.Skills[id], err = strconv.Atoi(lv); err != nil {
						return fmt.Errorf("skill level %q", item)
					}
				}
			}
			out = append(out, t)
			return t.Validate()
		})
	return out, err
}

// readCSV calls each with a lookup by column name for every data row;
// errors name the line.
func readCSV(r io.Reader, required []string, each func(row func(string) string) error) error {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if err != nil {
		return fmt.Errorf("csv header: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	for _, name := range required {
		if _, ok := col[name]; !ok {
			return fmt.Errorf("csv header: no column %q", name)
		}
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		line, _ := cr.FieldPos(0)
		row := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		if err := each(row); err != nil {
			return fmt.Errorf("csv line %d: %w", line, err)
		}
	}
}

func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ";") {
		if p := strings.TrimSpace(part); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func csvZone(text, country string) (string, error) {
	g, err := ParseZone(text, country)
	if err != nil {
		return "", err
	}
	if len(g.Zones) != 1 {
		return "", fmt.Errorf("zone %q is ambiguous: %s", text, strings.Join(g.Zones, ", "))
	}
	return g.Zones[0], nil
}
