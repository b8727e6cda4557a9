package lessons

import (
	"embed"
	"io/fs"
	"os"
	"sort"
	"sync"

	"github.com/talentjourney/talentbot/skills"
)

// embedded holds the default catalogue: catalog/<track>/<id>.md.
//
//go:embed catalog
var embedded embed.FS

// EmbeddedName is the name the embedded catalogue's files are shown under
// in problems: their path in the source tree.
const EmbeddedName = "lessons/catalog"

func embeddedSource() source {
	sub, err := fs.Sub(embedded, "catalog")
	if err != nil {
		panic(err) // the folder is embedded at build time
	}
	return source{sub, EmbeddedName}
}

// EmbeddedFS returns the embedded catalogue's files.
func EmbeddedFS() fs.FS { return embeddedSource().fsys }

// Catalog is a checked, read-only set of lessons. It is safe for concurrent
// use.
type Catalog struct {
	lessons []*Lesson // by track in skills.Tracks order, each track in teaching order
	index   map[string]int
	tracks  map[string][]*Lesson
	summary Summary

	// Per lesson, by position in lessons, for Next.
	prereqs  [][]int  // positions of prerequisites
	skillSet []bitset // skills the lesson teaches (bits by skills.Index)
	leadsTo  []bitset // skills of the lesson and of every lesson that needs it
	level    []int
	track    []int // position of the track in skills.Tracks
}

// Load reads and checks every lesson file in fsys. When there is any error it
// returns a *LintError holding the whole report.
func Load(fsys fs.FS) (*Catalog, error) {
	return check(build(source{fsys, ""}))
}

var loadDefault = sync.OnceValues(func() (*Catalog, error) {
	return check(build(embeddedSource()))
})

// LoadDefault returns the embedded catalogue. It is read once; later calls
// return the same Catalog.
func LoadDefault() (*Catalog, error) { return loadDefault() }

// Extend returns the embedded catalogue extended with the lessons in dir (the
// TALENTBOT_LESSONS folder): a lesson with the id of an embedded lesson
// replaces it. When there is any error it returns a *LintError whose problems
// name dir's files.
func Extend(dir string) (*Catalog, error) {
	return check(build(embeddedSource(), source{os.DirFS(dir), dir}))
}

func check(c *Catalog, r Report) (*Catalog, error) {
	if !r.OK() {
		return nil, &LintError{Report: r}
	}
	return c, nil
}

// Lesson returns the lesson with the given id.
func (c *Catalog) Lesson(id string) (*Lesson, bool) {
	i, ok := c.index[id]
	if !ok {
		return nil, false
	}
	return c.lessons[i], true
}

// Lessons returns every lesson, track by track in the order of
// skills.Tracks, each track in teaching order (prerequisites first, then
// easier levels first). The caller may not modify the slice.
func (c *Catalog) Lessons() []*Lesson { return c.lessons }

// Track returns the lessons of a track in teaching order.
func (c *Catalog) Track(id string) []*Lesson { return c.tracks[id] }

// Len returns the number of lessons.
func (c *Catalog) Len() int { return len(c.lessons) }

// Summary counts the catalogue's lessons, tracks, skills and languages.
func (c *Catalog) Summary() Summary { return c.summary }

// newCatalog orders checked lessons (no unknown prerequisite, no cycle) and
// indexes them.
func newCatalog(all []*Lesson) *Catalog {
	c := &Catalog{index: map[string]int{}, tracks: map[string][]*Lesson{}, summary: summarize(all)}
	perTrack := map[string][]*Lesson{}
	for _, l := range all {
		perTrack[l.Track] = append(perTrack[l.Track], l)
	}
	for ti, t := range skills.Tracks() {
		ordered := teachingOrder(perTrack[t.ID])
		c.tracks[t.ID] = ordered
		for _, l := range ordered {
			c.index[l.ID] = len(c.lessons)
			c.lessons = append(c.lessons, l)
			c.track = append(c.track, ti)
		}
	}
	c.indexLessons()
	return c
}

// indexLessons fills the per-lesson tables Next reads.
func (c *Catalog) indexLessons() {
	n := len(c.lessons)
	c.prereqs = make([][]int, n)
	c.skillSet = make([]bitset, n)
	c.leadsTo = make([]bitset, n)
	c.level = make([]int, n)
	for i, l := range c.lessons {
		for _, id := range l.Prerequisites {
			c.prereqs[i] = append(c.prereqs[i], c.index[id])
		}
		for _, s := range l.Skills {
			c.skillSet[i].set(skills.Index(s))
		}
		c.level[i] = LevelRank(l.Level)
	}

	// A lesson leads to its own skills and to those of every lesson that
	// needs it, directly or not. Lessons of one track come after their
	// in-track prerequisites, but prerequisites may cross tracks, so repeat
	// until nothing changes (a few rounds for a catalogue without cycles).
	copy(c.leadsTo, c.skillSet)
	for changed := true; changed; {
		changed = false
		for i := n - 1; i >= 0; i-- {
			for _, p := range c.prereqs[i] {
				changed = c.leadsTo[p].addAll(c.leadsTo[i]) || changed
			}
		}
	}
}

// teachingOrder sorts one track's lessons so that each comes after its
// prerequisites in the track, choosing the easiest level, then the first
// path, whenever several lessons could come next.
func teachingOrder(ls []*Lesson) []*Lesson {
	inTrack := map[string]bool{}
	for _, l := range ls {
		inTrack[l.ID] = true
	}
	sort.Slice(ls, func(i, j int) bool {
		if a, b := LevelRank(ls[i].Level), LevelRank(ls[j].Level); a != b {
			return a < b
		}
		return ls[i].Path < ls[j].Path
	})
	placed := map[string]bool{}
	out := make([]*Lesson, 0, len(ls))
	for len(out) < len(ls) {
		progress := false
		for _, l := range ls {
			if placed[l.ID] || !prereqsPlaced(l, inTrack, placed) {
				continue
			}
			placed[l.ID] = true
			out = append(out, l)
			progress = true
			break
		}
		if !progress { // unreachable after checkPrerequisites; keep the rest as is
			for _, l := range ls {
				if !placed[l.ID] {
					out = append(out, l)
				}
			}
		}
	}
	return out
}

func prereqsPlaced(l *Lesson, inTrack, placed map[string]bool) bool {
	for _, id := range l.Prerequisites {
		if inTrack[id] && !placed[id] {
			return false
		}
	}
	return true
}
