package discord

import (
	"strings"
	"sync"

	"github.com/bwmarrin/discordgo"
)

// DefaultAPIURL is Discord's own API.
const DefaultAPIURL = "https://discord.com/"

var endpointsMu sync.Mutex

// pointEndpoints points discordgo's endpoint variables at base (for
// example "http://127.0.0.1:5555/"). discordgo computes its string
// endpoints once at start-up from EndpointDiscord; the function endpoints
// read them when called, so re-assigning the strings moves every REST call.
// The gateway follows, because its URL comes from GET /gateway on the same
// API. The variables are process-wide: every adapter in a process uses the
// same API URL. Nothing is written when they already point at base, so
// that running sessions never race with a write.
func pointEndpoints(base string) {
	if !strings.HasSuffix(base, "/") {
		base += "/"
	}
	endpointsMu.Lock()
	defer endpointsMu.Unlock()
	if discordgo.EndpointDiscord == base {
		return
	}
	d := base
	api := d + "api/v" + discordgo.APIVersion + "/"
	discordgo.EndpointDiscord = d
	discordgo.EndpointAPI = api
	discordgo.EndpointGuilds = api + "guilds/"
	discordgo.EndpointChannels = api + "channels/"
	discordgo.EndpointUsers = api + "users/"
	discordgo.EndpointGateway = api + "gateway"
	discordgo.EndpointGatewayBot = discordgo.EndpointGateway + "/bot"
	discordgo.EndpointWebhooks = api + "webhooks/"
	discordgo.EndpointStickers = api + "stickers/"
	discordgo.EndpointStageInstances = api + "stage-instances"
	discordgo.EndpointVoice = api + "/voice/"
	discordgo.EndpointVoiceRegions = discordgo.EndpointVoice + "regions"
	discordgo.EndpointNitroStickersPacks = api + "/sticker-packs"
	discordgo.EndpointGuildCreate = api + "guilds"
	discordgo.EndpointApplications = api + "applications"
	discordgo.EndpointOAuth2 = api + "oauth2/"
	discordgo.EndpointOAuth2Applications = discordgo.EndpointOAuth2 + "applications"
	discordgo.EndpointOauth2 = discordgo.EndpointOAuth2
	discordgo.EndpointOauth2Applications = discordgo.EndpointOAuth2Applications
}
