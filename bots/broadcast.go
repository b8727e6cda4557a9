package bots

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// A broadcast lives in Redis under global keys:
//
//	bc:<id>     hash: by, status, texts (JSON lang -> text, "" the default),
//	            seg (JSON Segment), at (Unix s), total, cursor, counters
//	            n:sent, n:blocked, n:unreachable, n:failed, gone, and the
//	            progress marks pdec, pts, final
//	bc:<id>:r   list: the recipients, frozen when sending starts; a deleted
//	            user's entry is blanked (indexes stay stable for the cursor)
//	bc:<id>:s   hash: recipient -> delivery status
//	bcs         sorted set: broadcast ids by creation time
//
// Sending starts with a "bcrun:<id>" event in the coordinator's queue (now,
// or from a KindBroadcast scheduler job): its handler freezes the
// recipients and submits one internal event per recipient, with ID
// "bc:<id>:<user>", a chunk at a time behind a cursor, so that a crash
// resumes where it stopped and a recipient's event is stored once. The
// recipient's handler sends the text in their language through the outbox;
// recordDelivery stores the outcome and tells the coordinator about
// progress and the end.

// Broadcast statuses.
const (
	bcScheduled = "scheduled"
	bcRunning   = "running"
	bcDone      = "done"
	bcCancelled = "cancelled"
)

// Delivery statuses of one recipient.
const (
	DeliverySent        = "sent"
	DeliveryBlocked     = "blocked"
	DeliveryUnreachable = "unreachable"
	DeliveryFailed      = "failed"
)

// deliveryStatuses in report order.
var deliveryStatuses = []string{DeliverySent, DeliveryBlocked, DeliveryUnreachable,
	DeliveryFailed}

// expandChunk is how many recipients one "bcrun" event submits.
const expandChunk = 500

// progressEvery is the longest pause between progress reports while
// messages are delivered.
const progressEvery = 30 * time.Second

func (e *Engine) bcKey(id string) string        { return e.keys.Global("bc:" + id) }
func (e *Engine) bcRecipients(id string) string { return e.keys.Global("bc:" + id + ":r") }
func (e *Engine) bcStatus(id string) string     { return e.keys.Global("bc:" + id + ":s") }
func (e *Engine) bcIndex() string               { return e.keys.Global("bcs") }

// draftBroadcast is a broadcast being written or ready to send.
type draftBroadcast struct {
	// Texts maps a language to its text; "" is the default.
	Texts map[string]string `json:"texts"`
	Seg   Segment           `json:"seg"`
	// At is when to send; zero means now.
	At time.Time `json:"at,omitzero"`
}

// storeBroadcast stores a new broadcast under id.
func (e *Engine) storeBroadcast(ctx context.Context, id, by string, d *draftBroadcast,
	now time.Time) error {
	texts, _ := json.Marshal(d.Texts)
	seg, _ := json.Marshal(d.Seg)
	at := d.At
	if at.IsZero() {
		at = now
	}
	pipe := e.rdb.TxPipeline()
	pipe.HSet(ctx, e.bcKey(id), "by", by, "status", bcScheduled, "texts", texts, "seg", seg,
		"at", at.Unix(), "created", now.Unix())
	pipe.ZAdd(ctx, e.bcIndex(), redis.Z{Score: float64(now.Unix()), Member: id})
	_, err := pipe.Exec(ctx)
	return err
}

// StartBroadcast stores a broadcast of coordinator by to segment seg and
// starts sending it now; texts maps a language to its text, "" to the
// default. It returns the broadcast's id. The coordinator gets the
// progress and the final report in their chat.
func (e *Engine) StartBroadcast(ctx context.Context, by string, texts map[string]string,
	seg Segment) (string, error) {
	if texts[""] == "" {
		return "", fmt.Errorf("bots: broadcast without a default text: %w", ErrInvalidEvent)
	}
	id := newToken()[:10]
	now := e.cfg.Clock()
	if err := e.storeBroadcast(ctx, id, by, &draftBroadcast{Texts: texts, Seg: seg}, now); err != nil {
		return "", err
	}
	return id, e.Submit(ctx, Event{ID: "bc:" + id + ":start", Platform: Internal, User: by,
		Kind: KindJob, Data: "bcrun:" + id, Time: now})
}

