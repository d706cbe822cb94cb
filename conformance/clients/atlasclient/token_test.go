package atlasclient

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

func TestMintJWTIsHS256OverRequestDateOnly(t *testing.T) {
	tokyo := time.FixedZone("JST", 9*3600)
	token, err := MintJWT("s3cret", time.Date(2026, 11, 25, 19, 0, 5, 999_000_000, tokyo))
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("token %q is not a JWS", token)
	}
	if got := decodeSegment(t, parts[0]); got != `{"alg":"HS256","typ":"JWT"}` {
		t.Fatalf("header = %s", got)
	}
	if got := decodeSegment(t, parts[1]); got != `{"requestDate":"2026-11-25T10:00:05Z"}` {
		t.Fatalf("payload = %s", got)
	}
	_, err = jwt.Parse(token, func(*jwt.Token) (any, error) { return []byte("s3cret"), nil },
		jwt.WithValidMethods([]string{"HS256"}))
	if err != nil {
		t.Fatalf("signature does not verify with the secret: %v", err)
	}
}

func decodeSegment(t *testing.T, s string) string {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// verifyAuthHeaders checks one API request's ATLAS headers and returns its JWT.
func verifyAuthHeaders(t *testing.T, r recorded) string {
	t.Helper()
	if got := r.Header.Get(HeaderAPIKey); got != testKey {
		t.Fatalf("%s %s: X-ATLAS-API-Key = %q", r.Method, r.Path, got)
	}
	token := r.Header.Get("Authorization")
	if strings.HasPrefix(token, "Bearer") {
		t.Fatalf("Authorization carries a scheme: %q", token)
	}
	if _, err := jwt.Parse(token, func(*jwt.Token) (any, error) { return []byte(testSecret), nil }); err != nil {
		t.Fatalf("%s %s: Authorization %q: %v", r.Method, r.Path, token, err)
	}
	return token
}

func verifyNoAuthHeaders(t *testing.T, r recorded) {
	t.Helper()
	for _, h := range []string{HeaderAPIKey, "Authorization"} {
		if v := r.Header.Get(h); v != "" {
			t.Fatalf("download %s carries %s: %q", r.Path, h, v)
		}
	}
}
