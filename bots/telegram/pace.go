package telegram

import (
	"context"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// margin keeps the pacer a little under the configured rates, so that
// network jitter never packs more calls into one second than Telegram
// allows.
const margin = 0.985

// pacer spaces calls to Telegram: an overall limit, one per chat, and a
// hold that stops every call while a 429's retry_after runs.
type pacer struct {
	global                *rate.Limiter
	chatRate, groupRate   rate.Limit
	chatBurst, groupBurst int

	inFlight chan struct{} // one token per call under way

	mu        sync.Mutex
	chats     map[string]*rate.Limiter
	nextSweep int
	holdUntil time.Time
}

func newPacer(cfg Config) *pacer {
	return &pacer{
		global:     rate.NewLimiter(limit(cfg.Rate), 1),
		chatRate:   limit(cfg.ChatRate),
		chatBurst:  cfg.ChatBurst,
		groupRate:  limit(cfg.GroupRate / 60),
		groupBurst: 1,
		chats:      map[string]*rate.Limiter{},
		nextSweep:  10000,
		inFlight:   make(chan struct{}, cfg.MaxInFlight),
	}
}

// limit turns a rate per second into a limit under margin; a negative
// rate means no limit.
func limit(perSecond float64) rate.Limit {
	if perSecond < 0 {
		return rate.Inf
	}
	return rate.Limit(perSecond * margin)
}

// isGroup says whether a Telegram chat id is a group, supergroup or
// channel (their ids are negative).
func isGroup(chat string) bool { return strings.HasPrefix(chat, "-") }

// wait blocks until a call to chat may go out: no hold in force, the
// chat's and the overall limit allow it, and fewer than MaxInFlight calls
// are under way. The caller calls release when the call's answer is
// handled (and any hold it asked for is set).
func (p *pacer) wait(ctx context.Context, chat string) (release func(), err error) {
	if err := p.waitHold(ctx); err != nil {
		return nil, err
	}
	if err := p.chat(chat).Wait(ctx); err != nil {
		return nil, err
	}
	for {
		if err := p.global.Wait(ctx); err != nil {
			return nil, err
		}
		select {
		case p.inFlight <- struct{}{}:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if p.held() <= 0 {
			return func() { <-p.inFlight }, nil
		}
		// A 429 came while we waited: wait it out, then take a fresh
		// slot, so that the waiters do not all go at once.
		<-p.inFlight
		if err := p.waitHold(ctx); err != nil {
			return nil, err
		}
	}
}

// hold stops every call for d.
func (p *pacer) hold(d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if until := time.Now().Add(d); until.After(p.holdUntil) {
		p.holdUntil = until
	}
}

// held returns how long the current hold still runs.
func (p *pacer) held() time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	return time.Until(p.holdUntil)
}

func (p *pacer) waitHold(ctx context.Context) error {
	for {
		d := p.held()
		if d <= 0 {
			return nil
		}
		if !sleep(ctx, d) {
			return ctx.Err()
		}
	}
}

// chat returns the limiter of one chat, forgetting idle ones now and then.
func (p *pacer) chat(chat string) *rate.Limiter {
	p.mu.Lock()
	defer p.mu.Unlock()
	if l, ok := p.chats[chat]; ok {
		return l
	}
	if len(p.chats) >= p.nextSweep {
		p.sweepLocked()
	}
	l := rate.NewLimiter(p.chatRate, p.chatBurst)
	if isGroup(chat) {
		l = rate.NewLimiter(p.groupRate, p.groupBurst)
	}
	p.chats[chat] = l
	return l
}

// sweepLocked drops limiters that are full again, so idle chats cost no
// memory; a dropped limiter comes back full, which is what it was.
func (p *pacer) sweepLocked() {
	for id, l := range p.chats {
		if l.Tokens() >= float64(l.Burst()) {
			delete(p.chats, id)
		}
	}
	p.nextSweep = max(10000, 2*len(p.chats))
}
