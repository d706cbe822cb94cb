package core_test

// Bad control input gets a clear 4xx and changes nothing.

import (
	"net/http"
	"strings"
	"testing"

	"github.com/upmock/upmock/mocks/core"
)

func TestControlBodyOverLimit(t *testing.T) {
	run := startServer(t, core.Options{MaxBodyBytes: 2 << 20})
	huge := `{"api":"fake","status":500,"body":"` + strings.Repeat("x", core.MaxControlBody) + `"}`
	controlError(t, call(t, nil, "POST", run.URL()+"/__upmock/faults", huge), http.StatusRequestEntityTooLarge, "1 MiB")
	controlError(t, call(t, nil, "PATCH", run.URL()+"/__upmock/settings/fake", huge), http.StatusRequestEntityTooLarge, "1 MiB")
	state := `{"things":{"1":"` + strings.Repeat("x", 2<<20) + `"}}`
	controlError(t, call(t, nil, "PUT", run.URL()+"/__upmock/state/fake", state), http.StatusRequestEntityTooLarge, "2 MiB")
}

func TestClockMovesStayInRange(t *testing.T) {
	run := startServer(t, core.Options{})
	clock := run.URL() + "/__upmock/clock"
	for _, body := range []string{
		`{"set":"0001-01-01T00:00:00Z"}`,
		`{"set":"1969-12-31T23:59:59Z"}`,
		`{"set":"9999-06-01T00:00:00Z"}`,
		`{"advance":"-600000h"}`,
		`{"set":"2300-01-01T00:00:00Z","advance":"2562047h"}`,
	} {
		res := call(t, nil, "POST", clock, body)
		if res.status != http.StatusBadRequest || !strings.Contains(string(res.body), "1970-9999") && !strings.Contains(string(res.body), "292 years") {
			t.Fatalf("%s: %s", body, res)
		}
	}
	if st := decode[core.ClockState](t, call(t, nil, "GET", clock, "")); st.Offset != "0s" {
		t.Fatalf("a refused move moved the clock: %+v", st)
	}
	// Overflowing the offset step by step is refused at the step that would overflow it.
	expect(t, call(t, nil, "POST", clock, `{"advance":"2000000h"}`), http.StatusOK)
	controlError(t, call(t, nil, "POST", clock, `{"advance":"2000000h"}`), http.StatusBadRequest, "")
	expect(t, call(t, nil, "POST", clock, `{"set":"2300-01-01T00:00:00Z"}`), http.StatusOK)
	expect(t, call(t, nil, "POST", clock, `{"set":"1970-01-01T00:00:00Z","freeze":true}`), http.StatusOK)
}

func TestSessionNamesDotAndDotDot(t *testing.T) {
	run := startServer(t, core.Options{})
	for _, name := range []string{".", ".."} {
		if _, err := run.Session(name); err == nil {
			t.Fatalf("session %q accepted", name)
		}
		controlError(t, call(t, nil, "GET", run.URL()+"/s/"+name+"/__upmock/health", ""), http.StatusBadRequest, "not . or ..")
	}
	expect(t, call(t, nil, "GET", run.URL()+"/s/.a./__upmock/health", ""), http.StatusOK)
}

func TestPutStateRefusesNull(t *testing.T) {
	run := startServer(t, core.Options{})
	url := run.URL() + "/__upmock/state/fake"
	call(t, nil, "POST", run.URL()+"/fake/v1/things", `{"name":"kept"}`)
	before := string(call(t, nil, "GET", url, "").body)
	for _, body := range []string{"null", " null\n", "[]", `"x"`} {
		controlError(t, call(t, nil, "PUT", url, body), http.StatusBadRequest, "JSON object")
	}
	res := call(t, nil, "PUT", url, "", "Content-Type", "application/json")
	controlError(t, res, http.StatusBadRequest, "JSON object")
	if after := string(call(t, nil, "GET", url, "").body); after != before {
		t.Fatalf("a refused PUT changed the state:\n%s\n%s", before, after)
	}
}

func TestFaultPathPatterns(t *testing.T) {
	run := startServer(t, core.Options{})
	controlError(t, call(t, nil, "POST", run.URL()+"/__upmock/faults", `{"api":"fake","status":500,"path":"`+strings.Repeat("*", 5000)+`"}`),
		http.StatusBadRequest, "at most 1024")
	sess, _ := run.Session(core.DefaultSession)
	apis := map[string]bool{"fake": true}
	tests := []struct {
		pattern, path string
		match         bool
	}{
		{"/things/*", "/things/1", true},
		{"/things/*", "/things", false},
		{"*", "/anything", true},
		{"/a*b*a", "/aba", true},
		{"/a*b*a", "/aa", false},
		{"/a*a", "/a", false},
		{"*/export", "/things/1/export", true},
		{"/t*s/*/e*", "/things/9/export", true},
		{"/t*s/*/e*", "/things/9", false},
		{"/things/1", "/things/1", true},
		{"/things/1", "/things/12", false},
		// Many stars against a long path that almost matches: one linear pass, not 2^n.
		{strings.Repeat("*a", 500) + "*b", "/" + strings.Repeat("a", 20000), false},
		{strings.Repeat("*a", 500) + "*b", "/" + strings.Repeat("a", 20000) + "b", true},
	}
	for _, tt := range tests {
		sess.Faults.Clear("")
		if _, err := sess.Faults.Add(core.Fault{API: "fake", Path: tt.pattern, Status: 500}, apis); err != nil {
			t.Fatal(err)
		}
		if got := sess.Faults.Take("fake", "GET", tt.path, "") != nil; got != tt.match {
			t.Errorf("pattern %.40q on %.40q: match %v, want %v", tt.pattern, tt.path, got, tt.match)
		}
	}
}
