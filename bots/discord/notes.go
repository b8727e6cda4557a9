package discord

import "strings"

// note is a short text the adapter itself says, about Discord only (the
// engine says everything else).
type note int

const (
	noteDMClosed note = iota // direct messages are closed
	noteSentToDM             // the answer went to direct messages
	noteTryAgain             // the event could not be stored
)

var notes = map[string][3]string{
	"en": {
		"I cannot send you direct messages, and lessons come there. To allow them: open this server's menu (its name at the top), choose Privacy Settings and turn on Direct Messages. Then use /lesson again.",
		"I sent it to you in a direct message.",
		"Sorry, something went wrong on my side. Please try again in a moment.",
	},
	"de": {
		"Ich kann dir keine Direktnachrichten schicken, und dort kommen die Lektionen an. So erlaubst du sie: Öffne das Menü dieses Servers (sein Name oben), wähle Privatsphäre-Einstellungen und schalte Direktnachrichten ein. Dann nutze /lesson noch einmal.",
		"Ich habe es dir als Direktnachricht geschickt.",
		"Entschuldige, bei mir ist etwas schiefgegangen. Bitte versuche es gleich noch einmal.",
	},
	"fi": {
		"En voi lähettää sinulle yksityisviestejä, ja oppitunnit tulevat niinä. Salli ne näin: avaa tämän palvelimen valikko (nimi ylhäällä), valitse Yksityisyysasetukset ja ota Yksityisviestit käyttöön. Käytä sitten /lesson uudelleen.",
		"Lähetin sen sinulle yksityisviestinä.",
		"Anteeksi, minulla meni jotain pieleen. Yritä hetken päästä uudelleen.",
	},
	"it": {
		"Non posso inviarti messaggi diretti, ed è lì che arrivano le lezioni. Per consentirli: apri il menu di questo server (il nome in alto), scegli Impostazioni privacy e attiva i Messaggi diretti. Poi usa di nuovo /lesson.",
		"Te l'ho inviato in un messaggio diretto.",
		"Scusa, qualcosa è andato storto. Riprova tra un momento.",
	},
	"sl": {
		"Ne morem ti pošiljati neposrednih sporočil, lekcije pa prihajajo tja. Dovoli jih tako: odpri meni tega strežnika (ime na vrhu), izberi Nastavitve zasebnosti in vklopi Neposredna sporočila. Nato znova uporabi /lesson.",
		"Poslal sem ti ga v neposrednem sporočilu.",
		"Oprosti, pri meni je šlo nekaj narobe. Poskusi znova čez trenutek.",
	},
	"et": {
		"Ma ei saa sulle otsesõnumeid saata, aga tunnid tulevad sinna. Luba need nii: ava selle serveri menüü (nimi üleval), vali Privaatsusseaded ja lülita sisse Otsesõnumid. Seejärel kasuta uuesti /lesson.",
		"Saatsin selle sulle otsesõnumina.",
		"Vabandust, minu poolel läks midagi valesti. Proovi hetke pärast uuesti.",
	},
}

// noteText returns n in the language of a Discord locale ("de", "en-GB"),
// English when there is none.
func noteText(n note, locale string) string {
	lang, _, _ := strings.Cut(locale, "-")
	t, ok := notes[lang]
	if !ok {
		t = notes["en"]
	}
	return t[n]
}
