package discord

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
	"github.com/rivo/uniseg"
	"github.com/talentjourney/talentbot/bots"
	"github.com/talentjourney/talentbot/store/storetest"
)

func TestRender(t *testing.T) {
	tests := []struct {
		name string
		in   bots.Text
		want string
	}{
		{"user markup is escaped", text("*hi* _x_ `c` ~~s~~ ||sp|| > q # h - l [a](b) <@123> \\"),
			`\*hi\* \_x\_ \` + "`" + `c\` + "`" + ` \~\~s\~\~ \|\|sp\|\| \> q \# h \- l \[a\](b) \<@123\> \\`},
		{"styles", bots.Text{{Text: "Hello "}, {Text: "world", Style: bots.Bold}, {Text: " and "},
			{Text: "x := 1", Style: bots.Code}, {Text: " "}, {Text: "sure", Style: bots.Bold | bots.Italic}},
			"Hello **world** and `x := 1` **_sure_**"},
		{"code keeps its text", bots.Text{{Text: "a*b_c`d", Style: bots.Code}}, "`a*b_cˋd`"},
		{"link", bots.Text{{Text: "the [spec]", URL: "https://mqtt.org/a b)"}},
			`[the \[spec\]](<https://mqtt.org/a%20b%29>)`},
		{"time", bots.Text{{Text: "at "}, {Text: "09:00 CET", URL: "time:1767225600"}},
			"at <t:1767225600:f>"},
		{"relative time", bots.Text{{Text: "soon", URL: "time:1767225600:R"}}, "<t:1767225600:R>"},
		{"bad time shows its text", bots.Text{{Text: "9-ish", URL: "time:nine"}}, `9\-ish`},
		{"same-style neighbours merge", bots.Text{{Text: "a", Style: bots.Bold}, {Text: "b", Style: bots.Bold}},
			"**ab**"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Render(tt.in)
			if len(got) != 1 || got[0] != tt.want {
				t.Fatalf("Render = %q\nwant    %q", got, tt.want)
			}
		})
	}
}

func TestRenderEmpty(t *testing.T) {
	if got := Render(nil); len(got) != 0 {
		t.Fatalf("Render(nil) = %q", got)
	}
}

// A long bold span is cut between words, and every part keeps its style.
func TestSplitKeepsStyles(t *testing.T) {
	long := strings.Repeat("quality of service ", 200) // 3,800 characters, no line ends
	parts := Render(bots.Text{{Text: long, Style: bots.Bold}})
	if len(parts) != 2 {
		t.Fatalf("%d parts", len(parts))
	}
	joined := ""
	for _, p := range parts {
		if u16len(p) > MaxContent || !strings.HasPrefix(p, "**") || !strings.HasSuffix(p, "**") {
			t.Fatalf("part of %d characters, %q...", u16len(p), p[:20])
		}
		joined += strings.TrimSuffix(strings.TrimPrefix(p, "**"), "**")
	}
	if joined != long {
		t.Fatal("the parts joined lose text")
	}
	if !strings.HasSuffix(parts[0], " **") {
		t.Fatal("the cut is not after a space")
	}
}

// Text without spaces or line ends is cut between grapheme clusters, never
// inside one (a family emoji is one cluster of 5 code points).
func TestSplitBetweenGraphemeClusters(t *testing.T) {
	family := "👨‍👩‍👧"
	long := strings.Repeat(family, 400) // 400 clusters of 8 UTF-16 units
	parts := Render(text(long))
	if len(parts) != 2 {
		t.Fatalf("%d parts", len(parts))
	}
	for _, p := range parts {
		if u16len(p) > MaxContent {
			t.Fatalf("part of %d characters", u16len(p))
		}
		if strings.ReplaceAll(p, family, "") != "" {
			t.Fatal("a part cuts a grapheme cluster")
		}
	}
	if uniseg.GraphemeClusterCount(parts[0])+uniseg.GraphemeClusterCount(parts[1]) != 400 {
		t.Fatal("clusters lost")
	}
}

func FuzzRenderKeepsText(f *testing.F) {
	f.Add("plain", 1)
	f.Add("*a* _b_ `c` <@1> # x\n- y", 700)
	f.Add(strings.Repeat("ab\\*\n", 900), 2)
	f.Fuzz(func(t *testing.T, s string, n int) {
		if !utf8.ValidString(s) {
			t.Skip()
		}
		n = int(uint(n)%4) + 1
		s = strings.Repeat(s, n)
		joined := ""
		for _, p := range Render(text(s)) {
			if u16len(p) > MaxContent {
				t.Fatalf("part of %d characters", u16len(p))
			}
			joined += p
		}
		if got := unescape(joined); got != s {
			t.Fatalf("text changed: %q -> %q", s, got)
		}
	})
}

func unescape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && strings.IndexByte(escapable, s[i+1]) >= 0 {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func TestButtonsFitDiscordLimits(t *testing.T) {
	a := &Adapter{st: storetest.New(t)}
	ctx := context.Background()
	var row []bots.Button
	for i := range 7 {
		row = append(row, bots.Button{Label: strings.Repeat("é", 100), Data: "quiz:1:" + string(rune('a'+i))})
	}
	long := strings.Repeat("p", 150)
	rows := [][]bots.Button{row, {{Label: "More", URL: "https://example.org"}, {Label: "Long", Data: long}},
		{{Label: "x", Data: "x"}}, {{Label: "y", Data: "y"}}, {{Label: "z", Data: "z"}}}
	comps, err := a.components(ctx, rows)
	if err != nil {
		t.Fatal(err)
	}
	if len(comps) != 5 {
		t.Fatalf("%d rows, want 5", len(comps))
	}
	first := comps[0].(discordgo.ActionsRow).Components
	if len(first) != 5 || len(comps[1].(discordgo.ActionsRow).Components) != 2 {
		t.Fatal("a row of 7 does not wrap into 5 + 2")
	}
	seen := map[string]bool{}
	for _, r := range comps {
		for _, c := range r.(discordgo.ActionsRow).Components {
			b := c.(discordgo.Button)
			if utf8.RuneCountInString(b.Label) > maxLabel || len(b.CustomID) > maxCustomID || seen[b.CustomID] && b.CustomID != "" {
				t.Fatalf("button %q / %q breaks a limit", b.Label, b.CustomID)
			}
			seen[b.CustomID] = true
		}
	}
	stored := comps[2].(discordgo.ActionsRow).Components[1].(discordgo.Button).CustomID
	if got, err := a.payload(ctx, stored); err != nil || got != long {
		t.Fatalf("long payload back = %q, %v", got, err)
	}
	if got, _ := a.payload(ctx, first[2].(discordgo.Button).CustomID); got != "quiz:1:c" {
		t.Fatalf("payload = %q", got)
	}
	if link := comps[2].(discordgo.ActionsRow).Components[0].(discordgo.Button); link.Style != discordgo.LinkButton || link.CustomID != "" {
		t.Fatalf("link button = %+v", link)
	}
}
