package ics2no_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"math/big"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/upmock/upmock/mocks/ics2no"
)

func TestMaskinportenIssuesAnAccessToken(t *testing.T) {
	h := newHarness(t)
	for _, c := range []struct {
		name  string
		kid   string
		alg   jwt.SigningMethod
		aud   string
		amr   string
		scope string
	}{
		{"kid, RS256, the mock's issuer", kid, jwt.SigningMethodRS256, "", "private_key_jwt", "toll:movement/entry"},
		{"x5c, RS512, the real test issuer", "", jwt.SigningMethodRS512, ics2no.TestIssuer, "virksomhetssertifikat", "toll:movement/entry toll:movement/road"},
		{"kid, RS384, aud as a list", kid, jwt.SigningMethodRS384, "list", "private_key_jwt", "toll:movement/road"},
	} {
		t.Run(c.name, func(t *testing.T) {
			claims := h.grantClaims()
			switch c.aud {
			case "":
			case "list":
				claims["aud"] = []string{"https://example.org/", ics2no.TestIssuer}
			default:
				claims["aud"] = c.aud
			}
			claims["scope"] = c.scope
			res := h.postToken(grantForm(h.sign(claims, c.alg, c.kid, h.key)))
			expectStatus(t, res, 200)
			if res.header.Get("Cache-Control") != "no-store" {
				t.Errorf("Cache-Control %q", res.header.Get("Cache-Control"))
			}
			var tr ics2no.TokenResponse
			res.json(t, &tr)
			if tr.TokenType != "Bearer" || tr.ExpiresIn != 3599 || tr.Scope != c.scope {
				t.Fatalf("token response %+v", tr)
			}
			header, got := claimsOf(t, tr.AccessToken)
			if header["alg"] != "RS256" || header["kid"] == "" || header["typ"] != nil {
				t.Fatalf("access token header %v", header)
			}
			now := h.now().Unix()
			if got["iss"] != h.srv.URL()+"/maskinporten/" || got["client_id"] != clientID || got["scope"] != c.scope ||
				got["client_amr"] != c.amr || got["token_type"] != "Bearer" ||
				int64(got["exp"].(float64))-int64(got["iat"].(float64)) != 3600 || int64(got["iat"].(float64)) > now {
				t.Fatalf("access token claims %v", got)
			}
			consumer := got["consumer"].(map[string]any)
			if consumer["authority"] != "iso6523-actorid-upis" || consumer["ID"] != "0192:"+orgNo {
				t.Fatalf("consumer %v", consumer)
			}
		})
	}
}

