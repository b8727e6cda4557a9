package bots

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// Coordinators invite tutors and other coordinators with one-time codes,
// take invited roles and unused codes back, remove users from the
// programme, broadcast and read statistics. Every coordinator command has
// Roles: coordinator, so the router refuses everyone else before any of
// the handlers here runs. Each action is written to the audit log.

// defaultInviteTTL is how long an invite code works when Config.InviteTTL
// is zero.
const defaultInviteTTL = 7 * 24 * time.Hour

// auditMax is how many entries the audit log keeps.
const auditMax = 10000

// registerCoordinator adds the coordinators' commands, buttons, steps and
// the forgetter that removes deleted users from broadcast reports.
func (e *Engine) registerCoordinator(r *Router) {
	co := []string{RoleCoordinator}
	r.command(Command{Name: "invite", Roles: co}, e.cmdInvite)
	r.command(Command{Name: "revoke", Roles: co}, e.cmdRevoke)
	r.command(Command{Name: "remove", Roles: co}, e.cmdRemove)
	r.command(Command{Name: "broadcast", Roles: co}, e.cmdBroadcast)
	r.command(Command{Name: "stats", Roles: co}, e.cmdStats)
	r.button("bcs", e.coordOnly(e.btnSegment))
	r.button("bcx", e.coordOnly(e.btnBroadcastCancel))
	r.step(stepBcText, e.coordOnly(e.stepBroadcastText))
	r.step(stepBcSegment, e.coordOnly(e.stepSegmentText))
	r.step(stepBcWhen, e.coordOnly(e.stepBroadcastWhen))
	e.AddForgetter(e.forgetInBroadcasts)
}

// coordOnly guards buttons and steps, which the router does not check by
// role: someone who lost the role mid-dialogue is refused.
func (e *Engine) coordOnly(h HandlerFunc) HandlerFunc {
	return func(t *Turn) error {
		if e.role(t.State) != RoleCoordinator {
			t.State.Step = ""
			t.SayT("error.not_allowed", nil)
			return nil
		}
		return h(t)
	}
}

// inviteKey holds one unused invite code: its role.
func (e *Engine) inviteKey(code string) string { return e.keys.Global("inv:" + code) }

// invitedKey is the hash user -> "role code" of roles given by invite.
func (e *Engine) invitedKey() string { return e.keys.Global("invited") }

// auditKey is the capped audit log (newest first).
func (e *Engine) auditKey() string { return e.keys.Global("audit") }

func (e *Engine) cmdInvite(t *Turn) error {
	role := strings.ToLower(strings.TrimSpace(t.Event.Args))
	if role != RoleTutor && role != RoleCoordinator {
		t.SayT("invite.usage", nil)
		return nil
	}
	code := newInviteCode()
	ttl := e.cfg.InviteTTL
	if ttl <= 0 {
		ttl = defaultInviteTTL
	}
	if err := e.rdb.Set(t.Ctx, e.inviteKey(code), role, ttl).Err(); err != nil {
		return err
	}
	e.audit(t, "invite", role)
	expires := localTime(t.State, t.Now.Add(ttl))
	text := Text{{Text: t.T("invite.done", "Role", t.T("role."+role), "Expires", expires) + "\n"},
		{Text: code, Style: Code}}
	if e.cfg.BotUsername != "" {
		link := "https://t.me/" + e.cfg.BotUsername + "?start=" + code
		text = append(text, Span{Text: "\n" + t.T("invite.link") + " "}, Span{Text: link, URL: link})
	}
	t.Say(text)
	return nil
}

