package naccs

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"strings"
	"sync"

	"github.com/upmock/upmock/mocks/core"
	"github.com/upmock/upmock/specs"
)

// Name and BasePath of this mock.
const (
	Name     = "naccs"
	BasePath = "/naccs"
)

// spec is the document, parsed once per process (on first use).
var spec = sync.OnceValue(func() *core.Spec { return core.MustLoadSpec(specs.Read(Name)) })

// API is the CyberPort NACCS integration upstream for core.Server.
type API struct{}

// Name is "naccs".
func (API) Name() string { return Name }

// BasePath is "/naccs", the mock's stand-in for https://api-sandbox.cyber-port.net.
func (API) BasePath() string { return BasePath }

// Spec is specs/naccs/openapi.yaml, parsed once per process.
func (API) Spec() *core.Spec {
	return spec()
}

// New makes a session's instance from its fixtures.
func (a API) New(env *core.Env) (core.Instance, error) {
	fsys := env.Fixtures
	m := &Mock{env: env, fixtures: fsys, worker: newWorker()}
	cat, err := loadCatalogue(fsys)
	if err != nil {
		return nil, err
	}
	if err := m.checkSpecCodes(cat); err != nil {
		return nil, err
	}
	settings, state, err := m.loadFixtures()
	if err != nil {
		return nil, err
	}
	if m.store, err = newStore(env.Clock, env.IDs, cat, settings, state); err != nil {
		return nil, err
	}
	return m, nil
}

// checkSpecCodes refuses a catalogue whose codes the document's {businessCode} enum does not
// list exactly, so the routes and the fixtures cannot drift.
func (m *Mock) checkSpecCodes(cat *Catalogue) error {
	p := API{}.Spec().Doc.Components.Parameters["businessCode"]
	if p == nil || p.Value == nil || p.Value.Schema == nil {
		return fmt.Errorf("naccs: the document has no businessCode parameter")
	}
	enum := map[string]bool{}
	for _, v := range p.Value.Schema.Value.Enum {
		enum[fmt.Sprint(v)] = true
	}
	codes := cat.Codes()
	for _, c := range codes {
		if !enum[c] {
			return fmt.Errorf("naccs: business code %s is in the fixtures but not in the document's businessCode enum", c)
		}
	}
	if len(enum) != len(codes) {
		return fmt.Errorf("naccs: the document's businessCode enum lists %d codes, the fixtures %d", len(enum), len(codes))
	}
	return nil
}

// Mock is one session's CyberPort NACCS integration.
type Mock struct {
	env      *core.Env
	fixtures fs.FS
	store    *store
	worker   *worker
}

func (m *Mock) loadFixtures() (Settings, State, error) {
	var settings Settings
	var state State
	if err := core.DecodeFixture(m.fixtures, "settings.json", &settings); err != nil {
		return settings, state, err
	}
	if err := settings.validate(); err != nil {
		return settings, state, fmt.Errorf("naccs fixtures: settings.json: %w", err)
	}
	if err := core.DecodeFixture(m.fixtures, "state.json", &state); err != nil {
		return settings, state, err
	}
	// Calling out beyond loopback is the command line's decision alone (upmock serve
	// --allow-non-loopback-webhooks), not the fixtures' nor the control API's.
	settings.AllowNonLoopbackWebhooks = m.env.AllowNonLoopbackCalls
	return settings, state, nil
}

// Reset stops deliveries and returns to the fixtures.
func (m *Mock) Reset() {
	m.halt(true)
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

// State is the model as JSON, after NACCS has processed what is due: organisations,
// clients, deals, forms, sends with their outputs, webhook deliveries with every attempt,
// tokens and the simulated NACCS's registries.
func (m *Mock) State() (any, error) { return m.store.snapshot() }

// SetState replaces the model; pending sends and deliveries resume.
func (m *Mock) SetState(raw json.RawMessage) error {
	var state State
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&state); err != nil {
		return fmt.Errorf("naccs state: %w", err)
	}
	if err := m.store.replace(state); err != nil {
		return err
	}
	m.kick()
	return nil
}

// Settings are the session's tunables.
func (m *Mock) Settings() any { return m.store.currentSettings() }

