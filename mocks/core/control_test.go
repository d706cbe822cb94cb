package core_test

import (
	"net/http"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/upmock/upmock/mocks/core"
)

// controlError checks an error answer of the control API: status and a JSON "error" mentioning has.
func controlError(t *testing.T, res response, status int, has string) {
	t.Helper()
	if res.status != status {
		t.Fatalf("%s, want %d", res, status)
	}
	msg := decode[struct{ Error string }](t, res).Error
	if msg == "" || !strings.Contains(msg, has) {
		t.Fatalf("error %q, want one mentioning %q", msg, has)
	}
	if ct := res.header.Get("Content-Type"); ct != "application/json" {
		t.Fatalf("error Content-Type %q", ct)
	}
}

func TestControlHealthAndCredentials(t *testing.T) {
	run := startServer(t, core.Options{})
	for _, session := range []string{"", "h"} {
		res := call(t, nil, "GET", sessionURL(run, session)+"/__upmock/health", "")
		expect(t, res, http.StatusOK)
		h := decode[struct {
			Status, Session string
			APIs            []string
		}](t, res)
		want := session
		if want == "" {
			want = core.DefaultSession
		}
		if h.Status != "ok" || h.Session != want || !reflect.DeepEqual(h.APIs, []string{"fake", "other"}) {
			t.Errorf("health of %q: %+v", session, h)
		}
		creds := decode[map[string]map[string]string](t, call(t, nil, "GET", sessionURL(run, session)+"/__upmock/credentials", ""))
		wantCreds := map[string]map[string]string{"fake": {"apiKey": "fake-key-" + want}, "other": {"apiKey": "other-key-" + want}}
		if !reflect.DeepEqual(creds, wantCreds) {
			t.Errorf("credentials of %q: %v, want %v", session, creds, wantCreds)
		}
	}
}

func TestControlRequests(t *testing.T) {
	run := startServer(t, core.Options{})
	for _, p := range []string{"/fake/v1/things/1", "/other/v2/things/1", "/fake/v1/things/2", "/fake/v1/things/3", "/other/v2/things/2"} {
		call(t, nil, "GET", run.URL()+p, "")
	}
	tests := []struct {
		query string
		seqs  []int64
	}{
		{"", []int64{1, 2, 3, 4, 5}},
		{"?api=fake", []int64{1, 3, 4}},
		{"?api=other", []int64{2, 5}},
		{"?limit=2", []int64{4, 5}},
		{"?limit=0", []int64{1, 2, 3, 4, 5}},
		{"?api=fake&limit=2", []int64{3, 4}},
		{"?api=other&limit=9", []int64{2, 5}},
	}
	for _, tt := range tests {
		if got := seqs(journal(t, run, "", tt.query)); !reflect.DeepEqual(got, tt.seqs) {
			t.Errorf("requests%s: seqs %v, want %v", tt.query, got, tt.seqs)
		}
	}
	for _, bad := range []struct{ query, has string }{
		{"?limit=x", `limit "x"`}, {"?limit=-1", `limit "-1"`}, {"?api=nope", `unknown api "nope"`},
	} {
		controlError(t, call(t, nil, "GET", run.URL()+"/__upmock/requests"+bad.query, ""), http.StatusBadRequest, bad.has)
	}

	expect(t, call(t, nil, "DELETE", run.URL()+"/__upmock/requests?api=other", ""), http.StatusNoContent)
	if got := seqs(journal(t, run, "", "")); !reflect.DeepEqual(got, []int64{1, 3, 4}) {
		t.Errorf("after DELETE ?api=other: seqs %v", got)
	}
	controlError(t, call(t, nil, "DELETE", run.URL()+"/__upmock/requests?api=nope", ""), http.StatusBadRequest, "nope")
	expect(t, call(t, nil, "DELETE", run.URL()+"/__upmock/requests", ""), http.StatusNoContent)
	if res := call(t, nil, "GET", run.URL()+"/__upmock/requests", ""); !strings.Contains(string(res.body), `"requests": []`) {
		t.Errorf("after DELETE: %s, want an empty list", res)
	}
}

