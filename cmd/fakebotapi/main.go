// Command fakebotapi runs a fake Telegram Bot API on your machine so that
// you can try planbot without a real bot, a token from @BotFather or the
// internet. It is for trying planbot locally and for demonstrations, not
// for production: it keeps everything in memory and accepts anyone.
//
// It serves the Bot API methods planbot uses (package
// bot/telegram/telegramtest) and, beside them under /_fake/, a control API
// through which you act as Telegram users:
//
//	POST /_fake/send?chat=1001            body: what user 1001 types
//	POST /_fake/send?chat=1001&wait=10s   ... and answer with the bot's reply
//	POST /_fake/send?chat=1001&reply_to=7 a reply to the bot's message 7
//	POST /_fake/send?chat=1001&callback=ack:1&message=7   a button press
//	GET  /_fake/sent?chat=1001&after=7&wait=10s            the bot's answers
//
// Usage:
//
//	go run ./cmd/fakebotapi [-addr 127.0.0.1:8081] [-token TOKEN] [-username chanhlo_bot]
//
// then point planbot at it with the two variables it prints. See
// docs/try-telegram-locally.md for a whole conversation.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"syscall"

	"github.com/chanhlo/planbot/bot/telegram/telegramtest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr, nil); err != nil {
		fmt.Fprintln(os.Stderr, "fakebotapi:", err)
		os.Exit(1)
	}
}

// run serves until ctx ends. ready, when not nil, receives the server
// once it listens (for tests).
func run(ctx context.Context, args []string, stdout, stderr io.Writer, ready chan<- *telegramtest.Server) error {
	fs := flag.NewFlagSet("fakebotapi", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8081", "address to listen on")
	token := fs.String("token", telegramtest.DefaultToken, "the bot token to accept")
	username := fs.String("username", "chanhlo_bot", "the bot's username (getMe)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	l, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := telegramtest.NewServer(telegramtest.WithListener(l), telegramtest.WithToken(*token), telegramtest.WithUsername(*username))
	defer srv.Close()
	srv.Handle(ControlPrefix, newControl(srv))

	fmt.Fprintf(stdout, "Fake Telegram Bot API for @%s on %s (for trying planbot locally; Ctrl-C stops it)\n\n", *username, srv.URL())
	fmt.Fprintf(stdout, "In the terminal that runs planbot:\n\n  export PLANBOT_TELEGRAM_API=%s PLANBOT_TELEGRAM_TOKEN=%s\n\n", srv.URL(), srv.Token())
	fmt.Fprintf(stdout, "Type as user 1001 and see the bot's answers:\n\n  curl -s '%[1]s/_fake/send?chat=1001&wait=10s' --data-binary '/nhiemvu'\n\nEverything the bot sent to 1001: curl -s '%[1]s/_fake/sent?chat=1001'\nHelp: curl -s %[1]s/_fake/\n", srv.URL())
	if ready != nil {
		ready <- srv
	}
	<-ctx.Done()
	fmt.Fprintln(stdout, "fakebotapi: stopping")
	return nil
}
