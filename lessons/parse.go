package lessons

import (
	"path"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/talentjourney/talentbot/skills"
)

var (
	idPattern   = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	yamlLineMsg = regexp.MustCompile(`line (\d+): (.*)`)
	// yamlParserMsg matches the messages of yaml.v3's parser, as opposed to
	// its scanner.
	yamlParserMsg = regexp.MustCompile(`^did not find expected (key|node content|'-' indicator|',' or|<document)`)
)

// required lists the front matter fields every lesson needs, in the order
// problems about them are reported.
var required = []string{"id", "title", "track", "skills", "level", "minutes", "sources", "quiz"}

// fileParser reads one lesson file and records its problems.
type fileParser struct {
	path string
	off  int // added to a YAML line to give the file's line
	ps   *problems
}

// parseFile reads one lesson file. It returns nil when the file cannot be
// read as a lesson at all; problems with single fields still yield a
// lesson, so that later checks can use its id.
func parseFile(name string, data []byte, ps *problems) *Lesson {
	text := strings.TrimPrefix(strings.ReplaceAll(string(data), "\r\n", "\n"), "\uFEFF")
	lines := strings.SplitAfter(text, "\n")
	if strings.TrimSpace(lines[0]) != "---" {
		ps.errorf(name, 1, `no front matter: the file must start with a line "---"`)
		return nil
	}
	end := -1
	for i := 1; i < len(lines); i++ {
		if strings.TrimRight(lines[i], " \t\n") == "---" {
			end = i
			break
		}
	}
	if end < 0 {
		ps.errorf(name, 1, `front matter is not closed: no second line "---"`)
		return nil
	}

	p := &fileParser{path: name, off: 1, ps: ps}
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(strings.Join(lines[1:end], "")), &doc); err != nil {
		p.yamlError(err)
		return nil
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		ps.errorf(name, 2, "front matter must be a list of fields (key: value)")
		return nil
	}

	l := p.lesson(doc.Content[0])
	l.Path = name
	l.Body = strings.TrimSpace(strings.Join(lines[end+1:], ""))
	if l.Body == "" {
		ps.errorf(name, end+1, "the lesson has no body after the front matter")
	}
	if base := path.Base(name); l.ID != "" && base != l.ID+".md" {
		p.ps.warnf(name, l.lines.id, "file name %q does not match id %q", base, l.ID)
	}
	return l
}

// yamlError reports a YAML syntax or type error at the line it names.
func (p *fileParser) yamlError(err error) {
	ms := yamlLineMsg.FindAllStringSubmatch(err.Error(), -1)
	if len(ms) == 0 {
		p.ps.errorf(p.path, 1, "front matter: %v", err)
		return
	}
	for _, m := range ms {
		n, _ := strconv.Atoi(m[1])
		if yamlParserMsg.MatchString(m[2]) {
			n++ // yaml.v3 counts the lines of parser (not scanner) errors from 0
		}
		msg := m[2]
		if strings.HasPrefix(msg, "did not find expected key") ||
			strings.HasPrefix(msg, "did not find expected '-'") {
			// yaml.v3 names the line where the list or mapping it was
			// reading starts, not the line that broke it.
			msg += " in the block that starts on this line (check the indentation below it)"
		}
		p.ps.errorf(p.path, n+p.off, "front matter: %s", msg)
	}
}

// lesson reads the front matter's fields.
func (p *fileParser) lesson(m *yaml.Node) *Lesson {
	l := &Lesson{Lang: "en"}
	seen := map[string]bool{}
	var translations *yaml.Node
	p.duplicateKeys(m, "")
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], resolve(m.Content[i+1])
		if !isNull(v) && !(v.Kind == yaml.SequenceNode && len(v.Content) == 0 && k.Value != "quiz") {
			seen[k.Value] = true
		}
		switch k.Value {
		case "id":
			l.ID, l.lines.id = p.str(v, "id"), p.line(v)
		case "title":
			l.Title = p.str(v, "title")
		case "track":
			l.Track = p.str(v, "track")
			p.checkTrack(l.Track, v)
		case "skills":
			l.Skills = p.skills(v)
		case "level":
			l.Level = p.level(v)
		case "minutes":
			l.Minutes = p.minutes(v)
		case "prerequisites":
			l.Prerequisites, l.lines.prereqs = p.strList(v, "prerequisites")
		case "sources":
			l.Sources = p.sources(v)
		case "quiz":
			l.Quiz = p.quiz(v, nil, "")
		case "translations":
			translations = v
		default:
			p.ps.errorf(p.path, p.line(k), "unknown field %q", k.Value)
		}
	}
	for _, f := range required {
		if !seen[f] {
			p.ps.errorf(p.path, 1, "missing field %q", f)
		}
	}
	if l.ID != "" && !idPattern.MatchString(l.ID) {
		p.ps.errorf(p.path, l.lines.id, "id %q must be lower-case letters, digits and hyphens", l.ID)
	}
	if l.lines.id == 0 {
		l.lines.id = 1
	}
	if translations != nil && !isNull(translations) {
		l.Translations = p.translations(translations, l.Quiz)
	}
	return l
}

