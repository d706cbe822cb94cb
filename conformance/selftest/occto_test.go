package selftest

import (
	"path/filepath"
	"testing"
)

// occtoSpecs is the reviewed list of OCCTO rules the suite checks: the JUnit report of
// every run must name each of them.
var occtoSpecs = []string{
	"OCCTO-AUTH-1", "OCCTO-AUTH-2", "OCCTO-TLS-1",
	"OCCTO-FLOW-1", "OCCTO-FLOW-2",
	"OCCTO-DATA-1", "OCCTO-DATA-2", "OCCTO-FILES-1", "OCCTO-ERR-1", "OCCTO-RESULT-1", "OCCTO-LIMIT-1",
}

// occtoDefects are occto-broken's -defect values and the specs each must fail. A receipt
// message fetched without credentials is refused, so the submission's reasons never reach
// the caller: that defect breaks OCCTO-FLOW-2 and OCCTO-ERR-1 as well as OCCTO-AUTH-1. A
// client that never reads the status (skip-receipt-check) reports every file accepted and
// no error: it breaks every rule about a submission's outcome.
var occtoDefects = []struct {
	name string
	fail []string
}{
	{"receipt-without-credentials", []string{"OCCTO-AUTH-1", "OCCTO-FLOW-2", "OCCTO-ERR-1"}},
	{"no-client-cert", []string{"OCCTO-AUTH-2"}},
	{"skip-server-verify", []string{"OCCTO-TLS-1"}},
	{"skip-hostname-check", []string{"OCCTO-TLS-1"}},
	{"fixed-plandivision", []string{"OCCTO-FLOW-1"}},
	{"sjis-misread", []string{"OCCTO-DATA-1"}},
	{"skip-receipt-check", []string{"OCCTO-FLOW-2", "OCCTO-FILES-1", "OCCTO-ERR-1"}},
	{"errors-without-details", []string{"OCCTO-ERR-1"}},
	{"read-prefix", []string{"OCCTO-DATA-2"}},
	{"processing-is-done", []string{"OCCTO-FILES-1"}},
	{"ignore-resultcode", []string{"OCCTO-RESULT-1"}},
	{"hammer-on-limit", []string{"OCCTO-LIMIT-1"}},
}

func TestSuiteJudgesOCCTODrivers(t *testing.T) {
	t.Parallel() // the APIs' self-tests overlap: much of each run waits on drivers
	root, run := newSelftest(t, "api:occto", occtoSpecs)
	bin := t.TempDir()
	reference := filepath.Join(bin, "occto-reference")
	broken := filepath.Join(bin, "occto-broken")
	goCmd(t, root, "build", "-o", reference, "./conformance/drivers/occto-reference")
	goCmd(t, root, "build", "-o", broken, "./conformance/drivers/occto-broken")

	t.Run("reference", func(t *testing.T) {
		t.Parallel()
		run.expect(t, []string{reference}, nil)
	})
	for _, d := range occtoDefects {
		t.Run("broken/"+d.name, func(t *testing.T) {
			t.Parallel()
			run.expect(t, []string{broken, "-defect", d.name}, d.fail)
		})
	}
}
