// Package telegramtest is a fake Telegram Bot API server for tests. It
// records every call, answers the methods a bot uses with the documented
// JSON shapes, can be told to fail a given call (429 with retry_after, 403,
// 400 chat not found, 409, a group migration), and can enforce rate limits
// over a sliding one-second window. Point a bot's API URL at Server.URL.
package telegramtest

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Token is the bot token the fake accepts unless Server.Token is changed.
const Token = "123456:TEST-token-do-not-log"

// Call is one recorded request.
type Call struct {
	// N numbers the calls of one method from 1.
	N int
	// Method is the Bot API method, for example "sendMessage".
	Method string
	// Params holds every parameter as text; objects and arrays (reply
	// markup, poll options) are their JSON text.
	Params map[string]string
	// Time is when the request arrived.
	Time time.Time
	// Status is the HTTP status the fake answered.
	Status int
	// Text is what the user sees of a sendMessage or editMessageText:
	// the text after HTML parsing.
	Text string
}

// Fault is an error answer.
type Fault struct {
	Code        int
	Description string
	// RetryAfter in seconds, for 429.
	RetryAfter int
	// MigrateTo is the new chat id, for a migrated group.
	MigrateTo int64
}

// TooManyRequests is a 429 asking to wait retryAfter seconds.
func TooManyRequests(retryAfter int) Fault {
	return Fault{Code: 429, Description: "Too Many Requests: retry after " + strconv.Itoa(retryAfter), RetryAfter: retryAfter}
}

// Blocked is the 403 Telegram answers when the user blocked the bot.
func Blocked() Fault {
	return Fault{Code: 403, Description: "Forbidden: bot was blocked by the user"}
}

// ChatNotFound is the 400 for an unknown chat.
func ChatNotFound() Fault {
	return Fault{Code: 400, Description: "Bad Request: chat not found"}
}

// Conflict is the 409 getUpdates gets while a webhook is set.
func Conflict() Fault {
	return Fault{Code: 409, Description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"}
}

// Migrated is the 400 for a group that became the supergroup newChat.
func Migrated(newChat int64) Fault {
	return Fault{Code: 400, Description: "Bad Request: group chat was upgraded to a supergroup chat", MigrateTo: newChat}
}

// Server is a fake Bot API. Its zero value is not usable: use NewServer.
type Server struct {
	// URL is the server's base URL, for the bot's API URL setting.
	URL string
	// Token is the only token accepted (401 for others).
	Token string
	// Username is what getMe answers.
	Username string

	srv *httptest.Server

	mu         sync.Mutex
	calls      []Call
	counts     map[string]int
	faults     map[string]map[int]Fault // method -> call number -> fault
	chatFault  map[string]Fault         // chat id -> fault on every send
	updates    []json.RawMessage
	updateIDs  []int64
	lastUpdate int64
	offset     int64
	newUpdate  chan struct{}
	webhook    string
	secret     string
	nextMsg    int
	nextPoll   int
	limited    int

	overall, perChat int
	window           []time.Time
	chatWindow       map[string][]time.Time
	record           bool
}

// NewServer starts a fake on a loopback port; it stops when t ends.
func NewServer(t testing.TB) *Server {
	s := &Server{
		Token:      Token,
		Username:   "talentjourney_test_bot",
		counts:     map[string]int{},
		faults:     map[string]map[int]Fault{},
		chatFault:  map[string]Fault{},
		chatWindow: map[string][]time.Time{},
		newUpdate:  make(chan struct{}),
		record:     true,
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	t.Cleanup(s.srv.Close)
	return s
}

// Fail makes call number n (from 1) of method answer f.
func (s *Server) Fail(method string, n int, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.faults[method] == nil {
		s.faults[method] = map[int]Fault{}
	}
	s.faults[method][n] = f
}

// FailChat makes every send to chat answer f, until ClearChat.
func (s *Server) FailChat(chat string, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.chatFault[chat] = f
}

// ClearChat undoes FailChat.
func (s *Server) ClearChat(chat string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.chatFault, chat)
}

// SetLimits makes sends beyond overall per second, or perChat per second to
// one chat, over a sliding one-second window, answer 429. Zero lifts a
// limit.
func (s *Server) SetLimits(overall, perChat int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.overall, s.perChat = overall, perChat
}

// SetRecording turns the call record on or off (benchmarks turn it off).
func (s *Server) SetRecording(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.record = on
}

// Limited says how many calls the rate limits refused.
func (s *Server) Limited() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.limited
}

// Calls returns the recorded calls, of the given methods only when any are
// named, in arrival order.
func (s *Server) Calls(methods ...string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if len(methods) == 0 || contains(methods, c.Method) {
			out = append(out, c)
		}
	}
	return out
}

// Count says how many calls of method arrived (also while not recording).
func (s *Server) Count(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts[method]
}

// Webhook returns the URL and secret token of the last setWebhook ("" after
// deleteWebhook).
func (s *Server) Webhook() (url, secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.webhook, s.secret
}

// Offset returns the last offset a getUpdates call confirmed.
func (s *Server) Offset() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.offset
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	now := time.Now()
	token, method, ok := splitPath(r.URL.Path)
	if !ok {
		writeError(w, Fault{Code: 404, Description: "Not Found"})
		return
	}
	params, err := readParams(r)
	if err != nil {
		writeError(w, Fault{Code: 400, Description: "Bad Request: " + err.Error()})
		return
	}
	if token != s.Token {
		writeError(w, Fault{Code: 401, Description: "Unauthorized"})
		return
	}
	if method == "getUpdates" {
		s.getUpdates(w, r, params, now)
		return
	}
	s.mu.Lock()
	status, result, fault := s.answerLocked(method, params, now)
	s.mu.Unlock()
	if status != http.StatusOK {
		writeError(w, fault)
		return
	}
	writeResult(w, result)
}