// PatchSettings changes some tunables; allowNonLoopbackWebhooks only as it already is, so a
// control request cannot turn the mock into a relay to other hosts.
func (m *Mock) PatchSettings(raw json.RawMessage) error {
	current := m.store.currentSettings()
	next, err := current.patched(raw)
	if err != nil {
		return err
	}
	if next.AllowNonLoopbackWebhooks != current.AllowNonLoopbackWebhooks {
		return errors.New("settings: allowNonLoopbackWebhooks can only be set on the command line (upmock serve --allow-non-loopback-webhooks)")
	}
	m.store.setSettings(next)
	return nil
}

// Credential is one seeded API client as GET /__upmock/credentials lists it.
type Credential struct {
	ClientID       string   `json:"clientId"`
	ClientSecret   string   `json:"clientSecret"`
	OrganizationID string   `json:"organizationId"`
	UserName       string   `json:"userName"`
	NaccsUserID    string   `json:"naccsUserId"`
	Permissions    []string `json:"permissions"`
	// Deals are the deals the client's organisation takes part in, and as what.
	Deals []Participation `json:"deals"`
}

// Participation is a deal a client's organisation takes part in, and as what.
type Participation struct {
	DealNo         string `json:"dealNo"`
	BusinessTypeID string `json:"businessTypeId"`
}

// OrgCredential is an organisation's webhook signing secret.
type OrgCredential struct {
	OrganizationID string `json:"organizationId"`
	Name           string `json:"name"`
	SigningSecret  string `json:"signingSecret"`
}

// Credentials lists every client with its secret and deals, and each organisation's
// webhook signing secret.
func (m *Mock) Credentials() any {
	state, err := m.store.snapshot()
	if err != nil {
		return nil
	}
	out := struct {
		AuthScheme    string          `json:"authScheme"`
		TokenURL      string          `json:"tokenUrl"`
		Clients       []Credential    `json:"clients"`
		Organizations []OrgCredential `json:"organizations"`
	}{AuthScheme: m.store.currentSettings().AuthScheme, TokenURL: BasePath + "/Token", Clients: []Credential{}, Organizations: []OrgCredential{}}
	for _, c := range state.Clients {
		cred := Credential{c.ClientID, c.ClientSecret, c.OrganizationID, c.UserName, c.NaccsUserID, c.Permissions, []Participation{}}
		for _, d := range state.Deals {
			for _, p := range d.Participants {
				if p.OrganizationID == c.OrganizationID {
					cred.Deals = append(cred.Deals, Participation{d.DealNo, p.BusinessTypeID})
				}
			}
		}
		out.Clients = append(out.Clients, cred)
	}
	for _, o := range state.Organizations {
		out.Organizations = append(out.Organizations, OrgCredential{o.OrganizationID, o.Name, o.SigningSecret})
	}
	return out
}

// Unrouted answers as ASP.NET Web API does: 405 when the path exists for another method,
// 404 otherwise.
func (m *Mock) Unrouted(w http.ResponseWriter, r *http.Request) {
	sub := strings.TrimPrefix(r.URL.Path, BasePath)
	for _, method := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete} {
		if _, _, ok := (API{}).Spec().Find(method, sub); ok && method != r.Method {
			w.Header().Set("Allow", method)
			m.fail(w, r, aspnet(http.StatusMethodNotAllowed, msgNoMethod, r.Method))
			return
		}
	}
	m.fail(w, r, aspnet(http.StatusNotFound, msgNoRoute, core.PublicBase(r)+r.URL.Path))
}

// FaultResponse is the upstream's own body for an injected status.
func (m *Mock) FaultResponse(status int) (string, []byte) {
	return "application/json; charset=utf-8", faultError(status).body()
}

// fail writes e and notes it in the journal.
func (m *Mock) fail(w http.ResponseWriter, r *http.Request, e *apiError) {
	core.Annotate(r, "error", fmt.Sprintf("%d %s", e.status, e.message))
	if e.status == http.StatusUnauthorized && e.shape == shapeASPNET {
		w.Header().Set("WWW-Authenticate", "Bearer")
	}
	writeJSON(w, e.status, e.body())
}

// params are the request's path parameters, matched again from the document's routes.
func params(r *http.Request) map[string]string {
	_, p, _ := API{}.Spec().Find(r.Method, strings.TrimPrefix(r.URL.Path, BasePath))
	return p
}
