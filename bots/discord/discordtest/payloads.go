package discordtest

// Interaction describes an interaction to dispatch. With GuildID set it
// has the shape of one in a server (member, no top-level user); without,
// the shape of one in a DM (user, no member).
type Interaction struct {
	ID, Token string
	GuildID   string
	ChannelID string
	UserID    string
	Username  string
	Locale    string
	// Command is a slash command's name (an application command
	// interaction) and Args the value of its "text" option, if any.
	Command, Args string
	// CustomID makes a button press (a message component interaction).
	CustomID string
}

// Payload returns the INTERACTION_CREATE data for i, sent by app.
func (i Interaction) Payload(app string) map[string]any {
	user := map[string]any{"id": i.UserID, "username": i.Username, "global_name": i.Username}
	p := map[string]any{
		"id": i.ID, "application_id": app, "token": i.Token, "version": 1,
		"channel_id": i.ChannelID, "locale": i.Locale,
	}
	if i.GuildID != "" {
		p["guild_id"] = i.GuildID
		p["guild_locale"] = "en-US"
		p["member"] = map[string]any{"user": user, "roles": []any{}, "permissions": "0"}
	} else {
		p["user"] = user
	}
	if i.CustomID != "" {
		p["type"] = 3
		p["data"] = map[string]any{"custom_id": i.CustomID, "component_type": 2}
		p["message"] = map[string]any{"id": "300000000000000001", "channel_id": i.ChannelID}
		return p
	}
	data := map[string]any{"id": "400000000000000001", "name": i.Command, "type": 1}
	if i.Args != "" {
		data["options"] = []any{map[string]any{"name": "text", "type": 3, "value": i.Args}}
	}
	p["type"] = 2
	p["data"] = data
	return p
}

// Interact dispatches INTERACTION_CREATE for i.
func (s *Server) Interact(app string, i Interaction) error {
	return s.Dispatch("INTERACTION_CREATE", i.Payload(app))
}

// DirectMessage dispatches MESSAGE_CREATE of a message the user typed in
// their DM channel with the bot; name is the user's display name.
func (s *Server) DirectMessage(id, userID, name, content string) error {
	return s.Dispatch("MESSAGE_CREATE", map[string]any{
		"id": id, "channel_id": DMChannel(userID), "content": content, "type": 0,
		"timestamp": "2026-01-02T03:04:05.000000+00:00",
		"author":    map[string]any{"id": userID, "username": "learner", "global_name": name},
	})
}
