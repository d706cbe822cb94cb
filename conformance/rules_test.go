package conformance

import (
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
