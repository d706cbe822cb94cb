// Command ics2no-reference is the reference conformance driver for Tolletaten's ICS2 API:
// the protocol of conformance/DRIVER.md on standard input and output, performed with the
// project's client (conformance/clients/ics2noclient). It must pass every ICS2 spec.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/upmock/upmock/conformance/driver"
	"github.com/upmock/upmock/conformance/drivers/ics2nodriver"
)

func main() {
	// Standard error goes into the spec's report: the client's renewals and retries are
	// logged there.
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	handler := ics2nodriver.NewHandler(ics2nodriver.WithLogger(logger))
	if err := driver.Serve(context.Background(), os.Stdin, os.Stdout, handler); err != nil {
		fmt.Fprintln(os.Stderr, "ics2no-reference:", err)
		os.Exit(1)
	}
}
