package core_test

// Faults end to end: what the client sees, whether the mock's handler ran, what the journal says.

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/upmock/upmock/mocks/core"
)

// arm adds a fault through the control API.
func arm(t *testing.T, run *core.Running, fault string) {
	t.Helper()
	expect(t, call(t, nil, "POST", run.URL()+"/__upmock/faults", fault), http.StatusCreated)
}

// posts is how often postThing's handler stored a thing in api.
func posts(t *testing.T, run *core.Running, api string) int {
	t.Helper()
	return decode[fakeState](t, call(t, nil, "GET", run.URL()+"/__upmock/state/"+api, "")).Posts
}

// lastEntry is the newest journal entry of the default session.
func lastEntry(t *testing.T, run *core.Running) core.Entry {
	t.Helper()
	es := journal(t, run, "", "?limit=1")
	if len(es) != 1 {
		t.Fatal("nothing journaled")
	}
	return es[0]
}

func TestFaultBeforePhase(t *testing.T) {
	tests := []struct {
		name, fault  string
		method, path string
		status       int
		body, ctype  string
		describe     string // the journal's fault field
	}{
		{"upstream body for the status", `{"api":"fake","operation":"postThing","status":503}`,
			"POST", "/fake/v1/things", 503, fakeFaultBody("fake", 503), "application/json", "#1 status 503 (before)"},
		{"custom body and type", `{"api":"fake","method":"POST","status":500,"body":"<oops/>","contentType":"application/xml"}`,
			"POST", "/fake/v1/things", 500, "<oops/>", "application/xml", "#1 status 500 (before)"},
		{"custom body defaults to JSON", `{"api":"fake","path":"/things","status":429,"body":"{\"slow\":\"down\"}"}`,
			"POST", "/fake/v1/things", 429, `{"slow":"down"}`, "application/json", "#1 status 429 (before)"},
		{"an empty custom body", `{"api":"fake","status":502,"body":""}`,
			"POST", "/fake/v1/things", 502, "", "application/json", "#1 status 502 (before)"},
		{"an unrouted path", `{"api":"fake","path":"/nowhere","status":504}`,
			"GET", "/fake/v1/nowhere", 504, fakeFaultBody("fake", 504), "application/json", "#1 status 504 (before)"},
		{"the other api's body", `{"api":"other","status":500}`,
			"POST", "/other/v2/things", 500, fakeFaultBody("other", 500), "application/json", "#1 status 500 (before)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			run := startServer(t, core.Options{})
			arm(t, run, tt.fault)
			api := strings.Split(tt.path, "/")[1]
			res := call(t, nil, tt.method, run.URL()+tt.path, `{"name":"x"}`)
			if res.status != tt.status || string(res.body) != tt.body || res.header.Get("Content-Type") != tt.ctype {
				t.Errorf("%s (%s), want %d %s (%s)", res, res.header.Get("Content-Type"), tt.status, tt.body, tt.ctype)
			}
			if res.header.Get("X-Operation") != "" || posts(t, run, api) != 0 {
				t.Error("the handler ran")
			}
			e := lastEntry(t, run)
			if e.Status != tt.status || e.Fault != tt.describe || e.ResponseBody != tt.body {
				t.Errorf("journal: status %d fault %q response %q; want %d %q %q", e.Status, e.Fault, e.ResponseBody, tt.status, tt.describe, tt.body)
			}
			// Count 1: the next request is served.
			if res := call(t, nil, tt.method, run.URL()+tt.path, `{"name":"x"}`); res.status == tt.status {
				t.Errorf("the fault fired twice: %s", res)
			}
		})
	}
}

func TestFaultMatchesEndToEnd(t *testing.T) {
	run := startServer(t, core.Options{})
	arm(t, run, `{"api":"fake","method":"GET","path":"/things/*","status":500,"count":2}`)
	steps := []struct {
		method, path string
		status       int
	}{
		{"POST", "/fake/v1/things", 201},              // method differs
		{"GET", "/other/v2/things/1", 200},            // api differs
		{"GET", "/s/elsewhere/fake/v1/things/1", 200}, // session differs
		{"GET", "/fake/v1/things/1", 500},
		{"GET", "/fake/v1/things/1/export", 500},
		{"GET", "/fake/v1/things/1", 200}, // used up
	}
	for i, s := range steps {
		body := ""
		if s.method == "POST" {
			body = `{"name":"x"}`
		}
		if res := call(t, nil, s.method, run.URL()+s.path, body); res.status != s.status {
			t.Errorf("step %d %s %s: %s, want %d", i, s.method, s.path, res, s.status)
		}
	}
}

