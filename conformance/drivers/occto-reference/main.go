// Command occto-reference is the reference conformance driver for OCCTO's outage-plan
// WebAPI: the protocol of conformance/DRIVER.md on standard input and output, performed with
// the project's client (conformance/clients/occtoclient). It must pass every OCCTO spec.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/upmock/upmock/conformance/driver"
	"github.com/upmock/upmock/conformance/drivers/occtodriver"
)

func main() {
	// Standard error goes into the spec's report.
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if err := driver.Serve(context.Background(), os.Stdin, os.Stdout, occtodriver.NewHandler(occtodriver.WithLogger(logger))); err != nil {
		fmt.Fprintln(os.Stderr, "occto-reference:", err)
		os.Exit(1)
	}
}
