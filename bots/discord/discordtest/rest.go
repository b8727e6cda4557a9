package discordtest

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"time"
)

// serveREST answers the REST endpoints of the Discord API v9 that the
// adapter uses.
func (s *Server) serveREST(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	path := strings.TrimPrefix(r.URL.Path, "/api/v9")
	s.record(Call{Method: r.Method, Path: path, Body: body,
		Auth: r.Header.Get("Authorization"), At: time.Now()})

	if f := s.fault(r.Method, path); f != nil {
		writeFault(w, f)
		return
	}
	parts := strings.Split(strings.Trim(path, "/"), "/")
	switch {
	case path == "/gateway" || path == "/gateway/bot":
		writeJSON(w, http.StatusOK, map[string]any{"url": "ws" + strings.TrimPrefix(s.URL, "http") + "/gateway",
			"shards": 1})
	case path == "/users/@me/channels" && r.Method == http.MethodPost:
		var req struct {
			RecipientID string `json:"recipient_id"`
		}
		_ = json.Unmarshal(body, &req)
		writeJSON(w, http.StatusOK, map[string]any{"id": DMChannel(req.RecipientID), "type": 1,
			"recipients": []any{map[string]any{"id": req.RecipientID}}})
	case len(parts) == 3 && parts[0] == "channels" && parts[2] == "messages":
		s.writeMessage(w, parts[1], body)
	case len(parts) == 4 && parts[0] == "interactions" && parts[3] == "callback":
		w.WriteHeader(http.StatusNoContent)
	case len(parts) >= 3 && parts[0] == "webhooks":
		s.writeMessage(w, "", body)
	case len(parts) >= 3 && parts[0] == "applications" && strings.HasSuffix(path, "/commands"):
		var cmds []map[string]any
		_ = json.Unmarshal(body, &cmds)
		for _, c := range cmds {
			c["id"] = s.nextID()
		}
		writeJSON(w, http.StatusOK, cmds)
	default:
		writeJSON(w, http.StatusNotFound, map[string]any{"code": 0, "message": "404: Not Found"})
	}
}

// DMChannel is the id of the fake's direct-message channel with user.
func DMChannel(user string) string { return "9" + user }

func (s *Server) writeMessage(w http.ResponseWriter, channel string, body []byte) {
	var m map[string]any
	_ = json.Unmarshal(body, &m)
	if m == nil {
		m = map[string]any{}
	}
	m["id"] = s.nextID()
	m["channel_id"] = channel
	m["author"] = map[string]any{"id": BotID, "bot": true, "username": "talentbot"}
	writeJSON(w, http.StatusOK, m)
}

func writeFault(w http.ResponseWriter, f *Fault) {
	if f.Status == http.StatusTooManyRequests {
		w.Header().Set("Retry-After", "1")
		writeJSON(w, f.Status, map[string]any{"message": "You are being rate limited.",
			"retry_after": f.RetryAfter, "global": false})
		return
	}
	msg := map[int]string{50007: "Cannot send messages to this user",
		10015: "Unknown Webhook", 50001: "Missing Access"}[f.Code]
	writeJSON(w, f.Status, map[string]any{"code": f.Code, "message": msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
