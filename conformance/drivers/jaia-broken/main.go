// Command jaia-broken is the JAIA reference driver with one rule deliberately broken, for
// the conformance suite's self-test: `jaia-broken -defect NAME` must fail exactly the specs
// of the rule NAME breaks. `jaia-broken -list` lists the defects. The breakage lives in
// transport wrappers and driver options, not in the reference client.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"sort"

	"github.com/upmock/upmock/conformance/driver"
	"github.com/upmock/upmock/conformance/drivers/jaiadriver"
)

func main() {
	name := flag.String("defect", "", "the rule to break (see -list)")
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
		fmt.Fprintf(os.Stderr, "jaia-broken: unknown -defect %q; one of: %v\n", *name, defectNames())
		os.Exit(2)
	}

	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	logger.Info("jaia-broken: running with a defect", "defect", *name, "breaks", d.breaks)
	opts := append([]jaiadriver.Option{jaiadriver.WithLogger(logger)}, d.options()...)
	if err := driver.Serve(context.Background(), os.Stdin, os.Stdout, jaiadriver.NewHandler(opts...)); err != nil {
		fmt.Fprintln(os.Stderr, "jaia-broken:", err)
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
