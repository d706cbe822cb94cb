package conformance

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// Every API has specs whose driver runs in the upstream's own zone, and every zone a rule
// names exists (DRIVER.md promises IANA names).
func TestDriverZones(t *testing.T) {
	for api, zone := range upstreamZone {
		if _, err := time.LoadLocation(zone); err != nil {
			t.Errorf("%s's zone %q: %v", api, zone, err)
		}
		own := 0
		for _, r := range Rules() {
			if r.API == api && r.DriverTZ == "" {
				own++
			}
		}
		if own == 0 {
			t.Errorf("no %s rule runs its driver in %s: every API needs specs in its upstream's zone", api, zone)
		}
	}
	for _, r := range Rules() {
		if r.DriverTZ == "" {
			continue
		}
		if _, err := time.LoadLocation(r.DriverTZ); err != nil {
			t.Errorf("%s: DriverTZ %q: %v", r.ID, r.DriverTZ, err)
		}
		if _, ok := upstreamZone[r.API]; !ok {
			t.Errorf("%s: API %q has no upstream zone", r.ID, r.API)
		}
	}
}

// README.md's and DRIVER.md's label tables list every label a spec carries.
func TestLabelTablesListEveryLabel(t *testing.T) {
	_, self, _, _ := runtime.Caller(0) // the self-test runs this binary from elsewhere
	for _, doc := range []string{"README.md", "DRIVER.md"} {
		raw, err := os.ReadFile(filepath.Join(filepath.Dir(self), doc))
		if err != nil {
			t.Fatal(err)
		}
		text := string(raw)
		missing := map[string]bool{}
		for _, r := range Rules() {
			for _, l := range []string{"api:" + r.API, "kind:" + r.Kind} {
				if !strings.Contains(text, "| `"+l+"` |") {
					missing[l] = true
				}
			}
		}
		for l := range missing {
			t.Errorf("conformance/%s's label table has no row for %s", doc, l)
		}
	}
}
