package discord

import (
	"context"

	"github.com/bwmarrin/discordgo"
	"github.com/talentjourney/talentbot/bots"
)

// Command is one engine command offered as a slash command.
type Command struct {
	// Name is the engine's command, lower case, without the slash
	// ("lesson"); it is also the English name on Discord.
	Name string
	// Description is the English description (at most 100 characters).
	Description string
	// Args adds an optional text option, whose value comes as Event.Args.
	Args bool
	// Names and Descriptions are translations by language ("de", "fi",
	// "it"); Discord has no Slovenian or Estonian locale, so those users
	// see the English ones. Missing entries fall back to English.
	Names        map[string]string
	Descriptions map[string]string
}

// argOption is the name of the text option of commands with Args.
const argOption = "text"

// locales maps the interface languages Discord offers to its locales.
var locales = map[string][]discordgo.Locale{
	"de": {discordgo.German},
	"fi": {discordgo.Finnish},
	"it": {discordgo.Italian},
	"en": {discordgo.EnglishUS, discordgo.EnglishGB},
}

// appCommands turns commands into Discord's application commands with
// localised names and descriptions.
func appCommands(cmds []Command) []*discordgo.ApplicationCommand {
	out := make([]*discordgo.ApplicationCommand, 0, len(cmds))
	for _, c := range cmds {
		names, descs := localise(c.Name, c.Names), localise(c.Description, c.Descriptions)
		ac := &discordgo.ApplicationCommand{
			Type:                     discordgo.ChatApplicationCommand,
			Name:                     c.Name,
			Description:              c.Description,
			NameLocalizations:        &names,
			DescriptionLocalizations: &descs,
		}
		if c.Args {
			ac.Options = []*discordgo.ApplicationCommandOption{{
				Type: discordgo.ApplicationCommandOptionString, Name: argOption,
				Description: "Optional details, for example a code",
				DescriptionLocalizations: map[discordgo.Locale]string{
					discordgo.German:  "Optionale Angaben, zum Beispiel ein Code",
					discordgo.Finnish: "Valinnaiset tiedot, esimerkiksi koodi",
					discordgo.Italian: "Dettagli facoltativi, per esempio un codice",
				},
			}}
		}
		out = append(out, ac)
	}
	return out
}

func localise(english string, byLang map[string]string) map[discordgo.Locale]string {
	m := map[discordgo.Locale]string{}
	for lang, locs := range locales {
		v := byLang[lang]
		if v == "" {
			v = english
		}
		for _, l := range locs {
			m[l] = v
		}
	}
	return m
}

// register overwrites the bot's slash commands in one request: in the
// configured guild when GuildID is set (visible at once), else globally.
func (a *Adapter) register(ctx context.Context) error {
	_, err := a.s.ApplicationCommandBulkOverwrite(a.cfg.AppID, a.cfg.GuildID,
		appCommands(a.cfg.Commands), discordgo.WithContext(ctx))
	return err
}

// CommandSource lists commands and their descriptions; *bots.Engine is one.
type CommandSource interface {
	Commands(role string) []bots.Command
	CommandDescription(name, lang string) string
}

// maxDescription is Discord's limit on a command description.
const maxDescription = 100

// Menu builds Config.Commands from src: the commands of role ("" for all),
// each with an optional text option (for arguments such as "/lesson
// TRACK"), descriptions in English, German, Finnish and Italian from src,
// and the German, Finnish and Italian names of DefaultCommands where there
// is one (other commands keep their English names everywhere).
func Menu(src CommandSource, role string) []Command {
	names := map[string]map[string]string{}
	for _, c := range DefaultCommands() {
		names[c.Name] = c.Names
	}
	var out []Command
	for _, c := range src.Commands(role) {
		cmd := Command{Name: c.Name, Args: true, Names: names[c.Name], Descriptions: map[string]string{}}
		for lang := range locales {
			d := truncate(src.CommandDescription(c.Name, lang), maxDescription)
			if d == "" {
				d = c.Name
			}
			cmd.Descriptions[lang] = d
		}
		cmd.Description = cmd.Descriptions["en"]
		out = append(out, cmd)
	}
	return out
}

// DefaultCommands are the engine's learner commands with German, Finnish
// and Italian names; the engine may supply its own list in Config.Commands.
func DefaultCommands() []Command {
	return []Command{
		cmd("start", "Start: consent, language, skills, lesson time", true,
			"start", "Start: Einwilligung, Sprache, Themen, Lernzeit",
			"aloita", "Aloita: suostumus, kieli, taidot, oppituntiaika",
			"inizia", "Inizia: consenso, lingua, competenze, orario"),
		cmd("lesson", "Your next micro-lesson and its quiz", false,
			"lektion", "Deine nächste Mikrolektion mit Quiz",
			"oppitunti", "Seuraava minioppituntisi ja sen tietovisa",
			"lezione", "La tua prossima micro-lezione con quiz"),
		cmd("progress", "Lessons done, quiz accuracy, streak", false,
			"fortschritt", "Erledigte Lektionen, Quiz-Treffer, Serie",
			"edistyminen", "Tehdyt oppitunnit, tietovisojen osumat, putki",
			"progressi", "Lezioni fatte, precisione nei quiz, serie"),
		cmd("settings", "Change language, time zone, skills or lesson time", false,
			"einstellungen", "Sprache, Zeitzone, Themen oder Lernzeit ändern",
			"asetukset", "Vaihda kieli, aikavyöhyke, taidot tai oppituntiaika",
			"impostazioni", "Cambia lingua, fuso orario, competenze o orario"),
		cmd("help", "What the bot can do for you", false,
			"hilfe", "Was der Bot für dich tun kann",
			"ohje", "Mitä botti voi tehdä puolestasi",
			"aiuto", "Cosa può fare il bot per te"),
		cmd("pause", "Pause daily lessons and reminders", false,
			"pause", "Tägliche Lektionen und Erinnerungen pausieren",
			"tauko", "Keskeytä päivittäiset oppitunnit ja muistutukset",
			"pausa", "Sospendi lezioni e promemoria quotidiani"),
		cmd("resume", "Resume daily lessons and reminders", false,
			"fortsetzen", "Tägliche Lektionen und Erinnerungen fortsetzen",
			"jatka", "Jatka päivittäisiä oppitunteja ja muistutuksia",
			"riprendi", "Riprendi lezioni e promemoria quotidiani"),
		cmd("privacy", "What the bot stores about you and why", false,
			"datenschutz", "Was der Bot über dich speichert und warum",
			"tietosuoja", "Mitä botti tallentaa sinusta ja miksi",
			"privacy", "Cosa il bot salva su di te e perché"),
		cmd("export", "Everything the bot holds about you, as JSON", false,
			"export", "Alles, was der Bot über dich hat, als JSON",
			"vie", "Kaikki, mitä botilla on sinusta, JSON-muodossa",
			"esporta", "Tutto ciò che il bot ha su di te, in JSON"),
		cmd("delete", "Delete everything the bot holds about you", false,
			"löschen", "Alles löschen, was der Bot über dich hat",
			"poista", "Poista kaikki, mitä botilla on sinusta",
			"elimina", "Elimina tutto ciò che il bot ha su di te"),
	}
}

func cmd(name, desc string, args bool, de, deDesc, fi, fiDesc, it, itDesc string) Command {
	return Command{
		Name: name, Description: desc, Args: args,
		Names:        map[string]string{"de": de, "fi": fi, "it": it},
		Descriptions: map[string]string{"de": deDesc, "fi": fiDesc, "it": itDesc},
	}
}
