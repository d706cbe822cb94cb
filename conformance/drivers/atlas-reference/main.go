// Command atlas-reference is the reference conformance driver for ATLAS-Things: the
// protocol of conformance/DRIVER.md on standard input and output, performed with the
// project's client (conformance/clients/atlasclient). It must pass every ATLAS spec.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/upmock/upmock/conformance/driver"
	"github.com/upmock/upmock/conformance/drivers/atlasdriver"
)

func main() {
	// Standard error goes into the spec's report: the client's retries are logged there.
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	handler := atlasdriver.NewHandler(atlasdriver.WithLogger(logger))
	if err := driver.Serve(context.Background(), os.Stdin, os.Stdout, handler); err != nil {
		fmt.Fprintln(os.Stderr, "atlas-reference:", err)
		os.Exit(1)
	}
}