// newInviteCode is a random code of 12 letters and digits that people can
// type (no 0/O, 1/l/I), also valid as a Telegram start parameter.
func newInviteCode() string {
	const alphabet = "abcdefghijkmnpqrstuvwxyz23456789"
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// redeemScript takes an invite code once. A second try by the same user
// (the event handled again after a crash) gets the same role.
// KEYS: invite, invited. ARGV: user, code.
var redeemScript = redis.NewScript(`
local role = redis.call('GET', KEYS[1])
if role then
  redis.call('DEL', KEYS[1])
  redis.call('HSET', KEYS[2], ARGV[1], role .. ' ' .. ARGV[2])
  return role
end
local prev = redis.call('HGET', KEYS[2], ARGV[1])
if prev and string.sub(prev, -string.len(ARGV[2]) - 1) == ' ' .. ARGV[2] then
  return string.sub(prev, 1, string.len(prev) - string.len(ARGV[2]) - 1)
end
return false
`)

// redeemInvite turns a one-time invite code into a role; false when the
// code is unknown, used or expired.
func (e *Engine) redeemInvite(t *Turn, code string) bool {
	code = strings.ToLower(strings.TrimSpace(code))
	if code == "" || len(code) > 64 || strings.ContainsAny(code, " :{}") {
		return false
	}
	v, err := e.evalSha(t.Ctx, redeemScript, []string{e.inviteKey(code), e.invitedKey()},
		t.State.User, code)
	role := str(v)
	if err != nil || role == "" {
		if err != nil && !errors.Is(err, redis.Nil) {
			e.log.Warn("bots: redeem invite", "learner_id", t.State.User, "err", err)
		}
		return false
	}
	t.State.Profile.Role = role
	e.reindex(t)
	if t.State.Onboarded {
		t.SayT("invite.redeemed", nil, "Role", t.T("role."+role))
	}
	return true
}

func (e *Engine) cmdRevoke(t *Turn) error {
	arg := strings.TrimSpace(t.Event.Args)
	if arg == "" {
		t.SayT("revoke.usage", nil)
		return nil
	}
	if n, err := e.rdb.Del(t.Ctx, e.inviteKey(strings.ToLower(arg))).Result(); err != nil {
		return err
	} else if n == 1 {
		e.audit(t, "revoke_code", "")
		t.SayT("revoke.code", nil)
		return nil
	}
	prev, err := e.rdb.HGet(t.Ctx, e.invitedKey(), arg).Result()
	if errors.Is(err, redis.Nil) {
		t.SayT("revoke.unknown", nil)
		return nil
	} else if err != nil {
		return err
	}
	if err := e.rdb.HDel(t.Ctx, e.invitedKey(), arg).Err(); err != nil {
		return err
	}
	role, _, _ := strings.Cut(prev, " ")
	t.Effect(Effect{Kind: EffectNotify, ID: "co:" + t.Event.ID + ":" + newToken(), Target: arg,
		Data: "corole:" + RoleLearner})
	e.audit(t, "revoke_role", arg)
	t.SayT("revoke.role", nil, "User", arg, "Role", t.T("role."+role))
	return nil
}

func (e *Engine) cmdRemove(t *Turn) error {
	user := strings.TrimSpace(t.Event.Args)
	if user == "" {
		t.SayT("remove.usage", nil)
		return nil
	}
	ok, err := e.rdb.HExists(t.Ctx, e.usersKey(), user).Result()
	if err != nil {
		return err
	}
	if !ok {
		t.SayT("remove.unknown", nil)
		return nil
	}
	if user == t.State.User || e.configuredCoordinator(user) {
		t.SayT("remove.refused", nil)
		return nil
	}
	t.Effect(Effect{Kind: EffectNotify, ID: "co:rm:" + user + ":" + t.Now.Format(time.RFC3339),
		Target: user, Data: "coremove"})
	e.audit(t, "remove", user)
	t.SayT("remove.done", nil, "User", user)
	return nil
}

func (e *Engine) configuredCoordinator(user string) bool {
	for _, c := range e.cfg.Coordinators {
		if c == user {
			return true
		}
	}
	return false
}

// coordInternal handles the internal events of this file's features: a
// role changed or a removal by a coordinator, and broadcasts. It reports
// whether the event was one of them.
func (e *Engine) coordInternal(t *Turn) (bool, error) {
	data := t.Event.Data
	prefix := payloadPrefix(data)
	switch prefix {
	case "corole", "coremove", "bc", "bcrun", "bcprog", "bcdone":
	default:
		return false, nil
	}
	if st := t.State; st.Created.IsZero() && st.Consent == "" {
		// No such user (deleted, or never here): an effect applied again
		// must not leave a state behind, so the engine deletes it at once.
		st.Deleted = true
		return true, nil
	}
	switch prefix {
	case "corole":
		return true, e.roleTaken(t, strings.TrimPrefix(data, "corole:"))
	case "coremove":
		return true, e.removed(t)
	case "bc":
		return true, e.deliverBroadcast(t, strings.TrimPrefix(data, "bc:"))
	case "bcrun":
		return true, e.runBroadcast(t, broadcastIDOf(data))
	case "bcprog":
		return true, e.reportBroadcast(t, broadcastIDOf(data), false)
	case "bcdone":
		return true, e.reportBroadcast(t, broadcastIDOf(data), true)
	}
	return false, nil
}

// broadcastIDOf reads the id from "bcrun:<id>" (and "bcrun:<id>:late").
func broadcastIDOf(data string) string {
	parts := strings.Split(data, ":")
	if len(parts) < 2 {
		return ""
	}
	return parts[1]
}

// roleTaken sets the role a coordinator gave back to role.
func (e *Engine) roleTaken(t *Turn, role string) error {
	st := t.State
	if st.Deleted || st.Consent != "yes" || st.Profile.Role == role {
		return nil
	}
	st.Profile.Role = role
	e.reindex(t)
	t.SayT("revoke.told", nil, "Role", t.T("role."+role))
	return nil
}

// removed deletes the user as /delete does, with a note why.
func (e *Engine) removed(t *Turn) error {
	st := t.State
	if st.Deleted || st.Consent == "" {
		return nil
	}
	bye := e.i18n.text(st.lang(), "remove.told", -1)
	platform, chat, user, seq := st.Platform, st.Chat, st.User, st.Seq
	*st = State{V: stateVersion, User: user, Deleted: true, Seq: seq}
	t.Effect(Effect{Kind: EffectForget})
	if chat != "" {
		t.Send(Message{Platform: platform, Chat: chat, Text: Text{{Text: bye}}})
	}
	return nil
}

// auditEntry is one line of the audit log: who did what to whom, when.
// It never holds message text.
type auditEntry struct {
	At     time.Time `json:"at"`
	By     string    `json:"by"`
	Action string    `json:"act"`
	Target string    `json:"to,omitempty"`
}

// audit appends an entry to the audit log; a failure is logged, not fatal.
func (e *Engine) audit(t *Turn, action, target string) {
	b, _ := json.Marshal(auditEntry{At: t.Now.UTC(), By: t.State.User, Action: action,
		Target: target})
	pipe := e.rdb.TxPipeline()
	pipe.LPush(t.Ctx, e.auditKey(), b)
	pipe.LTrim(t.Ctx, e.auditKey(), 0, auditMax-1)
	if _, err := pipe.Exec(t.Ctx); err != nil {
		e.log.Warn("bots: audit log", "learner_id", t.State.User, "err", err)
	}
}

// Audit returns the newest n entries of the audit log as JSON lines.
func (e *Engine) Audit(ctx context.Context, n int) ([]string, error) {
	return e.rdb.LRange(ctx, e.auditKey(), 0, int64(n)-1).Result()
}

// forgetAuditScript replaces the user's key in audit entries by
// "deleted", atomically (entries may be added meanwhile).
// KEYS: audit. ARGV: user.
var forgetAuditScript = redis.NewScript(`
local items = redis.call('LRANGE', KEYS[1], 0, -1)
local needle = '"' .. ARGV[1] .. '"'
for i, v in ipairs(items) do
  local s, f = string.find(v, needle, 1, true)
  if s then
    local out, pos = '', 1
    while s do
      out = out .. string.sub(v, pos, s - 1) .. '"deleted"'
      pos = f + 1
      s, f = string.find(v, needle, pos, true)
    end
    redis.call('LSET', KEYS[1], i - 1, out .. string.sub(v, pos))
  end
end
return 0
`)

// forgetAudit removes the user from the audit log and the invited roles.
func (e *Engine) forgetAudit(ctx context.Context, user string) error {
	if err := forgetAuditScript.Run(ctx, e.rdb, []string{e.auditKey()}, user).Err(); err != nil {
		return err
	}
	return e.rdb.HDel(ctx, e.invitedKey(), user).Err()
}
