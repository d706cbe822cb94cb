package selftest

import (
	"os/exec"
	"path/filepath"
	"testing"
)

// partnerDrivers are the drivers kept as starting points for partners, in languages other
// than Go: each is a complete client of its upstream and must pass every spec of its API.
// (The Python ATLAS driver is judged with the ATLAS self-test.) A missing interpreter skips
// its drivers with a message; CI (.ci/run) installs both.
var partnerDrivers = []struct {
	api, interpreter, file string
	specs                  *[]string
}{
	{"jaia", "python3", "jaia-python/driver.py", &jaiaSpecs},
	{"occto", "python3", "occto-python/driver.py", &occtoSpecs},
	{"ics2no", "python3", "ics2no-python/driver.py", &ics2Specs},
	{"naccs", "python3", "naccs-python/driver.py", &naccsSpecs},
	{"atlas", "node", "node/driver.mjs", &atlasSpecs},
	{"jaia", "node", "node/driver.mjs", &jaiaSpecs},
}

func TestSuiteJudgesPartnerDrivers(t *testing.T) {
	t.Parallel()
	for _, d := range partnerDrivers {
		t.Run(d.api+"/"+d.interpreter, func(t *testing.T) {
			t.Parallel()
			interpreter, err := exec.LookPath(d.interpreter)
			if err != nil {
				t.Skipf("%s is not on PATH: the %s driver %s was not judged", d.interpreter, d.api, d.file)
			}
			root, run := newSelftest(t, "api:"+d.api, *d.specs)
			run.expect(t, []string{interpreter, filepath.Join(root, "conformance", "drivers", d.file)}, nil)
		})
	}
}
