package ics2no

import (
	"bytes"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"sync"

	"github.com/upmock/upmock/mocks/core"
	"github.com/upmock/upmock/specs"
)

// Name and BasePath of the Maskinporten mock, the first token hop.
const (
	MaskinportenName     = "maskinporten"
	MaskinportenBasePath = "/maskinporten"
)

// TestIssuer is the real test environment's issuer, accepted as a grant's aud next to the
// mock's own <base>/maskinporten/.
const TestIssuer = "https://test.maskinporten.no/"

// mpSpec is the document, parsed once per process (on first use).
var mpSpec = sync.OnceValue(func() *core.Spec { return core.MustLoadSpec(specs.Read(MaskinportenName)) })

// MaskinportenAPI is Maskinporten's /token endpoint for core.Server.
type MaskinportenAPI struct{}

// Name is "maskinporten".
func (MaskinportenAPI) Name() string { return MaskinportenName }

// BasePath is "/maskinporten", the stand-in for https://test.maskinporten.no.
func (MaskinportenAPI) BasePath() string { return MaskinportenBasePath }

// FixtureDir is fixtures/ics2no/: Maskinporten's test clients live with ICS2's data.
func (MaskinportenAPI) FixtureDir() string { return embeddedFixturesDir }

// Spec is specs/maskinporten/openapi.yaml, parsed once per process.
func (MaskinportenAPI) Spec() *core.Spec {
	return mpSpec()
}

// New makes a session's Maskinporten from the fixtures.
func (MaskinportenAPI) New(env *core.Env) (core.Instance, error) {
	fsys, err := maskinportenFixtures(env)
	if err != nil {
		return nil, err
	}
	key, err := readPrivateKey(fsys, fileMPKey)
	if err != nil {
		return nil, err
	}
	m := &Maskinporten{env: env, fixtures: fsys, key: key, kid: keyThumbprint(&key.PublicKey), store: &mpStore{clock: env.Clock}}
	settings, state, err := m.loadFixtures()
	if err != nil {
		return nil, err
	}
	m.store.settings = settings
	if err := m.store.load(state); err != nil {
		return nil, err
	}
	return m, nil
}

// Maskinporten is one session's Maskinporten.
type Maskinporten struct {
	env      *core.Env
	fixtures fs.FS
	key      *rsa.PrivateKey // signs access tokens (RS256)
	kid      string
	store    *mpStore
}

func (m *Maskinporten) loadFixtures() (MaskinportenSettings, MaskinportenState, error) {
	var settings MaskinportenSettings
	var state MaskinportenState
	if err := core.DecodeFixture(m.fixtures, fileMPSettings, &settings); err != nil {
		return settings, state, err
	}
	if err := settings.validate(); err != nil {
		return settings, state, fmt.Errorf("ics2no fixtures: %s: %w", fileMPSettings, err)
	}
	if err := core.DecodeFixture(m.fixtures, fileMPClients, &state); err != nil {
		return settings, state, err
	}
	return settings, state, resolveFiles(m.fixtures, &state)
}

// Unrouted is the 404 of the service's HTTP stack.
func (m *Maskinporten) Unrouted(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusNotFound, httpError(http.StatusNotFound, m.env.Clock.Now(), upstreamPath(r, MaskinportenBasePath)))
}

// FaultResponse is Maskinporten's OAuth error body for an injected status.
func (m *Maskinporten) FaultResponse(status int) (string, []byte) {
	code := codeServerError
	if status == http.StatusServiceUnavailable {
		code = codeUnavailable
	}
	return "application/json", jsonBody(OAuthError{Error: code, ErrorDescription: http.StatusText(status) + " (correlation id: " + m.env.IDs.UUID() + ")"})
}

// Reset returns to the fixtures.
func (m *Maskinporten) Reset() {
	settings, state, err := m.loadFixtures()
	if err != nil {
		m.env.Logger.Error("reset: fixtures unreadable", "err", err)
		return
	}
	m.store.setSettings(settings)
	if err := m.store.replace(state); err != nil {
		m.env.Logger.Error("reset: fixtures inconsistent", "err", err)
	}
}

// State is the clients and the remembered grant IDs.
func (m *Maskinporten) State() (any, error) { return m.store.snapshot() }

// SetState replaces clients and remembered grant IDs.
func (m *Maskinporten) SetState(raw json.RawMessage) error {
	var state MaskinportenState
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&state); err != nil {
		return fmt.Errorf("maskinporten state: %w", err)
	}
	return m.store.replace(state)
}

// Settings are the session's tunables.
func (m *Maskinporten) Settings() any { return m.store.currentSettings() }

// PatchSettings changes some tunables.
func (m *Maskinporten) PatchSettings(raw json.RawMessage) error {
	next, err := patch(m.store.currentSettings(), raw)
	if err != nil {
		return err
	}
	m.store.setSettings(next)
	return nil
}

// MPCredential is one test client as GET /__upmock/credentials lists it.
type MPCredential struct {
	ClientID string   `json:"clientId"`
	OrgNo    string   `json:"orgNo"`
	Name     string   `json:"name,omitempty"`
	Scopes   []string `json:"scopes"`
	Kid      string   `json:"kid,omitempty"`
	// PrivateKeyFile is the key's path from the repository root; PrivateKeyPEM the key.
	PrivateKeyFile string `json:"privateKeyFile,omitempty"`
	PrivateKeyPEM  string `json:"privateKeyPem,omitempty"`
	// CertificatePEM is the business certificate to send in x5c.
	CertificatePEM string `json:"certificatePem,omitempty"`
}

// MPCredentials are Maskinporten's seeded credentials.
type MPCredentials struct {
	TokenEndpoint string         `json:"tokenEndpoint"`
	Audiences     []string       `json:"audiences"`
	GrantType     string         `json:"grantType"`
	Clients       []MPCredential `json:"clients"`
}

// Credentials lists each test client with its key file, key and certificate.
func (m *Maskinporten) Credentials() any {
	state, err := m.store.snapshot()
	if err != nil {
		return nil
	}
	out := MPCredentials{
		TokenEndpoint: MaskinportenBasePath + "/token",
		Audiences:     []string{TestIssuer, "(this server's base URL)" + MaskinportenBasePath + "/"},
		GrantType:     grantTypeJWTBearer,
		Clients:       []MPCredential{},
	}
	for _, c := range state.Clients {
		cred := MPCredential{ClientID: c.ClientID, OrgNo: c.OrgNo, Name: c.Name, Scopes: c.Scopes}
		if len(c.Keys) > 0 {
			cred.Kid = c.Keys[0].Kid
		}
		if len(c.Certificates) > 0 {
			cred.CertificatePEM = c.Certificates[0].CertificatePEM
		}
		if c.PrivateKeyFile != "" {
			if raw, err := fs.ReadFile(m.fixtures, c.PrivateKeyFile); err == nil {
				cred.PrivateKeyFile, cred.PrivateKeyPEM = fixturesRepoPrefix+c.PrivateKeyFile, string(raw)
			}
		}
		out.Clients = append(out.Clients, cred)
	}
	return out
}

// RedactBody hides the signature of the grant in the journal; its header and claims stay
// readable for the conformance specs.
func (m *Maskinporten) RedactBody(contentType string, body []byte) []byte {
	return redactFormJWT(body, "assertion")
}
