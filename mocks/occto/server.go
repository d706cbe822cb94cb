package occto

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/upmock/upmock/mocks/core"
	"github.com/upmock/upmock/specs"
)

// Name and BasePath of this mock.
const (
	Name     = "occto"
	BasePath = "/occto"
)

func init() {
	// OCCTO's error answers are application/xml; kin-openapi has no decoder for it, so
	// response validation reads such a body as the plain string the document describes.
	// Registered at init, before any validation can run concurrently.
	openapi3filter.RegisterBodyDecoder("application/xml", openapi3filter.PlainBodyDecoder)
}

// spec is the document, parsed once per process (on first use).
var spec = sync.OnceValue(func() *core.Spec { return core.MustLoadSpec(specs.Read(Name)) })

// API is the OCCTO outage-plan WebAPI for core.Server.
type API struct{}

// Name is "occto".
func (API) Name() string { return Name }

// BasePath is "/occto", the mock's stand-in for https://occtonet.occto.or.jp.
func (API) BasePath() string { return BasePath }

// Spec is specs/occto/openapi.yaml, parsed once per process.
func (API) Spec() *core.Spec {
	return spec()
}

// New makes a session's instance from its fixtures.
func (API) New(env *core.Env) (core.Instance, error) {
	fsys := env.Fixtures
	m := &Mock{env: env, fixtures: fsys}
	settings, state, err := m.loadFixtures()
	if err != nil {
		return nil, err
	}
	if m.store, err = newStore(env.Clock, settings, state); err != nil {
		return nil, fmt.Errorf("occto fixtures: %w", err)
	}
	return m, nil
}

// Mock is one session's OCCTO WebAPI.
type Mock struct {
	env      *core.Env
	fixtures fs.FS
	store    *store
}

// loadFixtures reads settings.json and state.json.
func (m *Mock) loadFixtures() (Settings, State, error) {
	var settings Settings
	var state State
	for name, v := range map[string]any{"settings.json": &settings, "state.json": &state} {
		raw, err := fs.ReadFile(m.fixtures, name)
		if err != nil {
			return settings, state, fmt.Errorf("occto fixtures: %w", err)
		}
		if err := decodeStrict(raw, v); err != nil {
			return settings, state, fmt.Errorf("occto fixtures: %s: %w", name, err)
		}
	}
	if err := settings.validate(); err != nil {
		return settings, state, fmt.Errorf("occto fixtures: settings.json: %w", err)
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
	if err := m.store.load(state); err != nil {
		m.env.Logger.Error("reset: fixtures inconsistent", "err", err)
	}
}

// State is the model as JSON (files whose processing is due are settled first).
func (m *Mock) State() (any, error) { return m.store.snapshot(), nil }

// SetState replaces the model.
func (m *Mock) SetState(raw json.RawMessage) error { return m.store.replace(raw) }

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

// Credential is one seeded WebAPI user as GET /__upmock/credentials lists it.
type Credential struct {
	UserID      string `json:"userid"`
	Password    string `json:"password"`
	CompanyCode string `json:"companyCode"`
	CompanyName string `json:"companyName"`
}

// Credentials lists every user with its company, and OCCTO's codes a message addresses.
func (m *Mock) Credentials() any {
	st := m.store.snapshot()
	out := struct {
		Users    []Credential `json:"users"`
		Receiver Receiver     `json:"receiver"`
		Note     string       `json:"note"`
	}{Users: []Credential{}, Receiver: st.OCCTO,
		Note: "over --tls every OCCTO path also needs the client certificate from --cert-dir (client.pem, client-key.pem)"}
	for _, c := range st.Companies {
		for _, u := range c.Users {
			out.Users = append(out.Users, Credential{u.UserID, u.Password, c.Code, c.Name})
		}
	}
	return out
}

// Unrouted answers what the upstream's application server answers outside the WebAPI: 405
// for another method on an API's path, 404 for any other path, as an HTML page without a
// resultcode.
func (m *Mock) Unrouted(w http.ResponseWriter, r *http.Request) {
	status := http.StatusNotFound
	sub := strings.TrimPrefix(r.URL.Path, BasePath)
	doc := (API{}).Spec()
	for _, id := range doc.OperationIDs() {
		if doc.Route(id).Path == sub {
			status = http.StatusMethodNotAllowed
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=UTF-8")
	if status == http.StatusMethodNotAllowed {
		w.Header().Set("Allow", http.MethodPost)
	}
	w.WriteHeader(status)
	fmt.Fprintf(w, "<html><head><title>%d %s</title></head><body><h1>%d %s</h1></body></html>\n",
		status, http.StatusText(status), status, http.StatusText(status))
}

// FaultResponse is OCCTO's error XML for an injected status (9002 for 503, 9001 otherwise).
func (m *Mock) FaultResponse(status int) (string, []byte) {
	return contentTypeXML, errorXML(catalogueFor(status))
}

// FaultHeaders gives injected faults and maintenance answers the resultcode header every
// OCCTO answer carries, in lower case as the upstream writes it.
func (m *Mock) FaultHeaders(status int) http.Header {
	return http.Header{headerResultCode: []string{catalogueFor(status).code}}
}
