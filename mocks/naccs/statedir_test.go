package naccs_test

import (
	"testing"

	"github.com/upmock/upmock/mocks/core"
	"github.com/upmock/upmock/mocks/naccs"
)

// A send answered before a crash (the first server is never closed) is still processed after
// the restart, and its NaccsReceive webhook delivered, on the restored clock.
func TestPendingSendAndItsWebhookSurviveARestart(t *testing.T) {
	dir := t.TempDir()
	before := newHarnessOn(t, dir)
	rc := newReceiver(t)
	before.register(rc)
	f, sendID := before.sendEDA()

	after := newHarnessOn(t, dir)
	after.advance(processing)
	d := rc.next(t)
	verify(t, d, tokyoSecret)
	if out := after.output("EDA", f, sendID); out.Status != "completed" {
		t.Fatalf("after the restart: %+v", out)
	}
}

// newHarnessOn is newHarness keeping its state in dir (serve --state-dir).
func newHarnessOn(t *testing.T, dir string) *harness {
	t.Helper()
	s, err := core.NewServer(core.Options{APIs: []core.API{naccs.API{}}, StateDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := core.Listen(s, "127.0.0.1:0", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return newSessionHarness(t, srv, core.DefaultSession)
}
