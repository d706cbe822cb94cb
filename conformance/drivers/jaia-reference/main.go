// Command jaia-reference is the reference conformance driver for the JAIA code database: the
// protocol of conformance/DRIVER.md on standard input and output, performed with the
// project's client (conformance/clients/jaiaclient). It must pass every JAIA spec.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/upmock/upmock/conformance/driver"
	"github.com/upmock/upmock/conformance/drivers/jaiadriver"
)

func main() {
	// Standard error goes into the spec's report: the client's re-logins are logged there.
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	handler := jaiadriver.NewHandler(jaiadriver.WithLogger(logger))
	if err := driver.Serve(context.Background(), os.Stdin, os.Stdout, handler); err != nil {
		fmt.Fprintln(os.Stderr, "jaia-reference:", err)
		os.Exit(1)
	}
}
