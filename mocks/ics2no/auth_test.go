package ics2no_test

import (
	"crypto/rand"
	"crypto/rsa"
	"io/fs"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/upmock/upmock/fixtures"
	"github.com/upmock/upmock/mocks/ics2no"
)

func TestTokenExchange(t *testing.T) {
	h := newHarness(t)
	mp := h.maskinportenToken()
	res := h.postExchange(exchangeForm(mp))
	expectStatus(t, res, 200)
	var tr ics2no.CustomsTokenResponse
	res.json(t, &tr)
	if tr.ExpiresIn != 3599 || strings.Contains(string(res.body), "scope") {
		t.Fatalf("exchange answer %s", res.body)
	}
	header, claims := claimsOf(t, tr.AccessToken)
	if len(header) != 1 || header["alg"] != "RS512" {
		t.Fatalf("Customs token header %v, want alg RS512 only", header)
	}
	if claims["sub"] != orgNo || claims["iss"] != h.srv.URL()+"/ics2no/api/authentication/external-access-control/v1" ||
		int64(claims["exp"].(float64))-int64(claims["iat"].(float64)) != 3600 ||
		claims["scope"] != "datautveksling.fremlegging.registrering datautveksling.kontrolldirigering.lesing" {
		t.Fatalf("Customs token claims %v", claims)
	}
	// The journal keeps the Maskinporten token's header and claims, not its signature.
	entries := h.sess.Journal.List("ics2no", 0)
	if body := entries[len(entries)-1].Body; !strings.Contains(body, ".REDACTED&") || strings.Contains(body, strings.Split(mp, ".")[2]) {
		t.Fatalf("journal body %s", body)
	}
}

func TestTokenExchangeRefusals(t *testing.T) {
	h := newHarness(t)
	mp := h.maskinportenToken()
	roadOnly := func() string {
		claims := h.grantClaims()
		claims["scope"] = "toll:movement/road"
		res := h.postToken(grantForm(h.sign(claims, jwt.SigningMethodRS256, kid, h.key)))
		expectStatus(t, res, 200)
		var tr ics2no.TokenResponse
		res.json(t, &tr)
		return tr.AccessToken
	}()
	customs := h.customsToken()
	forged := func() string {
		other, _ := rsa.GenerateKey(rand.Reader, 2048)
		_, claims := claimsOf(t, mp)
		tok := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims(claims))
		s, _ := tok.SignedString(other)
		return s
	}()
	cases := []struct {
		name  string
		form  url.Values
		code  string
		descr string
	}{
		{"RFC 8693 grant type", url.Values{"grant_type": {"urn:ietf:params:oauth:grant-type:token-exchange"}, "subject_token_type": {"access_token"}, "subject_token": {mp}},
			"unsupported_grant_type", "grant_type must be token-exchange."},
		{"RFC 8693 token type", url.Values{"grant_type": {"token-exchange"}, "subject_token_type": {"urn:ietf:params:oauth:token-type:access_token"}, "subject_token": {mp}},
			"invalid_request", "subject_token_type must be access_token."},
		{"no subject token", url.Values{"grant_type": {"token-exchange"}, "subject_token_type": {"access_token"}}, "invalid_request", "subject_token is missing."},
		{"not a JWT", exchangeForm("nonsense"), "invalid_grant", "subject_token is not a valid Maskinporten access token."},
		{"the grant itself", exchangeForm(h.goodGrant()), "invalid_grant", "subject_token is not a valid Maskinporten access token."},
		{"a Customs token", exchangeForm(customs), "invalid_grant", "subject_token is not a valid Maskinporten access token."},
		{"forged", exchangeForm(forged), "invalid_grant", "subject_token is not a valid Maskinporten access token."},
		{"wrong scope", exchangeForm(roadOnly), "invalid_scope", "subject_token does not grant the scope toll:movement/entry or toll:eu/movement/entry."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { expectOAuth(t, h.postExchange(c.form), c.code, c.descr) })
	}
	t.Run("expired", func(t *testing.T) {
		h.advance(3600 * time.Second)
		expectOAuth(t, h.postExchange(exchangeForm(mp)), "invalid_grant", "subject_token has expired.")
	})
}

