package naccs_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/upmock/upmock/mocks/core"
	"github.com/upmock/upmock/mocks/naccs"
)

// Fixture identities (fixtures/naccs/state.json).
const (
	tokyoOrg     = "5d1c8a2e-7b3f-4e91-a0c4-2f6b9d8e1a01"
	osakaOrg     = "9a4e6f10-3c2d-4b7a-8e5f-6d1c0b9a2f02"
	tokyoSecret  = "cpwh_tokyo_5d1c8a2e_signing_secret_change_me"
	exportDeal   = "CP-2026-000101"
	importDeal   = "CP-2026-000102"
	osakaDeal    = "CP-2026-000103"
	broker       = "02"
	forwarder    = "03"
	adminClient  = "cp-tokyo-admin"
	clerkClient  = "cp-tokyo-clerk"
	viewerClient = "cp-tokyo-viewer"
	osakaClient  = "cp-osaka-admin"
	processing   = 30 * time.Second // fixtures/naccs/settings.json processingDelay
)

var secrets = map[string]string{
	adminClient: "cp-secret-tokyo-admin-change-me", clerkClient: "cp-secret-tokyo-clerk-change-me",
	viewerClient: "cp-secret-tokyo-viewer-change-me", osakaClient: "cp-secret-osaka-admin-change-me",
}

// harness is a running NACCS mock whose every response is checked against its OpenAPI
// document; one harness is one session.
type harness struct {
	t       *testing.T
	srv     *core.Running
	sess    *core.Session
	session string
	client  string
	tokens  map[string]string
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	return newHarnessWith(t, naccs.Options{})
}

// newHarnessWith starts a server with opts, validating every response.
func newHarnessWith(t *testing.T, opts naccs.Options) *harness {
	t.Helper()
	opts.ValidateResponses = true
	opts.OnResponseViolation = func(api, op string, err error) {
		t.Errorf("%s %s: response breaks the OpenAPI document: %v", api, op, err)
	}
	srv, err := naccs.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return newSessionHarness(t, srv, core.DefaultSession)
}

func newSessionHarness(t *testing.T, srv *core.Running, name string) *harness {
	t.Helper()
	sess, err := srv.Session(name)
	if err != nil {
		t.Fatal(err)
	}
	return &harness{t: t, srv: srv, sess: sess, session: name, client: adminClient, tokens: map[string]string{}}
}

// in returns a harness of another session of the same server.
func (h *harness) in(session string) *harness { return newSessionHarness(h.t, h.srv, session) }

// as returns the harness acting as another client (same session, shared tokens).
func (h *harness) as(client string) *harness {
	c := *h
	c.client = client
	return &c
}

func (h *harness) prefix() string {
	if h.session == core.DefaultSession {
		return h.srv.URL()
	}
	return h.srv.URL() + "/s/" + h.session
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("not a JSON object (%d): %s", r.status, r.body)
	}
	return m
}

func (h *harness) raw(method, url string, body io.Reader, headers map[string]string) response {
	h.t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		h.t.Fatal(err)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	return response{res.StatusCode, res.Header, out}
}

// token gets (once per client) a bearer token by client credentials.
func (h *harness) token() string {
	h.t.Helper()
	if tok := h.tokens[h.client]; tok != "" {
		return tok
	}
	res := h.raw("POST", h.prefix()+naccs.BasePath+"/Token",
		strings.NewReader("grant_type=client_credentials&client_id="+h.client+"&client_secret="+secrets[h.client]),
		map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
	expectStatus(h.t, res, 200)
	tok := res.json(h.t)["access_token"].(string)
	h.tokens[h.client] = tok
	return tok
}

// call sends an authenticated JSON request below the base path.
func (h *harness) call(method, path string, body any) response {
	h.t.Helper()
	var rd io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			h.t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	return h.raw(method, h.prefix()+naccs.BasePath+path, rd,
		map[string]string{"Authorization": "Bearer " + h.token(), "Content-Type": "application/json"})
}

func (h *harness) control(method, path string, body any) response {
	h.t.Helper()
	raw, _ := json.Marshal(body)
	if body == nil {
		raw = nil
	}
	return h.raw(method, h.prefix()+"/__upmock"+path, bytes.NewReader(raw), map[string]string{"Content-Type": "application/json"})
}

func (h *harness) settings(patch string) {
	h.t.Helper()
	expectStatus(h.t, h.patchSettings(patch), 200)
}

func (h *harness) patchSettings(patch string) response {
	h.t.Helper()
	return h.raw("PATCH", h.prefix()+"/__upmock/settings/naccs", strings.NewReader(patch), map[string]string{"Content-Type": "application/json"})
}

func (h *harness) advance(d time.Duration) { h.sess.Clock.Advance(d) }

func expectStatus(t *testing.T, r response, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d; body %s", r.status, status, r.body)
	}
}

