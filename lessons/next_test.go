package lessons

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

var skillsField = regexp.MustCompile(`skills: \[[^\]]*\]`)

func lessonFile(id, track, skill, level, prereqs string) *fstest.MapFile {
	s := testLesson(id, track, prereqs, "")
	s = skillsField.ReplaceAllString(s, "skills: ["+skill+"]")
	s = strings.Replace(s, "level: beginner", "level: "+level, 1)
	return &fstest.MapFile{Data: []byte(s)}
}

// smallCatalog: an MQTT track of three lessons in a chain, an edge track
// that builds on the first MQTT lesson, and one security lesson.
func smallCatalog(t testing.TB) *Catalog {
	t.Helper()
	c, err := Load(fstest.MapFS{
		"mqtt/m3.md":     lessonFile("m3", "mqtt", "mqtt.session", "intermediate", "[m2]"),
		"mqtt/m1.md":     lessonFile("m1", "mqtt", "mqtt.basics", "beginner", "[]"),
		"mqtt/m2.md":     lessonFile("m2", "mqtt", "mqtt.qos", "beginner", "[m1]"),
		"edge/e1.md":     lessonFile("e1", "edge", "edge.gateway", "beginner", "[m1]"),
		"edge/e2.md":     lessonFile("e2", "edge", "edge.cloud", "advanced", "[e1]"),
		"security/s1.md": lessonFile("s1", "security", "security.segmentation", "beginner", "[]"),
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// finish answers every question of the lessons, right, one hour apart.
func finish(t testing.TB, c *Catalog, p *Progress, ids ...string) {
	t.Helper()
	for i, id := range ids {
		l, ok := c.Lesson(id)
		if !ok {
			t.Fatalf("no lesson %q", id)
		}
		for q := range l.Quiz {
			p.Answer(l, q, l.Quiz[q].Correct, t0.Add(time.Duration(i)*time.Hour))
		}
	}
}

func TestNext(t *testing.T) {
	c := smallCatalog(t)
	tests := []struct {
		name  string
		done  []string
		want  []string
		level string
		next  string
	}{
		{"nothing done, no wishes", nil, nil, "beginner", "m1"},
		{"a wanted skill", nil, []string{"security.segmentation"}, "beginner", "s1"},
		{"the way to a wanted skill", nil, []string{"edge.cloud"}, "", "m1"},
		{"on towards it", []string{"m1"}, []string{"edge.cloud"}, "beginner", "e1"},
		{"prerequisites first", []string{"m1", "e1"}, []string{"edge.cloud"}, "beginner", "e2"},
		{"continue the last track", []string{"s1", "m1"}, nil, "beginner", "m2"},
		{"level", []string{"m1", "m2"}, []string{"mqtt.session", "edge.gateway"}, "intermediate", "m3"},
		{"all done", []string{"m1", "m2", "m3", "e1", "e2", "s1"}, nil, "beginner", ""},
	}
	for _, tt := range tests {
		var p Progress
		finish(t, c, &p, tt.done...)
		l, ok := c.Next(&p, tt.want, tt.level)
		got := ""
		if ok {
			got = l.ID
		}
		if got != tt.next {
			t.Errorf("%s: Next = %q, want %q", tt.name, got, tt.next)
		}
	}
}

func TestNextResumesAStartedLesson(t *testing.T) {
	c := smallCatalog(t)
	var p Progress
	finish(t, c, &p, "m1")
	e1, _ := c.Lesson("e1")
	p.Lessons["e1"] = LessonProgress{Answers: "-"} // shown, not answered
	if l, _ := c.Next(&p, []string{"mqtt.qos"}, "beginner"); l != e1 {
		t.Errorf("Next = %s, want the started e1", l.ID)
	}
}

func TestTrackInTeachingOrder(t *testing.T) {
	c := smallCatalog(t)
	if got := ids(c.Track("mqtt")); got != "m1 m2 m3" {
		t.Errorf("mqtt track order %s", got)
	}
	var p Progress
	var taken []string
	for {
		l, ok := c.NextInTrack(&p, "edge")
		if !ok {
			break
		}
		taken = append(taken, l.ID)
		finish(t, c, &p, l.ID)
	}
	if got := strings.Join(taken, " "); got != "m1 e1 e2" {
		t.Errorf("edge track taken as %s, want m1 e1 e2", got)
	}
}

// TestEmbeddedTracksCanBeCompleted takes every track of the embedded
// catalogue with Next, wanting only that track's skills, and checks that
// each lesson comes after its prerequisites and the track is finished
// before Next leaves it.
func TestEmbeddedTracksCanBeCompleted(t *testing.T) {
	c := mustDefault(t)
	for _, track := range []string{"sensors", "networks", "mqtt", "opcua", "edge", "security"} {
		var want []string
		for _, l := range c.Track(track) {
			want = append(want, l.Skills...)
		}
		var p Progress
		for range c.Track(track) {
			l, ok := c.Next(&p, want, "beginner")
			if !ok {
				t.Fatalf("%s: Next found nothing", track)
			}
			for _, pre := range l.Prerequisites {
				if _, done := p.Done(pre); !done {
					t.Errorf("%s: %s before its prerequisite %s", track, l.ID, pre)
				}
			}
			finish(t, c, &p, l.ID)
		}
		for _, l := range c.Track(track) {
			if _, done := p.Done(l.ID); !done {
				t.Errorf("%s: %s not taken while in the track", track, l.ID)
			}
		}
	}
}

func ids(ls []*Lesson) string {
	var s []string
	for _, l := range ls {
		s = append(s, l.ID)
	}
	return strings.Join(s, " ")
}

func BenchmarkNext(b *testing.B) {
	c := mustDefault(b)
	var p Progress
	for i, l := range c.Lessons() {
		if i%2 == 0 {
			finish(b, c, &p, l.ID)
		}
	}
	want := []string{"mqtt.qos", "opcua.security", "security.segmentation"}
	b.ReportAllocs()
	for b.Loop() {
		c.Next(&p, want, "intermediate")
	}
}

func BenchmarkLesson(b *testing.B) {
	c := mustDefault(b)
	ids := make([]string, c.Len())
	for i, l := range c.Lessons() {
		ids[i] = l.ID
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		c.Lesson(ids[i%len(ids)])
		i++
	}
}

func BenchmarkAnswer(b *testing.B) {
	c := mustDefault(b)
	l := c.Lessons()[0]
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		var p Progress
		p.Answer(l, 0, (l.Quiz[0].Correct+i)%len(l.Quiz[0].Options), t0)
	}
}

func ExampleCatalog_Next() {
	c, _ := LoadDefault()
	var p Progress
	l, _ := c.Next(&p, []string{"mqtt.qos"}, Beginner)
	fmt.Println(l.ID)
	correct, counted := p.Answer(l, 0, l.Quiz[0].Correct, t0)
	fmt.Println(correct, counted)
	_, counted = p.Answer(l, 0, l.Quiz[0].Correct, t0)
	fmt.Println(counted)
	// Output:
	// mqtt-topics
	// true true
	// false
}

func BenchmarkLintEmbedded(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if r := Lint(EmbeddedFS(), EmbeddedName); !r.OK() {
			b.Fatal(r.Errors)
		}
	}
}
