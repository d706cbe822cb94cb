package ics2no_test

import (
	"bytes"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/upmock/upmock/fixtures"
	"github.com/upmock/upmock/mocks/core"
	"github.com/upmock/upmock/mocks/ics2no"
)

// Fixture credentials (fixtures/ics2no/maskinporten/clients.json).
const (
	clientID = "2f5c8a1e-7b3d-4c9e-a6f0-1d2e3f4a5b6c"
	orgNo    = "312345676"
	kid      = "upmock-ics2no-test-client-1"
	office   = "NO351001"
)

// harness is a running ICS2 mock and Maskinporten whose every response is checked against
// their OpenAPI documents: a mismatch fails the test.
type harness struct {
	t    *testing.T
	srv  *core.Running
	sess *core.Session
	key  *rsa.PrivateKey
	cert *x509.Certificate
	n    int // requestId counter
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	srv, err := ics2no.Start(ics2no.Options{
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
	keyPEM, err := fs.ReadFile(fixtures.FS, "ics2no/client/test-client-key.pem")
	if err != nil {
		t.Fatal(err)
	}
	key, err := ics2no.ParsePrivateKeyPEM(keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	certPEM, _ := fs.ReadFile(fixtures.FS, "ics2no/client/test-client-cert.pem")
	block, _ := pem.Decode(certPEM)
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return &harness{t: t, srv: srv, sess: sess, key: key, cert: cert}
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("body is not the expected JSON (%v): %s", err, r.body)
	}
}

func (h *harness) do(method, url, contentType string, body []byte, headers ...string) response {
	h.t.Helper()
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		h.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, header: res.Header, body: out}
}

func (h *harness) now() time.Time { return h.sess.Clock.Now() }

func (h *harness) advance(d time.Duration) { h.sess.Clock.Advance(d) }

// freezeOnASecond stops the clock on a whole second, so JWT times (whole seconds) compare
// exactly.
func (h *harness) freezeOnASecond() {
	h.sess.Clock.Freeze()
	h.sess.Clock.Set(h.now().Truncate(time.Second))
}

// grantClaims are a good grant's claims; edit them to break one rule.
func (h *harness) grantClaims() jwt.MapClaims {
	now := h.now()
	return jwt.MapClaims{
		"aud": h.srv.URL() + "/maskinporten/", "iss": clientID, "scope": "toll:movement/entry",
		"iat": now.Unix(), "exp": now.Add(120 * time.Second).Unix(), "jti": h.uuid(),
	}
}

// sign signs claims with the test client's key, naming it by kid (or by x5c when kid is "").
func (h *harness) sign(claims jwt.MapClaims, method jwt.SigningMethod, kidOrEmpty string, key any) string {
	h.t.Helper()
	tok := jwt.NewWithClaims(method, claims)
	if kidOrEmpty != "" {
		tok.Header["kid"] = kidOrEmpty
	} else {
		tok.Header["x5c"] = []string{base64.StdEncoding.EncodeToString(h.cert.Raw)}
	}
	s, err := tok.SignedString(key)
	if err != nil {
		h.t.Fatal(err)
	}
	return s
}

func (h *harness) goodGrant() string {
	return h.sign(h.grantClaims(), jwt.SigningMethodRS256, kid, h.key)
}

func (h *harness) postToken(form url.Values) response {
	h.t.Helper()
	return h.do("POST", h.srv.URL()+"/maskinporten/token", "application/x-www-form-urlencoded", []byte(form.Encode()))
}

func grantForm(assertion string) url.Values {
	return url.Values{"grant_type": {"urn:ietf:params:oauth:grant-type:jwt-bearer"}, "assertion": {assertion}}
}

// maskinportenToken gets an access token with a good grant.
func (h *harness) maskinportenToken() string {
	h.t.Helper()
	res := h.postToken(grantForm(h.goodGrant()))
	expectStatus(h.t, res, 200)
	var tr ics2no.TokenResponse
	res.json(h.t, &tr)
	return tr.AccessToken
}

func (h *harness) postExchange(form url.Values) response {
	h.t.Helper()
	return h.do("POST", h.srv.URL()+"/ics2no/api/access/external/oauth/token", "application/x-www-form-urlencoded", []byte(form.Encode()))
}

func exchangeForm(token string) url.Values {
	return url.Values{"grant_type": {"token-exchange"}, "subject_token_type": {"access_token"}, "subject_token": {token}}
}

// customsToken runs both hops.
func (h *harness) customsToken() string {
	h.t.Helper()
	res := h.postExchange(exchangeForm(h.maskinportenToken()))
	expectStatus(h.t, res, 200)
	var tr ics2no.CustomsTokenResponse
	res.json(h.t, &tr)
	return tr.AccessToken
}

func (h *harness) uuid() string {
	h.n++
	return h.sess.IDs.UUID()
}

// api calls the ICS2 API with token as Bearer.
func (h *harness) api(method, path, token string, body any) response {
	h.t.Helper()
	var raw []byte
	ct := ""
	switch b := body.(type) {
	case nil:
	case string:
		raw, ct = []byte(b), "application/json"
	default:
		raw, _ = json.Marshal(b)
		ct = "application/json"
	}
	var hdr []string
	if token != "" {
		hdr = []string{"Authorization", "Bearer " + token}
	}
	return h.do(method, h.srv.URL()+"/ics2no"+path, ct, raw, hdr...)
}

const (
	pathHC         = "/api/movement/presentation/v1/house-consignment"
	pathReceptacle = "/api/movement/presentation/v1/receptacle"
	pathENS        = "/api/movement/presentation/v1/entry-summary-declaration"
	pathStatus     = "/api/movement/presentation/v1/validation-status"
	pathRouting    = "/api/movement/routing/v1/house-consignment"
)

// hc is a house-consignment presentation body.
func (h *harness) hc(doc, typ string, containers ...string) map[string]any {
	body := map[string]any{
		"requestId": h.uuid(), "customsOfficeOfPresentation": office,
		"transportDocumentHouseLevel": map[string]any{"documentNumber": doc, "type": typ},
	}
	if len(containers) > 0 {
		var eq []any
		for _, c := range containers {
			eq = append(eq, map[string]any{"containerIdentificationNumber": c})
		}
		body["transportEquipment"] = eq
	}
	return body
}

func (h *harness) ens(mrn string) map[string]any {
	return map[string]any{"requestId": h.uuid(), "customsOfficeOfPresentation": office, "mrn": mrn}
}

func (h *harness) receptacle(id string) map[string]any {
	return map[string]any{"requestId": h.uuid(), "customsOfficeOfPresentation": office, "receptacleIdentificationNumber": id}
}

// presentAndProcess presents body, expects 202, moves the clock past the processing delay
// and returns the validation status.
func (h *harness) presentAndProcess(token, path string, body map[string]any) ics2no.ValidationStatus {
	h.t.Helper()
	expectStatus(h.t, h.api("POST", path, token, body), 202)
	h.advance(2 * time.Second)
	return h.status(token, body["requestId"].(string))
}

func (h *harness) status(token, requestID string) ics2no.ValidationStatus {
	h.t.Helper()
	res := h.api("GET", pathStatus+"?requestId="+requestID, token, nil)
	expectStatus(h.t, res, 200)
	var vs ics2no.ValidationStatus
	res.json(h.t, &vs)
	return vs
}

func (h *harness) routing(token, marker string) []ics2no.HouseConsignmentRouting {
	h.t.Helper()
	q := ""
	if marker != "" {
		q = "?marker=" + marker
	}
	res := h.api("GET", pathRouting+q, token, nil)
	expectStatus(h.t, res, 200)
	var out []ics2no.HouseConsignmentRouting
	res.json(h.t, &out)
	return out
}

func (h *harness) control(method, path string, body any) response {
	h.t.Helper()
	raw, _ := json.Marshal(body)
	if body == nil {
		raw = nil
	}
	return h.do(method, h.srv.URL()+"/__upmock"+path, "application/json", raw)
}

func expectStatus(t *testing.T, r response, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d; body %s", r.status, status, r.body)
	}
}

