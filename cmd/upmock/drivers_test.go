package main

import (
	"context"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
	"time"
)

// partnerDrivers are the drivers kept as starting points for partners, in languages other
// than Go: each is a complete client of its upstream and must pass every rule of its API,
// judged here through the upmock binary as a partner runs it. (The Go reference and broken
// drivers, and the Python ATLAS driver, are judged by conformance/selftest.) A missing interpreter skips its drivers with
// a message; CI (.ci/run) installs python3 and node.
var partnerDrivers = []struct{ api, interpreter, file string }{
	{"jaia", "python3", "jaia-python/driver.py"},
	{"occto", "python3", "occto-python/driver.py"},
	{"ics2no", "python3", "ics2no-python/driver.py"},
	{"naccs", "python3", "naccs-python/driver.py"},
	{"atlas", "node", "node/driver.mjs"},
	{"jaia", "node", "node/driver.mjs"},
}

// driverRuns bounds how many suite runs overlap: they mostly wait on the mocks' clocks and
// on driver processes, but each starts a process per rule.
var driverRuns = make(chan struct{}, 2)

var ruleLine = regexp.MustCompile(`(?m)^([A-Z0-9]+-[A-Z]+-\d+) +(\S+) +\d+\.\d+s  `)

func TestPartnerDriversPassEveryRule(t *testing.T) {
	t.Parallel()
	bin := upmockBinary(t)
	root := moduleRoot(t)
	for _, d := range partnerDrivers {
		t.Run(d.api+"/"+d.interpreter, func(t *testing.T) {
			t.Parallel()
			interpreter, err := exec.LookPath(d.interpreter)
			if err != nil {
				t.Skipf("%s is not on PATH: the %s driver %s was not judged", d.interpreter, d.api, d.file)
			}
			driverRuns <- struct{}{}
			defer func() { <-driverRuns }()
			ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, bin, "conformance", "--api", d.api,
				"--driver", shellQuote(interpreter)+" "+shellQuote(filepath.Join(root, "conformance", "drivers", d.file)))
			cmd.Dir = t.TempDir()
			out, err := cmd.CombinedOutput()
			lines := ruleLine.FindAllSubmatch(out, -1)
			if len(lines) == 0 {
				t.Fatalf("no rule ran (%v):\n%s", err, out)
			}
			for _, l := range lines {
				if string(l[2]) != "passed" {
					t.Errorf("%s %s: a partner driver must pass every rule (no rule may skip)", l[1], l[2])
				}
			}
			if err != nil || t.Failed() {
				t.Errorf("upmock conformance --api %s: %v\n%s", d.api, err, out)
			}
		})
	}
}

func shellQuote(s string) string {
	return "'" + regexp.MustCompile(`'`).ReplaceAllString(s, `'\''`) + "'"
}
