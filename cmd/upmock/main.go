// Command upmock serves every upstream mock in one process, and runs the conformance suite.
//
//	upmock serve [--listen 127.0.0.1:8080] [--apis atlas,...] [--tls --cert-dir DIR]
//	             [--fixtures DIR] [--log-format text|json] [--max-sessions 256] [--state-dir DIR]
//	upmock conformance --driver 'CMD' [--api atlas,jaia] [--upmock-url URL] [--junit FILE]
//	             [--report FILE.html] [--focus RULE]
//	upmock conformance --new-driver python|node --api API DIR
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, errRulesBroken) {
			os.Exit(1)
		}
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "upmock:", err)
		}
		os.Exit(2)
	}
}

const usage = `usage: upmock serve [flags]
       upmock conformance --driver 'CMD' [flags]   (upmock conformance -h: its flags)

Serves every upstream mock in one process; see README.md. Flags of serve:
`

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stderr, usage)
		newServeFlags(stderr).fs.PrintDefaults()
		if len(args) == 0 {
			return errors.New("missing command")
		}
		return nil
	}
	switch args[0] {
	case "conformance":
		return runConformance(args[1:], stdout, stderr)
	case "serve":
		ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
		defer stop()
		return serve(ctx, args[1:], stdout, stderr)
	default:
		return fmt.Errorf("unknown command %q; try: upmock serve, upmock conformance", args[0])
	}
}
