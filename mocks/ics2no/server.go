package ics2no

import (
	"bytes"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"sort"
	"sync"

	"github.com/upmock/upmock/mocks/core"
	"github.com/upmock/upmock/specs"
)

// Name and BasePath of the ICS2 mock.
const (
	Name     = "ics2no"
	BasePath = "/ics2no"
)

// spec is the document, parsed once per process (on first use).
var spec = sync.OnceValue(func() *core.Spec { return core.MustLoadSpec(specs.Read(Name)) })

// API is Tolletaten's ICS2 presentation and routing API (and its token exchange) for
// core.Server.
type API struct{}

// Name is "ics2no".
func (API) Name() string { return Name }

// BasePath is "/ics2no", the stand-in for https://api-test.toll.no.
func (API) BasePath() string { return BasePath }

// Spec is specs/ics2no/openapi.yaml, parsed once per process.
func (API) Spec() *core.Spec {
	return spec()
}

// New makes a session's instance from the fixtures.
func (a API) New(env *core.Env) (core.Instance, error) {
	fsys, err := ics2noFixtures(env)
	if err != nil {
		return nil, err
	}
	m := &Mock{env: env, fixtures: fsys}
	if err := m.loadStatic(); err != nil {
		return nil, err
	}
	settings, err := m.loadSettings()
	if err != nil {
		return nil, err
	}
	m.store = newStore(env.Clock, env.IDs, settings, m.list, a.Spec().ValidateJSONBody, m.offices, m.types)
	return m, nil
}

// Mock is one session's ICS2 API.
type Mock struct {
	env      *core.Env
	fixtures fs.FS

	tollKey    *rsa.PrivateKey // signs Customs tokens (RS512)
	mpKey      *rsa.PublicKey  // Maskinporten's, to verify the tokens exchanged
	staticText string          // the seed's table, byte for byte
	list       staticList
	offices    map[string]bool // CL141
	types      map[string]bool // CL754
	typeList   documentTypeList
	officeList officeList

	store *store
}

// loadStatic reads what never changes in a session: keys, code lists and the static list.
func (m *Mock) loadStatic() error {
	var err error
	if m.tollKey, err = readPrivateKey(m.fixtures, fileTollKey); err != nil {
		return err
	}
	mp, err := readPrivateKey(m.fixtures, fileMPKey)
	if err != nil {
		return err
	}
	m.mpKey = &mp.PublicKey
	if err := core.DecodeFixture(m.fixtures, fileOffices, &m.officeList); err != nil {
		return err
	}
	m.offices = map[string]bool{}
	for _, o := range m.officeList.Offices {
		m.offices[o.ReferenceNumber] = true
	}
	if err := core.DecodeFixture(m.fixtures, fileDocumentTypes, &m.typeList); err != nil {
		return err
	}
	m.types = map[string]bool{}
	for _, c := range m.typeList.Codes {
		m.types[c.Code] = true
	}
	raw, err := fs.ReadFile(m.fixtures, fileStaticList)
	if err != nil {
		return fmt.Errorf("ics2no fixtures: %w", err)
	}
	rows, err := parseStaticList(string(raw), m.types)
	if err != nil {
		return fmt.Errorf("ics2no fixtures: %s: %w", fileStaticList, err)
	}
	m.staticText, m.list = string(raw), staticList{rows: rows}
	return nil
}

func (m *Mock) loadSettings() (Settings, error) {
	var s Settings
	if err := core.DecodeFixture(m.fixtures, fileSettings, &s); err != nil {
		return s, err
	}
	if err := s.validate(); err != nil {
		return s, fmt.Errorf("ics2no fixtures: %s: %w", fileSettings, err)
	}
	return s, nil
}

// Reset returns state and settings to the fixtures.
func (m *Mock) Reset() {
	settings, err := m.loadSettings()
	if err != nil {
		m.env.Logger.Error("reset: fixtures unreadable", "err", err)
		return
	}
	m.store.setSettings(settings)
	_ = m.store.replace(State{})
}

// State is every presentation request and routing signal (what is due is processed first).
func (m *Mock) State() (any, error) { return m.store.snapshot() }

// SetState replaces requests and signals.
func (m *Mock) SetState(raw json.RawMessage) error {
	var state State
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&state); err != nil {
		return fmt.Errorf("ics2no state: %w", err)
	}
	return m.store.replace(state)
}

// Settings are the session's tunables.
func (m *Mock) Settings() any { return m.store.currentSettings() }

// PatchSettings changes some tunables.
func (m *Mock) PatchSettings(raw json.RawMessage) error {
	next, err := patch(m.store.currentSettings(), raw)
	if err != nil {
		return err
	}
	m.store.setSettings(next)
	return nil
}

// Credentials are what a client needs besides Maskinporten's: the scope, the exchange, the
// offices it may present at, and the playground's static list (the seed's table as is).
type Credentials struct {
	Scope                        string   `json:"scope"`
	ForeignScope                 string   `json:"foreignScope"`
	TokenExchange                string   `json:"tokenExchange"`
	TokenExchangeForm            string   `json:"tokenExchangeForm"`
	CustomsOfficesOfPresentation []string `json:"customsOfficesOfPresentation"`
	TransportDocumentTypes       []string `json:"transportDocumentTypes"`
	PlaygroundStaticList         string   `json:"playgroundStaticList"`
	PlaygroundRows               []Row    `json:"playgroundRows"`
}

// Credentials lists the scope, the exchange and the playground's values.
func (m *Mock) Credentials() any {
	out := Credentials{
		Scope: ScopeEntry, ForeignScope: ScopeEUEntry,
		TokenExchange:        BasePath + exchangePath,
		TokenExchangeForm:    "grant_type=token-exchange&subject_token_type=access_token&subject_token=MASKINPORTEN_ACCESS_TOKEN",
		PlaygroundStaticList: m.staticText,
		PlaygroundRows:       m.list.rows,
	}
	for o := range m.offices {
		out.CustomsOfficesOfPresentation = append(out.CustomsOfficesOfPresentation, o)
	}
	sort.Strings(out.CustomsOfficesOfPresentation)
	for _, c := range m.typeList.Codes {
		out.TransportDocumentTypes = append(out.TransportDocumentTypes, c.Code)
	}
	return out
}

// Unrouted is the 404 (405 for a known path) of the service's HTTP stack.
func (m *Mock) Unrouted(w http.ResponseWriter, r *http.Request) {
	path := upstreamPath(r, BasePath)
	status := http.StatusNotFound
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		if _, _, ok := (API{}).Spec().Find(method, path); ok {
			status = http.StatusMethodNotAllowed
		}
	}
	writeJSON(w, status, httpError(status, m.env.Clock.Now(), path))
}

// FaultResponse is the upstream's own answer for an injected status: the Envoy sidecar's
// plain-text 503 and 504, the service's JSON error otherwise.
func (m *Mock) FaultResponse(status int) (string, []byte) {
	switch status {
	case http.StatusServiceUnavailable:
		return "text/plain", []byte("no healthy upstream")
	case http.StatusGatewayTimeout:
		return "text/plain", []byte("upstream request timeout")
	case http.StatusBadGateway:
		return "text/plain", []byte("upstream connect error or disconnect/reset before headers. reset reason: connection termination")
	}
	return "application/json", jsonBody(httpError(status, m.env.Clock.Now(), ""))
}

// RedactBody hides the signature of the Maskinporten token in a token exchange.
func (m *Mock) RedactBody(contentType string, body []byte) []byte {
	return redactFormJWT(body, "subject_token")
}
