package lessons

import (
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/talentjourney/talentbot/skills"
)

// source is a folder of lesson files and the name its files are shown under.
type source struct {
	fsys fs.FS
	name string
}

// display returns the path of a file of the source as problems show it.
func (s source) display(p string) string {
	if s.name == "" || s.name == "." {
		return p
	}
	if p == "." {
		return s.name
	}
	return strings.TrimSuffix(s.name, "/") + "/" + p
}

// read parses every ".md" file of the source except README.md, in path
// order.
func (s source) read(ps *problems) []*Lesson {
	var out []*Lesson
	err := fs.WalkDir(s.fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			ps.errorf(s.display(p), 1, "cannot read: %v", err)
			return nil
		}
		if d.IsDir() || path.Ext(p) != ".md" || strings.EqualFold(path.Base(p), "README.md") {
			return nil
		}
		data, err := fs.ReadFile(s.fsys, p)
		if err != nil {
			ps.errorf(s.display(p), 1, "cannot read: %v", err)
			return nil
		}
		l := parseFile(s.display(p), data, ps)
		if l == nil {
			return nil
		}
		if dir := path.Base(path.Dir(p)); dir != "." && l.Track != "" && dir != l.Track {
			ps.warnf(l.Path, 1, "lesson of track %q is in folder %q", l.Track, dir)
		}
		out = append(out, l)
		return nil
	})
	if err != nil {
		ps.errorf(s.display("."), 1, "cannot read: %v", err)
	}
	return out
}

// Lint checks the lessons in fsys as a catalogue of their own. name is shown
// before each file's path in problems: the folder as the author knows it.
func Lint(fsys fs.FS, name string) Report {
	_, r := build(source{fsys, name})
	return r
}

// LintExtension checks the lessons in fsys as an extension of the embedded
// catalogue, the way TALENTBOT_LESSONS uses them: prerequisites may name
// embedded lessons, and a lesson with an embedded lesson's id replaces it.
// The summary counts the extended catalogue.
func LintExtension(fsys fs.FS, name string) Report {
	_, r := build(embeddedSource(), source{fsys, name})
	return r
}

// build reads the sources in order, a lesson of a later source replacing one
// of an earlier source with the same id, checks the whole, and returns the
// catalogue when there are no errors.
func build(sources ...source) (*Catalog, Report) {
	ps := &problems{}
	byID := map[string]*Lesson{}
	for _, s := range sources {
		local := map[string]*Lesson{}
		for _, l := range s.read(ps) {
			if l.ID == "" {
				continue
			}
			if first, ok := local[l.ID]; ok {
				ps.errorf(l.Path, l.lines.id, "duplicate id %q (first in %s:%d)",
					l.ID, first.Path, first.lines.id)
				continue
			}
			local[l.ID] = l
			byID[l.ID] = l
		}
	}

	all := make([]*Lesson, 0, len(byID))
	for _, l := range byID {
		all = append(all, l)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].Path < all[j].Path })
	checkPrerequisites(all, byID, ps)

	sortProblems(ps.errs)
	sortProblems(ps.warns)
	r := Report{Errors: ps.errs, Warnings: ps.warns, Summary: summarize(all)}
	if len(r.Errors) > 0 {
		return nil, r
	}
	return newCatalog(all), r
}

// checkPrerequisites reports prerequisites that name no lesson, and cycles.
func checkPrerequisites(all []*Lesson, byID map[string]*Lesson, ps *problems) {
	for _, l := range all {
		for i, id := range l.Prerequisites {
			if _, ok := byID[id]; !ok {
				ps.errorf(l.Path, l.prereqLine(i), "unknown prerequisite %q", id)
			}
		}
	}

	// Depth-first search; an edge to a lesson still on the stack closes a
	// cycle, reported once at that edge.
	const (
		unseen = iota
		onStack
		finished
	)
	state := map[string]int{}
	var stack []string
	var visit func(l *Lesson)
	visit = func(l *Lesson) {
		state[l.ID] = onStack
		stack = append(stack, l.ID)
		for i, id := range l.Prerequisites {
			next, ok := byID[id]
			switch {
			case !ok:
			case state[id] == onStack:
				ps.errorf(l.Path, l.prereqLine(i), "prerequisite cycle: %s", cycle(stack, id))
			case state[id] == unseen:
				visit(next)
			}
		}
		stack = stack[:len(stack)-1]
		state[l.ID] = finished
	}
	for _, l := range all {
		if state[l.ID] == unseen {
			visit(l)
		}
	}
}

// cycle formats the part of stack from id on, back to id: "a -> b -> a".
func cycle(stack []string, id string) string {
	for i, s := range stack {
		if s == id {
			return strings.Join(append(append([]string(nil), stack[i:]...), id), " -> ")
		}
	}
	return id
}

func (l *Lesson) prereqLine(i int) int {
	if i < len(l.lines.prereqs) {
		return l.lines.prereqs[i]
	}
	return l.lines.id
}

// summarize counts lessons, tracks with lessons, defined skills and
// languages with lessons.
func summarize(all []*Lesson) Summary {
	tracks := map[string]bool{}
	langs := map[string]bool{}
	for _, l := range all {
		if _, ok := skills.TrackByID(l.Track); ok {
			tracks[l.Track] = true
		}
		langs["en"] = true
		for lang := range l.Translations {
			langs[lang] = true
		}
	}
	return Summary{Lessons: len(all), Tracks: len(tracks), Skills: len(skills.All()),
		Languages: len(langs)}
}

// String returns the summary of a report and its problem counts, for logs.
func (r Report) String() string {
	return fmt.Sprintf("%s; %d errors, %d warnings", r.Summary, len(r.Errors), len(r.Warnings))
}
