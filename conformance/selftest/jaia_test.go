package selftest

import (
	"path/filepath"
	"testing"
)

// jaiaSpecs is the reviewed list of JAIA rules the suite checks: the JUnit report of every
// run must name each of them.
var jaiaSpecs = []string{
	"JAIA-AUTH-1", "JAIA-AUTH-2", "JAIA-AUTH-3",
	"JAIA-REQ-1", "JAIA-PAGE-1",
	"JAIA-BULK-1", "JAIA-BULK-2",
	"JAIA-RATE-1", "JAIA-RESULT-1", "JAIA-RESULT-2",
	"JAIA-EXPORT-1", "JAIA-READ-1", "JAIA-STORE-1",
}

// jaiaDefects are jaia-broken's -defect values and the specs each must fail: one rule each,
// except http-status-only, which also takes an abnormal export's envelope for a success.
var jaiaDefects = []struct {
	name string
	fail []string
}{
	{"login-every-op", []string{"JAIA-AUTH-1"}},
	{"cached-login", []string{"JAIA-AUTH-2"}},
	{"no-logout", []string{"JAIA-AUTH-3"}},
	{"create-api-id-on-update", []string{"JAIA-REQ-1"}},
	{"one-based-pages", []string{"JAIA-PAGE-1", "JAIA-READ-1"}}, // its first page is never read
	{"singles-for-small-batches", []string{"JAIA-BULK-1"}},
	{"one-csv", []string{"JAIA-BULK-2"}},
	{"no-rate-limit", []string{"JAIA-RATE-1"}},
	{"departure-window", []string{"JAIA-RATE-1"}},
	{"http-status-only", []string{"JAIA-RESULT-1", "JAIA-EXPORT-1"}},
	{"first-error-only", []string{"JAIA-RESULT-2"}},
	{"export-any-200", []string{"JAIA-EXPORT-1"}},
	{"byte-length-names", []string{"JAIA-STORE-1"}},
	{"read-prefix", []string{"JAIA-READ-1"}},
	{"relogin-without-app-id", []string{"JAIA-AUTH-2"}},
}

func TestSuiteJudgesJAIADrivers(t *testing.T) {
	t.Parallel() // the APIs' self-tests overlap: much of each run waits on drivers
	root, run := newSelftest(t, "api:jaia", jaiaSpecs)
	bin := t.TempDir()
	reference := filepath.Join(bin, "jaia-reference")
	broken := filepath.Join(bin, "jaia-broken")
	goCmd(t, root, "build", "-o", reference, "./conformance/drivers/jaia-reference")
	goCmd(t, root, "build", "-o", broken, "./conformance/drivers/jaia-broken")

	t.Run("reference", func(t *testing.T) {
		t.Parallel()
		run.expect(t, []string{reference}, nil)
	})
	for _, d := range jaiaDefects {
		t.Run("broken/"+d.name, func(t *testing.T) {
			t.Parallel()
			run.expect(t, []string{broken, "-defect", d.name}, d.fail)
		})
	}
}
