package telegram

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"
	"github.com/redis/go-redis/v9"
	"github.com/talentjourney/talentbot/bots"
)

const (
	// maxCallbackData is Telegram's limit on callback_data, in bytes.
	maxCallbackData = 64
	// longDataPrefix marks callback_data that is a short id of a payload
	// kept in Redis.
	longDataPrefix = "~"
	// keepFor is how long button payloads, polls and send progress are
	// kept in Redis.
	keepFor = 30 * 24 * time.Hour
	// maxAttempts bounds the tries of one call (429s, network errors).
	maxAttempts = 6
	// callTimeout bounds one call to Telegram.
	callTimeout = 30 * time.Second
)

// Send delivers m: its text as one or more HTML messages, its buttons as
// an inline keyboard under the last one, its quiz as a native quiz poll
// when QuizPolls is on and the quiz fits. A 429 holds every send for
// retry_after, then the call is repeated. Errors are *bots.SendError; a
// group that became a supergroup gives bots.ErrMigrated with NewChat, and
// the caller resends there. Send may be called concurrently.
//
// A message of several parts records in Redis how many parts went out, so
// a resend after a failure does not repeat them.
func (a *Adapter) Send(ctx context.Context, m bots.Message) error {
	if m.Private && isGroup(m.Chat) && strings.HasPrefix(m.User, bots.Telegram+":") {
		return a.sendPrivate(ctx, m)
	}
	poll := a.quizFits(m)
	buttons := m.Buttons
	if poll {
		buttons = withoutQuizButtons(buttons, m.Quiz)
	}
	markup, err := a.keyboard(ctx, buttons)
	if err != nil {
		return err
	}
	parts := splitText(m.Text, maxMessage)
	if strings.TrimSpace(m.Text.Plain()) == "" {
		parts = nil
	}
	if len(parts) == 0 && !poll {
		return &bots.SendError{Kind: bots.ErrInvalid, Err: errors.New("empty message")}
	}
	steps := len(parts)
	if poll {
		steps++
	}
	prog := a.progress(ctx, m, steps)
	for i, p := range parts {
		if i < prog.done {
			continue
		}
		params := a.messageParams(m, p, i == 0)
		if i == len(parts)-1 && !poll && markup != nil {
			params.ReplyMarkup = markup
		}
		if err := a.do(ctx, m.Chat, func(ctx context.Context) error {
			return a.api.call(ctx, "sendMessage", params, nil)
		}); err != nil {
			return err
		}
		prog.step(ctx)
	}
	if poll && prog.done < steps {
		return a.sendQuiz(ctx, m, markup)
	}
	return nil
}

// sendMessageParams is a sendMessage call. The adapter sends messages
// with its own JSON client rather than the library's multipart one, which
// is several times slower; see BenchmarkSendUnlimited.
type sendMessageParams struct {
	ChatID             string                  `json:"chat_id"`
	Text               string                  `json:"text"`
	ParseMode          models.ParseMode        `json:"parse_mode"`
	AllowPaidBroadcast bool                    `json:"allow_paid_broadcast,omitempty"`
	ReplyParameters    *models.ReplyParameters `json:"reply_parameters,omitempty"`
	ReplyMarkup        *inlineKeyboard         `json:"reply_markup,omitempty"`
}

// inlineKeyboard is Telegram's InlineKeyboardMarkup with the two kinds of
// buttons the engine uses.
type inlineKeyboard struct {
	InlineKeyboard [][]inlineButton `json:"inline_keyboard"`
}

type inlineButton struct {
	Text         string `json:"text"`
	URL          string `json:"url,omitempty"`
	CallbackData string `json:"callback_data,omitempty"`
}

func (a *Adapter) messageParams(m bots.Message, t bots.Text, first bool) *sendMessageParams {
	p := &sendMessageParams{
		ChatID:             m.Chat,
		Text:               renderHTML(t),
		ParseMode:          models.ParseModeHTML,
		AllowPaidBroadcast: a.cfg.PaidBroadcast && m.Kind == bots.KindBroadcast,
	}
	if first && m.Reply != "" {
		if id, err := strconv.Atoi(m.Reply); err == nil {
			p.ReplyParameters = &models.ReplyParameters{MessageID: id, AllowSendingWithoutReply: true}
		}
	}
	return p
}

