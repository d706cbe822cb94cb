// Command naccs-reference is the reference conformance driver for CyberPort's NACCS
// integration: the protocol of conformance/DRIVER.md on standard input and output,
// performed with the project's client (conformance/clients/naccsclient), its webhook
// receiver listening on 127.0.0.1. It must pass every NACCS spec.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/upmock/upmock/conformance/driver"
	"github.com/upmock/upmock/conformance/drivers/naccsdriver"
)

func main() {
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	h := naccsdriver.New(naccsdriver.WithLogger(logger))
	defer h.Close()
	if err := driver.Serve(context.Background(), os.Stdin, os.Stdout, h.Handle); err != nil {
		fmt.Fprintln(os.Stderr, "naccs-reference:", err)
		os.Exit(1)
	}
}
