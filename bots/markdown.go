package bots

import "strings"

// FromMarkdown converts the light Markdown of lessons (paragraphs, **bold**,
// *italic* or _italic_, `code`, [text](url), "- " bullets) into Text.
// Anything else is kept as plain text.
func FromMarkdown(md string) Text {
	var out Text
	lines := strings.Split(strings.ReplaceAll(md, "\r\n", "\n"), "\n")
	for i, line := range lines {
		if strings.HasPrefix(line, "- ") || strings.HasPrefix(line, "* ") {
			line = "• " + line[2:]
		}
		out = append(out, inline(line)...)
		if i < len(lines)-1 {
			out = appendPlain(out, "\n")
		}
	}
	return trimText(out)
}

// inline converts one line's inline markup.
func inline(s string) Text {
	var out Text
	var style Style
	var buf strings.Builder
	flush := func() {
		if buf.Len() > 0 {
			out = append(out, Span{Text: buf.String(), Style: style})
			buf.Reset()
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '`':
			if j := strings.IndexByte(s[i+1:], '`'); j >= 0 {
				flush()
				out = append(out, Span{Text: s[i+1 : i+1+j], Style: style | Code})
				i += j + 1
				continue
			}
		case c == '*' && i+1 < len(s) && s[i+1] == '*':
			flush()
			style ^= Bold
			i++
			continue
		case (c == '*' || c == '_') && toggles(s, i, style&Italic != 0):
			flush()
			style ^= Italic
			continue
		case c == '[':
			if text, url, n, ok := link(s[i:]); ok {
				flush()
				out = append(out, Span{Text: text, Style: style, URL: url})
				i += n - 1
				continue
			}
		}
		buf.WriteByte(c)
	}
	flush()
	return out
}

// toggles tells whether the italic marker at i opens or closes italics:
// it opens before a non-space when a closing marker follows, and closes
// after a non-space.
func toggles(s string, i int, open bool) bool {
	if open {
		return i > 0 && s[i-1] != ' '
	}
	if i+1 >= len(s) || s[i+1] == ' ' || (i > 0 && isWordByte(s[i-1])) {
		return false
	}
	return strings.IndexByte(s[i+1:], s[i]) > 0
}

func isWordByte(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// link reads "[text](url)" at the start of s.
func link(s string) (text, url string, n int, ok bool) {
	end := strings.Index(s, "](")
	if end < 0 {
		return "", "", 0, false
	}
	close := strings.IndexByte(s[end+2:], ')')
	if close < 0 {
		return "", "", 0, false
	}
	url = s[end+2 : end+2+close]
	if !strings.HasPrefix(url, "https://") && !strings.HasPrefix(url, "http://") {
		return "", "", 0, false
	}
	return s[1:end], url, end + 3 + close, true
}

func appendPlain(t Text, s string) Text {
	if n := len(t); n > 0 && t[n-1].Style == 0 && t[n-1].URL == "" {
		t[n-1].Text += s
		return t
	}
	return append(t, Span{Text: s})
}

// trimText drops leading and trailing blank lines.
func trimText(t Text) Text {
	for len(t) > 0 && strings.TrimSpace(t[0].Text) == "" {
		t = t[1:]
	}
	for len(t) > 0 && strings.TrimSpace(t[len(t)-1].Text) == "" {
		t = t[:len(t)-1]
	}
	if len(t) > 0 {
		t[0].Text = strings.TrimLeft(t[0].Text, "\n")
		t[len(t)-1].Text = strings.TrimRight(t[len(t)-1].Text, "\n ")
	}
	return t
}
