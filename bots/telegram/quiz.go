package telegram

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/go-telegram/bot/models"
	"github.com/redis/go-redis/v9"
	"github.com/talentjourney/talentbot/bots"
)

// Telegram's limits on a quiz poll, in characters (counted here as UTF-16
// code units, which is never fewer).
const (
	maxQuestion    = 300
	maxOption      = 100
	maxExplanation = 200
	maxOptions     = 10
)

// pollRecord is what Redis keeps about a quiz poll sent, to turn a
// poll_answer back into the engine's payload.
type pollRecord struct {
	Chat string   `json:"c"`
	Data []string `json:"d"`
}

// sendPollParams is a sendPoll call of a non-anonymous quiz.
type sendPollParams struct {
	ChatID             string                   `json:"chat_id"`
	Question           string                   `json:"question"`
	Options            []models.InputPollOption `json:"options"`
	IsAnonymous        bool                     `json:"is_anonymous"`
	Type               string                   `json:"type"`
	CorrectOptionID    int                      `json:"correct_option_id"`
	Explanation        string                   `json:"explanation,omitempty"`
	AllowPaidBroadcast bool                     `json:"allow_paid_broadcast,omitempty"`
	ReplyMarkup        *inlineKeyboard          `json:"reply_markup,omitempty"`
}

// quizFits says whether m's quiz goes out as a native quiz poll.
func (a *Adapter) quizFits(m bots.Message) bool {
	q := m.Quiz
	if !a.cfg.QuizPolls || q == nil {
		return false
	}
	if len(q.Options) < 2 || len(q.Options) > maxOptions || len(q.OptionData) != len(q.Options) ||
		q.Correct < 0 || q.Correct >= len(q.Options) {
		return false
	}
	if q.Question == "" || utf16Len(q.Question) > maxQuestion || utf16Len(q.Explanation) > maxExplanation {
		return false
	}
	for _, o := range q.Options {
		if o == "" || utf16Len(o) > maxOption {
			return false
		}
	}
	return true
}

// withoutQuizButtons drops the buttons that repeat the quiz's options.
func withoutQuizButtons(rows [][]bots.Button, q *bots.Quiz) [][]bots.Button {
	quiz := map[string]bool{}
	for _, d := range q.OptionData {
		quiz[d] = true
	}
	var out [][]bots.Button
	for _, row := range rows {
		var r []bots.Button
		for _, b := range row {
			if b.URL != "" || !quiz[b.Data] {
				r = append(r, b)
			}
		}
		if len(r) > 0 {
			out = append(out, r)
		}
	}
	return out
}

// sendQuiz sends m's quiz as a quiz poll and remembers its options' data.
func (a *Adapter) sendQuiz(ctx context.Context, m bots.Message, markup *inlineKeyboard) error {
	q := m.Quiz
	params := &sendPollParams{
		ChatID:             m.Chat,
		Question:           q.Question,
		Type:               "quiz",
		CorrectOptionID:    q.Correct,
		Explanation:        q.Explanation,
		AllowPaidBroadcast: a.cfg.PaidBroadcast && m.Kind == bots.KindBroadcast,
		ReplyMarkup:        markup,
	}
	for _, o := range q.Options {
		params.Options = append(params.Options, models.InputPollOption{Text: o})
	}
	var sent *models.Message
	err := a.do(ctx, m.Chat, func(ctx context.Context) error {
		sent = &models.Message{}
		return a.api.call(ctx, "sendPoll", params, sent)
	})
	if err != nil {
		return err
	}
	if sent == nil || sent.Poll == nil {
		a.log.Warn("telegram: sendPoll answered without a poll", "chat_id", m.Chat)
		return nil
	}
	rec, _ := json.Marshal(pollRecord{Chat: m.Chat, Data: q.OptionData})
	if err := a.st.Client.Set(ctx, a.st.Keys.Global("tg:poll:"+sent.Poll.ID), rec, keepFor).Err(); err != nil {
		// The poll is out; its answers will not be recognised.
		a.log.Warn("telegram: storing a quiz poll failed", "chat_id", m.Chat, "err", err)
	}
	return nil
}

// pollAnswer looks up the record of a poll; ok is false for a poll this
// bot does not know (or no longer keeps).
func (a *Adapter) pollAnswer(ctx context.Context, pollID string) (rec pollRecord, ok bool, err error) {
	raw, err := a.st.Client.Get(ctx, a.st.Keys.Global("tg:poll:"+pollID)).Bytes()
	if errors.Is(err, redis.Nil) {
		return rec, false, nil
	}
	if err != nil {
		return rec, false, err
	}
	if json.Unmarshal(raw, &rec) != nil {
		return rec, false, nil
	}
	return rec, true, nil
}