// expectMessage checks an ASP.NET error body.
func expectMessage(t *testing.T, r response, status int, message string) {
	t.Helper()
	expectStatus(t, r, status)
	if got, _ := r.json(t)["Message"].(string); got != message {
		t.Fatalf("Message %q, want %q", got, message)
	}
}

// expectModelState checks a 400 naming key.
func expectModelState(t *testing.T, r response, key, contains string) {
	t.Helper()
	expectMessage(t, r, 400, "The request is invalid.")
	ms, _ := r.json(t)["ModelState"].(map[string]any)
	msgs, _ := ms[key].([]any)
	for _, m := range msgs {
		if strings.Contains(m.(string), contains) {
			return
		}
	}
	t.Fatalf("ModelState has no %q containing %q: %s", key, contains, r.body)
}

// form is a report as a map (system and form fields at the top level).
type form map[string]any

// create makes (or finds) the form of code in deal for the client's organisation.
func (h *harness) create(code, deal, businessType string) form {
	h.t.Helper()
	org := tokyoOrg
	if h.client == osakaClient {
		org = osakaOrg
	}
	res := h.call("POST", "/API/v1/NACCS/"+code+"/Create", map[string]any{"businessTypeId": businessType, "dealNo": deal, "organizationId": org})
	if res.status != 201 && res.status != 200 {
		h.t.Fatalf("create %s: %d %s", code, res.status, res.body)
	}
	return form(res.json(h.t))
}

// save puts fields into f and updates it, returning the saved form.
func (h *harness) save(code string, f form, fields map[string]string) form {
	h.t.Helper()
	for k, v := range fields {
		f[k] = v
	}
	res := h.call("PUT", "/API/v1/NACCS/"+code+"/Update", f)
	expectStatus(h.t, res, 200)
	return form(res.json(h.t))
}

// send sends the saved form, returning the naccsSendId.
func (h *harness) send(code string, f form) string {
	h.t.Helper()
	res := h.call("POST", "/API/v1/NACCS/"+code+"/Send/"+f.id(), map[string]any{
		"organizationId": f["organizationId"], "businessTypeId": f["businessTypeId"], "_etag": f["_etag"]})
	expectStatus(h.t, res, 202)
	return res.json(h.t)["naccsSendId"].(string)
}

// output fetches the output of a send.
func (h *harness) output(code string, f form, sendID string) naccs.NaccsOutput {
	h.t.Helper()
	res := h.call("GET", "/API/v1/NACCS/"+code+"/Output/"+f.id()+"?naccsSendId="+sendID, nil)
	expectStatus(h.t, res, 200)
	var out naccs.NaccsOutput
	if err := json.Unmarshal(res.body, &out); err != nil {
		h.t.Fatal(err)
	}
	return out
}

// submit is the whole job: create, save, send, let NACCS process, fetch the output.
func (h *harness) submit(code, deal string, fields map[string]string) naccs.NaccsOutput {
	h.t.Helper()
	f := h.save(code, h.create(code, deal, broker), fields)
	id := h.send(code, f)
	h.advance(processing)
	return h.output(code, f, id)
}

func (f form) id() string { return f["dealReportId"].(string) }

// receiver is a local webhook endpoint recording what it is posted.
type receiver struct {
	*httptest.Server
	mu     sync.Mutex
	status int
	got    []delivery
	ch     chan delivery
}

type delivery struct {
	header http.Header
	body   []byte
}

func newReceiver(t *testing.T) *receiver {
	rc := &receiver{status: 204, ch: make(chan delivery, 64)}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		d := delivery{r.Header.Clone(), body}
		rc.mu.Lock()
		rc.got = append(rc.got, d)
		status := rc.status
		rc.mu.Unlock()
		w.WriteHeader(status)
		rc.ch <- d
	}))
	t.Cleanup(rc.Close)
	return rc
}

func (rc *receiver) answer(status int) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.status = status
}

// next waits for the next delivery: background delivery takes a few milliseconds of real
// time after the clock moved.
func (rc *receiver) next(t *testing.T) delivery {
	t.Helper()
	select {
	case d := <-rc.ch:
		return d
	case <-time.After(5 * time.Second):
		t.Fatal("no webhook delivery within 5s")
		return delivery{}
	}
}

// none checks nothing is delivered for a short while.
func (rc *receiver) none(t *testing.T) {
	t.Helper()
	select {
	case d := <-rc.ch:
		t.Fatalf("unexpected delivery: %s", d.body)
	case <-time.After(150 * time.Millisecond):
	}
}

// register sets the receiver as the organisation's webhook.
func (h *harness) register(rc *receiver) {
	h.t.Helper()
	expectStatus(h.t, h.call("POST", "/API/v1/Webhook/Save", map[string]any{"organizationId": tokyoOrg, "name": "test", "url": rc.URL + "/hook"}), 200)
}