// expectOAuth checks an OAuth error; description is a prefix.
func expectOAuth(t *testing.T, r response, code, description string) {
	t.Helper()
	expectStatus(t, r, 400)
	var e ics2no.OAuthError
	r.json(t, &e)
	if e.Error != code || !strings.HasPrefix(e.ErrorDescription, description) {
		t.Fatalf("error %q %q, want %q %q…", e.Error, e.ErrorDescription, code, description)
	}
}

// claimsOf decodes a JWT's header and payload without verifying it.
func claimsOf(t *testing.T, token string) (map[string]any, map[string]any) {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %q", token)
	}
	var header, claims map[string]any
	for i, v := range []*map[string]any{&header, &claims} {
		raw, err := base64.RawURLEncoding.DecodeString(parts[i])
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(raw, v); err != nil {
			t.Fatal(err)
		}
	}
	return header, claims
}

func expectFailure(t *testing.T, vs ics2no.ValidationStatus, want ...ics2no.ValidationError) {
	t.Helper()
	if vs.Status != ics2no.StatusFailure {
		t.Fatalf("status %s, want FAILURE: %+v", vs.Status, vs)
	}
	if len(vs.ValidationErrorList) != len(want) {
		t.Fatalf("errors %+v, want %+v", vs.ValidationErrorList, want)
	}
	for i, w := range want {
		if vs.ValidationErrorList[i] != w {
			t.Fatalf("error %d: %+v, want %+v", i, vs.ValidationErrorList[i], w)
		}
	}
}

func verr(description, path string) ics2no.ValidationError {
	return ics2no.ValidationError{Description: description, Pointer: ics2no.Pointer{MessageElementPath: path}}
}
