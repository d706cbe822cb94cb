package atlas_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/upmock/upmock/mocks/atlas"
	"github.com/upmock/upmock/mocks/core"
)

// Fixture credentials (fixtures/atlas/tenants.json).
const (
	tokyoKey     = "atlas-key-tokyo-0001"
	tokyoSecret  = "atlas-secret-tokyo-0001-change-me"
	tokyoBase    = "2114dbec-a137-11e8-9a80-ec21e50b3736"
	osakaKey     = "atlas-key-osaka-0002"
	osakaSecret  = "atlas-secret-osaka-0002-change-me"
	osakaBase    = "458435f8-2e5c-444b-b828-6f25f35f3a40"
	nagoyaKey    = "atlas-key-nagoya-0003"
	nagoyaSecret = "atlas-secret-nagoya-0003-change-me"
	nagoyaBase   = "7c1e2f4a-3b5d-4e6f-8a9b-0c1d2e3f4a5b"
)

// harness is a running ATLAS mock whose every response is checked against its OpenAPI
// document: a mismatch fails the test, so the spec and the mock cannot drift.
type harness struct {
	t      *testing.T
	srv    *core.Running
	sess   *core.Session
	key    string
	secret string
	txn    *int // shared by the copies as() makes, so transactionIds stay unique
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	srv, err := atlas.Start(atlas.Options{
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
	return &harness{t: t, srv: srv, sess: sess, key: tokyoKey, secret: tokyoSecret, txn: new(int)}
}

func (h *harness) as(key, secret string) *harness {
	c := *h
	c.key, c.secret = key, secret
	return &c
}

func signJWT(t *testing.T, secret string, requestDate string, method jwt.SigningMethod) string {
	t.Helper()
	tok := jwt.NewWithClaims(method, jwt.MapClaims{"requestDate": requestDate})
	var key any = []byte(secret)
	if method == jwt.SigningMethodNone {
		key = jwt.UnsafeAllowNoneSignatureType
	}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// freshJWT is what a correct client sends: requestDate = now on the mock's clock.
func (h *harness) freshJWT() string {
	return signJWT(h.t, h.secret, h.sess.Clock.Now().UTC().Format("2006-01-02T15:04:05Z"), jwt.SigningMethodHS256)
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) problem(t *testing.T) atlas.ProblemDetails {
	t.Helper()
	var p atlas.ProblemDetails
	if err := json.Unmarshal(r.body, &p); err != nil {
		t.Fatalf("body is not ProblemDetails: %s", r.body)
	}
	return p
}

// call sends an authenticated request below the base path; headers override the auth ones.
func (h *harness) call(method, path string, body any, headers ...string) response {
	h.t.Helper()
	hdr := map[string]string{"X-ATLAS-API-Key": h.key, "Authorization": h.freshJWT(), "Content-Type": "application/json"}
	for i := 0; i+1 < len(headers); i += 2 {
		hdr[headers[i]] = headers[i+1]
	}
	return h.raw(method, h.srv.URL()+atlas.BasePath+path, body, hdr)
}

func (h *harness) raw(method, url string, body any, headers map[string]string) response {
	h.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	case string:
		rd = strings.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			h.t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		h.t.Fatal(err)
	}
	for k, v := range headers {
		if v != "" {
			req.Header.Set(k, v)
		}
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, header: res.Header, body: out}
}

func (h *harness) control(method, path string, body any) response {
	h.t.Helper()
	return h.raw(method, h.srv.URL()+"/__upmock"+path, body, map[string]string{"Content-Type": "application/json"})
}

func (h *harness) advance(d time.Duration) { h.sess.Clock.Advance(d) }

func (h *harness) nextTxn() string {
	*h.txn++
	return fmt.Sprintf("00000000-0000-4000-8000-%012d", *h.txn)
}

func str(s string) *string { return &s }

// item is a valid item whose path ends with its trackingId.
func item(trackingID, uid, parent string) map[string]any {
	return map[string]any{
		"trackingId": trackingID, "uid": uid, "autoIdType": "RFID",
		"path": parent + trackingID + "/", "itemCount": 1,
		"movedDateTime":             "2026-11-25T01:02:03.000004Z",
		"individualRecognitionCode": nil, "largeClassAggregationKey": "", "middleClassAggregationKey": "",
		"smallClassAggregationKey": "", "isInactivated": false, "autoInactive": nil,
	}
}

// registration is a valid request body from Tokyo to Osaka.
func (h *harness) registration(slip string, targetPath *string, items ...map[string]any) map[string]any {
	list := make([]any, len(items))
	for i, it := range items {
		list[i] = it
	}
	return map[string]any{
		"transactionId": h.nextTxn(), "movementSlipNo": slip, "baseId": tokyoBase, "counterBaseId": osakaBase,
		"targetPath": targetPath, "items": list,
	}
}

func expectStatus(t *testing.T, r response, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d; body %s", r.status, status, r.body)
	}
}

func expectProblem(t *testing.T, r response, status, code int, detail string) atlas.ProblemDetails {
	t.Helper()
	expectStatus(t, r, status)
	p := r.problem(t)
	if p.ErrorCode != code || p.Detail != detail {
		t.Fatalf("problem %d %q, want %d %q", p.ErrorCode, p.Detail, code, detail)
	}
	if p.TraceID == "" && code != 901 {
		t.Fatalf("problem without traceId: %s", r.body)
	}
	return p
}
