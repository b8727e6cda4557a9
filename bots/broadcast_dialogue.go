package bots

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/talentjourney/talentbot/scheduler"
	"github.com/talentjourney/talentbot/skills"
)

// Steps of the /broadcast dialogue.
const (
	stepBcText    = "bctext"
	stepBcSegment = "bcseg"
	stepBcWhen    = "bcwhen"
)

// draftTTL is how long an unfinished broadcast is kept.
const draftTTL = 24 * time.Hour

// draft is a broadcast being written, kept among the coordinator's keys.
type draft struct {
	draftBroadcast
	// ID becomes the broadcast's id, so that a confirmation handled twice
	// creates one broadcast.
	ID string `json:"id"`
}

func (e *Engine) draftKey(user string) string { return e.keys.User(user, "bcdraft") }

func (e *Engine) loadDraft(t *Turn) (*draft, error) {
	raw, err := e.rdb.Get(t.Ctx, e.draftKey(t.State.User)).Result()
	if errors.Is(err, redis.Nil) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	var d draft
	if err := json.Unmarshal([]byte(raw), &d); err != nil {
		return nil, nil
	}
	return &d, nil
}

func (e *Engine) saveDraft(t *Turn, d *draft) error {
	b, err := json.Marshal(d)
	if err != nil {
		return err
	}
	return e.rdb.Set(t.Ctx, e.draftKey(t.State.User), b, draftTTL).Err()
}

// cmdBroadcast starts writing a broadcast; "/broadcast cancel <id>" stops
// a running one.
func (e *Engine) cmdBroadcast(t *Turn) error {
	if verb, id, _ := strings.Cut(strings.TrimSpace(t.Event.Args), " "); verb == "cancel" {
		return e.cancelBroadcast(t, strings.TrimSpace(id))
	}
	t.State.Step = stepBcText
	t.SayT("bc.ask_text", nil)
	return nil
}

// parseTexts reads a broadcast text: lines "de: ..." start the text of a
// language; lines before the first of them are the default text.
func parseTexts(s string) map[string]string {
	texts := map[string]string{}
	cur := ""
	for _, line := range strings.Split(s, "\n") {
		if l, rest, ok := strings.Cut(line, ":"); ok && slices.Contains(Languages, strings.ToLower(l)) {
			cur = strings.ToLower(l)
			texts[cur] = strings.TrimSpace(rest)
			continue
		}
		if texts[cur] != "" {
			texts[cur] += "\n"
		}
		texts[cur] += line
	}
	for k, v := range texts {
		texts[k] = strings.TrimSpace(v)
		if texts[k] == "" {
			delete(texts, k)
		}
	}
	if _, ok := texts[""]; !ok {
		// Only language lines: English, else the first one, is the default.
		if en, ok := texts["en"]; ok {
			texts[""] = en
		} else {
			for _, l := range Languages {
				if v, ok := texts[l]; ok {
					texts[""] = v
					break
				}
			}
		}
	}
	return texts
}

func (e *Engine) stepBroadcastText(t *Turn) error {
	texts := parseTexts(t.Event.Text)
	if texts[""] == "" {
		t.SayT("bc.ask_text", nil)
		return nil
	}
	d := &draft{ID: newToken()[:10], draftBroadcast: draftBroadcast{Texts: texts}}
	if err := e.saveDraft(t, d); err != nil {
		return err
	}
	t.SayT("bc.preview", nil, "Language", t.T("bc.default_text"))
	t.Send(Message{Text: Text{{Text: texts[""]}}})
	for _, l := range Languages {
		if v, ok := texts[l]; ok {
			t.SayT("bc.preview", nil, "Language", LanguageNames[l])
			t.Send(Message{Text: Text{{Text: v}}})
		}
	}
	return e.showSegment(t, d)
}

// showSegment shows the segment chosen so far, its recipient count and
// the buttons to change it or go on.
func (e *Engine) showSegment(t *Turn, d *draft) error {
	t.State.Step = stepBcSegment
	users, err := e.segmentUsers(t.Ctx, d.Seg, t.Now)
	if err != nil {
		return err
	}
	rows := [][]Button{
		{{Label: t.T("seg.role"), Data: "bcs:role"}, {Label: t.T("seg.country"), Data: "bcs:m:c"},
			{Label: t.T("seg.lang"), Data: "bcs:m:l"}},
		{{Label: t.T("seg.track"), Data: "bcs:m:t"}, {Label: t.T("seg.active"), Data: "bcs:act"},
			{Label: t.T("seg.reset"), Data: "bcs:reset"}},
		{{Label: t.T("bc.send_now"), Data: "bcs:now"}, {Label: t.T("bc.send_later"), Data: "bcs:later"},
			{Label: t.T("bc.discard"), Data: "bcs:drop"}},
	}
	t.SayT("bc.segment", rows, "Segment", d.Seg.describe(t), "Count", len(users))
	return nil
}