func (p *fileParser) line(n *yaml.Node) int { return n.Line + p.off }

// str reads a text field; an empty one was reported as missing already.
func (p *fileParser) str(v *yaml.Node, field string) string {
	if v.Kind != yaml.ScalarNode {
		p.ps.errorf(p.path, p.line(v), "%s must be text", field)
		return ""
	}
	if isNull(v) {
		return ""
	}
	return strings.TrimSpace(v.Value)
}

// strList reads a list of texts ("[a, b]", one "- a" per line, or a single
// text) and the line of each item.
func (p *fileParser) strList(v *yaml.Node, field string) ([]string, []int) {
	switch {
	case isNull(v):
		return nil, nil
	case v.Kind == yaml.ScalarNode:
		return []string{strings.TrimSpace(v.Value)}, []int{p.line(v)}
	case v.Kind != yaml.SequenceNode:
		p.ps.errorf(p.path, p.line(v), "%s must be a list", field)
		return nil, nil
	}
	var items []string
	var lines []int
	for _, it := range v.Content {
		it = resolve(it)
		if it.Kind != yaml.ScalarNode || strings.TrimSpace(it.Value) == "" {
			p.ps.errorf(p.path, p.line(it), "%s: each item must be non-empty text", field)
			continue
		}
		items, lines = append(items, strings.TrimSpace(it.Value)), append(lines, p.line(it))
	}
	return items, lines
}

func (p *fileParser) checkTrack(id string, v *yaml.Node) {
	if _, ok := skills.TrackByID(id); id != "" && !ok {
		p.ps.errorf(p.path, p.line(v), "unknown track %q", id)
	}
}

func (p *fileParser) skills(v *yaml.Node) []string {
	ids, lines := p.strList(v, "skills")
	for i, id := range ids {
		if _, ok := skills.ByID(id); !ok {
			p.ps.errorf(p.path, lines[i], "unknown skill %q", id)
		}
	}
	return ids
}

func (p *fileParser) level(v *yaml.Node) string {
	lv := p.str(v, "level")
	if lv != "" && LevelRank(lv) < 0 {
		p.ps.errorf(p.path, p.line(v), "level %q is not beginner, intermediate or advanced", lv)
	}
	return lv
}

func (p *fileParser) minutes(v *yaml.Node) int {
	n, err := strconv.Atoi(strings.TrimSpace(v.Value))
	if v.Kind != yaml.ScalarNode || err != nil {
		p.ps.errorf(p.path, p.line(v), "minutes must be a whole number from %d to %d",
			MinMinutes, MaxMinutes)
		return 0
	}
	if n < MinMinutes || n > MaxMinutes {
		p.ps.errorf(p.path, p.line(v), "minutes %d is outside %d..%d", n, MinMinutes, MaxMinutes)
	}
	return n
}

func (p *fileParser) sources(v *yaml.Node) []string {
	urls, lines := p.strList(v, "sources")
	for i, u := range urls {
		if !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
			p.ps.errorf(p.path, lines[i], "source %q is not an http(s) address", u)
		}
	}
	return urls
}

// resolve follows a YAML alias to the node it names.
func resolve(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && (n.Tag == "!!null" || strings.TrimSpace(n.Value) == "")
}

// duplicateKeys reports a key that appears twice in one mapping (yaml.v3
// does not, when it decodes into a Node).
func (p *fileParser) duplicateKeys(m *yaml.Node, prefix string) {
	first := map[string]int{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k := m.Content[i]
		if line, ok := first[k.Value]; ok {
			p.ps.errorf(p.path, p.line(k), "%sfield %q appears twice (first on line %d)",
				prefix, k.Value, line)
			continue
		}
		first[k.Value] = p.line(k)
	}
}