// runBroadcast freezes the recipients when the broadcast starts and then
// submits the next chunk of recipient events; more chunks follow through
// events the coordinator sends themself.
func (e *Engine) runBroadcast(t *Turn, id string) error {
	ctx := t.Ctx
	rec, err := e.rdb.HMGet(ctx, e.bcKey(id), "status", "seg", "cursor", "total").Result()
	if err != nil || rec[0] == nil {
		return err
	}
	status := str(rec[0])
	if status == bcScheduled {
		total, err := e.freezeRecipients(ctx, id, str(rec[1]), t.Now)
		if err != nil {
			return err
		}
		t.SayT("bc.started", nil, "Count", total)
		e.postToChannel(t, id, str(rec[1]))
		if total == 0 {
			return e.finishEmpty(t, id)
		}
		rec[2], status = "0", bcRunning
	}
	if status != bcRunning {
		return nil
	}
	cursor, _ := strconv.Atoi(str(rec[2]))
	users, err := e.rdb.LRange(ctx, e.bcRecipients(id), int64(cursor),
		int64(cursor+expandChunk-1)).Result()
	if err != nil {
		return err
	}
	next := cursor + len(users)
	err = e.submitRecipients(ctx, id, users)
	if err == nil {
		err = e.rdb.HSet(ctx, e.bcKey(id), "cursor", next).Err()
	}
	if err != nil {
		// Try the chunk again later rather than stall the broadcast;
		// events already stored are dropped by their IDs.
		e.log.Warn("bots: broadcast chunk not submitted; retrying", "learner_id",
			t.State.User, "err", err)
		t.Effect(Effect{Kind: EffectNotify, ID: "bc:" + id + ":retry:" + newToken(),
			Target: t.State.User, Data: "bcrun:" + id})
		return nil
	}
	if len(users) == expandChunk {
		t.Effect(Effect{Kind: EffectNotify, ID: "bc:" + id + ":run:" + itoa(next),
			Target: t.State.User, Data: "bcrun:" + id})
	}
	return nil
}

// freezeRecipients stores the segment's recipients, the total and the
// running status in one transaction, and returns the total.
func (e *Engine) freezeRecipients(ctx context.Context, id, seg string, now time.Time) (int, error) {
	var s Segment
	if err := json.Unmarshal([]byte(seg), &s); err != nil {
		return 0, err
	}
	users, err := e.segmentUsers(ctx, s, now)
	if err != nil {
		return 0, err
	}
	pipe := e.rdb.TxPipeline()
	pipe.Del(ctx, e.bcRecipients(id))
	for i := 0; i < len(users); i += 1000 {
		batch := make([]any, 0, 1000)
		for _, u := range users[i:min(i+1000, len(users))] {
			batch = append(batch, u)
		}
		pipe.RPush(ctx, e.bcRecipients(id), batch...)
	}
	pipe.HSet(ctx, e.bcKey(id), "status", bcRunning, "total", len(users), "cursor", 0,
		"started", now.UnixMilli(), "pts", now.UnixMilli())
	_, err = pipe.Exec(ctx)
	return len(users), err
}

func (e *Engine) finishEmpty(t *Turn, id string) error {
	if err := e.rdb.HSet(t.Ctx, e.bcKey(id), "status", bcDone, "final", 1).Err(); err != nil {
		return err
	}
	return e.reportBroadcast(t, id, true)
}

// submitRecipients stores one event per recipient, in parallel; an event
// stored before (a chunk run again after a crash) is dropped by its ID.
func (e *Engine) submitRecipients(ctx context.Context, id string, users []string) error {
	const par = 32
	var wg sync.WaitGroup
	var mu sync.Mutex
	var first error
	ch := make(chan string)
	for range par {
		wg.Go(func() {
			for u := range ch {
				err := e.Submit(ctx, Event{ID: "bc:" + id + ":" + u, Platform: Internal, User: u,
					Kind: KindJob, Data: "bc:" + id, Time: e.cfg.Clock()})
				if err != nil {
					mu.Lock()
					first = cmpErr(first, err)
					mu.Unlock()
				}
			}
		})
	}
	for _, u := range users {
		if u != "" {
			ch <- u
		}
	}
	close(ch)
	wg.Wait()
	return first
}

func cmpErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// bcCache keeps, per process, the texts of broadcasts (they never change
// once stored) and their status for bcStatusFor, so that a recipient's
// turn usually reads nothing from Redis; a cancel takes effect within
// bcStatusFor.
var bcCache sync.Map // key: base + id -> *bcCached

type bcCached struct {
	texts  map[string]string
	status string
	until  time.Time
}

const bcStatusFor = 500 * time.Millisecond

func (e *Engine) broadcastTexts(ctx context.Context, id string) (map[string]string, string,
	error) {
	key := e.keys.Base() + id
	now := time.Now()
	if v, ok := bcCache.Load(key); ok {
		if c := v.(*bcCached); now.Before(c.until) {
			return c.texts, c.status, nil
		}
	}
	rec, err := e.rdb.HMGet(ctx, e.bcKey(id), "status", "texts").Result()
	if err != nil {
		return nil, "", err
	}
	c := &bcCached{status: str(rec[0]), until: now.Add(bcStatusFor)}
	if raw := str(rec[1]); raw != "" {
		if err := json.Unmarshal([]byte(raw), &c.texts); err != nil {
			return nil, "", err
		}
	}
	bcCache.Store(key, c)
	return c.texts, c.status, nil
}

// deliverBroadcast sends broadcast id to this recipient, in their
// language, unless the broadcast was cancelled.
func (e *Engine) deliverBroadcast(t *Turn, id string) error {
	st := t.State
	texts, status, err := e.broadcastTexts(t.Ctx, id)
	if err != nil {
		return err
	}
	if status != bcRunning || texts == nil {
		return nil
	}
	if st.Deleted || st.Consent != "yes" {
		// Deleted since the list was frozen: the forgetter counted them.
		return nil
	}
	if st.Chat == "" {
		e.recordStatus(t.Ctx, id, st.User, DeliveryUnreachable)
		return nil
	}
	if st.Inactive {
		e.recordStatus(t.Ctx, id, st.User, DeliveryBlocked)
		return nil
	}
	body, ok := texts[st.lang()]
	if !ok {
		body = texts[""]
	}
	t.Send(Message{Kind: KindBroadcast, Broadcast: id, Text: Text{{Text: body}}})
	return nil
}

// recordDelivery records the outcome of a broadcast message in the
// broadcast's report. Errors the outbox retries are not outcomes yet.
func (e *Engine) recordDelivery(ctx context.Context, m Message, err error) {
	if m.Broadcast == "" {
		return
	}
	status := DeliverySent
	switch SendErrorKindOf(err) {
	case "":
		if err != nil {
			return
		}
	case ErrBlocked:
		status = DeliveryBlocked
	case ErrChatNotFound, ErrUnreachable:
		status = DeliveryUnreachable
	case ErrInvalid:
		status = DeliveryFailed
	default:
		return
	}
	e.recordStatus(ctx, m.Broadcast, m.User, status)
}

// recordScript stores a recipient's status, keeps the counters right when
// it changes, and says whether a progress report (1) or the final report
// (2) is due.
// KEYS: bc, status. ARGV: user, status, now ms, progress every ms.
var recordScript = redis.NewScript(`
local prev = redis.call('HGET', KEYS[2], ARGV[1])
if prev == ARGV[2] then return {0, 0} end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
if prev then redis.call('HINCRBY', KEYS[1], 'n:' .. prev, -1) end
redis.call('HINCRBY', KEYS[1], 'n:' .. ARGV[2], 1)
local total = tonumber(redis.call('HGET', KEYS[1], 'total') or '0')
local done = redis.call('HLEN', KEYS[2]) + tonumber(redis.call('HGET', KEYS[1], 'gone') or '0')
if total == 0 then return {0, done} end
if done >= total then
  if redis.call('HSETNX', KEYS[1], 'final', 1) == 1 then
    if redis.call('HGET', KEYS[1], 'status') == 'running' then
      redis.call('HSET', KEYS[1], 'status', 'done')
    end
    return {2, done}
  end
  return {0, done}
end
local dec = math.floor(done * 10 / total)
local pdec = tonumber(redis.call('HGET', KEYS[1], 'pdec') or '0')
local pts = tonumber(redis.call('HGET', KEYS[1], 'pts') or '0')
local now = tonumber(ARGV[3])
if dec > pdec or now - pts >= tonumber(ARGV[4]) then
  redis.call('HSET', KEYS[1], 'pdec', dec, 'pts', now)
  return {1, dec * 10 + 1000 * math.floor(now / tonumber(ARGV[4]))}
end
return {0, done}
`)

