package telegramtest

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf16"
)

// allowedTags are the tags of Telegram's HTML parse mode.
var allowedTags = map[string]bool{
	"b": true, "strong": true, "i": true, "em": true, "u": true, "ins": true, "s": true,
	"strike": true, "del": true, "code": true, "pre": true, "a": true, "tg-spoiler": true,
	"span": true, "blockquote": true, "tg-emoji": true,
}

// ParseHTML checks text as Telegram's HTML parse mode does and returns
// what the user sees: the text without tags, entities decoded. An
// unescaped "<" or "&", an unknown tag or a tag closed out of order is an
// error, as it is for Telegram ("can't parse entities").
func ParseHTML(s string) (string, error) {
	var out strings.Builder
	var open []string
	for i := 0; i < len(s); {
		switch s[i] {
		case '<':
			end := strings.IndexByte(s[i:], '>')
			if end < 0 {
				return "", fmt.Errorf("unclosed start tag at byte offset %d", i)
			}
			tag := s[i+1 : i+end]
			var err error
			if open, err = applyTag(open, tag); err != nil {
				return "", err
			}
			i += end + 1
		case '&':
			end := strings.IndexByte(s[i:], ';')
			if end < 0 {
				return "", fmt.Errorf("unescaped & at byte offset %d", i)
			}
			r, ok := map[string]string{"lt": "<", "gt": ">", "amp": "&", "quot": `"`}[s[i+1:i+end]]
			if !ok {
				return "", fmt.Errorf("unsupported entity %q", s[i:i+end+1])
			}
			out.WriteString(r)
			i += end + 1
		case '>':
			return "", fmt.Errorf("unescaped > at byte offset %d", i)
		default:
			out.WriteByte(s[i])
			i++
		}
	}
	if len(open) > 0 {
		return "", fmt.Errorf("can't find end tag corresponding to start tag %q", open[len(open)-1])
	}
	return out.String(), nil
}

func applyTag(open []string, tag string) ([]string, error) {
	if name, ok := strings.CutPrefix(tag, "/"); ok {
		if len(open) == 0 || open[len(open)-1] != name {
			return nil, fmt.Errorf("unmatched end tag %q", name)
		}
		return open[:len(open)-1], nil
	}
	name, attrs, _ := strings.Cut(tag, " ")
	if !allowedTags[name] {
		return nil, fmt.Errorf("unsupported start tag %q", name)
	}
	if name == "a" && !strings.HasPrefix(attrs, `href="`) {
		return nil, errors.New("a tag without href")
	}
	for _, o := range open {
		if o == "code" || o == "pre" {
			if name != "code" || o != "pre" {
				return nil, errors.New("entities can't be nested in code or pre")
			}
		}
	}
	return append(open, name), nil
}

// UTF16Len counts s as Telegram counts a message's length.
func UTF16Len(s string) int { return len(utf16.Encode([]rune(s))) }
