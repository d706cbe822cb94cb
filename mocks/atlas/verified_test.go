package atlas

import (
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"
)

// The remembered token answers only for the exact token and secret it was verified with.
func TestVerifiedTokensAnswerOnlyForTheSameTokenAndSecret(t *testing.T) {
	sign := func(secret string) string {
		raw, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"requestDate": "2026-11-25T10:00:00Z"}).SignedString([]byte(secret))
		if err != nil {
			t.Fatal(err)
		}
		return raw
	}
	var v verifiedTokens
	good := sign("secret-a")
	for range 2 { // the second answer comes from memory
		if date, err := v.requestDate(good, "secret-a"); err != nil || date != "2026-11-25T10:00:00Z" {
			t.Fatalf("valid token: %q, %v", date, err)
		}
	}
	if _, err := v.requestDate(good, "secret-b"); err == nil {
		t.Fatal("a token signed with secret-a passed for secret-b")
	}
	other := sign("secret-c")
	forged := good[:strings.LastIndexByte(good, '.')] + other[strings.LastIndexByte(other, '.'):] // header and payload kept, signature swapped
	if _, err := v.requestDate(forged, "secret-a"); err == nil {
		t.Fatal("a token with another signature passed after the valid one was remembered")
	}
}
