package core_test

// A fake upstream for the core's end-to-end tests: testdata/fake.yaml served below a base
// path, with handlers that report what the core handed them, plus the helpers every server
// test shares.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/upmock/upmock/mocks/core"
)

var (
	fakeSpecOnce sync.Once
	fakeSpecRaw  []byte
	fakeSpec     *core.Spec
	fakeSpecErr  error
)

func loadFakeSpec(t testing.TB) *core.Spec {
	t.Helper()
	fakeSpecOnce.Do(func() {
		if fakeSpecRaw, fakeSpecErr = os.ReadFile("testdata/fake.yaml"); fakeSpecErr == nil {
			fakeSpec, fakeSpecErr = core.LoadSpec(fakeSpecRaw)
		}
	})
	if fakeSpecErr != nil {
		t.Fatalf("testdata/fake.yaml: %v", fakeSpecErr)
	}
	return fakeSpec
}

// fakeAPI implements core.API.
type fakeAPI struct {
	name, base string
	spec       *core.Spec
	// editOps, when set, changes what Operations returns (NewServer's consistency check).
	editOps func(map[string]http.HandlerFunc)
}

func newFakeAPI(t testing.TB, name, base string) *fakeAPI {
	return &fakeAPI{name: name, base: base, spec: loadFakeSpec(t)}
}

func (a *fakeAPI) Name() string     { return a.name }
func (a *fakeAPI) BasePath() string { return a.base }
func (a *fakeAPI) Spec() *core.Spec { return a.spec }
func (a *fakeAPI) New(env *core.Env) (core.Instance, error) {
	return &fakeInstance{api: a, env: env, state: seedState(), settings: fakeSettings{PageSize: 10}}, nil
}

type fakeState struct {
	Things map[string]string `json:"things"`
	Posts  int               `json:"posts"` // how many times postThing's handler stored a thing
}

type fakeSettings struct {
	PageSize int `json:"pageSize"`
}

// seedState is every instance's start: thing "1", and "broken", which getThing answers
// against its response schema.
func seedState() fakeState {
	return fakeState{Things: map[string]string{"1": "one", "broken": "?"}}
}

// fakeInstance implements core.Instance.
type fakeInstance struct {
	api *fakeAPI
	env *core.Env

	mu       sync.Mutex
	state    fakeState
	settings fakeSettings
}

func (f *fakeInstance) Operations() map[string]http.HandlerFunc {
	ops := map[string]http.HandlerFunc{
		"getThing":    f.getThing,
		"postThing":   f.postThing,
		"exportThing": f.exportThing,
	}
	if f.api.editOps != nil {
		f.api.editOps(ops)
	}
	return ops
}

// thingID is the {id} path segment: the core routes by the document but leaves parameters to
// the mock.
func (f *fakeInstance) thingID(r *http.Request) string {
	id := strings.TrimPrefix(r.URL.Path, f.api.base+"/things/")
	return strings.TrimSuffix(id, "/export")
}

func (f *fakeInstance) reportContext(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Operation", core.Operation(r))
	w.Header().Set("X-Public-Base", core.PublicBase(r))
	w.Header().Set("X-Session", f.env.Session)
	vs := []violationJSON{}
	for _, v := range core.Violations(r) {
		vs = append(vs, violationJSON{In: v.In, Pointer: v.Pointer, Keyword: v.Keyword})
	}
	b, _ := json.Marshal(vs)
	w.Header().Set("X-Violations", string(b))
	if v, err := core.JSONBody(r); err != nil {
		w.Header().Set("X-JSON-Body", "error")
	} else {
		b, _ := json.Marshal(v)
		w.Header().Set("X-JSON-Body", string(b))
	}
}

func (f *fakeInstance) getThing(w http.ResponseWriter, r *http.Request) {
	f.reportContext(w, r)
	id := f.thingID(r)
	f.mu.Lock()
	name, ok := f.state.Things[id]
	f.mu.Unlock()
	switch {
	case !ok:
		core.Annotate(r, "thing", "missing")
		writeJSONBody(w, http.StatusNotFound, map[string]any{"error": "no thing " + id})
	case id == "broken":
		core.Annotate(r, "thing", "broken")
		writeJSONBody(w, http.StatusOK, map[string]any{"id": 7}) // breaks Thing: id not a string, no name
	default:
		core.Annotate(r, "thing", "found")
		writeJSONBody(w, http.StatusOK, map[string]any{"id": id, "name": name})
	}
}

type violationJSON struct {
	In      string   `json:"in"`
	Pointer []string `json:"pointer"`
	Keyword string   `json:"keyword"`
}

func (f *fakeInstance) postThing(w http.ResponseWriter, r *http.Request) {
	f.reportContext(w, r)
	body, err := io.ReadAll(r.Body)
	if err != nil || !bytes.Equal(body, core.Body(r)) {
		writeJSONBody(w, http.StatusInternalServerError, map[string]any{"error": "body not handed over"})
		return
	}
	if vs := core.Violations(r); len(vs) > 0 {
		out := []violationJSON{}
		for _, v := range vs {
			out = append(out, violationJSON{In: v.In, Pointer: v.Pointer, Keyword: v.Keyword})
		}
		writeJSONBody(w, http.StatusBadRequest, map[string]any{"violations": out})
		return
	}
	var req struct {
		Name string `json:"name"`
	}
	_ = json.Unmarshal(body, &req)
	f.mu.Lock()
	f.state.Posts++
	id := fmt.Sprint(len(f.state.Things) + 1)
	f.state.Things[id] = req.Name
	f.mu.Unlock()
	core.Annotate(r, "stored", id)
	writeJSONBody(w, http.StatusCreated, map[string]any{"id": id, "name": req.Name})
}

