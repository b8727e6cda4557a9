package discordtest

import (
	"encoding/json"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// HeartbeatInterval is what the fake's hello asks for, in milliseconds.
const HeartbeatInterval = 45000

type gatewayConn struct {
	mu sync.Mutex // serialises writes
	ws *websocket.Conn
}

func (c *gatewayConn) send(v any) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ws.WriteJSON(v)
}

type frame struct {
	Op int             `json:"op"`
	D  json.RawMessage `json:"d,omitempty"`
	S  int64           `json:"s,omitempty"`
	T  string          `json:"t,omitempty"`
}

var upgrader = websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}

// serveGateway speaks the gateway protocol: hello, then identify, READY,
// and heartbeat acks until the connection closes.
func (s *Server) serveGateway(w http.ResponseWriter, r *http.Request) {
	ws, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &gatewayConn{ws: ws}
	defer ws.Close()

	if c.send(map[string]any{"op": 10, "d": map[string]any{"heartbeat_interval": HeartbeatInterval}}) != nil {
		return
	}
	var id frame
	if err := ws.ReadJSON(&id); err != nil || id.Op != 2 {
		return
	}
	var payload map[string]any
	_ = json.Unmarshal(id.D, &payload)
	ready := map[string]any{
		"v": 9, "session_id": "fake-session",
		"user":        map[string]any{"id": BotID, "username": "talentbot", "bot": true},
		"application": map[string]any{"id": BotID},
		"guilds":      []any{}, "private_channels": []any{},
	}

	s.mu.Lock()
	s.identify = append(s.identify, payload)
	s.conns = append(s.conns, c)
	s.mu.Unlock()
	defer s.drop(c)
	if s.dispatchTo(c, "READY", ready) != nil {
		return
	}
	for {
		var f frame
		if err := ws.ReadJSON(&f); err != nil {
			return
		}
		if f.Op == 1 {
			if c.send(map[string]any{"op": 11}) != nil {
				return
			}
		}
	}
}

func (s *Server) drop(c *gatewayConn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, x := range s.conns {
		if x == c {
			s.conns = append(s.conns[:i:i], s.conns[i+1:]...)
			return
		}
	}
}

func (s *Server) dispatchTo(c *gatewayConn, event string, data any) error {
	d, err := json.Marshal(data)
	if err != nil {
		return err
	}
	return c.send(frame{Op: 0, D: d, S: s.seq.Add(1), T: event})
}

// Conns returns the number of gateway clients connected now.
func (s *Server) Conns() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.conns)
}

// WaitConns waits until n gateway clients are connected, or timeout
// passes, and says whether they are.
func (s *Server) WaitConns(n int, timeout time.Duration) bool {
	for deadline := time.Now().Add(timeout); time.Now().Before(deadline); {
		if s.Conns() == n {
			return true
		}
		time.Sleep(2 * time.Millisecond)
	}
	return s.Conns() == n
}

// Dispatch sends a dispatch (op 0) of event with data to every connected
// gateway client; it fails when it reached none.
func (s *Server) Dispatch(event string, data any) error {
	s.mu.Lock()
	conns := append([]*gatewayConn(nil), s.conns...)
	s.mu.Unlock()
	sent := 0
	for _, c := range conns {
		if s.dispatchTo(c, event, data) == nil {
			sent++
		}
	}
	if sent == 0 {
		return errors.New("discordtest: no gateway client connected")
	}
	return nil
}
