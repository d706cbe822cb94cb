package ics2no

import (
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/upmock/upmock/mocks/core"
)

const grantTypeJWTBearer = "urn:ietf:params:oauth:grant-type:jwt-bearer"

// grantClaims are the claims the JWT grant protocol defines; any other is refused.
var grantClaims = map[string]bool{
	"aud": true, "iss": true, "iat": true, "exp": true, "jti": true, "scope": true,
	"resource": true, "consumer_org": true, "authorization_details": true,
}

// grant is a verified JWT grant.
type grant struct {
	client *mpClient
	scope  string
	amr    string // client_amr of the access token
}

// handleToken is POST /token: the JWT-bearer grant (RFC 7523 2.1) as Maskinporten takes it.
func (m *Maskinporten) handleToken(w http.ResponseWriter, r *http.Request) {
	form, e := parseForm(r, mpNotForm)
	if e != nil {
		writeOAuth(w, r, m.correlated(e))
		return
	}
	switch gt := form.Get("grant_type"); {
	case gt == "":
		writeOAuth(w, r, m.correlated(oauth(codeInvalidRequest, mpNoGrant)))
		return
	case gt != grantTypeJWTBearer:
		writeOAuth(w, r, m.correlated(oauth(codeUnsupportedGrantType, mpGrantType, gt)))
		return
	}
	assertion := form.Get("assertion")
	if assertion == "" {
		writeOAuth(w, r, m.correlated(oauth(codeInvalidRequest, mpNoAssertion)))
		return
	}
	g, e := m.verifyGrant(r, assertion)
	if e != nil {
		writeOAuth(w, r, m.correlated(e))
		return
	}
	ttl := m.store.currentSettings().AccessTokenTTL.D()
	token, err := m.accessToken(r, g, ttl)
	if err != nil {
		m.env.Logger.Error("signing an access token", "err", err)
		writeOAuth(w, r, m.correlated(&oauthErr{status: http.StatusInternalServerError, code: codeServerError, description: "Internal error."}))
		return
	}
	core.Annotate(r, "token", fmt.Sprintf("client %s scope %q (%s), %s", g.client.ClientID, g.scope, g.amr, ttl))
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	writeJSON(w, http.StatusOK, TokenResponse{AccessToken: token, TokenType: "Bearer", ExpiresIn: expiresIn(ttl), Scope: g.scope})
}

// correlated adds the correlation id Maskinporten ends its descriptions with.
func (m *Maskinporten) correlated(e *oauthErr) *oauthErr {
	c := *e
	c.description += " (correlation id: " + m.env.IDs.UUID() + ")"
	return &c
}

// verifyGrant checks a grant the way the protocol describes: algorithm, client, key (kid or
// x5c), signature, aud, lifetime and clock, scope, and that it was never seen before.
func (m *Maskinporten) verifyGrant(r *http.Request, assertion string) (*grant, *oauthErr) {
	claims := jwt.MapClaims{}
	tok, _, err := jwt.NewParser().ParseUnverified(assertion, claims)
	if err != nil {
		return nil, oauth(codeInvalidGrant, mpMalformed)
	}
	alg := tok.Method.Alg()
	if alg != "RS256" && alg != "RS384" && alg != "RS512" {
		return nil, oauth(codeInvalidGrant, mpBadAlg, alg)
	}
	if e := checkClaimNames(claims); e != nil {
		return nil, e
	}
	iss, _ := claims["iss"].(string)
	if iss == "" {
		return nil, oauth(codeInvalidGrant, mpMissingClaim, "iss")
	}
	client, ok := m.store.client(iss)
	if !ok {
		return nil, oauth(codeInvalidClient, mpUnknownClient, iss)
	}
	pub, amr, e := m.grantKey(tok, client)
	if e != nil {
		return nil, e
	}
	if _, err := jwt.Parse(assertion, func(*jwt.Token) (any, error) { return pub, nil },
		jwt.WithValidMethods([]string{alg}), jwt.WithoutClaimsValidation()); err != nil {
		return nil, oauth(codeInvalidGrant, mpBadSignature)
	}
	if e := checkAudience(claims["aud"], core.APIBase(r, MaskinportenBasePath)+"/"); e != nil {
		return nil, e
	}
	exp, e := m.checkTimes(claims)
	if e != nil {
		return nil, e
	}
	scope, e := checkScope(claims["scope"], client)
	if e != nil {
		return nil, e
	}
	// A grant without jti is remembered by its own hash: "A JWT cannot be reused."
	jti, _ := claims["jti"].(string)
	key := "jti:" + jti
	if jti == "" {
		sum := sha256.Sum256([]byte(assertion))
		key = "sha256:" + hex.EncodeToString(sum[:])
	}
	if !m.store.useJTI(key, exp.Add(m.store.currentSettings().GrantClockSkew.D())) {
		return nil, oauth(codeInvalidGrant, mpReplay, jti)
	}
	return &grant{client: client, scope: scope, amr: amr}, nil
}

