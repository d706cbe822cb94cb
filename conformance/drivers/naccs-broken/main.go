// Command naccs-broken is the reference NACCS driver with exactly one rule broken, chosen
// with -defect NAME. The conformance suite must fail the specs of that rule, and only
// those, for each defect; that is how the suite's own sensitivity is tested.
//
// Every defect sabotages the reference client from outside, through the naccsdriver
// options: a different way to run a job, save a form or use a call-up, a middleware around
// the webhook receiver, or another way to get the output. The client has no defect switches.
//
//	go run ./conformance/drivers/naccs-broken -defect poll-hard
//	go run ./conformance/drivers/naccs-broken -list
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"sort"

	"github.com/upmock/upmock/conformance/driver"
	"github.com/upmock/upmock/conformance/drivers/naccsdriver"
)

func main() {
	name := flag.String("defect", "", "the one rule to break (see -list)")
	list := flag.Bool("list", false, "list the defects and exit")
	flag.Parse()
	if *list {
		for _, n := range defectNames() {
			fmt.Printf("%-16s %s\n", n, defects[n].breaks)
		}
		return
	}
	d, ok := defects[*name]
	if !ok {
		fmt.Fprintf(os.Stderr, "naccs-broken: unknown -defect %q; one of: %v\n", *name, defectNames())
		os.Exit(2)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	logger.Info("naccs-broken: running with a defect", "defect", *name, "breaks", d.breaks)
	// No graceful Close at exit: a slow-ack receiver would hold the exit for its delay.
	h := naccsdriver.New(append([]naccsdriver.Option{naccsdriver.WithLogger(logger)}, d.options...)...)
	if err := driver.Serve(context.Background(), os.Stdin, os.Stdout, h.Handle); err != nil {
		fmt.Fprintln(os.Stderr, "naccs-broken:", err)
		os.Exit(1)
	}
}

func defectNames() []string {
	names := make([]string, 0, len(defects))
	for n := range defects {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