// dirty changes everything a reset restores of api (served below basePath) in the session at
// root.
func dirty(t *testing.T, root, api, basePath string) {
	t.Helper()
	expect(t, call(t, nil, "POST", root+basePath+"/things", `{"name":"x"}`), http.StatusCreated)
	expect(t, call(t, nil, "PATCH", root+"/__upmock/settings/"+api, `{"pageSize":99}`), http.StatusOK)
	expect(t, call(t, nil, "POST", root+"/__upmock/faults", `{"api":"`+api+`","path":"/nowhere","status":500}`), http.StatusCreated)
	expect(t, call(t, nil, "POST", root+"/__upmock/maintenance", `{"api":"`+api+`","enabled":true}`), http.StatusOK)
}

func TestControlReset(t *testing.T) {
	now := newFakeNow()
	run := startServer(t, core.Options{RealNow: now.Now})
	base := run.URL()
	isDirty := func(api string) map[string]bool {
		state := decode[fakeState](t, call(t, nil, "GET", base+"/__upmock/state/"+api, ""))
		settings := decode[fakeSettings](t, call(t, nil, "GET", base+"/__upmock/settings/"+api, ""))
		faults := decode[struct{ Faults []core.Fault }](t, call(t, nil, "GET", base+"/__upmock/faults", ""))
		maint := decode[map[string]bool](t, call(t, nil, "GET", base+"/__upmock/maintenance", ""))
		hasFault := false
		for _, f := range faults.Faults {
			hasFault = hasFault || f.API == api
		}
		return map[string]bool{
			"state": state.Posts != 0, "settings": settings.PageSize != 10, "fault": hasFault,
			"maintenance": maint[api], "journal": len(journal(t, run, "", "?api="+api)) != 0,
		}
	}
	all := func(v bool) map[string]bool {
		return map[string]bool{"state": v, "settings": v, "fault": v, "maintenance": v, "journal": v}
	}
	clockOffset := func() string {
		return decode[core.ClockState](t, call(t, nil, "GET", base+"/__upmock/clock", "")).Offset
	}
	dirty(t, base, "fake", "/fake/v1")
	dirty(t, base, "other", "/other/v2")
	expect(t, call(t, nil, "POST", base+"/__upmock/clock", `{"advance":"2h"}`), http.StatusOK)
	if got := isDirty("fake"); !reflect.DeepEqual(got, all(true)) {
		t.Fatalf("setup left fake %v", got)
	}

	controlError(t, call(t, nil, "POST", base+"/__upmock/reset?api=nope", ""), http.StatusBadRequest, `unknown api "nope"`)
	expect(t, call(t, nil, "POST", base+"/__upmock/reset?api=fake", ""), http.StatusNoContent)
	if got := isDirty("fake"); !reflect.DeepEqual(got, all(false)) {
		t.Errorf("after reset?api=fake, fake: %v", got)
	}
	if got := isDirty("other"); !reflect.DeepEqual(got, all(true)) {
		t.Errorf("after reset?api=fake, other: %v", got)
	}
	if got := clockOffset(); got != "2h0m0s" {
		t.Errorf("reset?api=fake moved the clock to offset %s", got)
	}

	expect(t, call(t, nil, "POST", base+"/__upmock/reset", ""), http.StatusNoContent)
	if got := isDirty("other"); !reflect.DeepEqual(got, all(false)) {
		t.Errorf("after reset, other: %v", got)
	}
	if got := clockOffset(); got != "0s" {
		t.Errorf("after reset the clock offset is %s", got)
	}
}

