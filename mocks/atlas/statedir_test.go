package atlas_test

import (
	"testing"

	"github.com/upmock/upmock/mocks/atlas"
	"github.com/upmock/upmock/mocks/core"
)

// newHarnessOn is newHarness keeping its state in dir (serve --state-dir).
func newHarnessOn(t *testing.T, dir string) *harness {
	t.Helper()
	s, err := core.NewServer(core.Options{APIs: []core.API{atlas.API{}}, StateDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := core.Listen(s, "127.0.0.1:0", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	sess, err := srv.Session(core.DefaultSession)
	if err != nil {
		t.Fatal(err)
	}
	return &harness{t: t, srv: srv, sess: sess, key: tokyoKey, secret: tokyoSecret, txn: new(int)}
}

// A registration answered 204 but not yet applied is kept with its due time: a process that
// dies before then (the first server is never closed) applies it after the restart, on time.
func TestPendingRegistrationSurvivesARestart(t *testing.T) {
	dir := t.TempDir()
	before := newHarnessOn(t, dir)
	expectStatus(t, before.call("POST", "/shipping/item", before.registration(slipA, nil, item("T-1", "AB01", "/P1/"))), 204)

	after := newHarnessOn(t, dir)
	if items, _, _ := after.shipped(""); len(items) != 0 {
		t.Fatalf("visible before the registration delay: %v", items)
	}
	after.advance(delay)
	items, slips, _ := after.shipped("")
	if _, ok := items["T-1"]; !ok || len(slips) != 1 || slips[0].MovementSlipNo != slipA {
		t.Fatalf("after the restart and the delay: items %v slips %+v", items, slips)
	}
}
