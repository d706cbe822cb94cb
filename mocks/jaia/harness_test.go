package jaia_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"
	"testing"
	"time"

	"github.com/upmock/upmock/mocks/core"
	"github.com/upmock/upmock/mocks/jaia"
)

// Fixture logins (fixtures/jaia/seed.json).
const (
	adminMail, adminPass   = "test@jaia.jp", "password" // 1001000001, company 1001 (01,02), サイト管理者
	adminID                = "1001000001"
	viewerMail, viewerPass = "viewer@jaia.jp", "viewer-pass"
	makerMail, makerPass   = "maker@jaia.jp", "maker-pass"
	jaiaMail, jaiaPass     = "admin@jaia.example", "jaia-admin-pass"
)

type harness struct {
	t    testing.TB
	srv  *core.Running
	sess *core.Session
}

func newHarness(t testing.TB) *harness {
	t.Helper()
	srv, err := jaia.Start(jaia.Options{
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
	// A fixed working day so publish dates are deterministic.
	sess.Clock.Set(time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC))
	return &harness{t: t, srv: srv, sess: sess}
}

type resp struct {
	status int
	header http.Header
	body   []byte
	env    map[string]any
}

func (r resp) messages() []string {
	var out []string
	list, _ := r.env["errorMessageList"].([]any)
	for _, m := range list {
		switch v := m.(type) {
		case string:
			out = append(out, v)
		case map[string]any:
			b, _ := json.Marshal(v)
			out = append(out, string(b))
		}
	}
	return out
}

func (h *harness) do(method, path, token, contentType string, body []byte) resp {
	h.t.Helper()
	req, err := http.NewRequest(method, h.srv.URL()+jaia.BasePath+path, bytes.NewReader(body))
	if err != nil {
		h.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	r := resp{status: res.StatusCode, header: res.Header, body: out}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(out, &r.env); err != nil {
			h.t.Fatalf("body is not JSON: %s", out)
		}
	}
	return r
}

func (h *harness) json(method, path, token string, body any) resp {
	h.t.Helper()
	raw, err := json.Marshal(body)
	if err != nil {
		h.t.Fatal(err)
	}
	return h.do(method, path, token, "application/json", raw)
}

// login returns the token.
func (h *harness) login(mail, pass string) string {
	h.t.Helper()
	r := h.json("POST", "/auth", "", map[string]any{"appId": "EXTERNAL", "userMail": mail, "password": pass})
	expect(h.t, r, 200)
	meta := r.env["metadata"].(map[string]any)
	return meta["criptToken"].(string)
}

// call sends a common-item request for apiID as userID with token.
func (h *harness) call(method, path, token, userID, apiID string, extra map[string]any) resp {
	h.t.Helper()
	body := map[string]any{"apiId": apiID, "userId": userID, "appId": "EXTERNAL"}
	for k, v := range extra {
		body[k] = v
	}
	return h.json(method, path, token, body)
}

func (h *harness) importCSV(method, path, token, userID, apiID, csv string) resp {
	h.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	hdr := textproto.MIMEHeader{}
	hdr.Set("Content-Disposition", `form-data; name="body"; filename="blob"`)
	hdr.Set("Content-Type", "application/json")
	pw, _ := mw.CreatePart(hdr)
	b, _ := json.Marshal(map[string]any{"apiId": apiID, "userId": userID, "appId": "EXTERNAL", "dataset": map[string]any{}})
	_, _ = pw.Write(b)
	fhdr := textproto.MIMEHeader{}
	fhdr.Set("Content-Disposition", `form-data; name="file"; filename="import.csv"`)
	fhdr.Set("Content-Type", "text/csv")
	fw, _ := mw.CreatePart(fhdr)
	_, _ = fw.Write([]byte(csv))
	_ = mw.Close()
	return h.do(method, path, token, mw.FormDataContentType(), buf.Bytes())
}

// expect checks status, code and result, and the messages when given.
func expect(t testing.TB, r resp, status int, msgs ...string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	if r.env == nil {
		return
	}
	if code, _ := r.env["code"].(float64); int(code) != status {
		t.Fatalf("code %v, want %d: %s", r.env["code"], status, r.body)
	}
	wantResult := 0.0
	if status != 200 {
		wantResult = 1
	}
	if r.env["result"] != wantResult {
		t.Fatalf("result %v, want %v", r.env["result"], wantResult)
	}
	if len(msgs) > 0 {
		got := r.messages()
		if strings.Join(got, "|") != strings.Join(msgs, "|") {
			t.Fatalf("messages %q, want %q", got, msgs)
		}
	}
}

// storeDataset is a valid STORE_CREATE dataset of company 1001.
func storeDataset(code, name string) map[string]any {
	return map[string]any{
		"jaiaCode": code, "jaiaCompanyCode": "1001", "infoOpenStartDate": "20260401",
		"storeName": name, "storeZipCode": "102-0074", "storePhoneNumber": "03-1111-2222",
		"publishSetting": "01", "url": "https://example.jp/store",
	}
}
