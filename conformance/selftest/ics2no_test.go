package selftest

import (
	"path/filepath"
	"testing"
)

// ics2Specs is the reviewed list of ICS2 rules the suite checks: the JUnit report of every
// run must name each of them.
var ics2Specs = []string{
	"ICS2NO-AUTH-1", "ICS2NO-AUTH-2", "ICS2NO-AUTH-3",
	"ICS2NO-IDEMP-1", "ICS2NO-IDEMP-2",
	"ICS2NO-STATUS-1",
	"ICS2NO-ROUTE-1", "ICS2NO-ROUTE-2",
}

// ics2Defects are ics2no-broken's -defect values and the specs each must fail.
var ics2Defects = []struct {
	name string
	fail []string
}{
	{"fixed-jti", []string{"ICS2NO-AUTH-1"}},
	{"token-per-call", []string{"ICS2NO-AUTH-2"}},
	{"no-refresh", []string{"ICS2NO-AUTH-2"}},
	{"fixed-request-id", []string{"ICS2NO-IDEMP-1"}},
	{"represent", []string{"ICS2NO-IDEMP-2"}},
	{"new-request-id-on-retry", []string{"ICS2NO-IDEMP-2"}},
	{"no-status-check", []string{"ICS2NO-STATUS-1"}},
	{"no-marker", []string{"ICS2NO-ROUTE-1"}},
	{"release-on-presentation", []string{"ICS2NO-ROUTE-2"}},
	{"reuse-failed-request-id", []string{"ICS2NO-IDEMP-1"}},
	{"read-64k-prefix", []string{"ICS2NO-STATUS-1"}},
	{"reused-as-success", []string{"ICS2NO-IDEMP-1", "ICS2NO-STATUS-1"}},
	// Shows only outside UTC: the suite runs ICS2 drivers in Europe/Oslo, where the grant's iat
	// is an hour or two ahead and Maskinporten refuses every grant. The auth rules name the
	// cause; every other spec fails for want of a token, its message quoting the refusals.
	{"local-time-as-utc", ics2Specs},
}

func TestSuiteJudgesICS2Drivers(t *testing.T) {
	t.Parallel() // the APIs' self-tests overlap: much of each run waits on drivers
	root, run := newSelftest(t, "api:ics2no", ics2Specs)
	bin := t.TempDir()
	reference := filepath.Join(bin, "ics2no-reference")
	broken := filepath.Join(bin, "ics2no-broken")
	goCmd(t, root, "build", "-o", reference, "./conformance/drivers/ics2no-reference")
	goCmd(t, root, "build", "-o", broken, "./conformance/drivers/ics2no-broken")

	t.Run("reference", func(t *testing.T) {
		t.Parallel()
		run.expect(t, []string{reference}, nil)
	})
	for _, d := range ics2Defects {
		t.Run("broken/"+d.name, func(t *testing.T) {
			t.Parallel()
			run.expect(t, []string{broken, "-defect", d.name}, d.fail)
		})
	}
}
