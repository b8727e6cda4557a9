package lessons

import (
	"fmt"
	"sort"
	"strings"
)

// Problem is one thing wrong with a lesson file.
type Problem struct {
	// Path is the file, as given to Lint (the folder's name joined with the
	// file's path inside it).
	Path string
	// Line is the 1-based line in the file.
	Line int
	// Message says what is wrong, in English, for the author.
	Message string
	// Warning is true for a problem that does not stop the lesson from
	// being used (text too long for a Telegram quiz poll).
	Warning bool
}

// String formats the problem as "path:line: message", with "warning: "
// before the message of a warning.
func (p Problem) String() string {
	if p.Warning {
		return fmt.Sprintf("%s:%d: warning: %s", p.Path, p.Line, p.Message)
	}
	return fmt.Sprintf("%s:%d: %s", p.Path, p.Line, p.Message)
}

// Summary counts what a catalogue holds.
type Summary struct {
	// Lessons is the number of lessons.
	Lessons int
	// Tracks is the number of tracks with at least one lesson.
	Tracks int
	// Skills is the number of skills defined in the skills package.
	Skills int
	// Languages is the number of languages with at least one lesson,
	// English included.
	Languages int
}

// String formats the summary as "N lessons, M tracks, K skills, L languages".
func (s Summary) String() string {
	return fmt.Sprintf("%d lessons, %d tracks, %d skills, %d languages",
		s.Lessons, s.Tracks, s.Skills, s.Languages)
}

// Report is the result of linting a folder of lessons.
type Report struct {
	// Errors stop the lessons from being loaded.
	Errors []Problem
	// Warnings do not.
	Warnings []Problem
	// Summary counts the lessons that were read.
	Summary Summary
}

// Problems returns errors and warnings together, sorted by file and line.
func (r Report) Problems() []Problem {
	all := append(append([]Problem(nil), r.Errors...), r.Warnings...)
	sortProblems(all)
	return all
}

// OK reports whether the report holds no errors.
func (r Report) OK() bool { return len(r.Errors) == 0 }

// LintError is returned by Load and Extend when lessons have errors.
type LintError struct {
	Report Report
}

// Error lists the errors, one "path:line: message" per line.
func (e *LintError) Error() string {
	var b strings.Builder
	if n := len(e.Report.Errors); n == 1 {
		b.WriteString("lessons: 1 error")
	} else {
		fmt.Fprintf(&b, "lessons: %d errors", n)
	}
	for _, p := range e.Report.Errors {
		b.WriteString("\n")
		b.WriteString(p.String())
	}
	return b.String()
}

// problems collects the problems found in one pass.
type problems struct {
	errs, warns []Problem
}

func (ps *problems) errorf(path string, line int, format string, args ...any) {
	ps.errs = append(ps.errs, Problem{Path: path, Line: line, Message: fmt.Sprintf(format, args...)})
}

func (ps *problems) warnf(path string, line int, format string, args ...any) {
	ps.warns = append(ps.warns, Problem{Path: path, Line: line,
		Message: fmt.Sprintf(format, args...), Warning: true})
}

func sortProblems(ps []Problem) {
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].Path != ps[j].Path {
			return ps[i].Path < ps[j].Path
		}
		return ps[i].Line < ps[j].Line
	})
}