func TestFaultDelay(t *testing.T) {
	tests := []struct {
		fault    string
		status   int
		describe string
	}{
		{`{"api":"fake","delayMs":25}`, 200, "#1 delay 25ms (before)"},
		{`{"api":"fake","delayMs":25,"status":504}`, 504, "#1 delay 25ms, status 504 (before)"},
		{`{"api":"fake","delayMs":25,"status":500,"phase":"after"}`, 500, "#1 delay 25ms, status 500 (after)"},
	}
	for _, tt := range tests {
		run := startServer(t, core.Options{})
		arm(t, run, tt.fault)
		start := time.Now()
		res := call(t, nil, "GET", run.URL()+"/fake/v1/things/1", "")
		if elapsed := time.Since(start); elapsed < 25*time.Millisecond {
			t.Errorf("%s: answered after %s, want at least 25ms", tt.fault, elapsed)
		}
		if res.status != tt.status {
			t.Errorf("%s: %s, want %d", tt.fault, res, tt.status)
		}
		if tt.status == 200 && !strings.Contains(string(res.body), `"name":"one"`) {
			t.Errorf("%s: delayed answer %s is not the normal one", tt.fault, res)
		}
		if e := lastEntry(t, run); e.Fault != tt.describe || e.Status != tt.status || e.DurationMs < 25 {
			t.Errorf("%s: journal fault %q status %d after %vms", tt.fault, e.Fault, e.Status, e.DurationMs)
		}
	}
}

func TestFaultDrop(t *testing.T) {
	tests := []struct {
		phase     string
		wantPosts int
	}{
		{"before", 0},
		{"after", 1},
	}
	for _, tt := range tests {
		t.Run(tt.phase, func(t *testing.T) {
			run := startServer(t, core.Options{})
			arm(t, run, `{"api":"fake","operation":"postThing","drop":true,"phase":"`+tt.phase+`"}`)
			res, err := try(freshClient(), "POST", run.URL()+"/fake/v1/things", `{"name":"d"}`)
			if err == nil {
				t.Fatalf("the client got an answer: %s", res)
			}
			if got := posts(t, run, "fake"); got != tt.wantPosts {
				t.Errorf("handler stored %d things, want %d", got, tt.wantPosts)
			}
			e := lastEntry(t, run)
			if e.Status != 0 || e.Fault != "#1 drop ("+tt.phase+")" || e.ResponseBody != "" || e.Operation != "postThing" {
				t.Errorf("journal: status %d fault %q response %q op %q", e.Status, e.Fault, e.ResponseBody, e.Operation)
			}
			if tt.phase == "after" && e.Annotations["stored"] == "" {
				t.Errorf("journal lost what the handler concluded: %v", e.Annotations)
			}
			// The server is fine afterwards.
			expect(t, call(t, nil, "POST", run.URL()+"/fake/v1/things", `{"name":"e"}`), http.StatusCreated)
		})
	}
}

func TestFaultAfterPhase(t *testing.T) {
	tests := []struct {
		name, fault string
		status      int
		body        string
	}{
		{"upstream body", `{"api":"fake","operation":"postThing","status":500,"phase":"after"}`, 500, fakeFaultBody("fake", 500)},
		{"custom body", `{"api":"fake","operation":"postThing","status":504,"phase":"after","body":"timeout","contentType":"text/plain"}`, 504, "timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			run := startServer(t, core.Options{})
			arm(t, run, tt.fault)
			res := call(t, nil, "POST", run.URL()+"/fake/v1/things", `{"name":"kept"}`)
			if res.status != tt.status || string(res.body) != tt.body {
				t.Errorf("%s, want %d %s", res, tt.status, tt.body)
			}
			if res.header.Get("X-Operation") != "" {
				t.Error("the client saw the processed answer's headers")
			}
			state := decode[fakeState](t, call(t, nil, "GET", run.URL()+"/__upmock/state/fake", ""))
			if state.Posts != 1 || state.Things["3"] != "kept" {
				t.Errorf("the request was not committed: %+v", state)
			}
			e := lastEntry(t, run)
			if e.Status != tt.status || e.ResponseBody != tt.body || !strings.HasSuffix(e.Fault, "(after)") || e.Annotations["stored"] != "3" {
				t.Errorf("journal: status %d response %q fault %q annotations %v", e.Status, e.ResponseBody, e.Fault, e.Annotations)
			}
			// The retry succeeds, and commits again: the case a client's idempotency must handle.
			expect(t, call(t, nil, "POST", run.URL()+"/fake/v1/things", `{"name":"kept"}`), http.StatusCreated)
			if got := posts(t, run, "fake"); got != 2 {
				t.Errorf("%d posts after the retry", got)
			}
		})
	}
}

func TestFaultDelayClientGivesUp(t *testing.T) {
	run := startServer(t, core.Options{})
	arm(t, run, `{"api":"fake","delayMs":5000}`)
	client := &http.Client{Timeout: 20 * time.Millisecond, Transport: &http.Transport{DisableKeepAlives: true}}
	start := time.Now()
	if res, err := try(client, "GET", run.URL()+"/fake/v1/things/1", ""); err == nil {
		t.Fatalf("the client got an answer: %s", res)
	}
	var es []core.Entry
	for time.Since(start) < 3*time.Second {
		if es = journal(t, run, "", ""); len(es) > 0 {
			break
		}
		time.Sleep(2 * time.Millisecond)
	}
	if len(es) != 1 || es[0].Status != 499 {
		t.Fatalf("journal %+v, want one entry with status 499", es)
	}
	if elapsed := time.Since(start); elapsed > 2*time.Second {
		t.Fatalf("the server kept delaying for %s after the client left", elapsed)
	}
}
