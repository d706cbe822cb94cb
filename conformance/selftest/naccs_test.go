package selftest

import (
	"path/filepath"
	"testing"
)

// naccsSpecs is the reviewed list of NACCS rules the suite checks.
var naccsSpecs = []string{
	"NACCS-FLOW-1", "NACCS-CALL-1", "NACCS-ETAG-1",
	"NACCS-HOOK-1", "NACCS-HOOK-2", "NACCS-HOOK-3", "NACCS-HOOK-4", "NACCS-HOOK-5",
	"NACCS-ERR-1", "NACCS-POLL-1", "NACCS-AUTH-1", "NACCS-READ-1",
}

// naccsDefects are naccs-broken's -defect values and the one spec each must fail.
var naccsDefects = []struct {
	name string
	fail []string
}{
	{"send-unsaved", []string{"NACCS-FLOW-1"}},
	{"poll-hard", []string{"NACCS-HOOK-1"}},
	{"accept-forged", []string{"NACCS-HOOK-2"}},
	{"no-output-fetch", []string{"NACCS-HOOK-3", "NACCS-ERR-1"}}, // the webhook carries no errors
	{"slow-ack", []string{"NACCS-HOOK-4"}},
	{"double-process", []string{"NACCS-HOOK-5"}},
	{"ignore-callup", []string{"NACCS-CALL-1"}},
	{"stale-etag", []string{"NACCS-ETAG-1"}},
	{"first-error-only", []string{"NACCS-ERR-1"}},
	{"poll-once", []string{"NACCS-POLL-1"}},
	{"renew-with-refresh-token", []string{"NACCS-AUTH-1"}},
	{"read-prefix", []string{"NACCS-READ-1"}},
	// Only outside UTC (the suite runs NACCS drivers with TZ=Asia/Tokyo): every genuine
	// webhook looks nine hours old and is refused.
	{"local-clock-as-utc", []string{"NACCS-HOOK-2", "NACCS-HOOK-4"}},
}

func TestSuiteJudgesNACCSDrivers(t *testing.T) {
	t.Parallel() // the APIs' self-tests overlap: much of each run waits on drivers
	root, run := newSelftest(t, "api:naccs", naccsSpecs)
	bin := t.TempDir()
	reference := filepath.Join(bin, "naccs-reference")
	broken := filepath.Join(bin, "naccs-broken")
	goCmd(t, root, "build", "-o", reference, "./conformance/drivers/naccs-reference")
	goCmd(t, root, "build", "-o", broken, "./conformance/drivers/naccs-broken")

	t.Run("reference", func(t *testing.T) {
		t.Parallel()
		run.expect(t, []string{reference}, nil)
	})
	for _, d := range naccsDefects {
		t.Run("broken/"+d.name, func(t *testing.T) {
			t.Parallel()
			run.expect(t, []string{broken, "-defect", d.name}, d.fail)
		})
	}
}
