package atlas

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"sync"

	"github.com/upmock/upmock/mocks/core"
	"github.com/upmock/upmock/specs"
)

// Name and BasePath of this mock.
const (
	Name     = "atlas"
	BasePath = "/atlas/v1"
)

// spec is the document, parsed once per process (on first use).
var spec = sync.OnceValue(func() *core.Spec { return core.MustLoadSpec(specs.Read(Name)) })

// API is the ATLAS-Things upstream for core.Server.
type API struct{}

// Name is "atlas".
func (API) Name() string { return Name }

// BasePath is "/atlas/v1", the mock's stand-in for https://api.atlas-things.io/v1.
func (API) BasePath() string { return BasePath }

// Spec is specs/atlas/openapi.yaml, parsed once per process.
func (API) Spec() *core.Spec {
	return spec()
}

// New makes a session's instance from its fixtures.
func (a API) New(env *core.Env) (core.Instance, error) {
	fsys := env.Fixtures
	m := &Mock{env: env, fixtures: fsys}
	settings, state, err := m.loadFixtures()
	if err != nil {
		return nil, err
	}
	if m.store, err = newStore(env.Clock, env.IDs, settings, state); err != nil {
		return nil, err
	}
	return m, nil
}

// Mock is one session's ATLAS-Things.
type Mock struct {
	env      *core.Env
	fixtures fs.FS
	store    *store
	verified verifiedTokens
}

// loadFixtures reads settings.json and tenants.json, filling master contents from their files.
func (m *Mock) loadFixtures() (Settings, State, error) {
	var settings Settings
	var state State
	if err := core.DecodeFixture(m.fixtures, "settings.json", &settings); err != nil {
		return settings, state, err
	}
	if err := settings.validate(); err != nil {
		return settings, state, fmt.Errorf("atlas fixtures: settings.json: %w", err)
	}
	if err := core.DecodeFixture(m.fixtures, "tenants.json", &state); err != nil {
		return settings, state, err
	}
	for _, t := range state.Tenants {
		for mi := range t.Masters {
			for vi := range t.Masters[mi].Versions {
				v := &t.Masters[mi].Versions[vi]
				if v.File == "" {
					continue
				}
				content, err := fs.ReadFile(m.fixtures, v.File)
				if err != nil {
					return settings, state, fmt.Errorf("atlas fixtures: master %s: %w", t.Masters[mi].Name, err)
				}
				v.Content, v.File = string(content), ""
			}
		}
	}
	return settings, state, nil
}

// Reset returns to the fixtures.
func (m *Mock) Reset() {
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

// Close gives back the memory the session's accepted registrations hold (core.Closer).
func (m *Mock) Close() { m.store.close() }

// State is the model as JSON (pending registrations that are due are applied first).
func (m *Mock) State() (any, error) { return m.store.snapshot() }

// SetState replaces the model.
func (m *Mock) SetState(raw json.RawMessage) error {
	var state State
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&state); err != nil {
		return fmt.Errorf("atlas state: %w", err)
	}
	return m.store.replace(state)
}

// Settings are the session's tunables.
func (m *Mock) Settings() any { return m.store.currentSettings() }

// PatchSettings changes some tunables.
func (m *Mock) PatchSettings(raw json.RawMessage) error {
	next, err := m.store.currentSettings().patched(raw)
	if err != nil {
		return err
	}
	m.store.setSettings(next)
	return nil
}

// Credential is one seeded API key as GET /__upmock/credentials lists it.
type Credential struct {
	APIKey    string `json:"apiKey"`
	APISecret string `json:"apiSecret"`
	TenantID  string `json:"tenantId"`
	BaseID    string `json:"baseId"`
	BaseName  string `json:"baseName"`
}

// Credentials lists every API key with its secret, tenant and base.
func (m *Mock) Credentials() any {
	return struct {
		APIKeys []Credential `json:"apiKeys"`
	}{APIKeys: m.store.credentials()}
}

// Unrouted is API Gateway's answer to an unknown endpoint: 403 {"message":"Forbidden"}.
func (m *Mock) Unrouted(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusForbidden, jsonBody(gatewayForbidden))
}

// FaultResponse is the upstream's own body for an injected status.
func (m *Mock) FaultResponse(status int) (string, []byte) {
	switch status {
	case http.StatusForbidden:
		return "application/json", jsonBody(gatewayForbidden)
	case http.StatusInternalServerError:
		return "application/json", jsonBody(gatewayInternal)
	case http.StatusGatewayTimeout:
		return "application/json", jsonBody(gatewayTimeout)
	case http.StatusServiceUnavailable:
		// The document's maintenance sample carries an empty traceId.
		return "application/json", problemBody(&errMaintenance, "")
	}
	e := catalogueFor(status)
	return "application/json", problemBody(e, m.traceID())
}

// catalogueFor picks the catalogue entry a bare status stands for.
func catalogueFor(status int) *apiError {
	switch status {
	case http.StatusBadRequest:
		return &errInvalidInput
	case http.StatusUnauthorized:
		return &errAuthorization
	case http.StatusNotFound:
		return &errResourceNotFound
	case http.StatusTooManyRequests:
		return &errThrottled
	}
	e := errInternal
	e.status = status
	return &e
}

func (m *Mock) traceID() string { return m.env.IDs.UUID() }

// fail writes e as ProblemDetails with a fresh traceId and notes the errorCode in the journal.
func (m *Mock) fail(w http.ResponseWriter, r *http.Request, e *apiError) {
	core.Annotate(r, "errorCode", fmt.Sprint(e.code))
	writeJSON(w, e.status, problemBody(e, m.traceID()))
}