func TestControlFaults(t *testing.T) {
	run := startServer(t, core.Options{})
	url := run.URL() + "/__upmock/faults"

	res := call(t, nil, "POST", url, `{"api":"fake","method":"get","path":"/things/*","status":503,"count":2}`)
	expect(t, res, http.StatusCreated)
	got := decode[core.Fault](t, res)
	want := core.Fault{ID: 1, API: "fake", Method: "GET", Path: "/things/*", Count: 2, Remaining: 2, Status: 503, Phase: "before"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("stored %+v, want %+v", got, want)
	}
	res = call(t, nil, "POST", url, `{"api":"other","drop":true,"phase":"after"}`)
	expect(t, res, http.StatusCreated)
	if id := decode[core.Fault](t, res).ID; id != 2 {
		t.Errorf("second fault id %d", id)
	}

	for _, bad := range []struct{ body, has string }{
		{`{"api":"fake","status":500,"colour":"red"}`, `unknown field "colour"`},
		{`{"api":"fake","status":"500"}`, "request body"},
		{`not json`, "request body"},
		{``, "request body"},
		{`{"status":500}`, "api is required"},
		{`{"api":"nope","status":500}`, `unknown api "nope"`},
		{`{"api":"fake"}`, "give status, drop or delayMs"},
		{`{"api":"fake","status":42}`, "not an HTTP status"},
		{`{"api":"fake","status":500,"drop":true}`, "exclude each other"},
		{`{"api":"fake","status":500,"phase":"later"}`, `phase "later"`},
		{`{"api":"fake","delayMs":5,"phase":"after"}`, "needs status or drop"},
	} {
		controlError(t, call(t, nil, "POST", url, bad.body), http.StatusBadRequest, bad.has)
	}

	// One use of the first fault.
	expect(t, call(t, nil, "GET", run.URL()+"/fake/v1/things/1", ""), http.StatusServiceUnavailable)
	list := decode[struct{ Faults []core.Fault }](t, call(t, nil, "GET", url, "")).Faults
	if len(list) != 2 || list[0].ID != 1 || list[0].Remaining != 1 || list[1].ID != 2 || list[1].Remaining != 1 {
		t.Errorf("faults %+v", list)
	}
	controlError(t, call(t, nil, "DELETE", url+"?api=nope", ""), http.StatusBadRequest, "nope")
	expect(t, call(t, nil, "DELETE", url+"?api=other", ""), http.StatusNoContent)
	if list := decode[struct{ Faults []core.Fault }](t, call(t, nil, "GET", url, "")).Faults; len(list) != 1 || list[0].API != "fake" {
		t.Errorf("after DELETE ?api=other: %+v", list)
	}
	expect(t, call(t, nil, "DELETE", url, ""), http.StatusNoContent)
	if res := call(t, nil, "GET", url, ""); !strings.Contains(string(res.body), `"faults": []`) {
		t.Errorf("after DELETE: %s", res)
	}
	expect(t, call(t, nil, "GET", run.URL()+"/fake/v1/things/1", ""), http.StatusOK)
}

func TestControlMaintenance(t *testing.T) {
	run := startServer(t, core.Options{})
	url := run.URL() + "/__upmock/maintenance"
	get := func() map[string]bool { return decode[map[string]bool](t, call(t, nil, "GET", url, "")) }
	if got := get(); !reflect.DeepEqual(got, map[string]bool{"fake": false, "other": false}) {
		t.Fatalf("at start: %v", got)
	}
	res := call(t, nil, "POST", url, `{"api":"fake","enabled":true}`)
	expect(t, res, http.StatusOK)
	if got := decode[map[string]bool](t, res); !reflect.DeepEqual(got, map[string]bool{"fake": true, "other": false}) {
		t.Fatalf("after switching fake on: %v", got)
	}

	tests := []struct {
		method, path, body string
		status             int
		bodyIs             string
	}{
		{"GET", "/fake/v1/things/1", "", 503, fakeFaultBody("fake", 503)},
		{"POST", "/fake/v1/things", `{"name":"m"}`, 503, fakeFaultBody("fake", 503)},
		{"GET", "/other/v2/things/1", "", 200, ""},
	}
	for _, tt := range tests {
		res := call(t, nil, tt.method, run.URL()+tt.path, tt.body)
		if res.status != tt.status || (tt.bodyIs != "" && string(res.body) != tt.bodyIs) {
			t.Errorf("%s %s in maintenance: %s, want %d %s", tt.method, tt.path, res, tt.status, tt.bodyIs)
		}
	}
	if st := decode[fakeState](t, call(t, nil, "GET", run.URL()+"/__upmock/state/fake", "")); st.Posts != 0 {
		t.Error("the handler ran during maintenance")
	}

	for _, bad := range []string{`{"api":"nope","enabled":true}`, `{"api":"fake"}`, `{"enabled":true}`, `{"api":"fake","enabled":true,"until":"1h"}`, `[]`} {
		controlError(t, call(t, nil, "POST", url, bad), http.StatusBadRequest, "")
	}
	expect(t, call(t, nil, "POST", url, `{"api":"fake","enabled":false}`), http.StatusOK)
	expect(t, call(t, nil, "GET", run.URL()+"/fake/v1/things/1", ""), http.StatusOK)
}

