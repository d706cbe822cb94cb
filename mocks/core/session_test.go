package core_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/upmock/upmock/mocks/core"
)

func TestSessionsAreIsolated(t *testing.T) {
	now := newFakeNow()
	run := startServer(t, core.Options{RealNow: now.Now})
	a := sessionURL(run, "a")

	// Session a: a stored thing, a fault, maintenance for "other", a clock an hour ahead.
	expect(t, call(t, nil, "POST", a+"/fake/v1/things", `{"name":"in-a"}`), http.StatusCreated)
	expect(t, call(t, nil, "POST", a+"/__upmock/faults", `{"api":"fake","operation":"getThing","status":500,"count":5}`), http.StatusCreated)
	expect(t, call(t, nil, "POST", a+"/__upmock/maintenance", `{"api":"other","enabled":true}`), http.StatusOK)
	expect(t, call(t, nil, "POST", a+"/__upmock/clock", `{"advance":"1h"}`), http.StatusOK)

	for _, name := range []string{"b", ""} {
		other := sessionURL(run, name)
		if got := journal(t, run, name, ""); len(got) != 0 {
			t.Errorf("session %q: journal has %d entries of session a", name, len(got))
		}
		faults := decode[struct{ Faults []core.Fault }](t, call(t, nil, "GET", other+"/__upmock/faults", ""))
		if len(faults.Faults) != 0 {
			t.Errorf("session %q: faults %+v", name, faults.Faults)
		}
		maint := decode[map[string]bool](t, call(t, nil, "GET", other+"/__upmock/maintenance", ""))
		if maint["fake"] || maint["other"] {
			t.Errorf("session %q: maintenance %v", name, maint)
		}
		clock := decode[core.ClockState](t, call(t, nil, "GET", other+"/__upmock/clock", ""))
		if !clock.Now.Equal(epoch) || clock.Offset != "0s" {
			t.Errorf("session %q: clock %+v", name, clock)
		}
		state := decode[fakeState](t, call(t, nil, "GET", other+"/__upmock/state/fake", ""))
		if len(state.Things) != 2 || state.Posts != 0 {
			t.Errorf("session %q: state %+v", name, state)
		}
		expect(t, call(t, nil, "GET", other+"/fake/v1/things/1", ""), http.StatusOK)
		expect(t, call(t, nil, "GET", other+"/other/v2/things/1", ""), http.StatusOK)
	}

	// Session a kept all of it.
	if res := call(t, nil, "GET", a+"/fake/v1/things/1", ""); res.status != 500 || string(res.body) != fakeFaultBody("fake", 500) {
		t.Errorf("session a lost its fault: %s", res)
	}
	if res := call(t, nil, "GET", a+"/other/v2/things/1", ""); res.status != 503 || string(res.body) != fakeFaultBody("other", 503) {
		t.Errorf("session a lost its maintenance: %s", res)
	}
	if clock := decode[core.ClockState](t, call(t, nil, "GET", a+"/__upmock/clock", "")); !clock.Now.Equal(epoch.Add(time.Hour)) {
		t.Errorf("session a clock %+v", clock)
	}
	if got := journal(t, run, "a", ""); len(got) != 3 {
		t.Errorf("session a journal has %d entries, want 3", len(got))
	}
	if state := decode[fakeState](t, call(t, nil, "GET", a+"/__upmock/state/fake", "")); state.Posts != 1 || state.Things["3"] != "in-a" {
		t.Errorf("session a state %+v", state)
	}
}

func TestSessionNames(t *testing.T) {
	run := startServer(t, core.Options{})
	tests := []struct {
		segment string // as it appears in the URL
		name    string // the session it reaches; "" when refused
	}{
		{"a", "a"},
		{"ci-job-42", "ci-job-42"},
		{"A.Z_a-z.0_9", "A.Z_a-z.0_9"},
		{strings.Repeat("x", 64), strings.Repeat("x", 64)},
		{strings.Repeat("x", 65), ""},
		{"", ""},
		{"bad!name", ""},
		{"a%20b", ""},
		{"%C3%BC", ""},
		{"a:b", ""},
	}
	for _, tt := range tests {
		res := call(t, nil, "GET", run.URL()+"/s/"+tt.segment+"/__upmock/health", "")
		if tt.name == "" {
			if res.status != http.StatusBadRequest || !strings.Contains(string(res.body), `"error"`) {
				t.Errorf("session %q: %s, want 400 with an error", tt.segment, res)
			}
			continue
		}
		expect(t, res, http.StatusOK)
		if got := decode[struct{ Session string }](t, res).Session; got != tt.name {
			t.Errorf("session %q reached %q", tt.segment, got)
		}
	}
	if got := decode[struct{ Session string }](t, call(t, nil, "GET", run.URL()+"/__upmock/health", "")).Session; got != core.DefaultSession {
		t.Errorf("no prefix reached session %q", got)
	}
}

// sessionCount is what health reports.
func sessionCount(t *testing.T, run *core.Running) int {
	t.Helper()
	return decode[struct{ Sessions int }](t, call(t, nil, "GET", run.URL()+"/__upmock/health", "")).Sessions
}

// touch makes one journaled request in session (creating it if needed).
func touch(t *testing.T, run *core.Running, now *fakeNow, session string) {
	t.Helper()
	now.Add(time.Second)
	expect(t, call(t, nil, "GET", sessionURL(run, session)+"/fake/v1/things/1", ""), http.StatusOK)
}