func TestMaskinportenRefusesBadGrants(t *testing.T) {
	h := newHarness(t)
	h.freezeOnASecond()
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	edit := func(f func(jwt.MapClaims)) string {
		c := h.grantClaims()
		f(c)
		return h.sign(c, jwt.SigningMethodRS256, kid, h.key)
	}
	now := h.now()
	cases := []struct {
		name  string
		form  url.Values
		code  string
		descr string
	}{
		{"no grant_type", url.Values{"assertion": {h.goodGrant()}}, "invalid_request", "Missing grant_type."},
		{"client_credentials", url.Values{"grant_type": {"client_credentials"}}, "unsupported_grant_type", "Unsupported grant type client_credentials"},
		{"no assertion", url.Values{"grant_type": {"urn:ietf:params:oauth:grant-type:jwt-bearer"}}, "invalid_request", "Missing assertion."},
		{"not a JWT", grantForm("abc.def"), "invalid_grant", "Invalid assertion. The JWT could not be parsed."},
		{"HS256", grantForm(func() string {
			tok := jwt.NewWithClaims(jwt.SigningMethodHS256, h.grantClaims())
			tok.Header["kid"] = kid
			s, _ := tok.SignedString([]byte("secret"))
			return s
		}()), "invalid_grant", "Invalid assertion. Unsupported JWT alg HS256"},
		{"unknown claim", grantForm(edit(func(c jwt.MapClaims) { c["sub"] = clientID })), "invalid_grant", "Invalid assertion. Unsupported claim: sub."},
		{"no iss", grantForm(edit(func(c jwt.MapClaims) { delete(c, "iss") })), "invalid_grant", "Invalid assertion. Missing claim: iss."},
		{"unknown client", grantForm(edit(func(c jwt.MapClaims) { c["iss"] = "nobody" })), "invalid_client", "Invalid client: no client with client_id nobody."},
		{"unknown kid", grantForm(h.sign(h.grantClaims(), jwt.SigningMethodRS256, "other-kid", h.key)), "invalid_grant", "Invalid assertion. Client authentication failed. No key registered for the client with kid other-kid."},
		{"neither kid nor x5c", grantForm(func() string {
			s, _ := jwt.NewWithClaims(jwt.SigningMethodRS256, h.grantClaims()).SignedString(h.key)
			return s
		}()), "invalid_grant", "Invalid assertion. Client authentication failed. The JWT header must contain either kid or x5c."},
		{"signed with another key", grantForm(h.sign(h.grantClaims(), jwt.SigningMethodRS256, kid, other)), "invalid_grant",
			"Invalid assertion. Client authentication failed. Invalid JWT signature. The JWT is signed with an invalid certificate."},
		{"x5c not the client's", grantForm(func() string {
			tok := jwt.NewWithClaims(jwt.SigningMethodRS256, h.grantClaims())
			tok.Header["x5c"] = []string{base64.StdEncoding.EncodeToString(selfSigned(t, other))}
			s, _ := tok.SignedString(other)
			return s
		}()), "invalid_grant", "Invalid assertion. Client authentication failed. Invalid JWT signature. The JWT is signed with an invalid certificate."},
		{"aud is another issuer", grantForm(edit(func(c jwt.MapClaims) { c["aud"] = "https://maskinporten.no/" })), "invalid_grant", "Invalid assertion. Invalid audience https://maskinporten.no/"},
		{"no aud", grantForm(edit(func(c jwt.MapClaims) { delete(c, "aud") })), "invalid_grant", "Invalid assertion. Missing claim: aud."},
		{"no exp", grantForm(edit(func(c jwt.MapClaims) { delete(c, "exp") })), "invalid_grant", "Invalid assertion. Missing claim: exp."},
		{"lives 181 s", grantForm(edit(func(c jwt.MapClaims) { c["exp"] = now.Add(181 * time.Second).Unix() })), "invalid_grant",
			"Invalid assertion. The JWT lives too long: exp - iat is 181 seconds; at most 180 are allowed."},
		{"lives 180.5 s", grantForm(edit(func(c jwt.MapClaims) { c["exp"] = float64(now.Unix()) + 180.5 })), "invalid_grant",
			"Invalid assertion. The JWT lives too long: exp - iat is 181 seconds; at most 180 are allowed."},
		{"expired", grantForm(edit(func(c jwt.MapClaims) {
			c["iat"], c["exp"] = now.Add(-100*time.Second).Unix(), now.Add(-20*time.Second).Unix()
		})), "invalid_grant", "Invalid assertion. The JWT has expired."},
		{"iat 15 s ahead", grantForm(edit(func(c jwt.MapClaims) { c["iat"] = now.Add(15 * time.Second).Unix() })), "invalid_grant",
			"Invalid assertion. The JWT issue time is in the future: iat is 15 seconds ahead of Maskinporten's clock; at most 10 are allowed."},
		{"iat 10.5 s ahead", grantForm(edit(func(c jwt.MapClaims) { c["iat"] = float64(now.Unix()) + 10.5 })), "invalid_grant",
			"Invalid assertion. The JWT issue time is in the future: iat is 11 seconds ahead of Maskinporten's clock; at most 10 are allowed."},
		{"no scope", grantForm(edit(func(c jwt.MapClaims) { delete(c, "scope") })), "invalid_scope", "Invalid scope: no scope requested."},
		{"scope not registered", grantForm(edit(func(c jwt.MapClaims) { c["scope"] = "toll:movement/entry toll:eu/movement/entry" })), "invalid_scope",
			"Invalid scope: the client " + clientID + " is not allowed the scope toll:eu/movement/entry."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := h.postToken(c.form)
			expectOAuth(t, res, c.code, c.descr)
			if !strings.Contains(string(res.body), "(correlation id: ") {
				t.Fatalf("no correlation id: %s", res.body)
			}
		})
	}
	t.Run("not a form", func(t *testing.T) {
		res := h.do("POST", h.srv.URL()+"/maskinporten/token", "application/json", []byte(`{"grant_type":"x"}`))
		expectOAuth(t, res, "invalid_request", "The request must be application/x-www-form-urlencoded.")
	})
}

