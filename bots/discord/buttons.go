package discord

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/redis/go-redis/v9"
	"github.com/talentjourney/talentbot/bots"
	"github.com/talentjourney/talentbot/store"
)

// Discord's limits on message components.
const (
	maxRows        = 5
	maxPerRow      = 5
	maxLabel       = 80
	maxCustomID    = 100
	payloadShards  = 16
	payloadTTL     = 30 * 24 * time.Hour
	inlineMark     = '.'
	storedMark     = '~'
	maxInlineBytes = maxCustomID - 3 // room for "24."
)

// components turns rows of buttons into action rows: at most 5 buttons a
// row (longer rows wrap) and 5 rows (more are dropped), labels cut to 80
// characters. Each custom_id is "<n>.<data>" with n the button's index in
// the message (Discord wants them unique); a payload too long for that is
// kept in Redis and the custom_id is "<n>~<key>".
func (a *Adapter) components(ctx context.Context, rows [][]bots.Button) ([]discordgo.MessageComponent, error) {
	var out []discordgo.MessageComponent
	n := 0
	for _, row := range rows {
		for len(row) > 0 && len(out) < maxRows {
			k := min(len(row), maxPerRow)
			var btns []discordgo.MessageComponent
			for _, b := range row[:k] {
				btn, err := a.button(ctx, b, n)
				if err != nil {
					return nil, err
				}
				btns = append(btns, btn)
				n++
			}
			out = append(out, discordgo.ActionsRow{Components: btns})
			row = row[k:]
		}
	}
	return out, nil
}

func (a *Adapter) button(ctx context.Context, b bots.Button, n int) (discordgo.Button, error) {
	label := truncate(strings.TrimSpace(b.Label), maxLabel)
	if label == "" {
		label = "·"
	}
	if b.URL != "" {
		return discordgo.Button{Label: label, Style: discordgo.LinkButton, URL: b.URL}, nil
	}
	id, err := a.customID(ctx, b.Data, n)
	return discordgo.Button{Label: label, Style: discordgo.PrimaryButton, CustomID: id}, err
}

func (a *Adapter) customID(ctx context.Context, data string, n int) (string, error) {
	prefix := strconv.Itoa(n)
	if len(data) <= maxInlineBytes {
		return prefix + string(inlineMark) + data, nil
	}
	sum := sha256.Sum256([]byte(data))
	key := base64.RawURLEncoding.EncodeToString(sum[:12])
	if err := a.st.Client.Set(ctx, payloadKey(a.st.Keys, key), data, payloadTTL).Err(); err != nil {
		return "", err
	}
	return prefix + string(storedMark) + key, nil
}

func payloadKey(k store.Keys, key string) string {
	return k.Shard("dcpay", store.ShardOf(key, payloadShards), key)
}

// payload returns the engine's button data behind a custom_id. A stored
// payload that expired comes back as "" (the engine answers it politely).
func (a *Adapter) payload(ctx context.Context, customID string) (string, error) {
	i := strings.IndexAny(customID, string([]rune{inlineMark, storedMark}))
	if i < 0 {
		return customID, nil
	}
	if customID[i] == inlineMark {
		return customID[i+1:], nil
	}
	key := customID[i+1:]
	v, err := a.st.Client.Get(ctx, payloadKey(a.st.Keys, key)).Result()
	if errors.Is(err, redis.Nil) {
		return "", nil
	}
	return v, err
}
