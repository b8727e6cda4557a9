package bots

import (
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"
	"time"
)

// Handler handles one turn. An error it returns is logged and the user
// gets an apology.
type Handler interface {
	Handle(t *Turn) error
}

// HandlerFunc adapts a function to Handler.
type HandlerFunc func(t *Turn) error

// Handle calls f(t).
func (f HandlerFunc) Handle(t *Turn) error { return f(t) }

// Middleware wraps a handler.
type Middleware func(Handler) Handler

// Command is one slash command of the engine.
type Command struct {
	// Name is the command without slash, lower case.
	Name string
	// Roles that may use it; empty means everyone (consent given).
	Roles []string
	// Hidden commands are not listed in /help or platform menus.
	Hidden bool
	// BeforeConsent commands work before consent is given.
	BeforeConsent bool
	h             Handler
}

// Router picks the handler of a turn: by command, by button payload
// prefix, or by the open dialogue step.
type Router struct {
	commands map[string]*Command
	order    []*Command
	buttons  map[string]Handler
	steps    map[string]Handler
	mw       []Middleware
}

func (r *Router) command(c Command, h HandlerFunc) {
	c.h = h
	r.commands[c.Name] = &c
	r.order = append(r.order, &c)
}

func (r *Router) button(prefix string, h HandlerFunc) { r.buttons[prefix] = h }
func (r *Router) step(name string, h HandlerFunc)     { r.steps[name] = h }

// Commands lists the commands a role may use, for /help and for the
// platforms' command menus (role "" lists every visible command).
func (r *Router) Commands(role string) []Command {
	var out []Command
	for _, c := range r.order {
		if c.Hidden || (role != "" && !c.allows(role)) {
			continue
		}
		out = append(out, *c)
	}
	return out
}

func (c *Command) allows(role string) bool {
	if len(c.Roles) == 0 {
		return true
	}
	for _, r := range c.Roles {
		if r == role {
			return true
		}
	}
	return false
}

// payloadPrefix is the part of a button payload before the first colon.
func payloadPrefix(data string) string {
	if i := strings.IndexByte(data, ':'); i >= 0 {
		return data[:i]
	}
	return data
}

// recoverMiddleware turns a panic into a logged error.
func recoverMiddleware(log *slog.Logger) Middleware {
	return func(next Handler) Handler {
		return HandlerFunc(func(t *Turn) (err error) {
			defer func() {
				if p := recover(); p != nil {
					log.Error("bots: panic while handling an event", "learner_id", t.State.User,
						"err", fmt.Sprint(p), "stack", string(debug.Stack()))
					err = fmt.Errorf("panic: %v", p)
				}
			}()
			return next.Handle(t)
		})
	}
}

// logMiddleware records each turn at debug level and in the metrics.
func logMiddleware(e *Engine) Middleware {
	return func(next Handler) Handler {
		return HandlerFunc(func(t *Turn) error {
			start := time.Now()
			err := next.Handle(t)
			e.m.handled.WithLabelValues(t.Event.Platform).Inc()
			e.m.latency.Observe(time.Since(start).Seconds())
			e.log.Debug("bots: event handled", "platform", t.Event.Platform,
				"learner_id", t.State.User, "kind", string(t.Event.Kind))
			return err
		})
	}
}