func selfSigned(t *testing.T, key *rsa.PrivateKey) []byte {
	t.Helper()
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "someone else"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

// TestMaskinportenRefusesAReplayedGrant: a JWT cannot be reused, for as long as it could be
// taken (its exp plus the clock skew, on the session clock).
func TestMaskinportenRefusesAReplayedGrant(t *testing.T) {
	h := newHarness(t)
	h.freezeOnASecond() // the replay window's edge is checked to the second below
	claims := h.grantClaims()
	grant := h.sign(claims, jwt.SigningMethodRS256, kid, h.key)
	expectStatus(t, h.postToken(grantForm(grant)), 200)
	expectOAuth(t, h.postToken(grantForm(grant)), "invalid_grant", "Invalid assertion. The JWT has already been used (jti "+claims["jti"].(string)+").")

	// A new grant with the same jti is the same JWT as far as Maskinporten is concerned.
	fresh := h.grantClaims()
	fresh["jti"] = claims["jti"]
	expectOAuth(t, h.postToken(grantForm(h.sign(fresh, jwt.SigningMethodRS256, kid, h.key))), "invalid_grant", "Invalid assertion. The JWT has already been used")

	// A grant refused for another reason does not use its jti up.
	refused := h.grantClaims()
	refused["aud"] = "https://maskinporten.no/"
	expectOAuth(t, h.postToken(grantForm(h.sign(refused, jwt.SigningMethodRS256, kid, h.key))), "invalid_grant", "Invalid assertion. Invalid audience")
	refused["aud"] = ics2no.TestIssuer
	expectStatus(t, h.postToken(grantForm(h.sign(refused, jwt.SigningMethodRS256, kid, h.key))), 200)

	// Without jti the grant itself is remembered.
	noJTI := h.grantClaims()
	delete(noJTI, "jti")
	g := h.sign(noJTI, jwt.SigningMethodRS256, kid, h.key)
	expectStatus(t, h.postToken(grantForm(g)), 200)
	expectOAuth(t, h.postToken(grantForm(g)), "invalid_grant", "Invalid assertion. The JWT has already been used")

	// Once the first grant's window (exp + 10 s) has passed, its jti may come again.
	h.advance(129 * time.Second)
	early := h.grantClaims()
	early["jti"] = claims["jti"]
	expectOAuth(t, h.postToken(grantForm(h.sign(early, jwt.SigningMethodRS256, kid, h.key))), "invalid_grant", "Invalid assertion. The JWT has already been used")
	h.advance(2 * time.Second)
	again := h.grantClaims()
	again["jti"] = claims["jti"]
	expectStatus(t, h.postToken(grantForm(h.sign(again, jwt.SigningMethodRS256, kid, h.key))), 200)
}

func TestMaskinportenSettingsAndState(t *testing.T) {
	h := newHarness(t)
	expectStatus(t, h.control("PATCH", "/settings/maskinporten", map[string]any{"accessTokenTTL": "120s", "maxGrantLifetime": "60s"}), 200)
	expectStatus(t, h.control("PATCH", "/settings/maskinporten", map[string]any{"nope": 1}), 400)
	claims := h.grantClaims()
	claims["exp"] = h.now().Add(61 * time.Second).Unix()
	expectOAuth(t, h.postToken(grantForm(h.sign(claims, jwt.SigningMethodRS256, kid, h.key))), "invalid_grant", "Invalid assertion. The JWT lives too long")
	claims["exp"] = h.now().Add(60 * time.Second).Unix()
	res := h.postToken(grantForm(h.sign(claims, jwt.SigningMethodRS256, kid, h.key)))
	expectStatus(t, res, 200)
	var tr ics2no.TokenResponse
	res.json(t, &tr)
	if tr.ExpiresIn != 119 {
		t.Fatalf("expires_in %d, want 119", tr.ExpiresIn)
	}

	var state ics2no.MaskinportenState
	h.control("GET", "/state/maskinporten", nil).json(t, &state)
	if len(state.Clients) != 1 || len(state.UsedJTIs) != 1 || !strings.Contains(state.Clients[0].Keys[0].CertificatePEM, "BEGIN CERTIFICATE") {
		t.Fatalf("state %+v", state)
	}
	// A client registered through the state, with the foreign scope.
	state.Clients[0].Scopes = append(state.Clients[0].Scopes, "toll:eu/movement/entry")
	expectStatus(t, h.control("PUT", "/state/maskinporten", state), 204)
	c := h.grantClaims()
	c["scope"], c["exp"] = "toll:eu/movement/entry", h.now().Add(60*time.Second).Unix()
	expectStatus(t, h.postToken(grantForm(h.sign(c, jwt.SigningMethodRS256, kid, h.key))), 200)

	expectStatus(t, h.control("POST", "/reset", nil), 204)
	c["jti"] = h.uuid()
	expectOAuth(t, h.postToken(grantForm(h.sign(c, jwt.SigningMethodRS256, kid, h.key))), "invalid_scope", "Invalid scope: the client "+clientID+" is not allowed the scope toll:eu/movement/entry.")
}

func TestMaskinportenJournalKeepsTheGrantReadable(t *testing.T) {
	h := newHarness(t)
	grant := h.goodGrant()
	h.postToken(grantForm(grant))
	entries := h.sess.Journal.List("maskinporten", 0)
	body := entries[len(entries)-1].Body
	parts := strings.Split(grant, ".")
	if !strings.Contains(body, "assertion="+parts[0]+"."+parts[1]+".REDACTED") || strings.Contains(body, parts[2]) {
		t.Fatalf("journal body %s", body)
	}
	if entries[len(entries)-1].Annotations["token"] == "" {
		t.Fatal("no token annotation")
	}
}

// TestMaskinportenGrantTimes: iat is judged only against the future, exp only against the
// past, and a grant may live 180 s (what the real server takes; the document says 120).
func TestMaskinportenGrantTimes(t *testing.T) {
	h := newHarness(t)
	h.freezeOnASecond()
	now := h.now()
	for _, c := range []struct {
		name     string
		iat, exp time.Duration // from now
	}{
		{"iat back-dated 10 s as x/oauth2/jwt does", -10 * time.Second, 50 * time.Second},
		{"iat 100 s old, exp ahead", -100 * time.Second, 30 * time.Second},
		{"lives 180 s", 0, 180 * time.Second},
		{"iat 10 s ahead", 10 * time.Second, 60 * time.Second},
		{"exp 10 s past", -60 * time.Second, -10 * time.Second},
	} {
		t.Run(c.name, func(t *testing.T) {
			claims := h.grantClaims()
			claims["iat"], claims["exp"] = now.Add(c.iat).Unix(), now.Add(c.exp).Unix()
			expectStatus(t, h.postToken(grantForm(h.sign(claims, jwt.SigningMethodRS256, kid, h.key))), 200)
		})
	}
	t.Run("exp 11 s past", func(t *testing.T) {
		claims := h.grantClaims()
		claims["iat"], claims["exp"] = now.Add(-60*time.Second).Unix(), now.Add(-11*time.Second).Unix()
		expectOAuth(t, h.postToken(grantForm(h.sign(claims, jwt.SigningMethodRS256, kid, h.key))), "invalid_grant", "Invalid assertion. The JWT has expired.")
	})
}
