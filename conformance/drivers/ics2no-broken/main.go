// Command ics2no-broken is the reference ICS2 driver with exactly one rule broken, chosen
// with -defect NAME. The conformance suite must fail the specs of that rule, and only those,
// for each defect; that is how the suite's own sensitivity is tested.
//
// Every defect sabotages the reference client from outside: an http.RoundTripper wrapped
// around its transport, a field of its Config (the ID generators, the token margin, the
// registry of presented goods), or the driver's decider. The client has no defect switches.
//
//	go run ./conformance/drivers/ics2no-broken -defect fixed-jti
//	go run ./conformance/drivers/ics2no-broken -list
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"sort"

	"github.com/upmock/upmock/conformance/driver"
	"github.com/upmock/upmock/conformance/drivers/ics2nodriver"
)

func main() {
	name := flag.String("defect", "", "the one rule to break (see -list)")
	list := flag.Bool("list", false, "list the defects and exit")
	flag.Parse()

	if *list {
		for _, n := range defectNames() {
			fmt.Printf("%-26s %s\n", n, defects[n].breaks)
		}
		return
	}
	d, ok := defects[*name]
	if !ok {
		fmt.Fprintf(os.Stderr, "ics2no-broken: unknown -defect %q; one of: %v\n", *name, defectNames())
		os.Exit(2)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	logger.Info("ics2no-broken: running with a defect", "defect", *name, "breaks", d.breaks)
	opts := append([]ics2nodriver.Option{ics2nodriver.WithLogger(logger)}, d.options...)
	if err := driver.Serve(context.Background(), os.Stdin, os.Stdout, ics2nodriver.NewHandler(opts...)); err != nil {
		fmt.Fprintln(os.Stderr, "ics2no-broken:", err)
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
