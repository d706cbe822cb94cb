package core_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/upmock/upmock/mocks/core"
)

func TestNewServerChecksOperations(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(map[string]http.HandlerFunc)
		twin    bool   // register a second API under the same name
		wantErr string // "" when the server starts
	}{
		{"handlers match the document", nil, false, ""},
		{"a handler is missing", func(ops map[string]http.HandlerFunc) { delete(ops, "postThing") }, false, "no handler for [postThing]"},
		{"a handler is extra", func(ops map[string]http.HandlerFunc) { ops["deleteThing"] = ops["getThing"] }, false, "no operation for [deleteThing]"},
		{"a handler is nil", func(ops map[string]http.HandlerFunc) { ops["getThing"] = nil }, false, "no handler for [getThing]"},
		{"an api registered twice", nil, true, `"fake" registered twice`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newFakeAPI(t, "fake", "/fake/v1")
			api.editOps = tt.edit
			apis := []core.API{api}
			if tt.twin {
				apis = append(apis, newFakeAPI(t, "fake", "/fake/v2"))
			}
			srv, err := core.NewServer(core.Options{APIs: apis})
			if tt.wantErr == "" {
				if err != nil || srv == nil {
					t.Fatalf("NewServer: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("NewServer error %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestRouting(t *testing.T) {
	run := startServer(t, core.Options{})
	tests := []struct {
		method, path string
		status       int
		operation    string // X-Operation the handler set; "" when no handler ran
		bodyHas      string
	}{
		{"GET", "/fake/v1/things/1", 200, "getThing", `"name":"one"`},
		{"GET", "/fake/v1/things/404", 404, "getThing", `"error":"no thing 404"`},
		{"GET", "/other/v2/things/1", 200, "getThing", `"id":"1"`},
		{"GET", "/fake/v1/things/1/export", 200, "", `"url":`},
		{"GET", "/fake/v1/nowhere", 404, "", `"fake":"unrouted","path":"/fake/v1/nowhere"`},
		{"GET", "/fake/v1", 404, "", `"fake":"unrouted"`},
		{"GET", "/other/v2/things", 404, "", `"api":"other","fake":"unrouted"`},
		{"DELETE", "/fake/v1/things/1", 404, "", `"fake":"unrouted"`},
		{"PUT", "/fake/v1/things", 404, "", `"fake":"unrouted"`},
		{"GET", "/nothing/here", 404, "", `"error": "no mock serves /nothing/here; base paths: /fake/v1, /other/v2"`},
		{"GET", "/", 404, "", `"error": "no mock serves /;`},
		{"GET", "/s/a/nothing", 404, "", `"error": "no mock serves /nothing;`},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			res := call(t, nil, tt.method, run.URL()+tt.path, "")
			if res.status != tt.status || !strings.Contains(string(res.body), tt.bodyHas) {
				t.Fatalf("%s, want %d with %s", res, tt.status, tt.bodyHas)
			}
			if got := res.header.Get("X-Operation"); got != tt.operation && tt.operation != "" {
				t.Fatalf("handler saw operation %q, want %q", got, tt.operation)
			}
			if ct := res.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Fatalf("Content-Type %q", ct)
			}
		})
	}
	// What no API serves is not journaled; what an API serves is, routed or not.
	var got []string
	for _, e := range journal(t, run, "", "") {
		got = append(got, e.Method+" "+e.Path+" "+e.API+":"+e.Operation)
	}
	want := []string{
		"GET /fake/v1/things/1 fake:getThing", "GET /fake/v1/things/404 fake:getThing", "GET /other/v2/things/1 other:getThing",
		"GET /fake/v1/things/1/export fake:exportThing", "GET /fake/v1/nowhere fake:", "GET /fake/v1 fake:",
		"GET /other/v2/things other:", "DELETE /fake/v1/things/1 fake:", "PUT /fake/v1/things fake:",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("journal:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// A path that needs cleaning must not leave the session it was sent to.
func TestPathCleaningStaysInSession(t *testing.T) {
	run := startServer(t, core.Options{})
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, path := range []string{"/s/a/fake/v1//things/1", "/s/a//fake/v1/things/1", "/s/a/fake/v1/x/../things/1"} {
		res := call(t, noRedirect, "GET", run.URL()+path, "")
		if loc := res.header.Get("Location"); res.status/100 == 3 && !strings.HasPrefix(loc, "/s/a/") {
			t.Errorf("GET %s: %d redirect to %q, out of session a into the default session", path, res.status, loc)
		}
	}
}

func TestHandlerSeesViolations(t *testing.T) {
	run := startServer(t, core.Options{})
	tests := []struct {
		name, method, path, body string
		want                     []violationJSON
		journal                  string // one of the entry's specViolations, when set
	}{
		{"name too long", "POST", "/fake/v1/things", `{"name":"toolong"}`,
			[]violationJSON{{"body", []string{"name"}, "maxLength"}}, "body /name: maximum string length is 5"},
		{"name missing", "POST", "/fake/v1/things", `{}`,
			[]violationJSON{{"body", []string{"name"}, "required"}}, `body /name: property "name" is missing`},
		{"name not a string", "POST", "/fake/v1/things", `{"name":3}`,
			[]violationJSON{{"body", []string{"name"}, "type"}}, ""},
		{"body not JSON", "POST", "/fake/v1/things", `{`,
			[]violationJSON{{"body", nil, "parse"}}, ""},
		{"body empty", "POST", "/fake/v1/things", ``,
			[]violationJSON{{"body", nil, "parse"}}, ""},
		{"valid body", "POST", "/fake/v1/things", `{"name":"ok"}`, nil, ""},
		{"query over its maximum", "GET", "/fake/v1/things/1?limit=99", "",
			[]violationJSON{{"query", []string{"limit"}, "maximum"}}, ""},
		{"query not a number", "GET", "/fake/v1/things/1?limit=many", "",
			[]violationJSON{{"query", []string{"limit"}, "parse"}}, ""},
		{"valid query", "GET", "/fake/v1/things/1?limit=5", "", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := call(t, nil, tt.method, run.URL()+tt.path, tt.body)
			var got []violationJSON
			if err := json.Unmarshal([]byte(res.header.Get("X-Violations")), &got); err != nil {
				t.Fatalf("X-Violations %q: %v", res.header.Get("X-Violations"), err)
			}
			if describe(got) != describe(tt.want) {
				t.Errorf("core.Violations: %s\nwant: %s", describe(got), describe(tt.want))
			}
			if tt.journal != "" {
				e := journal(t, run, "", "?limit=1")[0]
				if !contains(e.SpecViolations, tt.journal) {
					t.Errorf("journal specViolations %q, want %q among them", e.SpecViolations, tt.journal)
				}
			}
		})
	}
}

func TestHandlerSeesJSONBody(t *testing.T) {
	run := startServer(t, core.Options{})
	tests := []struct {
		method, path, body string
		want               string // X-JSON-Body: the decoded body re-encoded, or "error"
	}{
		{"POST", "/fake/v1/things", `{"name": "abc", "n": [1, 2]}`, `{"n":[1,2],"name":"abc"}`},
		{"POST", "/fake/v1/things", `{"name":"toolong"}`, `{"name":"toolong"}`},
		{"POST", "/fake/v1/things", `{`, "error"},
		{"POST", "/fake/v1/things", ``, "error"},
		{"GET", "/fake/v1/things/1", ``, "error"}, // the operation takes no JSON body
	}
	for _, tt := range tests {
		res := call(t, nil, tt.method, run.URL()+tt.path, tt.body)
		if got := res.header.Get("X-JSON-Body"); got != tt.want {
			t.Errorf("%s %s %q: JSONBody %q, want %q", tt.method, tt.path, tt.body, got, tt.want)
		}
	}
}

func describe(vs []violationJSON) string {
	var out []string
	for _, v := range vs {
		out = append(out, v.In+" ["+strings.Join(v.Pointer, "/")+"] "+v.Keyword)
	}
	return strings.Join(out, "; ")
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func TestHandlerContext(t *testing.T) {
	now := newFakeNow()
	run := startServer(t, core.Options{RealNow: now.Now})
	tests := []struct {
		session string
		path    string
		op      string
	}{
		{"", "/fake/v1/things/1", "getThing"},
		{"ctx-1", "/fake/v1/things/1", "getThing"},
		{"ctx-1", "/other/v2/things/1", "getThing"},
		{"ctx.2_x", "/fake/v1/things", "postThing"},
	}
	for _, tt := range tests {
		method, body := "GET", ""
		if tt.op == "postThing" {
			method, body = "POST", `{"name":"abc"}`
		}
		res := call(t, nil, method, sessionURL(run, tt.session)+tt.path, body)
		wantSession := tt.session
		if wantSession == "" {
			wantSession = core.DefaultSession
		}
		if got := res.header.Get("X-Public-Base"); got != sessionURL(run, tt.session) {
			t.Errorf("%s %s: PublicBase %q, want %q", tt.session, tt.path, got, sessionURL(run, tt.session))
		}
		if got := res.header.Get("X-Operation"); got != tt.op {
			t.Errorf("%s %s: Operation %q, want %q", tt.session, tt.path, got, tt.op)
		}
		if got := res.header.Get("X-Session"); got != wantSession {
			t.Errorf("%s %s: instance of session %q, want %q", tt.session, tt.path, got, wantSession)
		}
	}
}

func TestJournalEntryOfARequest(t *testing.T) {
	now := newFakeNow()
	run := startServer(t, core.Options{RealNow: now.Now})
	call(t, nil, "POST", run.URL()+"/s/j/__upmock/clock", `{"advance":"1h"}`)
	const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ0ZXN0In0.c2lnbmF0dXJl"
	res := call(t, nil, "POST", run.URL()+"/s/j/fake/v1/things?trace=1", `{"name":"abc"}`,
		"Authorization", "Bearer "+jwt, "X-Trace", "t-1")
	expect(t, res, http.StatusCreated)
	call(t, nil, "GET", run.URL()+"/s/j/fake/v1/things/nope", "")

	entries := journal(t, run, "j", "")
	if len(entries) != 2 {
		t.Fatalf("%d entries, want 2", len(entries))
	}
	e := entries[0]
	checks := []struct {
		what      string
		got, want any
	}{
		{"seq", e.Seq, int64(1)},
		{"time (session clock)", e.Time.UTC(), epoch.Add(time.Hour)},
		{"api", e.API, "fake"},
		{"operation", e.Operation, "postThing"},
		{"method", e.Method, "POST"},
		{"path", e.Path, "/fake/v1/things"},
		{"query", e.Query, "trace=1"},
		{"body", e.Body, `{"name":"abc"}`},
		{"status", e.Status, 201},
		{"responseBody", e.ResponseBody, string(res.body)},
		{"authorization", strings.Join(e.Headers["Authorization"], ","), "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ0ZXN0In0.REDACTED"},
		{"other header", strings.Join(e.Headers["X-Trace"], ","), "t-1"},
		{"annotation", e.Annotations["stored"], "3"},
		{"no fault", e.Fault, ""},
		{"no violations", len(e.SpecViolations), 0},
		{"second seq", entries[1].Seq, int64(2)},
		{"second annotation", entries[1].Annotations["thing"], "missing"},
		{"second status", entries[1].Status, 404},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: %v, want %v", c.what, c.got, c.want)
		}
	}
	if e.DurationMs < 0 {
		t.Errorf("durationMs %v", e.DurationMs)
	}
	if others := journal(t, run, "", ""); len(others) != 0 {
		t.Errorf("the default session journaled %d requests of session j", len(others))
	}
}

func TestJournalTruncatesLargeBodies(t *testing.T) {
	run := startServer(t, core.Options{})
	big := `{"name":"` + strings.Repeat("x", core.MaxJournalBody) + `"}`
	call(t, nil, "POST", run.URL()+"/fake/v1/things", big)
	e := journal(t, run, "", "")[0]
	if len(e.Body) != core.MaxJournalBody || !e.BodyTruncated || e.Body != big[:core.MaxJournalBody] {
		t.Fatalf("journaled %d bytes, truncated %v; want the first %d", len(e.Body), e.BodyTruncated, core.MaxJournalBody)
	}
}

func TestResponseValidation(t *testing.T) {
	type report struct{ api, op string }
	tests := []struct {
		name     string
		validate bool
		path     string
		want     []report
	}{
		{"conforming 200", true, "/fake/v1/things/1", nil},
		{"conforming 404", true, "/fake/v1/things/nope", nil},
		{"broken 200", true, "/fake/v1/things/broken", []report{{"fake", "getThing"}}},
		{"broken 200 of the other api", true, "/other/v2/things/broken", []report{{"other", "getThing"}}},
		{"unrouted answers are not checked", true, "/fake/v1/nowhere", nil},
		{"validation off", false, "/fake/v1/things/broken", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var mu sync.Mutex
			var got []report
			var errs []error
			run := startServer(t, core.Options{
				ValidateResponses: tt.validate,
				OnResponseViolation: func(api, op string, err error) {
					mu.Lock()
					defer mu.Unlock()
					got, errs = append(got, report{api, op}), append(errs, err)
				},
			})
			res := call(t, nil, "GET", run.URL()+tt.path, "")
			mu.Lock()
			defer mu.Unlock()
			if len(got) != len(tt.want) || (len(got) > 0 && got[0] != tt.want[0]) {
				t.Fatalf("OnResponseViolation calls %v (%v), want %v; answer %s", got, errs, tt.want, res)
			}
			if len(errs) > 0 && errs[0] == nil {
				t.Fatal("OnResponseViolation got a nil error")
			}
			if tt.validate && strings.Contains(tt.path, "broken") && res.status != 200 {
				t.Fatalf("validation changed the answer: %s", res)
			}
		})
	}
}

func TestRequestBodyLimit(t *testing.T) {
	run := startServer(t, core.Options{MaxBodyBytes: 32})
	tests := []struct {
		size int
		want int
	}{
		{32, http.StatusCreated},
		{33, http.StatusRequestEntityTooLarge},
		{4096, http.StatusRequestEntityTooLarge},
	}
	for _, tt := range tests {
		body := `{"name":"a"}` + strings.Repeat(" ", tt.size-len(`{"name":"a"}`))
		res, err := try(freshClient(), "POST", run.URL()+"/fake/v1/things", body)
		if err != nil {
			t.Fatalf("%d bytes: %v", tt.size, err)
		}
		if res.status != tt.want {
			t.Errorf("%d-byte body: %s, want %d", tt.size, res, tt.want)
		}
		if tt.want == http.StatusRequestEntityTooLarge && !strings.Contains(string(res.body), `"error"`) {
			t.Errorf("413 without a JSON error: %s", res.body)
		}
	}
}
