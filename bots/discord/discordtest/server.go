// Package discordtest is a fake Discord for tests: the REST endpoints the
// Discord adapter uses and a websocket gateway that speaks the documented
// opcodes (10 hello, 2 identify, 0 dispatch, 1 heartbeat, 11 heartbeat ack).
// It records every REST call, dispatches INTERACTION_CREATE and
// MESSAGE_CREATE on demand, and answers with errors (50007, 429, ...) when a
// test asks it to.
package discordtest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// BotID is the user id of the fake bot.
const BotID = "100000000000000001"

// Call is one REST request the fake received.
type Call struct {
	Method string
	// Path is the URL path without the "/api/v9" prefix, for example
	// "/channels/123/messages".
	Path string
	// Body is the JSON body as sent.
	Body []byte
	// Auth is the authorization header.
	Auth string
	// At is when the fake received it.
	At time.Time
}

// JSON decodes the call's body into a map.
func (c Call) JSON() map[string]any {
	var m map[string]any
	_ = json.Unmarshal(c.Body, &m)
	return m
}

// Content is the "content" field of the call's body.
func (c Call) Content() string {
	s, _ := c.JSON()["content"].(string)
	return s
}

// Fault makes matching requests fail.
type Fault struct {
	// Method and PathContains select requests; empty matches all.
	Method       string
	PathContains string
	// Status is the HTTP status to answer (for example 403 or 429).
	Status int
	// Code is Discord's JSON error code (for example 50007).
	Code int
	// RetryAfter is the retry_after of a 429, in seconds.
	RetryAfter float64
	// Times is how many requests fail; 0 means every one.
	Times int
}

// Server is a fake Discord. Create it with New; close it with Close.
type Server struct {
	// URL is the base URL to give the adapter as its API URL.
	URL string

	http *httptest.Server
	seq  atomic.Int64
	ids  atomic.Int64

	mu       sync.Mutex
	calls    []Call
	faults   []*Fault
	conns    []*gatewayConn
	identify []map[string]any
	notify   chan struct{}
	onCall   func(Call)
}

// New starts a fake Discord on a loopback port.
func New() *Server {
	s := &Server{notify: make(chan struct{})}
	s.ids.Store(200000000000000000)
	mux := http.NewServeMux()
	mux.HandleFunc("/gateway", s.serveGateway)
	mux.HandleFunc("/gateway/", s.serveGateway)
	mux.HandleFunc("/api/v9/", s.serveREST)
	s.http = httptest.NewServer(mux)
	s.URL = s.http.URL
	return s
}

// Close stops the server and closes gateway connections.
func (s *Server) Close() {
	s.mu.Lock()
	conns := s.conns
	s.conns = nil
	s.mu.Unlock()
	for _, c := range conns {
		c.ws.Close()
	}
	s.http.CloseClientConnections()
	s.http.Close()
}

// Fail adds a fault; the newest matching fault applies first.
func (s *Server) Fail(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append([]*Fault{&f}, s.faults...)
}

// OnCall sets a function called (synchronously) for every REST call
// received, for benchmarks; nil removes it.
func (s *Server) OnCall(f func(Call)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onCall = f
}

// Reset forgets recorded calls and faults.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = nil
	s.faults = nil
}

// Calls returns the REST calls received so far whose path contains
// pathContains (all calls when empty), oldest first.
func (s *Server) Calls(pathContains string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if strings.Contains(c.Path, pathContains) {
			out = append(out, c)
		}
	}
	return out
}

// WaitCalls waits until at least n calls whose path contains pathContains
// were received, or until timeout; it returns those received.
func (s *Server) WaitCalls(pathContains string, n int, timeout time.Duration) []Call {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		ch := s.notify
		s.mu.Unlock()
		if got := s.Calls(pathContains); len(got) >= n {
			return got
		}
		select {
		case <-ch:
		case <-deadline.C:
			return s.Calls(pathContains)
		}
	}
}

// Identified returns the identify payloads (op 2 "d") received.
func (s *Server) Identified() []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]map[string]any(nil), s.identify...)
}

func (s *Server) record(c Call) {
	s.mu.Lock()
	s.calls = append(s.calls, c)
	close(s.notify)
	s.notify = make(chan struct{})
	f := s.onCall
	s.mu.Unlock()
	if f != nil {
		f(c)
	}
}

// fault returns the fault for a request, if any, and uses it up.
func (s *Server) fault(method, path string) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if (f.Method == "" || f.Method == method) && strings.Contains(path, f.PathContains) {
			if f.Times > 0 {
				f.Times--
				if f.Times == 0 {
					s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
				}
			}
			return f
		}
	}
	return nil
}

func (s *Server) nextID() string {
	return strconv.FormatInt(s.ids.Add(1), 10)
}