// exportTTL is how long exportThing's download URL is valid on the session clock.
const exportTTL = 60 * time.Second

func (f *fakeInstance) exportThing(w http.ResponseWriter, r *http.Request) {
	id := f.thingID(r)
	f.mu.Lock()
	name := f.state.Things[id]
	f.mu.Unlock()
	url := f.env.Downloads.Put(core.PublicBase(r), f.api.name, "things/"+id+".txt", "text/plain", []byte("thing "+id+": "+name), exportTTL)
	writeJSONBody(w, http.StatusOK, map[string]any{"url": url})
}

func (f *fakeInstance) Unrouted(w http.ResponseWriter, r *http.Request) {
	writeJSONBody(w, http.StatusNotFound, map[string]any{"fake": "unrouted", "api": f.api.name, "path": r.URL.Path})
}

// fakeFaultBody is the fake upstream's own body for an injected status.
func fakeFaultBody(api string, status int) string {
	return fmt.Sprintf(`{"fake":"fault","api":%q,"status":%d}`, api, status)
}

func (f *fakeInstance) FaultResponse(status int) (string, []byte) {
	return "application/json", []byte(fakeFaultBody(f.api.name, status))
}

func (f *fakeInstance) Reset() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.state, f.settings = seedState(), fakeSettings{PageSize: 10}
}

func (f *fakeInstance) State() (any, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	things := make(map[string]string, len(f.state.Things))
	for k, v := range f.state.Things {
		things[k] = v
	}
	return fakeState{Things: things, Posts: f.state.Posts}, nil
}

func (f *fakeInstance) SetState(raw json.RawMessage) error {
	var st fakeState
	if err := strictJSON(raw, &st); err != nil {
		return err
	}
	if st.Things == nil {
		st.Things = map[string]string{}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.state = st
	return nil
}

func (f *fakeInstance) Settings() any {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.settings
}

func (f *fakeInstance) PatchSettings(raw json.RawMessage) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	next := f.settings
	if err := strictJSON(raw, &next); err != nil {
		return err
	}
	f.settings = next
	return nil
}

func (f *fakeInstance) Credentials() any {
	return map[string]string{"apiKey": f.api.name + "-key-" + f.env.Session}
}

func strictJSON(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

func writeJSONBody(w http.ResponseWriter, status int, v any) {
	b, _ := json.Marshal(v)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// fakeNow is an injectable real clock (Options.RealNow).
type fakeNow struct {
	mu sync.Mutex
	t  time.Time
}

var epoch = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)

func newFakeNow() *fakeNow { return &fakeNow{t: epoch} }

func (f *fakeNow) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.t
}

func (f *fakeNow) Add(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.t = f.t.Add(d)
}

// startServer serves the "fake" (/fake/v1) and "other" (/other/v2) APIs, unless opts names
// its own, on a free loopback port for the test's duration.
func startServer(t *testing.T, opts core.Options) *core.Running {
	t.Helper()
	if opts.APIs == nil {
		opts.APIs = []core.API{newFakeAPI(t, "fake", "/fake/v1"), newFakeAPI(t, "other", "/other/v2")}
	}
	srv, err := core.NewServer(opts)
	if err != nil {
		t.Fatalf("NewServer: %v", err)
	}
	run, err := core.Listen(srv, "127.0.0.1:0", nil)
	if err != nil {
		t.Fatalf("Listen: %v", err)
	}
	t.Cleanup(func() { _ = run.Close() })
	return run
}

// response is an answer read in full.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) String() string { return fmt.Sprintf("%d %s", r.status, r.body) }

// call sends method url with body ("" for none; JSON content type when set) and extra header
// pairs, through client (http.DefaultClient when nil).
func call(t *testing.T, client *http.Client, method, url, body string, header ...string) response {
	t.Helper()
	res, err := try(client, method, url, body, header...)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	return res
}

func try(client *http.Client, method, url, body string, header ...string) (response, error) {
	if client == nil {
		client = http.DefaultClient
	}
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		return response{}, err
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		if header[i] == "Host" {
			req.Host = header[i+1] // net/http sends req.Host, not a Host header field
		}
		req.Header.Set(header[i], header[i+1])
	}
	res, err := client.Do(req)
	if err != nil {
		return response{}, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return response{}, err
	}
	return response{status: res.StatusCode, header: res.Header, body: b}, nil
}

// decode unmarshals a JSON answer, failing the test when it is not JSON.
func decode[T any](t *testing.T, res response) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(res.body, &v); err != nil {
		t.Fatalf("answer is not JSON for %T: %v\n%s", v, err, res.body)
	}
	return v
}

// expect fails the test unless res has status.
func expect(t *testing.T, res response, status int) {
	t.Helper()
	if res.status != status {
		t.Fatalf("status %d, want %d; body: %s", res.status, status, res.body)
	}
}

// journal reads the session's journal through the control API (session "" is the default).
func journal(t *testing.T, run *core.Running, session, query string) []core.Entry {
	t.Helper()
	res := call(t, nil, "GET", sessionURL(run, session)+"/__upmock/requests"+query, "")
	expect(t, res, http.StatusOK)
	return decode[struct{ Requests []core.Entry }](t, res).Requests
}

// sessionURL is the root of a session ("" for the default one, without prefix).
func sessionURL(run *core.Running, session string) string {
	if session == "" {
		return run.URL()
	}
	return run.URL() + "/s/" + session
}

// freshClient opens a new connection per request, so a dropped connection is never retried
// on a reused one.
func freshClient() *http.Client {
	return &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
}
