package naccs

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/upmock/upmock/mocks/core"
)

// Authentication. The public record does not show CyberPort's scheme (NOTES.md); the mock
// defaults to OAuth 2.0 client credentials at the ASP.NET Web API OWIN token endpoint
// (POST /Token → bearer token), one credential per CyberPort user of an organisation. The
// setting authScheme swaps in an Azure API Management subscription key instead; each
// scheme is one authenticator, so another is one more case here.

type authenticator func(m *Mock, r *http.Request) (*APIClient, *apiError)

var authenticators = map[string]authenticator{
	SchemeClientCredentials: bearerAuth,
	SchemeSubscriptionKey:   subscriptionKeyAuth,
}

// authenticate identifies the caller of an API operation by the session's scheme.
func (m *Mock) authenticate(r *http.Request) (*APIClient, *apiError) {
	return authenticators[m.store.currentSettings().AuthScheme](m, r)
}

func bearerAuth(m *Mock, r *http.Request) (*APIClient, *apiError) {
	scheme, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if !strings.EqualFold(scheme, "Bearer") || token == "" {
		core.Annotate(r, "auth", "401 no bearer token")
		return nil, errUnauthorized
	}
	c, why := m.store.tokenClient(token)
	if c == nil {
		core.Annotate(r, "auth", "401 "+why)
		return nil, errUnauthorized
	}
	core.Annotate(r, "auth", "ok "+c.ClientID)
	return c, nil
}

func subscriptionKeyAuth(m *Mock, r *http.Request) (*APIClient, *apiError) {
	key := r.Header.Get("Ocp-Apim-Subscription-Key")
	if key == "" {
		key = r.URL.Query().Get("subscription-key") // API Management accepts either
	}
	if key == "" {
		core.Annotate(r, "auth", "401 no subscription key")
		return nil, errAPIMMissingKey
	}
	c := m.store.secretClient(key)
	if c == nil {
		core.Annotate(r, "auth", "401 unknown subscription key")
		return nil, errAPIMInvalidKey
	}
	core.Annotate(r, "auth", "ok "+c.ClientID)
	return c, nil
}

// tokenClient finds the client of a live bearer token, or says why not.
func (s *store) tokenClient(token string) (*APIClient, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.tokens[token]
	switch {
	case t == nil:
		return nil, "unknown bearer token"
	case !s.now().Before(t.Expires):
		return nil, "bearer token expired at " + fmtTime(t.Expires)
	}
	return s.clients[t.ClientID], ""
}

func (s *store) secretClient(secret string) *APIClient {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.state.Clients {
		if c.ClientSecret == secret {
			return c
		}
	}
	return nil
}

// issueToken checks client credentials and issues a bearer token valid TokenTTL on the
// session clock; expired tokens are dropped.
func (s *store) issueToken(clientID, secret string) (TokenResponse, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.clients[clientID]
	if c == nil || c.ClientSecret != secret {
		return TokenResponse{}, errInvalidClient
	}
	now := s.now()
	kept := s.state.Tokens[:0]
	for _, t := range s.state.Tokens {
		if now.Before(t.Expires) {
			kept = append(kept, t)
		} else {
			delete(s.tokens, t.AccessToken)
		}
	}
	ttl := s.settings.TokenTTL.D()
	t := &Token{AccessToken: s.ids.Hex(64), ClientID: clientID, Expires: now.Add(ttl)}
	s.state.Tokens = append(kept, t)
	s.tokens[t.AccessToken] = t
	return TokenResponse{AccessToken: t.AccessToken, TokenType: "bearer", ExpiresIn: int64(ttl / time.Second)}, nil
}

// handleToken is POST /Token: grant_type=client_credentials with client_id and
// client_secret in the form or in HTTP Basic authentication.
func (m *Mock) handleToken(w http.ResponseWriter, r *http.Request) {
	form, err := url.ParseQuery(string(core.Body(r)))
	if err != nil {
		m.fail(w, r, errInvalidGrant)
		return
	}
	if form.Get("grant_type") != "client_credentials" {
		m.fail(w, r, errUnsupportedType)
		return
	}
	id, secret, basic := r.BasicAuth()
	if !basic {
		id, secret = form.Get("client_id"), form.Get("client_secret")
	}
	tok, apiErr := m.store.issueToken(id, secret)
	if apiErr != nil {
		core.Annotate(r, "auth", "invalid_client "+id)
		m.fail(w, r, apiErr)
		return
	}
	core.Annotate(r, "auth", "token for "+id)
	w.Header().Set("Cache-Control", "no-cache")
	writeJSON(w, http.StatusOK, jsonBody(tok))
}

// RedactBody keeps client secrets out of the journal.
func (m *Mock) RedactBody(contentType string, body []byte) []byte {
	if !strings.HasPrefix(contentType, "application/x-www-form-urlencoded") {
		return body
	}
	form, err := url.ParseQuery(string(body))
	if err != nil || form.Get("client_secret") == "" {
		return body
	}
	form.Set("client_secret", "REDACTED")
	return []byte(form.Encode())
}
