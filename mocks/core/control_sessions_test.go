package core_test

import (
	"net/http"
	"testing"

	"github.com/upmock/upmock/mocks/core"
)

func TestControlDeleteSession(t *testing.T) {
	run := startServer(t, core.Options{})
	expect(t, call(t, nil, "GET", sessionURL(run, "gone")+"/fake/v1/things/1", ""), http.StatusOK)
	if n := sessionCount(t, run); n != 2 {
		t.Fatalf("%d sessions before the delete, want default and gone", n)
	}
	expect(t, call(t, nil, "DELETE", run.URL()+"/__upmock/sessions/gone", ""), http.StatusNoContent)
	if n := sessionCount(t, run); n != 1 {
		t.Fatalf("%d sessions after the delete, want only default", n)
	}
	controlError(t, call(t, nil, "DELETE", run.URL()+"/__upmock/sessions/gone", ""), http.StatusNotFound, `no session "gone"`)
	controlError(t, call(t, nil, "DELETE", run.URL()+"/__upmock/sessions/default", ""), http.StatusBadRequest, "cannot be deleted")
	controlError(t, call(t, nil, "DELETE", run.URL()+"/__upmock/sessions/a%20b", ""), http.StatusBadRequest, "session name")
	// A deleted session's name starts afresh when used again: nothing of its state survives.
	res := call(t, nil, "GET", sessionURL(run, "gone")+"/__upmock/requests", "")
	expect(t, res, http.StatusOK)
	if got := decode[struct{ Requests []any }](t, res).Requests; len(got) != 0 {
		t.Fatalf("the recreated session kept %d journal entries", len(got))
	}
}
