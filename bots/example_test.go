package bots_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/talentjourney/talentbot/bots"
	"github.com/talentjourney/talentbot/store"
)

// printer is a platform that prints what the bot says.
type printer struct{}

func (printer) Send(_ context.Context, m bots.Message) error {
	first, _, _ := strings.Cut(m.Text.Plain(), "\n")
	fmt.Println(first)
	for _, row := range m.Buttons {
		for _, b := range row {
			fmt.Printf("  [%s]\n", b.Label)
		}
	}
	return nil
}

// An adapter submits events; the engine answers through the sender
// registered for the event's platform.
func Example() {
	ctx := context.Background()
	st, err := store.Open(ctx, store.Config{Memory: true})
	if err != nil {
		panic(err)
	}
	defer st.Close()
	eng, err := bots.New(st, bots.Config{})
	if err != nil {
		panic(err)
	}
	eng.AddSender(bots.Terminal, printer{})
	run, stop := context.WithCancel(ctx)
	go eng.Run(run)
	defer stop()

	eng.Submit(ctx, bots.Event{Platform: bots.Terminal, User: "term:ana", Chat: "ana",
		Kind: bots.KindCommand, Command: "start"})
	eng.Settle(ctx, "term:ana")
	// Output:
	// Welcome to Talentjourney, the micro-lesson and mentoring bot of the Connectivity Devices and Services programme.
	//   [Yes, I agree]
	//   [No, thanks]
}
