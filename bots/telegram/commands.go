package telegram

import (
	"context"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
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