func (e *Engine) recordStatus(ctx context.Context, id, user, status string) {
	v, err := e.evalSha(ctx, recordScript, []string{e.bcKey(id), e.bcStatus(id)}, user, status,
		e.cfg.Clock().UnixMilli(), progressEvery.Milliseconds())
	if err != nil {
		e.log.Warn("bots: broadcast report not updated", "learner_id", user, "err", err)
		return
	}
	vals, _ := v.([]any)
	if len(vals) < 2 {
		return
	}
	switch vals[0].(int64) {
	case 1:
		e.tellCoordinator(ctx, id, "bcprog", "p"+strconv.FormatInt(vals[1].(int64), 10))
	case 2:
		e.tellCoordinator(ctx, id, "bcdone", "final")
	}
}

// tellCoordinator submits a report event to the broadcast's author.
func (e *Engine) tellCoordinator(ctx context.Context, id, kind, mark string) {
	by, err := e.rdb.HGet(ctx, e.bcKey(id), "by").Result()
	if err != nil {
		return
	}
	ev := Event{ID: "bc:" + id + ":" + mark, Platform: Internal, User: by, Kind: KindJob,
		Data: kind + ":" + id, Time: e.cfg.Clock()}
	if err := e.Submit(ctx, ev); err != nil {
		e.log.Warn("bots: broadcast report not sent", "learner_id", by, "err", err)
	}
}

// BroadcastReport is the state of one broadcast.
type BroadcastReport struct {
	ID     string
	By     string
	Status string
	// Total is the number of recipients (frozen when sending started).
	Total int
	// Counts maps a delivery status to its number of recipients.
	Counts map[string]int
	// Gone counts recipients deleted before their copy was sent.
	Gone int
	// At is when sending started or is planned.
	At time.Time
	// Texts maps a language to its text ("" the default).
	Texts map[string]string
	// Segment is who it was sent to.
	Segment Segment
}

// Done is the number of recipients with an outcome.
func (r BroadcastReport) Done() int {
	n := r.Gone
	for _, c := range r.Counts {
		n += c
	}
	return n
}

// Report returns the state of broadcast id; redis.Nil when unknown.
func (e *Engine) Report(ctx context.Context, id string) (BroadcastReport, error) {
	return readReport(ctx, e.rdb, e.keys.Global("bc:"+id), id)
}

func readReport(ctx context.Context, rdb redis.UniversalClient, key, id string) (
	BroadcastReport, error) {
	h, err := rdb.HGetAll(ctx, key).Result()
	if err != nil {
		return BroadcastReport{}, err
	}
	if len(h) == 0 {
		return BroadcastReport{}, redis.Nil
	}
	r := BroadcastReport{ID: id, By: h["by"], Status: h["status"], Counts: map[string]int{}}
	r.Total, _ = strconv.Atoi(h["total"])
	r.Gone, _ = strconv.Atoi(h["gone"])
	for _, s := range deliveryStatuses {
		r.Counts[s], _ = strconv.Atoi(h["n:"+s])
	}
	at, _ := strconv.ParseInt(h["at"], 10, 64)
	r.At = time.Unix(at, 0).UTC()
	_ = json.Unmarshal([]byte(h["texts"]), &r.Texts)
	_ = json.Unmarshal([]byte(h["seg"]), &r.Segment)
	return r, nil
}

// reportBroadcast tells the coordinator how broadcast id is going.
func (e *Engine) reportBroadcast(t *Turn, id string, final bool) error {
	r, err := e.Report(t.Ctx, id)
	if errors.Is(err, redis.Nil) {
		return nil
	} else if err != nil {
		return err
	}
	counts := t.T("bc.counts", "Sent", r.Counts[DeliverySent],
		"Blocked", r.Counts[DeliveryBlocked], "Unreachable", r.Counts[DeliveryUnreachable],
		"Failed", r.Counts[DeliveryFailed], "Gone", r.Gone)
	if final {
		t.Say(Text{{Text: t.T("bc.final", "ID", id, "Total", r.Total) + "\n", Style: Bold},
			{Text: counts}})
		return nil
	}
	if r.Status != bcRunning {
		return nil
	}
	pct := 0
	if r.Total > 0 {
		pct = r.Done() * 100 / r.Total
	}
	t.SayT("bc.progress", [][]Button{{{Label: t.T("bc.cancel"), Data: "bcx:" + id}}},
		"ID", id, "Done", r.Done(), "Total", r.Total, "Percent", pct, "Counts", counts)
	return nil
}