func splitPath(p string) (token, method string, ok bool) {
	rest, found := strings.CutPrefix(p, "/bot")
	if !found {
		return "", "", false
	}
	token, method, ok = strings.Cut(rest, "/")
	return token, method, ok && method != ""
}

// answerLocked records the call and decides the answer.
func (s *Server) answerLocked(method string, params map[string]string, now time.Time) (int, any, Fault) {
	s.counts[method]++
	n := s.counts[method]
	f, failed := s.faults[method][n]
	if !failed && isSend(method) {
		f, failed = s.chatFault[params["chat_id"]]
		if !failed && !s.allowLocked(params["chat_id"], now) {
			s.limited++
			f, failed = TooManyRequests(1), true
		}
	}
	text, bad := checkText(method, params)
	if !failed && bad != nil {
		f, failed = *bad, true
	}
	status := http.StatusOK
	if failed {
		status = f.Code
	}
	if s.record {
		s.calls = append(s.calls, Call{N: n, Method: method, Params: params, Time: now, Status: status, Text: text})
	}
	if failed {
		return status, nil, f
	}
	return status, s.resultLocked(method, params, now), Fault{}
}

// checkText parses a message's text as Telegram does and refuses what
// Telegram refuses.
func checkText(method string, p map[string]string) (string, *Fault) {
	if method != "sendMessage" && method != "editMessageText" {
		return "", nil
	}
	text := p["text"]
	if p["parse_mode"] == "HTML" {
		plain, err := ParseHTML(text)
		if err != nil {
			return "", &Fault{Code: 400, Description: "Bad Request: can't parse entities: " + err.Error()}
		}
		text = plain
	}
	switch n := UTF16Len(text); {
	case strings.TrimSpace(text) == "":
		return text, &Fault{Code: 400, Description: "Bad Request: message text is empty"}
	case n > 4096:
		return text, &Fault{Code: 400, Description: "Bad Request: message is too long"}
	}
	return text, nil
}

func isSend(method string) bool {
	switch method {
	case "sendMessage", "sendPoll", "editMessageText", "sendPhoto", "copyMessage", "forwardMessage":
		return true
	}
	return false
}

// allowLocked applies the sliding-window limits to a send at now.
func (s *Server) allowLocked(chat string, now time.Time) bool {
	if s.overall <= 0 && s.perChat <= 0 {
		return true
	}
	cut := now.Add(-time.Second)
	s.window = trim(s.window, cut)
	cw := trim(s.chatWindow[chat], cut)
	if (s.overall > 0 && len(s.window) >= s.overall) || (s.perChat > 0 && len(cw) >= s.perChat) {
		s.chatWindow[chat] = cw
		return false
	}
	s.window = append(s.window, now)
	s.chatWindow[chat] = append(cw, now)
	return true
}

func trim(ts []time.Time, cut time.Time) []time.Time {
	i := 0
	for i < len(ts) && !ts[i].After(cut) {
		i++
	}
	return ts[i:]
}

// readParams reads a JSON, urlencoded or multipart body into text values.
func readParams(r *http.Request) (map[string]string, error) {
	out := map[string]string{}
	for k, v := range r.URL.Query() {
		out[k] = v[0]
	}
	body, err := io.ReadAll(r.Body)
	if err != nil || len(body) == 0 {
		return out, err
	}
	ct, ps, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "application/json":
		var m map[string]any
		if err := json.Unmarshal(body, &m); err != nil {
			return nil, err
		}
		for k, v := range m {
			switch v := v.(type) {
			case string:
				out[k] = v
			case float64:
				out[k] = strconv.FormatFloat(v, 'f', -1, 64)
			case bool:
				out[k] = strconv.FormatBool(v)
			default:
				raw, _ := json.Marshal(v)
				out[k] = string(raw)
			}
		}
	case "multipart/form-data":
		mr := multipart.NewReader(bytes.NewReader(body), ps["boundary"])
		for {
			p, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				return nil, err
			}
			b, err := io.ReadAll(p)
			if err != nil {
				return nil, err
			}
			out[p.FormName()] = string(b)
		}
	case "application/x-www-form-urlencoded":
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, err
		}
		for k, v := range form {
			out[k] = v[0]
		}
	}
	return out, nil
}

func writeError(w http.ResponseWriter, f Fault) {
	body := map[string]any{"ok": false, "error_code": f.Code, "description": f.Description}
	p := map[string]any{}
	if f.RetryAfter > 0 {
		p["retry_after"] = f.RetryAfter
	}
	if f.MigrateTo != 0 {
		p["migrate_to_chat_id"] = f.MigrateTo
	}
	if len(p) > 0 {
		body["parameters"] = p
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(f.Code)
	_ = json.NewEncoder(w).Encode(body)
}

func writeResult(w http.ResponseWriter, result any) {
	raw, ok := result.(json.RawMessage)
	if !ok {
		raw, _ = json.Marshal(result)
	}
	b := make([]byte, 0, len(raw)+24)
	b = append(b, `{"ok":true,"result":`...)
	b = append(b, raw...)
	b = append(b, '}')
	h := w.Header()
	h["Content-Type"] = []string{"application/json"}
	h["Content-Length"] = []string{strconv.Itoa(len(b))}
	_, _ = w.Write(b)
}

// Transport returns a RoundTripper that hands each request straight to
// the fake's handler, without sockets: for benchmarks of the client's own
// cost. Point the bot's API URL at Server.URL as usual.
func (s *Server) Transport() http.RoundTripper { return transport{s} }

type transport struct{ s *Server }

func (t transport) RoundTrip(r *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	t.s.serve(rec, r)
	if r.Body != nil {
		r.Body.Close()
	}
	return rec.Result(), nil
}