// btnSegment handles every button of the dialogue after the text.
func (e *Engine) btnSegment(t *Turn) error {
	d, err := e.loadDraft(t)
	if err != nil {
		return err
	}
	if d == nil {
		t.SayT("error.stale_button", nil)
		return nil
	}
	arg := strings.TrimPrefix(t.Event.Data, "bcs:")
	kind, val, _ := strings.Cut(arg, ":")
	switch kind {
	case "m":
		e.showChoices(t, d, val)
		return nil
	case "c", "l", "t":
		toggleChoice(&d.Seg, kind, val)
		if err := e.saveDraft(t, d); err != nil {
			return err
		}
		e.showChoices(t, d, kind)
		return nil
	case "go":
		return e.confirmBroadcast(t, d)
	case "drop":
		t.State.Step = ""
		e.rdb.Del(t.Ctx, e.draftKey(t.State.User))
		t.SayT("bc.discarded", nil)
		return nil
	case "later":
		t.State.Step = stepBcWhen
		t.SayT("bc.ask_when", nil, "Zone", t.State.location().String())
		return nil
	case "now":
		d.At = time.Time{}
		if err := e.saveDraft(t, d); err != nil {
			return err
		}
		return e.askConfirm(t, d)
	}
	changeSegment(&d.Seg, kind)
	if err := e.saveDraft(t, d); err != nil {
		return err
	}
	return e.showSegment(t, d)
}

// changeSegment applies a button that changes the segment in place: role
// and activity cycle through their values.
func changeSegment(s *Segment, kind string) {
	switch kind {
	case "role":
		next := map[string]string{"": RoleLearner, RoleLearner: RoleTutor,
			RoleTutor: RoleCoordinator, RoleCoordinator: ""}
		s.Role = next[s.Role]
	case "act":
		next := map[int]int{0: 7, 7: 30, 30: 0}
		s.ActiveDays = next[s.ActiveDays]
	case "reset":
		*s = Segment{}
	}
}

func toggleChoice(s *Segment, kind, val string) {
	switch kind {
	case "c":
		s.Countries = toggle(s.Countries, val)
	case "l":
		s.Langs = toggle(s.Langs, val)
	case "t":
		s.Tracks = toggle(s.Tracks, val)
	}
}

// showChoices offers the values of one segment field, chosen ones marked.
func (e *Engine) showChoices(t *Turn, d *draft, kind string) {
	var opts []Button
	mark := func(label string, on bool) string {
		if on {
			return "✓ " + label
		}
		return label
	}
	switch kind {
	case "c":
		for _, c := range Countries {
			opts = append(opts, Button{Label: mark(t.countryName(c), slices.Contains(d.Seg.Countries, c)),
				Data: "bcs:c:" + c})
		}
	case "l":
		for _, l := range Languages {
			opts = append(opts, Button{Label: mark(LanguageNames[l], slices.Contains(d.Seg.Langs, l)),
				Data: "bcs:l:" + l})
		}
	case "t":
		for _, tr := range skills.Tracks() {
			opts = append(opts, Button{Label: mark(skills.TrackName(tr.ID, t.State.lang()),
				slices.Contains(d.Seg.Tracks, tr.ID)), Data: "bcs:t:" + tr.ID})
		}
	}
	var rows [][]Button
	for i := 0; i < len(opts) && len(rows) < 4; i += 3 {
		rows = append(rows, opts[i:min(i+3, len(opts))])
	}
	rows = append(rows, []Button{{Label: t.T("seg.done"), Data: "bcs:menu"}})
	t.SayT("seg.choose", rows)
}