func TestControlClock(t *testing.T) {
	now := newFakeNow()
	run := startServer(t, core.Options{RealNow: now.Now})
	url := run.URL() + "/__upmock/clock"
	set := time.Date(2030, 6, 1, 12, 0, 0, 0, time.UTC)
	steps := []struct {
		real   time.Duration
		body   string // "" reads with GET
		now    time.Time
		offset string
		frozen bool
	}{
		{0, "", epoch, "0s", false},
		{0, `{"advance":"61s"}`, epoch.Add(61 * time.Second), "1m1s", false},
		{time.Minute, "", epoch.Add(121 * time.Second), "1m1s", false},
		{0, `{"advance":"-1s"}`, epoch.Add(2 * time.Minute), "1m0s", false},
		{0, `{"set":"2030-06-01T12:00:00Z"}`, set, set.Sub(epoch.Add(time.Minute)).String(), false},
		{0, `{"freeze":true}`, set, set.Sub(epoch.Add(time.Minute)).String(), true},
		{time.Hour, "", set, set.Sub(epoch.Add(61 * time.Minute)).String(), true},
		{0, `{"advance":"48h"}`, set.Add(48 * time.Hour), set.Add(48 * time.Hour).Sub(epoch.Add(61 * time.Minute)).String(), true},
		{0, `{"freeze":false}`, set.Add(48 * time.Hour), set.Add(48 * time.Hour).Sub(epoch.Add(61 * time.Minute)).String(), false},
		{time.Second, "", set.Add(48*time.Hour + time.Second), set.Add(48 * time.Hour).Sub(epoch.Add(61 * time.Minute)).String(), false},
		{0, `{"reset":true}`, epoch.Add(61*time.Minute + time.Second), "0s", false},
		{0, `{"reset":true,"advance":"1h"}`, epoch.Add(121*time.Minute + time.Second), "1h0m0s", false},
	}
	for i, s := range steps {
		now.Add(s.real)
		method := "GET"
		if s.body != "" {
			method = "POST"
		}
		res := call(t, nil, method, url, s.body)
		expect(t, res, http.StatusOK)
		got := decode[core.ClockState](t, res)
		if !got.Now.Equal(s.now) || got.Offset != s.offset || got.Frozen != s.frozen {
			t.Errorf("step %d %s: %+v, want now %s offset %s frozen %v", i, s.body, got, s.now, s.offset, s.frozen)
		}
	}
	for _, bad := range []struct{ body, has string }{
		{`{}`, "give one of"},
		{`{"advance":"soon"}`, "advance"},
		{`{"advance":61}`, "request body"},
		{`{"set":"yesterday"}`, "request body"},
		{`{"freeze":"yes"}`, "request body"},
		{`{"rewind":"1h"}`, `unknown field "rewind"`},
		{``, "request body"},
	} {
		controlError(t, call(t, nil, "POST", url, bad.body), http.StatusBadRequest, bad.has)
	}
}

func TestControlSpecs(t *testing.T) {
	run := startServer(t, core.Options{})
	raw, err := os.ReadFile("testdata/fake.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, api := range []string{"fake", "other"} {
		res := call(t, nil, "GET", run.URL()+"/__upmock/specs/"+api, "")
		expect(t, res, http.StatusOK)
		if string(res.body) != string(raw) || res.header.Get("Content-Type") != "application/yaml" {
			t.Errorf("specs/%s: %s %d bytes, want testdata/fake.yaml", api, res.header.Get("Content-Type"), len(res.body))
		}
	}
	controlError(t, call(t, nil, "GET", run.URL()+"/__upmock/specs/nope", ""), http.StatusNotFound, `unknown api "nope"`)
}

