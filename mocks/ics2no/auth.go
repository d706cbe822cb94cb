package ics2no

import (
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/upmock/upmock/mocks/core"
)

// Scopes. The Maskinporten scopes are Tolletaten's; the Customs token's internal scopes are
// the mock's own names, shaped like the ones a real Customs token carries
// ("datautveksling.<area>.<access>", NOTES.md).
const (
	ScopeEntry        = "toll:movement/entry"
	ScopeEUEntry      = "toll:eu/movement/entry"
	ScopePresentation = "datautveksling.fremlegging.registrering"
	ScopeRouting      = "datautveksling.kontrolldirigering.lesing"

	exchangePath      = "/api/access/external/oauth/token"
	customsIssuerPath = "/api/authentication/external-access-control/v1"
)

// CustomsIssuer is the iss of the Customs tokens a mock at publicBase issues.
func CustomsIssuer(publicBase string) string { return publicBase + BasePath + customsIssuerPath }

// customsToken signs the Customs token: RS512, a header with alg only, and the claims a real
// one carries (sub, iat, exp, iss, scope).
func (m *Mock) customsToken(r *http.Request, org string, ttl time.Duration) (string, error) {
	now := m.env.Clock.Now()
	tok := jwt.NewWithClaims(jwt.SigningMethodRS512, jwt.MapClaims{
		"sub":   org,
		"iat":   now.Unix(),
		"exp":   now.Add(ttl).Unix(),
		"iss":   CustomsIssuer(core.PublicBase(r)),
		"scope": ScopePresentation + " " + ScopeRouting,
	})
	tok.Header = map[string]any{"alg": "RS512"}
	return tok.SignedString(m.tollKey)
}

// maskinportenToken checks a token offered for exchange: Maskinporten's signature, not
// expired on the session clock, and a Tolletaten scope for this API. It returns the org.
func (m *Mock) maskinportenToken(raw string) (string, *oauthErr) {
	claims := jwt.MapClaims{}
	if _, err := jwt.ParseWithClaims(raw, claims, func(*jwt.Token) (any, error) { return m.mpKey, nil },
		jwt.WithValidMethods([]string{"RS256"}), jwt.WithoutClaimsValidation()); err != nil {
		return "", oauth(codeInvalidGrant, exNotMP)
	}
	iss, _ := claims["iss"].(string)
	consumer, _ := claims["consumer"].(map[string]any)
	id, _ := consumer["ID"].(string)
	org, isOrg := strings.CutPrefix(id, "0192:")
	exp, hasExp := numericDate(claims["exp"])
	if !strings.HasSuffix(iss, MaskinportenBasePath+"/") || !isOrg || org == "" || !hasExp {
		return "", oauth(codeInvalidGrant, exNotMP)
	}
	if !m.env.Clock.Now().Before(exp) {
		return "", oauth(codeInvalidGrant, exExpired)
	}
	scope, _ := claims["scope"].(string)
	for _, s := range strings.Fields(scope) {
		if s == ScopeEntry || s == ScopeEUEntry {
			return org, nil
		}
	}
	return "", oauth(codeInvalidScope, exNoScope)
}

// bearerPattern is the resource server's bearer token syntax (RFC 6750 b64token).
var bearerPattern = regexp.MustCompile(`(?i)^bearer (?P<token>[a-zA-Z0-9\-._~+/]+=*)$`)

// authenticate checks the Customs token as the API's resource server does, in its order:
// the header, the JWT's structure, key and algorithm (RS512, the Customs key), signature,
// expiry (with the clock skew), issuer, then the scope the operation needs. It returns the
// org (sub).
func (m *Mock) authenticate(r *http.Request, scope string) (string, *bearerChallenge) {
	header := r.Header.Get("Authorization")
	if !strings.HasPrefix(strings.ToLower(header), "bearer") {
		return "", errNoBearer
	}
	match := bearerPattern.FindStringSubmatch(header)
	if match == nil {
		return "", invalidToken("Bearer token is malformed")
	}
	raw := match[1]
	claims := jwt.MapClaims{}
	tok, _, err := jwt.NewParser().ParseUnverified(raw, claims)
	if err != nil {
		return "", invalidToken(jwtMalformed)
	}
	if _, hasKid := tok.Header["kid"]; hasKid || tok.Method.Alg() != "RS512" {
		return "", invalidToken(jwtNoMatchingKey)
	}
	if _, err := jwt.Parse(raw, func(*jwt.Token) (any, error) { return &m.tollKey.PublicKey, nil },
		jwt.WithValidMethods([]string{"RS512"}), jwt.WithoutClaimsValidation()); err != nil {
		return "", invalidToken(jwtBadSignature)
	}
	exp, ok := numericDate(claims["exp"])
	if !ok {
		return "", invalidToken(jwtMalformed)
	}
	if m.env.Clock.Now().After(exp.Add(m.store.currentSettings().BearerClockSkew.D())) {
		return "", invalidToken(jwtExpiredAt, exp.UTC().Format(isoSeconds))
	}
	if iss, _ := claims["iss"].(string); !strings.HasSuffix(iss, BasePath+customsIssuerPath) {
		return "", invalidToken(jwtBadIssuer)
	}
	granted, _ := claims["scope"].(string)
	if !hasScope(granted, scope) {
		return "", errInsufficientScope
	}
	org, _ := claims["sub"].(string)
	core.Annotate(r, "auth", "ok org "+org+" token exp "+exp.UTC().Format(isoSeconds))
	return org, nil
}

func hasScope(granted, want string) bool {
	for _, s := range strings.Fields(granted) {
		if s == want {
			return true
		}
	}
	return false
}