// stepSegmentText reads "skill <id> ..." or "cohort <name>" while the
// segment is chosen.
func (e *Engine) stepSegmentText(t *Turn) error {
	d, err := e.loadDraft(t)
	if err != nil || d == nil {
		t.State.Step = ""
		t.SayT("error.stale_button", nil)
		return err
	}
	text := strings.TrimSpace(t.Event.Text)
	if l, body, ok := strings.Cut(text, ":"); ok && slices.Contains(Languages, strings.ToLower(l)) {
		// One more language, typed line by line (the terminal chat).
		l = strings.ToLower(l)
		if body = strings.TrimSpace(body); body != "" {
			d.Texts[l] = body
			if err := e.saveDraft(t, d); err != nil {
				return err
			}
			t.SayT("bc.preview", nil, "Language", LanguageNames[l])
			t.Send(Message{Text: Text{{Text: body}}})
		}
		return e.showSegment(t, d)
	}
	verb, rest, _ := strings.Cut(text, " ")
	switch strings.ToLower(verb) {
	case "skill", "skills":
		d.Seg.Skills = nil
		for _, id := range strings.Fields(strings.ReplaceAll(rest, ",", " ")) {
			if _, ok := skills.ByID(id); ok {
				d.Seg.Skills = append(d.Seg.Skills, id)
			}
		}
	case "cohort":
		d.Seg.Cohort = strings.TrimSpace(rest)
	case "channel":
		// A Discord channel id (digits); "channel off" goes back to DMs.
		id := strings.TrimSpace(rest)
		if id == "off" || id == "" {
			d.Seg.Channel = ""
		} else if strings.Trim(id, "0123456789") == "" && len(id) <= 20 {
			d.Seg.Channel = id
		} else {
			t.SayT("seg.typed_hint", nil)
			return nil
		}
	default:
		t.SayT("seg.typed_hint", nil)
		return nil
	}
	if err := e.saveDraft(t, d); err != nil {
		return err
	}
	return e.showSegment(t, d)
}

// stepBroadcastWhen reads the time to send, in the coordinator's zone:
// "2026-12-24 09:00", or "09:00" for the next such time.
func (e *Engine) stepBroadcastWhen(t *Turn) error {
	d, err := e.loadDraft(t)
	if err != nil || d == nil {
		t.State.Step = ""
		t.SayT("error.stale_button", nil)
		return err
	}
	at, ok := parseWhen(strings.TrimSpace(t.Event.Text), t.Now, t.State.location())
	if !ok || !at.After(t.Now) {
		t.SayT("bc.ask_when", nil, "Zone", t.State.location().String())
		return nil
	}
	d.At = at
	if err := e.saveDraft(t, d); err != nil {
		return err
	}
	return e.askConfirm(t, d)
}

func parseWhen(s string, now time.Time, loc *time.Location) (time.Time, bool) {
	if at, err := time.ParseInLocation("2006-01-02 15:04", s, loc); err == nil {
		return at, true
	}
	hm, err := time.Parse("15:04", s)
	if err != nil {
		return time.Time{}, false
	}
	n := now.In(loc)
	at := time.Date(n.Year(), n.Month(), n.Day(), hm.Hour(), hm.Minute(), 0, 0, loc)
	if !at.After(now) {
		at = at.AddDate(0, 0, 1)
	}
	return at, true
}

// askConfirm shows what will be sent to how many, and when.
func (e *Engine) askConfirm(t *Turn, d *draft) error {
	t.State.Step = stepBcSegment
	users, err := e.segmentUsers(t.Ctx, d.Seg, t.Now)
	if err != nil {
		return err
	}
	when := t.T("bc.now")
	if !d.At.IsZero() {
		when = localTime(t.State, d.At)
	}
	t.SayT("bc.confirm", [][]Button{{{Label: t.T("bc.send"), Data: "bcs:go"},
		{Label: t.T("seg.back"), Data: "bcs:menu"}}},
		"Count", len(users), "Segment", d.Seg.describe(t), "When", when)
	return nil
}

// confirmBroadcast stores the broadcast and starts it now, or schedules it.
func (e *Engine) confirmBroadcast(t *Turn, d *draft) error {
	id := d.ID
	exists, err := e.rdb.Exists(t.Ctx, e.bcKey(id)).Result()
	if err != nil {
		return err
	}
	if exists == 0 {
		b := d.draftBroadcast
		if err := e.storeBroadcast(t.Ctx, id, t.State.User, &b, t.Now); err != nil {
			return err
		}
	}
	t.State.Step = ""
	e.rdb.Del(t.Ctx, e.draftKey(t.State.User))
	e.audit(t, "broadcast", id)
	if d.At.IsZero() || !d.At.After(t.Now) {
		t.Effect(Effect{Kind: EffectNotify, ID: "bc:" + id + ":start", Target: t.State.User,
			Data: "bcrun:" + id})
		t.SayT("bc.queued", nil, "ID", id)
		return nil
	}
	s := e.cfg.Scheduler
	if s == nil {
		return errors.New("broadcast at a later time needs the scheduler")
	}
	err = s.Schedule(t.Ctx, scheduler.Job{ID: "b:" + id, User: t.State.User,
		Kind: scheduler.KindBroadcast, Payload: "bcrun:" + id, At: d.At,
		Zone: t.State.Profile.Zone, Quiet: scheduler.NoQuiet})
	if err != nil {
		return err
	}
	t.SayT("bc.scheduled", nil, "ID", id, "When", localTime(t.State, d.At))
	return nil
}
