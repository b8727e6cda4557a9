package lessons

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParseFile feeds arbitrary files to the parser: it must never panic,
// and every problem must name a line inside the file.
func FuzzParseFile(f *testing.F) {
	files, _ := filepath.Glob("testdata/broken/*.md")
	files = append(files, "catalog/mqtt/mqtt-qos.md")
	for _, name := range files {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("---\n---\n"))
	f.Add([]byte("---\nquiz: [{options: [{text: a, correct: true}, b, c]}]\ntranslations: {de: {quiz: [x]}}\n---\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ps := &problems{}
		parseFile("f.md", data, ps)
		lines := strings.Count(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n") + 1
		for _, p := range append(ps.errs, ps.warns...) {
			if p.Line < 1 || p.Line > lines+1 {
				t.Errorf("problem on line %d of a %d-line file: %s", p.Line, lines, p)
			}
		}
	})
}
