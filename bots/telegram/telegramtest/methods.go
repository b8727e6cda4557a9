package telegramtest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"
)

// resultLocked builds the successful result of method.
func (s *Server) resultLocked(method string, p map[string]string, now time.Time) any {
	switch method {
	case "getMe":
		id, _ := strconv.ParseInt(s.Token[:indexByte(s.Token, ':')], 10, 64)
		return map[string]any{"id": id, "is_bot": true, "first_name": "Talentjourney", "username": s.Username}
	case "sendMessage", "editMessageText":
		s.nextMsg++
		return s.sentMessage(p, now)
	case "sendPoll":
		s.nextMsg++
		s.nextPoll++
		m := s.messageLocked(p, now)
		var opts []map[string]any
		_ = json.Unmarshal([]byte(p["options"]), &opts)
		for _, o := range opts {
			o["voter_count"] = 0
		}
		m["poll"] = map[string]any{
			"id": "poll" + strconv.Itoa(s.nextPoll), "question": p["question"], "options": opts,
			"total_voter_count": 0, "is_closed": false, "is_anonymous": p["is_anonymous"] != "false",
			"type": p["type"], "allows_multiple_answers": false,
		}
		return m
	case "setWebhook":
		s.webhook, s.secret = p["url"], p["secret_token"]
		return true
	case "deleteWebhook":
		s.webhook, s.secret = "", ""
		return true
	case "getWebhookInfo":
		return map[string]any{"url": s.webhook, "has_custom_certificate": false, "pending_update_count": len(s.updates)}
	}
	// answerCallbackQuery, setMyCommands and the rest answer true.
	return true
}

func (s *Server) messageLocked(p map[string]string, now time.Time) map[string]any {
	chat, _ := strconv.ParseInt(p["chat_id"], 10, 64)
	typ := "private"
	if chat < 0 {
		typ = "supergroup"
	}
	return map[string]any{
		"message_id": s.nextMsg, "date": now.Unix(),
		"chat": map[string]any{"id": chat, "type": typ},
		"from": map[string]any{"id": 123456, "is_bot": true, "first_name": "Talentjourney", "username": s.Username},
	}
}

// sentMessage is the Message result of a send, encoded by hand: the fake
// must not be the bottleneck of BenchmarkSendUnlimited.
func (s *Server) sentMessage(p map[string]string, now time.Time) json.RawMessage {
	chat, _ := strconv.ParseInt(p["chat_id"], 10, 64)
	typ := "private"
	if chat < 0 {
		typ = "supergroup"
	}
	text, _ := json.Marshal(p["text"])
	b := make([]byte, 0, 160+len(text))
	b = append(b, `{"message_id":`...)
	b = strconv.AppendInt(b, int64(s.nextMsg), 10)
	b = append(b, `,"date":`...)
	b = strconv.AppendInt(b, now.Unix(), 10)
	b = append(b, `,"chat":{"id":`...)
	b = strconv.AppendInt(b, chat, 10)
	b = append(b, `,"type":"`+typ+`"},"from":{"id":123456,"is_bot":true,"first_name":"Talentjourney","username":`...)
	b = strconv.AppendQuote(b, s.Username)
	b = append(b, `},"text":`...)
	b = append(b, text...)
	return append(b, '}')
}

func indexByte(s string, c byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return i
		}
	}
	return len(s)
}

// AddUpdate queues an update for getUpdates, giving it the next update_id
// (from 1001), which it returns.
func (s *Server) AddUpdate(u map[string]any) int64 {
	s.mu.Lock()
	if s.lastUpdate == 0 {
		s.lastUpdate = 1000
	}
	s.lastUpdate++
	id := s.lastUpdate
	u["update_id"] = id
	raw, _ := json.Marshal(u)
	s.updates = append(s.updates, raw)
	s.updateIDs = append(s.updateIDs, id)
	ch := s.newUpdate
	s.newUpdate = make(chan struct{})
	s.mu.Unlock()
	close(ch)
	return id
}

// Pending says how many queued updates no getUpdates offset confirmed yet.
func (s *Server) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.updates)
}

func (s *Server) getUpdates(w http.ResponseWriter, r *http.Request, p map[string]string, now time.Time) {
	offset, _ := strconv.ParseInt(p["offset"], 10, 64)
	timeout, _ := strconv.Atoi(p["timeout"])
	deadline := time.NewTimer(time.Duration(timeout) * time.Second)
	defer deadline.Stop()
	for first := true; ; first = false {
		s.mu.Lock()
		if first {
			status, _, f := s.answerLocked("getUpdates", p, now)
			if status != http.StatusOK {
				s.mu.Unlock()
				writeError(w, f)
				return
			}
			s.confirmLocked(offset)
		}
		ready := s.readyLocked(offset)
		wake := s.newUpdate
		s.mu.Unlock()
		if len(ready) > 0 {
			writeResult(w, ready)
			return
		}
		select {
		case <-wake:
		case <-deadline.C:
			writeResult(w, []json.RawMessage{})
			return
		case <-r.Context().Done():
			return
		}
	}
}

// confirmLocked forgets updates below offset, as Telegram does.
func (s *Server) confirmLocked(offset int64) {
	if offset > s.offset {
		s.offset = offset
	}
	i := 0
	for i < len(s.updates) && s.updateIDs[i] < s.offset {
		i++
	}
	s.updates = s.updates[i:]
	s.updateIDs = s.updateIDs[i:]
}

func (s *Server) readyLocked(offset int64) []json.RawMessage {
	var out []json.RawMessage
	for i, id := range s.updateIDs {
		if id >= offset && len(out) < 100 {
			out = append(out, s.updates[i])
		}
	}
	return out
}
