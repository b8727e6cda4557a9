package matching

import (
	"strings"
	"testing"
)

func TestReadCSV(t *testing.T) {
	ls, err := ReadLearnersCSV(strings.NewReader(
		"user,country,zone,languages,skills,availability\n" +
			"tg:1,SI,Ljubljana,sl;en,mqtt.qos;opcua.model,mon-thu 17:00-20:00|sat 09:00-12:00\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(ls) != 1 || ls[0].Zone != "Europe/Ljubljana" || len(ls[0].Skills) != 2 ||
		ls[0].Availability.String() != "mon-thu 17:00-20:00, sat 09:00-12:00" {
		t.Errorf("learners %+v", ls)
	}
	ts, err := ReadTutorsCSV(strings.NewReader(
		"user,country,zone,languages,skills,capacity,availability,load\n" +
			"dc:9,EE,Tallinn,et;en,mqtt.qos:3;opcua.model,4,\"mon-fri 18:00-20:00, sun 10:00-11:00\",1\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) != 1 || ts[0].Skills["mqtt.qos"] != 3 || ts[0].Skills["opcua.model"] != 2 ||
		ts[0].Capacity != 4 || ts[0].Load != 1 || len(ts[0].Availability) != 6 {
		t.Errorf("tutors %+v", ts)
	}
	_, err = ReadTutorsCSV(strings.NewReader("user,country,zone,languages,skills,capacity,availability\n" +
		"dc:9,EE,IST,et,mqtt.qos,1,mon 10:00-11:00\n"))
	if err == nil || !strings.Contains(err.Error(), "line 2") || !strings.Contains(err.Error(), "ambiguous") {
		t.Errorf("ambiguous zone: %v", err)
	}
	if _, err := ReadLearnersCSV(strings.NewReader("user,zone\n")); err == nil {
		t.Error("missing columns accepted")
	}
}