// TestTheAPITakesOnlyTheCustomsToken: RFC 6750 challenges, as the resource server writes them.
func TestTheAPITakesOnlyTheCustomsToken(t *testing.T) {
	h := newHarness(t)
	h.freezeOnASecond()
	customs := h.customsToken()
	mp := h.maskinportenToken()
	tollKeyPEM, _ := fs.ReadFile(fixtures.FS, "ics2no/toll-signing-key.pem")
	tollKey, err := ics2no.ParsePrivateKeyPEM(tollKeyPEM)
	if err != nil {
		t.Fatal(err)
	}
	_, good := claimsOf(t, customs)
	resign := func(edit func(jwt.MapClaims), key *rsa.PrivateKey) string {
		c := jwt.MapClaims{}
		for k, v := range good {
			c[k] = v
		}
		edit(c)
		tok := jwt.NewWithClaims(jwt.SigningMethodRS512, c)
		tok.Header = map[string]any{"alg": "RS512"}
		s, _ := tok.SignedString(key)
		return s
	}
	other, _ := rsa.GenerateKey(rand.Reader, 2048)
	const uri = `, error_uri="https://tools.ietf.org/html/rfc6750#section-3.1"`
	invalid := func(d string) string { return `Bearer error="invalid_token", error_description="` + d + `"` + uri }
	cases := []struct {
		name   string
		header string
		status int
		want   string
	}{
		{"no Authorization", "", 401, "Bearer"},
		{"Basic", "Basic dXNlcjpwdw==", 401, "Bearer"},
		{"bearer with a space inside", "Bearer a b", 401, invalid("Bearer token is malformed")},
		{"not a JWT", "Bearer abc", 401, invalid("An error occurred while attempting to decode the Jwt: Malformed token")},
		{"the Maskinporten token", "Bearer " + mp, 401, invalid("An error occurred while attempting to decode the Jwt: Signed JWT rejected: Another algorithm expected, or no matching key(s) found")},
		{"signed with another key", "Bearer " + resign(func(jwt.MapClaims) {}, other), 401, invalid("An error occurred while attempting to decode the Jwt: Signed JWT rejected: Invalid signature")},
		{"another issuer", "Bearer " + resign(func(c jwt.MapClaims) { c["iss"] = "https://api-test.toll.no/other" }, tollKey), 401, invalid("An error occurred while attempting to decode the Jwt: The iss claim is not valid")},
		{"without the scope", "Bearer " + resign(func(c jwt.MapClaims) { c["scope"] = "datautveksling.kjoeretoeyPaaVei.registrering" }, tollKey), 403,
			`Bearer error="insufficient_scope", error_description="The request requires higher privileges than provided by the access token."` + uri},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var hdr []string
			if c.header != "" {
				hdr = []string{"Authorization", c.header}
			}
			res := h.do("GET", h.srv.URL()+"/ics2no"+pathRouting, "", nil, hdr...)
			expectStatus(t, res, c.status)
			if got := res.header.Get("WWW-Authenticate"); got != c.want || len(res.body) != 0 {
				t.Fatalf("WWW-Authenticate %q body %q, want %q and no body", got, res.body, c.want)
			}
		})
	}
	t.Run("expiry, with the 60 s clock skew", func(t *testing.T) {
		expectStatus(t, h.api("GET", pathRouting, customs, nil), 200)
		h.advance(3600*time.Second + 60*time.Second)
		expectStatus(t, h.api("GET", pathRouting, customs, nil), 200)
		h.advance(time.Second)
		res := h.api("GET", pathRouting, customs, nil)
		expectStatus(t, res, 401)
		exp := time.Unix(int64(good["exp"].(float64)), 0).UTC().Format("2006-01-02T15:04:05Z")
		if got := res.header.Get("WWW-Authenticate"); got != invalid("An error occurred while attempting to decode the Jwt: Jwt expired at "+exp) {
			t.Fatalf("WWW-Authenticate %q", got)
		}
	})
}