func checkClaimNames(claims jwt.MapClaims) *oauthErr {
	var unknown []string
	for name := range claims {
		if !grantClaims[name] {
			unknown = append(unknown, name)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	sort.Strings(unknown)
	return oauth(codeInvalidGrant, mpUnknownClaim, strings.Join(unknown, ", "))
}

// grantKey finds the key that must have signed the grant: a registered key by kid, or the
// business certificate in x5c, which must be one registered for the client and valid now.
func (m *Maskinporten) grantKey(tok *jwt.Token, client *mpClient) (*rsa.PublicKey, string, *oauthErr) {
	if kid, ok := tok.Header["kid"].(string); ok && kid != "" {
		pub, found := client.keys[kid]
		if !found {
			return nil, "", oauth(codeInvalidGrant, mpUnknownKid, kid)
		}
		return pub, "private_key_jwt", nil
	}
	chain, ok := tok.Header["x5c"].([]any)
	if !ok || len(chain) == 0 {
		return nil, "", oauth(codeInvalidGrant, mpNoKeyRef)
	}
	b64, _ := chain[0].(string)
	der, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return nil, "", oauth(codeInvalidGrant, mpBadX5C)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, "", oauth(codeInvalidGrant, mpBadX5C)
	}
	registered, found := client.certs[sha256.Sum256(cert.Raw)]
	if !found {
		return nil, "", oauth(codeInvalidGrant, mpBadSignature)
	}
	if now := m.env.Clock.Now(); now.Before(registered.NotBefore) || now.After(registered.NotAfter) {
		return nil, "", oauth(codeInvalidGrant, mpCertNotValid)
	}
	pub, ok := registered.PublicKey.(*rsa.PublicKey)
	if !ok {
		return nil, "", oauth(codeInvalidGrant, mpBadX5C)
	}
	return pub, "virksomhetssertifikat", nil
}

// checkAudience accepts the real test issuer and the mock's own.
func checkAudience(aud any, own string) *oauthErr {
	var values []string
	switch a := aud.(type) {
	case string:
		values = []string{a}
	case []any:
		for _, v := range a {
			if s, ok := v.(string); ok {
				values = append(values, s)
			}
		}
	case nil:
		return oauth(codeInvalidGrant, mpMissingClaim, "aud")
	}
	for _, v := range values {
		if v == TestIssuer || v == own {
			return nil
		}
	}
	return oauth(codeInvalidGrant, mpBadAud, fmt.Sprint(aud))
}

// checkTimes judges a grant's times as Maskinporten's server does: iat only against the
// future (now + skew < iat), exp only against the past (now - skew > exp), and the lifetime
// exp - iat at most MaxGrantLifetime. An iat in the past is fine: clients such as
// golang.org/x/oauth2/jwt back-date it on purpose. It returns exp.
func (m *Maskinporten) checkTimes(claims jwt.MapClaims) (time.Time, *oauthErr) {
	settings := m.store.currentSettings()
	iat, okIat := numericDate(claims["iat"])
	exp, okExp := numericDate(claims["exp"])
	switch {
	case !okIat:
		return time.Time{}, oauth(codeInvalidGrant, mpMissingClaim, "iat")
	case !okExp:
		return time.Time{}, oauth(codeInvalidGrant, mpMissingClaim, "exp")
	}
	maxLife := settings.MaxGrantLifetime.D()
	if life := exp.Sub(iat); life > maxLife {
		return time.Time{}, oauth(codeInvalidGrant, mpLifetime, ceilSeconds(life), floorSeconds(maxLife))
	}
	now, skew := m.env.Clock.Now(), settings.GrantClockSkew.D()
	if now.After(exp.Add(skew)) {
		return time.Time{}, oauth(codeInvalidGrant, mpExpired)
	}
	if ahead := iat.Sub(now); ahead > skew {
		return time.Time{}, oauth(codeInvalidGrant, mpIatFuture, ceilSeconds(ahead), floorSeconds(skew))
	}
	return exp, nil
}

// ceilSeconds and floorSeconds round a measured excess up and its limit down, so that a
// refusal never reads "10 seconds; at most 10 allowed".
func ceilSeconds(d time.Duration) int64  { return int64(math.Ceil(d.Seconds())) }
func floorSeconds(d time.Duration) int64 { return int64(math.Floor(d.Seconds())) }

func numericDate(v any) (time.Time, bool) {
	f, ok := v.(float64)
	if !ok {
		return time.Time{}, false
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)), true
}