func TestMaxSessionsEvictsLongestIdle(t *testing.T) {
	tests := []struct {
		name    string
		max     int
		touches []string // in order, one second apart ("" is the default session)
		kept    []string // sessions whose journals survive
		evicted []string // sessions that start afresh
		count   int
	}{
		{"the longest idle goes", 4, []string{"", "a", "b", "a", "c", "d"}, []string{"", "a", "c", "d"}, []string{"b"}, 4},
		{"touching keeps a session", 4, []string{"", "a", "b", "c", "a", "b", "d"}, []string{"", "a", "b", "d"}, []string{"c"}, 4},
		{"never the default, however idle", 2, []string{"", "a", "b"}, []string{"", "b"}, []string{"a"}, 2},
		{"one session at most still keeps the default", 1, []string{"", "a", "b"}, []string{"", "b"}, []string{"a"}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now := newFakeNow()
			run := startServer(t, core.Options{RealNow: now.Now, MaxSessions: tt.max})
			for _, s := range tt.touches {
				touch(t, run, now, s)
			}
			if got := sessionCount(t, run); got != tt.count {
				t.Errorf("%d sessions, want %d", got, tt.count)
			}
			// Reading a kept session's journal creates nothing, so it evicts nothing.
			for _, s := range tt.kept {
				if len(journal(t, run, s, "")) == 0 {
					t.Errorf("session %q was evicted", s)
				}
			}
			for _, s := range tt.evicted { // each read re-creates the session: check these last
				if got := journal(t, run, s, ""); len(got) != 0 {
					t.Errorf("session %q survived with %d entries", s, len(got))
				}
			}
		})
	}
}

func TestIdleSessionsAreDropped(t *testing.T) {
	now := newFakeNow()
	run := startServer(t, core.Options{RealNow: now.Now, SessionIdle: 10 * time.Minute})
	touch(t, run, now, "")
	touch(t, run, now, "old")
	now.Add(5 * time.Minute)
	touch(t, run, now, "recent")
	now.Add(6 * time.Minute) // "old" and the default idle 11 min, "recent" 6
	touch(t, run, now, "new")
	if got := sessionCount(t, run); got != 3 {
		t.Errorf("%d sessions, want 3: default, recent, new", got)
	}
	for _, s := range []string{"", "recent", "new"} {
		if len(journal(t, run, s, "")) != 1 {
			t.Errorf("session %q was dropped", s)
		}
	}
	if got := journal(t, run, "old", ""); len(got) != 0 {
		t.Errorf("session old, idle 11 min, kept %d entries", len(got))
	}
}

// A session idle beyond SessionIdle is gone, whether or not another session was created since.
func TestIdleSessionStartsAfresh(t *testing.T) {
	now := newFakeNow()
	run := startServer(t, core.Options{RealNow: now.Now, SessionIdle: 10 * time.Minute})
	touch(t, run, now, "a")
	now.Add(11 * time.Minute)
	if got := journal(t, run, "a", ""); len(got) != 0 {
		t.Errorf("session a, idle 11 min with SessionIdle 10 min, still has %d entries", len(got))
	}
}

func TestSessionIDsAreSeededByName(t *testing.T) {
	first := func(seed uint64, session string) string {
		srv, err := core.NewServer(core.Options{APIs: []core.API{newFakeAPI(t, "fake", "/fake/v1")}, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		sess, err := srv.Session(session)
		if err != nil {
			t.Fatal(err)
		}
		if sess.Name != session {
			t.Fatalf("Session(%q).Name = %q", session, sess.Name)
		}
		return sess.IDs.UUID()
	}
	if first(1, "a") != first(1, "a") {
		t.Error("the same seed and session name gave different IDs")
	}
	if first(1, "a") == first(1, "b") {
		t.Error("sessions a and b share their IDs")
	}
	if first(1, "a") == first(2, "a") {
		t.Error("seeds 1 and 2 give the same IDs")
	}
	srv, _ := core.NewServer(core.Options{APIs: []core.API{newFakeAPI(t, "fake", "/fake/v1")}})
	if _, err := srv.Session("no spaces"); err == nil {
		t.Error(`Session("no spaces") accepted`)
	}
}

func TestSessionInProcessControl(t *testing.T) {
	run := startServer(t, core.Options{})
	sess, err := run.Session("inproc")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sess.AddFault(core.Fault{API: "nope", Status: 500}); err == nil {
		t.Error("AddFault accepted an unknown api")
	}
	f, err := sess.AddFault(core.Fault{API: "fake", Operation: "getThing", Status: 502})
	if err != nil || f.ID != 1 {
		t.Fatalf("AddFault: %+v, %v", f, err)
	}
	sess.SetMaintenance("other", true)
	if !sess.InMaintenance("other") || sess.InMaintenance("fake") {
		t.Error("InMaintenance does not follow SetMaintenance")
	}
	if sess.Instance("fake") == nil || sess.Instance("nope") != nil {
		t.Error("Instance lookup")
	}
	base := sessionURL(run, "inproc")
	if res := call(t, nil, "GET", base+"/fake/v1/things/1", ""); res.status != 502 || string(res.body) != fakeFaultBody("fake", 502) {
		t.Errorf("in-process fault: %s", res)
	}
	expect(t, call(t, nil, "GET", base+"/other/v2/things/1", ""), http.StatusServiceUnavailable)
	sess.Clock.Advance(time.Hour)
	if got := decode[core.ClockState](t, call(t, nil, "GET", base+"/__upmock/clock", "")); got.Offset != "1h0m0s" {
		t.Errorf("in-process clock: %+v", got)
	}
	sess.Reset("")
	expect(t, call(t, nil, "GET", base+"/other/v2/things/1", ""), http.StatusOK)
	if got := len(sess.Journal.List("", 0)); got != 1 {
		t.Errorf("after Reset the journal has %d entries, want the one request since", got)
	}
}
