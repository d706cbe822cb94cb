package occto_test

import (
	"archive/zip"
	"bytes"
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"

	"github.com/upmock/upmock/mocks/core"
	"github.com/upmock/upmock/mocks/occto"
)

// Fixture credentials (fixtures/occto/state.json).
const (
	userA1 = "UPM9A00101"
	passA1 = "occto-pass-9A001-01"
	userA2 = "UPM9A00102"
	passA2 = "occto-pass-9A001-02"
	userB1 = "UPM9B00201"
	passB1 = "occto-pass-9B002-01"
)

// API paths below the base path.
const (
	pathRegister = "/service/RP12/OCCTO/api/fileUpload/uploadBA13B101File"
	pathPlans    = "/service/RP12/OCCTO/api/listDownload/getBA13B103FileList"
	pathPlan     = "/service/RP12/OCCTO/api/fileDownload/getBA13B102File"
	pathFiles    = "/service/RP12/OCCTO/api/listDownload/getBA13B006FileList"
	pathReceipt  = "/service/RP12/OCCTO/api/fileDownload/getBA13B007File"
)

// harness is a running OCCTO mock whose every response is checked against its OpenAPI
// document: a mismatch fails the test.
type harness struct {
	t      *testing.T
	srv    *core.Running
	sess   *core.Session
	client *http.Client
	user   string
	pass   string
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	return startHarness(t, nil, http.DefaultClient)
}

func startHarness(t *testing.T, tlsConfig *tls.Config, client *http.Client) *harness {
	t.Helper()
	srv, err := occto.Start(occto.Options{
		TLS:               tlsConfig,
		ValidateResponses: true,
		OnResponseViolation: func(api, op string, err error) {
			t.Errorf("%s %s: response breaks the OpenAPI document: %v", api, op, err)
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	sess, err := srv.Session(core.DefaultSession)
	if err != nil {
		t.Fatal(err)
	}
	return &harness{t: t, srv: srv, sess: sess, client: client, user: userA1, pass: passA1}
}

// as returns a copy calling with other credentials.
func (h *harness) as(user, pass string) *harness {
	c := *h
	c.user, c.pass = user, pass
	return &c
}

type response struct {
	status int
	code   string // the resultcode header
	header http.Header
	body   []byte
}

// call posts params (plus the harness's credentials) form-encoded to path.
func (h *harness) call(path string, params ...string) response {
	h.t.Helper()
	form := url.Values{"userid": {h.user}, "password": {h.pass}}
	for i := 0; i+1 < len(params); i += 2 {
		form.Set(params[i], params[i+1])
	}
	return h.post(path, "application/x-www-form-urlencoded", []byte(form.Encode()))
}

// callRaw posts exactly form (no credentials added).
func (h *harness) callRaw(path string, form url.Values) response {
	h.t.Helper()
	return h.post(path, "application/x-www-form-urlencoded", []byte(form.Encode()))
}

func (h *harness) post(path, contentType string, body []byte) response {
	h.t.Helper()
	res, err := h.client.Post(h.srv.URL()+occto.BasePath+path, contentType, bytes.NewReader(body))
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, code: res.Header.Get("resultcode"), header: res.Header, body: out}
}

// register submits message as the file parameter.
func (h *harness) register(message []byte, filename string) string {
	h.t.Helper()
	r := h.call(pathRegister, "file", string(message), "filename", filename)
	name, content := r.file(h.t)
	if !strings.HasPrefix(name, "BA13_B101_") {
		h.t.Fatalf("register entry %q", name)
	}
	return text(h.t, content, "SBD-MSG/SBMIT_RSLT/FILERECEPTIONNO")
}

// registerMultipart submits message as a file part.
func (h *harness) registerMultipart(message []byte, filename string) response {
	h.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("userid", h.user)
	_ = mw.WriteField("password", h.pass)
	fw, _ := mw.CreateFormFile("file", filename)
	_, _ = fw.Write(message)
	_ = mw.Close()
	return h.post(pathRegister, mw.FormDataContentType(), body.Bytes())
}

// file decodes a success: Base64 text of a ZIP with one XML entry.
func (r response) file(t *testing.T) (string, []byte) {
	t.Helper()
	if r.status != http.StatusOK || r.code != "0000" {
		t.Fatalf("status %d resultcode %q, want 200 0000; body %s", r.status, r.code, r.body)
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Fatalf("Content-Type %q", ct)
	}
	raw, err := base64.StdEncoding.DecodeString(string(r.body))
	if err != nil {
		t.Fatalf("body is not Base64: %v", err)
	}
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		t.Fatalf("body is not a ZIP: %v", err)
	}
	if len(zr.File) != 1 {
		t.Fatalf("ZIP holds %d entries, want 1", len(zr.File))
	}
	rc, err := zr.File[0].Open()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	content, _ := io.ReadAll(rc)
	return zr.File[0].Name, content
}

// expectError checks a failure: HTTP 200, the resultcode and OCCTO's error XML.
func expectError(t *testing.T, r response, code, message string) {
	t.Helper()
	if r.status != http.StatusOK || r.code != code {
		t.Fatalf("status %d resultcode %q, want 200 %s; body %s", r.status, r.code, code, r.body)
	}
	if got := text(t, r.body, "SBD-MSG/RESULT/RESULT_CD"); got != code {
		t.Fatalf("RESULT_CD %q, want %s", got, code)
	}
	if got := text(t, r.body, "SBD-MSG/RESULT/RESULT_MSG"); got != message {
		t.Fatalf("RESULT_MSG %q, want %q", got, message)
	}
}

func parse(t *testing.T, content []byte) *etree.Document {
	t.Helper()
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(content); err != nil {
		t.Fatalf("not XML: %v\n%s", err, content)
	}
	return doc
}

// text is the text of the element at path, failing the test when there is none.
func text(t *testing.T, content []byte, path string) string {
	t.Helper()
	e := parse(t, content).FindElement(path)
	if e == nil {
		t.Fatalf("no %s in\n%s", path, content)
	}
	return e.Text()
}

// all returns the text of path below each element matched by parent.
func all(t *testing.T, content []byte, parent, path string) []string {
	t.Helper()
	var out []string
	for _, e := range parse(t, content).FindElements(parent) {
		out = append(out, e.FindElement(path).Text())
	}
	return out
}

// example is specs/occto/examples/outage-plan.xml, the documented message.
func example(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("../../specs/occto/examples/outage-plan.xml")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// edit returns the example with old replaced by new (once, which must exist).
func edit(t *testing.T, msg []byte, old, new string) []byte {
	t.Helper()
	if !bytes.Contains(msg, []byte(old)) {
		t.Fatalf("the message holds no %q", old)
	}
	return bytes.Replace(msg, []byte(old), []byte(new), 1)
}

// status is the file's 計画受付ステータス from BA13B006.
func (h *harness) status(no string) string {
	h.t.Helper()
	_, content := h.call(pathFiles).file(h.t)
	for _, e := range parse(h.t, content).FindElements("SBD-MSG/FILE_INFO") {
		if e.FindElement("FILERECEPTIONNO").Text() == no {
			return e.FindElement("PLAN_RECPT_STAT").Text()
		}
	}
	h.t.Fatalf("file %s is not in BA13B006's list:\n%s", no, content)
	return ""
}

func (h *harness) patchSettings(patch map[string]any) {
	h.t.Helper()
	raw, _ := json.Marshal(patch)
	if err := h.sess.Instance(occto.Name).PatchSettings(raw); err != nil {
		h.t.Fatal(err)
	}
}

// jst is Japan Standard Time.
var jst = time.FixedZone("JST", 9*60*60)
