package atlas

import (
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/upmock/upmock/mocks/core"
)

// requestDatePattern is the document's YYYY-MM-DDThh:mm:ssZ (UTC, seconds, no fraction).
var requestDatePattern = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$`)

// authenticate checks, in the order the upstream's gateway does: the API key (800), the key's
// rate (803), the JWT's signature with the key's secret and HS256 only (800), its requestDate
// format and whether it lies more than requestDateSkew ahead (804), and its age on the mock
// clock (801).
func (m *Mock) authenticate(r *http.Request) (keyInfo, *apiError) {
	key, ok := m.store.lookupKey(r.Header.Get("X-ATLAS-API-Key"))
	if !ok {
		core.Annotate(r, "auth", "800 unknown or missing X-ATLAS-API-Key")
		return keyInfo{}, &errAuthorization
	}
	if !m.store.allow(key.APIKey.APIKey) {
		core.Annotate(r, "auth", "803 throttled")
		return keyInfo{}, &errThrottled
	}
	// The document says only that the header carries the JWT; a "Bearer " prefix is accepted
	// too (NOTES.md).
	raw := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	value, err := m.verified.requestDate(raw, key.APISecret)
	if err != nil {
		core.Annotate(r, "auth", "800 "+err.Error())
		return keyInfo{}, &errAuthorization
	}
	requestDate, err := time.Parse(requestDateLayout, value)
	if !requestDatePattern.MatchString(value) || err != nil {
		core.Annotate(r, "auth", "804 requestDate "+quote(value))
		return keyInfo{}, &errRequestDateFormat
	}
	settings := m.store.currentSettings()
	age := m.env.Clock.Now().Sub(requestDate)
	if -age > settings.RequestDateSkew.D() {
		// A JWT dated ahead would otherwise live until its date plus a minute (NOTES.md).
		core.Annotate(r, "auth", "804 requestDate "+value+" is "+(-age).Round(time.Second).String()+" ahead")
		return keyInfo{}, &errRequestDateFormat
	}
	if age > settings.JWTValidity.D() {
		core.Annotate(r, "auth", "801 requestDate "+value+" is "+age.Round(time.Second).String()+" old")
		return keyInfo{}, &errJWTExpired
	}
	core.Annotate(r, "auth", "ok requestDate "+value)
	return key, nil
}

// verifiedTokens remembers the last JWT each secret verified: a client signs one per
// requestDate, which has a resolution of one second, so its requests within that second carry
// the same token, and parsing and checking it again would give the same answer.
type verifiedTokens struct {
	mu   sync.Mutex
	last map[string]verifiedToken // by secret
}

type verifiedToken struct{ raw, requestDate string }

// requestDate verifies raw (HS256 only, signed with secret) and returns its requestDate claim
// ("" when absent or not a string).
func (v *verifiedTokens) requestDate(raw, secret string) (string, error) {
	v.mu.Lock()
	hit, ok := v.last[secret]
	v.mu.Unlock()
	if ok && hit.raw == raw {
		return hit.requestDate, nil
	}
	claims := jwt.MapClaims{}
	_, err := jwt.ParseWithClaims(raw, claims, func(*jwt.Token) (any, error) { return []byte(secret), nil },
		jwt.WithValidMethods([]string{"HS256"}), jwt.WithoutClaimsValidation())
	if err != nil {
		return "", err
	}
	value, _ := claims["requestDate"].(string)
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.last == nil || len(v.last) >= maxVerifiedSecrets {
		v.last = map[string]verifiedToken{}
	}
	v.last[secret] = verifiedToken{raw, value}
	return value, nil
}

// maxVerifiedSecrets bounds the memory (a state PUT can seed any number of keys).
const maxVerifiedSecrets = 256

func quote(s string) string { return `"` + s + `"` }