// do makes one call to chat through the pacer, repeating it after a 429
// (holding every other call meanwhile), a network error or a server error.
func (a *Adapter) do(ctx context.Context, chat string, call func(context.Context) error) error {
	for try := 0; ; try++ {
		release, err := a.pace.wait(ctx, chat)
		if err != nil {
			return &bots.SendError{Kind: bots.ErrTemporary, Err: err}
		}
		cctx, cancel := context.WithTimeout(ctx, callTimeout)
		err = call(cctx)
		cancel()
		if err == nil {
			release()
			return nil
		}
		ae := apiErrorOf(err)
		if ae != nil && ae.Code == 429 {
			a.pace.hold(time.Duration(max(ae.RetryAfter, 1)) * time.Second)
		}
		release()      // after the hold, so that no call slips in before it
		if ae == nil { // network trouble
			if ctx.Err() != nil || try+1 >= maxAttempts/2 {
				return &bots.SendError{Kind: bots.ErrTemporary, Err: a.api.maskErr(err)}
			}
			a.log.Warn("telegram send failed, retrying", "chat_id", chat, "err", a.mask.Replace(err.Error()))
			sleep(ctx, backoff(try)/2)
			continue
		}
		kind := kindOf(ae)
		switch {
		case kind == bots.ErrRateLimited:
			wait := time.Duration(max(ae.RetryAfter, 1)) * time.Second
			if wait > a.cfg.MaxRetryAfter || try+1 >= maxAttempts {
				return &bots.SendError{Kind: kind, RetryAfter: wait, Err: ae}
			}
			a.log.Warn("telegram asked to slow down; holding every send", "chat_id", chat, "retry_after_s", ae.RetryAfter)
		case kind == bots.ErrTemporary && try+1 < maxAttempts/2:
			a.log.Warn("telegram server error, retrying", "chat_id", chat, "err", ae.Error())
			sleep(ctx, backoff(try)/2)
		case kind == bots.ErrMigrated:
			return &bots.SendError{Kind: kind, NewChat: strconv.FormatInt(ae.MigrateTo, 10), Err: ae}
		default:
			return &bots.SendError{Kind: kind, Err: ae}
		}
	}
}

// keyboard turns rows of buttons into an inline keyboard; nil for none.
func (a *Adapter) keyboard(ctx context.Context, rows [][]bots.Button) (*inlineKeyboard, error) {
	var kb [][]inlineButton
	for _, row := range rows {
		var r []inlineButton
		for _, b := range row {
			if b.URL != "" {
				r = append(r, inlineButton{Text: b.Label, URL: b.URL})
				continue
			}
			data, err := a.callbackData(ctx, b.Data)
			if err != nil {
				return nil, &bots.SendError{Kind: bots.ErrTemporary, Err: err}
			}
			r = append(r, inlineButton{Text: b.Label, CallbackData: data})
		}
		if len(r) > 0 {
			kb = append(kb, r)
		}
	}
	if len(kb) == 0 {
		return nil, nil
	}
	return &inlineKeyboard{InlineKeyboard: kb}, nil
}

// callbackData returns data itself when it fits callback_data, else a short
// id under which data is kept in Redis. The id depends on data only, so a
// broadcast stores its payloads once.
func (a *Adapter) callbackData(ctx context.Context, data string) (string, error) {
	if len(data) <= maxCallbackData && data != "" && utf8.ValidString(data) &&
		!strings.HasPrefix(data, longDataPrefix) {
		return data, nil
	}
	sum := sha256.Sum256([]byte(data))
	id := base64.RawURLEncoding.EncodeToString(sum[:12])
	if err := a.st.Client.Set(ctx, a.st.Keys.Global("tg:cb:"+id), data, keepFor).Err(); err != nil {
		return "", err
	}
	return longDataPrefix + id, nil
}

// buttonData turns callback_data back into the engine's payload; a short
// id that expired gives "".
func (a *Adapter) buttonData(ctx context.Context, data string) (string, error) {
	id, ok := strings.CutPrefix(data, longDataPrefix)
	if !ok {
		return data, nil
	}
	v, err := a.st.Client.Get(ctx, a.st.Keys.Global("tg:cb:"+id)).Result()
	if errors.Is(err, redis.Nil) {
		return "", nil
	}
	return v, err
}

// sendProgress counts the parts of one message already sent.
type sendProgress struct {
	a    *Adapter
	key  string
	done int
}

// progress loads how many of m's steps went out before; single-step
// messages skip Redis.
func (a *Adapter) progress(ctx context.Context, m bots.Message, steps int) *sendProgress {
	p := &sendProgress{a: a}
	if steps < 2 || m.ID == "" {
		return p
	}
	p.key = a.st.Keys.Global("tg:sent:" + m.Chat + ":" + m.ID)
	if m.User != "" {
		p.key = a.st.Keys.User(m.User, "tg:sent:"+m.Chat+":"+m.ID)
	}
	n, err := a.st.Client.Get(ctx, p.key).Int()
	if err != nil && !errors.Is(err, redis.Nil) {
		a.log.Warn("telegram: reading send progress failed", "chat_id", m.Chat, "err", err)
	}
	p.done = n
	return p
}

func (p *sendProgress) step(ctx context.Context) {
	p.done++
	if p.key == "" {
		return
	}
	if err := p.a.st.Client.Set(ctx, p.key, p.done, 24*time.Hour).Err(); err != nil {
		p.a.log.Warn("telegram: storing send progress failed", "err", err)
	}
}
