package telegram

import (
	"context"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"github.com/talentjourney/talentbot/bots"
)

// setCommands sets the command menu for every language in Languages (the
// "en" list where a language has none) and the default menu ("en").
// Failures are logged: the bot works without a menu.
func (a *Adapter) setCommands(ctx context.Context) {
	if len(a.cfg.Commands) == 0 {
		return
	}
	for _, lang := range append([]string{""}, Languages...) {
		list := a.cfg.Commands[lang]
		if len(list) == 0 {
			list = a.cfg.Commands["en"]
		}
		if len(list) == 0 {
			continue
		}
		params := &bot.SetMyCommandsParams{LanguageCode: lang}
		for _, c := range list {
			params.Commands = append(params.Commands, models.BotCommand{Command: c.Name, Description: c.Description})
		}
		if _, err := a.bot.SetMyCommands(ctx, params); err != nil {
			a.log.Warn("telegram setMyCommands failed", "lang", lang, "err", a.mask.Replace(err.Error()))
		}
	}
}

// CommandSource lists commands and their descriptions; *bots.Engine is one.
type CommandSource interface {
	Commands(role string) []bots.Command
	CommandDescription(name, lang string) string
}

// Menu builds Config.Commands from src: the commands of role ("" for all)
// with their descriptions in each of Languages. Descriptions are cut to
// Telegram's 256 characters.
func Menu(src CommandSource, role string) map[string][]Command {
	out := map[string][]Command{}
	for _, lang := range Languages {
		for _, c := range src.Commands(role) {
			d := src.CommandDescription(c.Name, lang)
			if r := []rune(d); len(r) > 256 {
				d = string(r[:256])
			}
			if d == "" {
				d = c.Name
			}
			out[lang] = append(out[lang], Command{Name: c.Name, Description: d})
		}
	}
	return out
}