// btnBroadcastCancel stops a broadcast: recipients whose copy is not yet
// in their outbox get none.
func (e *Engine) btnBroadcastCancel(t *Turn) error {
	id := strings.TrimPrefix(t.Event.Data, "bcx:")
	return e.cancelBroadcast(t, id)
}

func (e *Engine) cancelBroadcast(t *Turn, id string) error {
	status, err := e.rdb.HGet(t.Ctx, e.bcKey(id), "status").Result()
	if errors.Is(err, redis.Nil) || (err == nil && status != bcRunning && status != bcScheduled) {
		t.SayT("bc.cancel_late", nil)
		return nil
	} else if err != nil {
		return err
	}
	if err := e.rdb.HSet(t.Ctx, e.bcKey(id), "status", bcCancelled).Err(); err != nil {
		return err
	}
	if s := e.cfg.Scheduler; s != nil && status == bcScheduled {
		_ = s.Cancel(t.Ctx, "b:"+id)
	}
	e.audit(t, "broadcast_cancel", id)
	r, err := e.Report(t.Ctx, id)
	if err != nil {
		return err
	}
	t.SayT("bc.cancelled", nil, "ID", id, "Done", r.Done(), "Total", r.Total)
	return nil
}

// Broadcasts lists broadcast ids, oldest first.
func (e *Engine) Broadcasts(ctx context.Context) ([]string, error) {
	return e.rdb.ZRange(ctx, e.bcIndex(), 0, -1).Result()
}

// bcForgetScript blanks a user in a broadcast's recipient list and removes
// their status, keeping the counters right.
// KEYS: bc, recipients, status. ARGV: user.
var bcForgetScript = redis.NewScript(`
local i = redis.call('LPOS', KEYS[2], ARGV[1])
if i then redis.call('LSET', KEYS[2], i, '') end
local prev = redis.call('HGET', KEYS[3], ARGV[1])
if prev then
  redis.call('HDEL', KEYS[3], ARGV[1])
  redis.call('HINCRBY', KEYS[1], 'n:' .. prev, -1)
  redis.call('HINCRBY', KEYS[1], 'gone', 1)
elseif i then
  local cursor = tonumber(redis.call('HGET', KEYS[1], 'cursor') or '0')
  if i < cursor then
    redis.call('HINCRBY', KEYS[1], 'gone', 1)
  else
    redis.call('HINCRBY', KEYS[1], 'total', -1)
  end
end
return 0
`)

// forgetInBroadcasts removes a deleted user from every broadcast report
// and from the audit log.
func (e *Engine) forgetInBroadcasts(ctx context.Context, user string) error {
	ids, err := e.Broadcasts(ctx)
	if err != nil {
		return err
	}
	for _, id := range ids {
		err := e.evalShaOrRun(ctx, bcForgetScript,
			[]string{e.bcKey(id), e.bcRecipients(id), e.bcStatus(id)}, user)
		if err != nil {
			return err
		}
	}
	return e.forgetAudit(ctx, user)
}

func (e *Engine) evalShaOrRun(ctx context.Context, s *redis.Script, keys []string,
	args ...any) error {
	err := s.Run(ctx, e.rdb, keys, args...).Err()
	if errors.Is(err, redis.Nil) {
		return nil
	}
	return err
}

// postToChannel posts the broadcast's default text once in the Discord
// announcement channel its segment names, if any.
func (e *Engine) postToChannel(t *Turn, id, seg string) {
	var s Segment
	if json.Unmarshal([]byte(seg), &s) != nil || s.Channel == "" {
		return
	}
	raw, err := e.rdb.HGet(t.Ctx, e.bcKey(id), "texts").Result()
	var texts map[string]string
	if err != nil || json.Unmarshal([]byte(raw), &texts) != nil || texts[""] == "" {
		return
	}
	t.Send(Message{Platform: Discord, Chat: s.Channel, Kind: KindBroadcast,
		Text: Text{{Text: texts[""]}}})
}
