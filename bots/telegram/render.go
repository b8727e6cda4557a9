package telegram

import (
	"net/url"
	"strings"

	"github.com/rivo/uniseg"
	"github.com/talentjourney/talentbot/bots"
)

// maxMessage is Telegram's limit on a message's text, in UTF-16 code units
// after entity parsing.
const maxMessage = 4096

var htmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
var attrEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")

// renderHTML turns formatted text into Telegram HTML; every span's text is
// escaped. Code cannot carry other styles in Telegram, so a code span drops
// bold and italic; a link with a URL of an unknown scheme is plain text.
func renderHTML(t bots.Text) string {
	var b strings.Builder
	for _, s := range t {
		text := htmlEscaper.Replace(s.Text)
		link := safeURL(s.URL)
		switch {
		case s.Style&bots.Code != 0 && link == "":
			text = "<code>" + text + "</code>"
		default:
			if s.Style&bots.Italic != 0 {
				text = "<i>" + text + "</i>"
			}
			if s.Style&bots.Bold != 0 {
				text = "<b>" + text + "</b>"
			}
		}
		if link != "" {
			text = `<a href="` + attrEscaper.Replace(link) + `">` + text + "</a>"
		}
		b.WriteString(text)
	}
	return b.String()
}

// safeURL returns u when Telegram accepts it as a link target.
func safeURL(u string) string {
	p, err := url.Parse(u)
	if err != nil || u == "" {
		return ""
	}
	switch strings.ToLower(p.Scheme) {
	case "http", "https", "tg", "mailto":
		return u
	}
	return ""
}

// utf16Len counts s as Telegram does, in UTF-16 code units.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// splitText cuts t into parts of at most max UTF-16 code units of text,
// at a paragraph break if possible, else a line break, else a space, else
// between grapheme clusters. Each part keeps its spans' styles, so
// formatting is closed at the cut and reopened after it. The parts' texts
// joined are t's text.
func splitText(t bots.Text, max int) []bots.Text {
	plain := t.Plain()
	if utf16Len(plain) <= max {
		return []bots.Text{t}
	}
	var cuts []int
	for start := 0; utf16Len(plain[start:]) > max; {
		start += cutPoint(plain[start:], max)
		cuts = append(cuts, start)
	}
	cuts = append(cuts, len(plain))
	return sliceSpans(t, cuts)
}

// cutPoint returns where the first part of s should end (a byte offset),
// so that the part has at most max UTF-16 code units.
func cutPoint(s string, max int) int {
	var para, line, word, cluster, pos, units int
	state := -1
	prevNewline := false
	for rest := s; rest != ""; {
		c, next, _, st := uniseg.FirstGraphemeClusterInString(rest, state)
		n := utf16Len(c)
		if units+n > max {
			break
		}
		units += n
		pos += len(c)
		rest, state = next, st
		cluster = pos
		isNewline := strings.Contains(c, "\n")
		switch {
		case isNewline && prevNewline:
			para = pos
		case isNewline:
			line = pos
		case c == " " || c == "\t":
			word = pos
		}
		prevNewline = isNewline
	}
	least := max / 4 // a boundary earlier than this makes too short a part
	for _, p := range []int{para, line, word} {
		if p > 0 && utf16Len(s[:p]) >= least {
			return p
		}
	}
	if cluster > 0 {
		return cluster
	}
	return runeCut(s, max) // one cluster longer than max: cut it, no choice
}

// runeCut returns the end of the longest prefix of s within max units.
func runeCut(s string, max int) int {
	units := 0
	for i, r := range s {
		units += utf16Len(string(r))
		if units > max && i > 0 {
			return i
		}
	}
	return len(s)
}

// sliceSpans cuts t at the byte offsets cuts (offsets in t.Plain(), the
// last being its length) and returns the parts.
func sliceSpans(t bots.Text, cuts []int) []bots.Text {
	parts := make([]bots.Text, len(cuts))
	pos, part := 0, 0
	for _, s := range t {
		text := s.Text
		for text != "" {
			room := cuts[part] - pos
			if room == 0 {
				part++
				continue
			}
			n := min(room, len(text))
			piece := s
			piece.Text = text[:n]
			parts[part] = append(parts[part], piece)
			text = text[n:]
			pos += n
		}
	}
	return parts
}