func TestControlState(t *testing.T) {
	run := startServer(t, core.Options{})
	url := run.URL() + "/__upmock/state/fake"
	if got := decode[fakeState](t, call(t, nil, "GET", url, "")); !reflect.DeepEqual(got, seedState()) {
		t.Fatalf("state %+v, want the seed", got)
	}
	expect(t, call(t, nil, "PUT", url, `{"things":{"7":"seven"},"posts":3}`), http.StatusNoContent)
	if got := decode[fakeState](t, call(t, nil, "GET", url, "")); !reflect.DeepEqual(got, fakeState{Things: map[string]string{"7": "seven"}, Posts: 3}) {
		t.Errorf("after PUT: %+v", got)
	}
	if res := call(t, nil, "GET", run.URL()+"/fake/v1/things/7", ""); res.status != 200 || !strings.Contains(string(res.body), `"seven"`) {
		t.Errorf("the handler does not see the PUT state: %s", res)
	}
	expect(t, call(t, nil, "GET", run.URL()+"/fake/v1/things/1", ""), http.StatusNotFound)
	if got := decode[fakeState](t, call(t, nil, "GET", run.URL()+"/__upmock/state/other", "")); !reflect.DeepEqual(got, seedState()) {
		t.Errorf("PUT state/fake changed other: %+v", got)
	}
	controlError(t, call(t, nil, "PUT", url, `{"thing":{}}`), http.StatusBadRequest, "unknown field")
	controlError(t, call(t, nil, "PUT", url, `nope`), http.StatusBadRequest, "")
	controlError(t, call(t, nil, "GET", run.URL()+"/__upmock/state/nope", ""), http.StatusNotFound, `unknown api "nope"`)
}

func TestControlSettings(t *testing.T) {
	run := startServer(t, core.Options{})
	url := run.URL() + "/__upmock/settings/fake"
	if got := decode[fakeSettings](t, call(t, nil, "GET", url, "")); got.PageSize != 10 {
		t.Fatalf("settings %+v", got)
	}
	res := call(t, nil, "PATCH", url, `{"pageSize":25}`)
	expect(t, res, http.StatusOK)
	if got := decode[fakeSettings](t, res); got.PageSize != 25 {
		t.Errorf("PATCH answered %+v", got)
	}
	if got := decode[fakeSettings](t, call(t, nil, "GET", url, "")); got.PageSize != 25 {
		t.Errorf("after PATCH: %+v", got)
	}
	controlError(t, call(t, nil, "PATCH", url, `{"pageSise":1}`), http.StatusBadRequest, "unknown field")
	controlError(t, call(t, nil, "PATCH", run.URL()+"/__upmock/settings/nope", `{}`), http.StatusNotFound, `unknown api "nope"`)
	if got := decode[fakeSettings](t, call(t, nil, "GET", run.URL()+"/__upmock/settings/other", "")); got.PageSize != 10 {
		t.Errorf("PATCH settings/fake changed other: %+v", got)
	}
}

func TestControlUnknownEndpoints(t *testing.T) {
	run := startServer(t, core.Options{})
	tests := []struct{ method, path string }{
		{"GET", "/__upmock/nope"},
		{"GET", "/__upmock/"},
		{"GET", "/__upmock/specs"},
		{"GET", "/s/x/__upmock/nope"},
	}
	for _, tt := range tests {
		controlError(t, call(t, nil, tt.method, run.URL()+tt.path, ""), http.StatusNotFound, "no control endpoint")
	}
	// A known endpoint with the wrong method is refused with a JSON error naming the method.
	// (gorilla/mux v1.8.1 turns the intended 405 into the control 404, mux issue #739.)
	for _, tt := range []struct{ method, path string }{{"PUT", "/__upmock/health"}, {"POST", "/__upmock/requests"}, {"DELETE", "/__upmock/clock"}} {
		res := call(t, nil, tt.method, run.URL()+tt.path, "")
		if res.status != http.StatusMethodNotAllowed && res.status != http.StatusNotFound {
			t.Errorf("%s %s: %s", tt.method, tt.path, res)
			continue
		}
		controlError(t, res, res.status, tt.method)
	}
	if got := journal(t, run, "", ""); len(got) != 0 {
		t.Errorf("control requests were journaled: %+v", got)
	}
}
