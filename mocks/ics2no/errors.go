package ics2no

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/upmock/upmock/mocks/core"
)

// oauthErr is an OAuth 2.0 error response (RFC 6749 section 5.2) of Maskinporten or of the
// token exchange: one value per refusal, written by writeOAuth.
type oauthErr struct {
	status      int
	code        string
	description string
}

func (e *oauthErr) Error() string { return e.code + ": " + e.description }

func oauth(code, format string, args ...any) *oauthErr {
	return &oauthErr{status: http.StatusBadRequest, code: code, description: fmt.Sprintf(format, args...)}
}

// OAuth error codes.
const (
	codeInvalidRequest       = "invalid_request"
	codeInvalidClient        = "invalid_client"
	codeInvalidGrant         = "invalid_grant"
	codeInvalidScope         = "invalid_scope"
	codeUnsupportedGrantType = "unsupported_grant_type"
	codeServerError          = "server_error"
	codeUnavailable          = "temporarily_unavailable"
)

// Maskinporten's refusals. The one real description the public material shows is
// "Invalid assertion. Client authentication failed. Invalid JWT signature. The JWT is
// signed with an invalid certificate. (correlation id: …)"; the others follow its style
// (NOTES.md). A correlation id is appended when written.
const (
	mpPrefix          = "Invalid assertion. "
	mpAuthFailed      = mpPrefix + "Client authentication failed. "
	mpBadSignature    = mpAuthFailed + "Invalid JWT signature. The JWT is signed with an invalid certificate."
	mpUnknownKid      = mpAuthFailed + "No key registered for the client with kid %s."
	mpNoKeyRef        = mpAuthFailed + "The JWT header must contain either kid or x5c."
	mpBadX5C          = mpAuthFailed + "The x5c certificate could not be read."
	mpCertNotValid    = mpAuthFailed + "The certificate in x5c is not valid at this time."
	mpBadAlg          = mpPrefix + "Unsupported JWT alg %s; use RS256, RS384 or RS512."
	mpMalformed       = mpPrefix + "The JWT could not be parsed."
	mpUnknownClient   = "Invalid client: no client with client_id %s."
	mpBadAud          = mpPrefix + "Invalid audience %s; the aud claim must be Maskinporten's issuer."
	mpMissingClaim    = mpPrefix + "Missing claim: %s."
	mpUnknownClaim    = mpPrefix + "Unsupported claim: %s."
	mpLifetime        = mpPrefix + "The JWT lives too long: exp - iat is %d seconds; at most %d are allowed."
	mpExpired         = mpPrefix + "The JWT has expired."
	mpIatFuture       = mpPrefix + "The JWT issue time is in the future: iat is %d seconds ahead of Maskinporten's clock; at most %d are allowed."
	mpReplay          = mpPrefix + "The JWT has already been used (jti %s)."
	mpScopeNotAllowed = "Invalid scope: the client %s is not allowed the scope %s."
	mpNoScope         = "Invalid scope: no scope requested."
)

// The token exchange's refusals (mock wording; NOTES.md).
const (
	exGrantType   = "grant_type must be token-exchange."
	exTokenType   = "subject_token_type must be access_token."
	exNoToken     = "subject_token is missing."
	exNotMP       = "subject_token is not a valid Maskinporten access token."
	exExpired     = "subject_token has expired."
	exNoScope     = "subject_token does not grant the scope toll:movement/entry or toll:eu/movement/entry."
	exNotForm     = "The request must be application/x-www-form-urlencoded."
	mpNotForm     = "The request must be application/x-www-form-urlencoded."
	mpGrantType   = "Unsupported grant type %s; use urn:ietf:params:oauth:grant-type:jwt-bearer."
	mpNoGrant     = "Missing grant_type."
	mpNoAssertion = "Missing assertion."
)

// Validation error descriptions. "Ugyldig verdi" is the one the public material shows
// (Tolletaten's Digitoll validation status); the others are the mock's own Norwegian.
const (
	descInvalidValue     = "Ugyldig verdi"
	descMissingValue     = "Påkrevd verdi mangler"
	descUnknownReference = "Referansen finnes ikke"
	descAlreadyPresented = "Sendingen er allerede fremlagt"
	descRequestIDReused  = "requestId er allerede brukt"
	descInvalidJSON      = "Ugyldig JSON"
)

// jsonBody encodes v without HTML escaping, as the upstreams do.
func jsonBody(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// writeJSON is the one writer of every JSON answer of both mocks.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(jsonBody(v))
}

// writeOAuth writes an OAuth error and notes it in the journal.
func writeOAuth(w http.ResponseWriter, r *http.Request, e *oauthErr) {
	core.Annotate(r, "error", e.code+": "+e.description)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	writeJSON(w, e.status, OAuthError{Error: e.code, ErrorDescription: e.description})
}

// httpError is the service's plain error body (Spring Boot's default error attributes).
func httpError(status int, at time.Time, path string) HTTPError {
	return HTTPError{Timestamp: at.UTC().Format(springTimeFmt), Status: status, Error: http.StatusText(status), Path: path}
}

// upstreamPath is the request's path as the upstream sees it: below the mock's base path.
func upstreamPath(r *http.Request, base string) string {
	if p := strings.TrimPrefix(r.URL.Path, base); p != "" {
		return p
	}
	return "/"
}

// bearerChallenge is an RFC 6750 refusal of the Customs token: a status, an empty body and
// the WWW-Authenticate header a Spring resource server writes.
type bearerChallenge struct {
	status      int
	code        string // "" for a request without a token
	description string
}

func (e *bearerChallenge) Error() string { return e.code + ": " + e.description }

const rfc6750URI = "https://tools.ietf.org/html/rfc6750#section-3.1"

// The resource server's descriptions (Spring Security with Nimbus), character for character.
const (
	jwtDecodeError     = "An error occurred while attempting to decode the Jwt: "
	jwtMalformed       = jwtDecodeError + "Malformed token"
	jwtNoMatchingKey   = jwtDecodeError + "Signed JWT rejected: Another algorithm expected, or no matching key(s) found"
	jwtBadSignature    = jwtDecodeError + "Signed JWT rejected: Invalid signature"
	jwtExpiredAt       = jwtDecodeError + "Jwt expired at %s"
	jwtBadIssuer       = jwtDecodeError + "The iss claim is not valid"
	insufficientScope  = "The request requires higher privileges than provided by the access token."
	wwwAuthenticateKey = "WWW-Authenticate"
)

var errNoBearer = &bearerChallenge{status: http.StatusUnauthorized}

func invalidToken(format string, args ...any) *bearerChallenge {
	return &bearerChallenge{status: http.StatusUnauthorized, code: "invalid_token", description: fmt.Sprintf(format, args...)}
}

var errInsufficientScope = &bearerChallenge{status: http.StatusForbidden, code: "insufficient_scope", description: insufficientScope}

// writeChallenge writes a bearer refusal.
func writeChallenge(w http.ResponseWriter, r *http.Request, e *bearerChallenge) {
	value := "Bearer"
	if e.code != "" {
		value = fmt.Sprintf(`Bearer error="%s", error_description="%s", error_uri="%s"`, e.code, e.description, rfc6750URI)
		core.Annotate(r, "auth", e.code+": "+e.description)
	} else {
		core.Annotate(r, "auth", "no bearer token")
	}
	w.Header().Set(wwwAuthenticateKey, value)
	w.WriteHeader(e.status)
}
