package discord

import (
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/rivo/uniseg"
	"github.com/talentjourney/talentbot/bots"
)

// MaxContent is Discord's limit on a message's content, in characters
// (counted here in UTF-16 code units, as Discord's clients count them, so
// that no message is refused).
const MaxContent = 2000

// TimeScheme starts the URL of a span that shows a time: a span with URL
// "time:1767225600" (Unix seconds) renders as the Discord timestamp
// <t:1767225600:f>, which every reader sees in their own zone; an optional
// style letter follows ("time:1767225600:R" for "in 2 hours"). The span's
// Text is what platforms without timestamps show.
const TimeScheme = "time:"

// atom is the smallest unit the splitter moves: a grapheme cluster of a
// plain, bold, italic or code span, or a whole link or time span.
type atom struct {
	span int    // index of the span in the text
	raw  string // plain text
	out  string // rendered (escaped) text
	cost int    // UTF-16 length of out
}

// Render turns neutral text into Discord markdown messages of at most
// MaxContent characters each. User text is escaped; a long text is split
// between grapheme clusters, preferably at line ends, and styles are
// closed and reopened around each cut. The plain texts of the parts,
// joined, are the plain text of t.
func Render(t bots.Text) []string {
	t = mergeSpans(t)
	atoms := atomize(t)
	var out []string
	for start := 0; start < len(atoms); {
		end := cut(t, atoms, start, MaxContent)
		out = append(out, renderRange(t, atoms[start:end]))
		start = end
	}
	return out
}

// mergeSpans joins neighbouring spans of the same style, so that markers
// never touch ("**a****b**").
func mergeSpans(t bots.Text) bots.Text {
	out := make(bots.Text, 0, len(t))
	for _, s := range t {
		if s.Text == "" {
			continue
		}
		if n := len(out); n > 0 && out[n-1].Style == s.Style && s.URL == "" && out[n-1].URL == "" {
			out[n-1].Text += s.Text
			continue
		}
		out = append(out, s)
	}
	return out
}

func atomize(t bots.Text) []atom {
	var atoms []atom
	for i, s := range t {
		if s.URL != "" {
			out := renderWhole(s)
			atoms = append(atoms, atom{span: i, raw: s.Text, out: out, cost: u16len(out)})
			continue
		}
		g := uniseg.NewGraphemes(s.Text)
		for g.Next() {
			raw := g.Str()
			out := raw
			if s.Style&bots.Code != 0 {
				out = strings.ReplaceAll(raw, "`", "ˋ")
			} else {
				out = Escape(raw)
			}
			atoms = append(atoms, atom{span: i, raw: raw, out: out, cost: u16len(out)})
		}
	}
	return atoms
}

// cut returns the end of the part that starts at start: as many atoms as
// fit in limit, cut after the last line end if there is one in the second
// half, else after the last space there, else between grapheme clusters.
func cut(t bots.Text, atoms []atom, start, limit int) int {
	cost, lastLine, lastSpace := 0, -1, -1
	for i := start; i < len(atoms); i++ {
		c := atoms[i].cost
		if i == start || atoms[i].span != atoms[i-1].span {
			c += markerCost(t[atoms[i].span])
		}
		if cost+c > limit && i > start {
			half := start + (i-start)/2
			switch {
			case lastLine > half:
				return lastLine
			case lastSpace > half:
				return lastSpace
			}
			return i
		}
		cost += c
		switch atoms[i].raw {
		case "\n", "\r\n":
			lastLine = i + 1
		case " ":
			lastSpace = i + 1
		}
	}
	return len(atoms)
}

func renderRange(t bots.Text, atoms []atom) string {
	var b strings.Builder
	for i := 0; i < len(atoms); {
		s := t[atoms[i].span]
		j := i
		for j < len(atoms) && atoms[j].span == atoms[i].span {
			j++
		}
		if s.URL != "" {
			for _, a := range atoms[i:j] {
				b.WriteString(a.out)
			}
		} else {
			open, closing := markers(s.Style)
			b.WriteString(open)
			for _, a := range atoms[i:j] {
				b.WriteString(a.out)
			}
			b.WriteString(closing)
		}
		i = j
	}
	return b.String()
}

// markers returns the opening and closing markdown of a style.
func markers(st bots.Style) (string, string) {
	if st&bots.Code != 0 {
		return "`", "`"
	}
	var open, closing string
	if st&bots.Bold != 0 {
		open, closing = "**", "**"
	}
	if st&bots.Italic != 0 {
		open, closing = open+"_", "_"+closing
	}
	return open, closing
}

func markerCost(s bots.Span) int {
	if s.URL != "" {
		return 0
	}
	open, closing := markers(s.Style)
	return len(open) + len(closing)
}

// renderWhole renders a link or time span.
func renderWhole(s bots.Span) string {
	if strings.HasPrefix(s.URL, TimeScheme) {
		if ts := timestamp(strings.TrimPrefix(s.URL, TimeScheme)); ts != "" {
			return ts
		}
		return Escape(s.Text)
	}
	u := strings.NewReplacer(" ", "%20", ")", "%29", ">", "%3E").Replace(s.URL)
	return "[" + Escape(s.Text) + "](<" + u + ">)"
}

// timestamp renders "unix[:style]" as <t:unix:style>; "" when malformed.
func timestamp(v string) string {
	secs, style, _ := strings.Cut(v, ":")
	if _, err := strconv.ParseInt(secs, 10, 64); err != nil {
		return ""
	}
	if style == "" {
		style = "f"
	}
	if len(style) != 1 || !strings.Contains("tTdDfFR", style) {
		return ""
	}
	return "<t:" + secs + ":" + style + ">"
}

// escapable are the characters that Discord's markdown would read as
// markup: emphasis, code, strike, spoiler, quotes, headings, lists, masked
// links, mentions and the backslash itself.
const escapable = "\\*_`~|>#-[]<"

// Escape returns s with every markdown character escaped by a backslash,
// so that Discord shows it as typed.
func Escape(s string) string {
	if !strings.ContainsAny(s, escapable) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for _, r := range s {
		if r < utf8.RuneSelf && strings.IndexByte(escapable, byte(r)) >= 0 {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// u16len is the length of s in UTF-16 code units.
func u16len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// truncate shortens s to at most max UTF-16 code units, between grapheme
// clusters, ending in "…" when it cut.
func truncate(s string, max int) string {
	if u16len(s) <= max {
		return s
	}
	var b strings.Builder
	n := 0
	g := uniseg.NewGraphemes(s)
	for g.Next() {
		c := u16len(g.Str())
		if n+c > max-1 {
			break
		}
		b.WriteString(g.Str())
		n += c
	}
	return b.String() + "…"
}
