package atlasclient

import (
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// RequestDateLayout is the JWT requestDate format: ISO 8601 extended, UTC, to the second.
const RequestDateLayout = "2006-01-02T15:04:05Z"

// MintJWT returns the token the upstream expects in the Authorization header: HS256 over
// the payload {"requestDate": now in UTC}, signed with the API secret. The upstream
// rejects a token older than one minute (errorCode 801), so mint one per request.
func MintJWT(apiSecret string, now time.Time) (string, error) {
	claims := jwt.MapClaims{"requestDate": now.UTC().Format(RequestDateLayout)}
	return jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString([]byte(apiSecret))
}
