package ics2no

import (
	"net/http"

	"github.com/upmock/upmock/mocks/core"
)

// handleExchange is POST /api/access/external/oauth/token: a Maskinporten access token for a
// Customs token, with the short form values the real client sends (not RFC 8693's URNs).
func (m *Mock) handleExchange(w http.ResponseWriter, r *http.Request) {
	form, e := parseForm(r, exNotForm)
	if e != nil {
		writeOAuth(w, r, e)
		return
	}
	switch {
	case form.Get("grant_type") != "token-exchange":
		writeOAuth(w, r, oauth(codeUnsupportedGrantType, exGrantType))
		return
	case form.Get("subject_token_type") != "access_token":
		writeOAuth(w, r, oauth(codeInvalidRequest, exTokenType))
		return
	case form.Get("subject_token") == "":
		writeOAuth(w, r, oauth(codeInvalidRequest, exNoToken))
		return
	}
	org, e := m.maskinportenToken(form.Get("subject_token"))
	if e != nil {
		writeOAuth(w, r, e)
		return
	}
	ttl := m.store.currentSettings().CustomsTokenTTL.D()
	token, err := m.customsToken(r, org, ttl)
	if err != nil {
		m.env.Logger.Error("signing a Customs token", "err", err)
		writeJSON(w, http.StatusInternalServerError, httpError(http.StatusInternalServerError, m.env.Clock.Now(), upstreamPath(r, BasePath)))
		return
	}
	core.Annotate(r, "token", "Customs token for org "+org+", "+ttl.String())
	writeJSON(w, http.StatusOK, CustomsTokenResponse{AccessToken: token, ExpiresIn: expiresIn(ttl)})
}