// checkScope: every requested scope must be registered for the client.
func checkScope(v any, client *mpClient) (string, *oauthErr) {
	s, _ := v.(string)
	scopes := strings.Fields(s)
	if len(scopes) == 0 {
		return "", oauth(codeInvalidScope, mpNoScope)
	}
	for _, sc := range scopes {
		if !client.scopes[sc] {
			return "", oauth(codeInvalidScope, mpScopeNotAllowed, client.ClientID, sc)
		}
	}
	return strings.Join(scopes, " "), nil
}

// accessToken signs Maskinporten's access token: RS256 with Maskinporten's kid and the claims
// a real token carries (a 2023 log shows them).
func (m *Maskinporten) accessToken(r *http.Request, g *grant, ttl time.Duration) (string, error) {
	now := m.env.Clock.Now()
	jtiBytes, _ := hex.DecodeString(m.env.IDs.Hex(64))
	claims := jwt.MapClaims{
		"scope":      g.scope,
		"iss":        core.PublicBase(r) + MaskinportenBasePath + "/",
		"client_amr": g.amr,
		"token_type": "Bearer",
		"exp":        now.Add(ttl).Unix(),
		"iat":        now.Unix(),
		"client_id":  g.client.ClientID,
		"jti":        base64.RawURLEncoding.EncodeToString(jtiBytes),
		"consumer":   map[string]string{"authority": "iso6523-actorid-upis", "ID": "0192:" + g.client.OrgNo},
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	tok.Header = map[string]any{"kid": m.kid, "alg": "RS256"}
	return tok.SignedString(m.key)
}

// parseForm reads an application/x-www-form-urlencoded body the core has read.
func parseForm(r *http.Request, notForm string) (url.Values, *oauthErr) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/x-www-form-urlencoded" {
		return nil, oauth(codeInvalidRequest, "%s", notForm)
	}
	form, err := url.ParseQuery(string(core.Body(r)))
	if err != nil {
		return nil, oauth(codeInvalidRequest, "%s", notForm)
	}
	return form, nil
}

// redactFormJWT replaces the signature of the JWT in a form field with REDACTED, keeping the
// form otherwise as sent.
func redactFormJWT(body []byte, field string) []byte {
	parts := strings.Split(string(body), "&")
	changed := false
	for i, p := range parts {
		name, value, ok := strings.Cut(p, "=")
		if !ok || name != field {
			continue
		}
		segs := strings.Split(value, ".")
		if len(segs) == 3 {
			parts[i] = name + "=" + segs[0] + "." + segs[1] + ".REDACTED"
			changed = true
		}
	}
	if !changed {
		return body
	}
	return []byte(strings.Join(parts, "&"))
}
