// Command planbot is the chat bot that helps a ward People's Committee
// carry out its implementation plans: it imports plans, registers the
// units' officers, reminds them of deadlines, records the figures they
// report and compiles summaries for the chairman.
//
// Run `planbot help` for the commands. The binary wires every package by
// hand; nothing else does.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

// run executes one command line and returns the process exit code: 0 on
// success, 1 when the command failed, 2 when it was called wrongly.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	g, rest, err := parseGlobal(args)
	if err != nil {
		fmt.Fprintf(stderr, "planbot: %v\n", err)
		return 2
	}
	cmd, cmdArgs := findCommand(rest)
	if cmd == nil {
		if len(rest) == 0 || rest[0] == "help" || rest[0] == "-h" || rest[0] == "--help" {
			printUsage(stdout)
			return 0
		}
		fmt.Fprintf(stderr, "planbot: không có lệnh %q\n\n", joinArgs(rest))
		printUsage(stderr)
		return 2
	}
	env, err := newEnv(g, stdin, stdout, stderr, getenv)
	if err != nil {
		fmt.Fprintf(stderr, "planbot: %v\n", err)
		return 1
	}
	defer env.Close()
	if err := cmd.Run(ctx, env, cmdArgs); err != nil {
		return reportError(stderr, env.Logger, cmd.Name, err)
	}
	return 0
}
