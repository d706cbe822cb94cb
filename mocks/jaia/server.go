package jaia

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"regexp"
	"sync"

	"github.com/upmock/upmock/mocks/core"
	"github.com/upmock/upmock/specs"
)

// Name and BasePath of this mock.
const (
	Name     = "jaia"
	BasePath = "/jaia"
)

// spec is the document, parsed once per process (on first use).
var spec = sync.OnceValue(func() *core.Spec { return core.MustLoadSpec(specs.Read(Name)) })

// API is the JAIA code database upstream for core.Server.
type API struct{}

// Name is "jaia".
func (API) Name() string { return Name }

// BasePath is "/jaia", the stand-in for https://api.jaiadb.com.
func (API) BasePath() string { return BasePath }

// Spec is specs/jaia/openapi.yaml, parsed once per process.
func (API) Spec() *core.Spec {
	return spec()
}

// New makes a session's instance from the API's fixture directory: the catalogue
// (catalogue.json, codes.json, messages.json) and seed.json.
func (API) New(env *core.Env) (core.Instance, error) {
	fsys := env.Fixtures
	cat, err := catalogueFor(fsys)
	if err != nil {
		return nil, err
	}
	m := &Mock{env: env, cat: cat, fixtures: fsys, store: newStore(cat, env.Clock, env.IDs)}
	if err := m.load(); err != nil {
		return nil, err
	}
	return m, nil
}

// Mock is one session's JAIA.
type Mock struct {
	env      *core.Env
	cat      *Catalogue
	fixtures fs.FS
	store    *store
}

func (m *Mock) load() error {
	raw, err := fs.ReadFile(m.fixtures, "seed.json")
	if err != nil {
		return fmt.Errorf("jaia fixtures: %w", err)
	}
	st, err := seedState(m.cat, raw, m.env.Clock.Now())
	if err != nil {
		return err
	}
	return m.store.replace(st)
}

// Operations maps every operationId (the API ID) to the one engine.
func (m *Mock) Operations() map[string]http.HandlerFunc {
	ops := make(map[string]http.HandlerFunc, len(m.cat.APIs))
	for _, def := range m.cat.APIs {
		ops[def.APIID] = m.handle(def)
	}
	return ops
}

// Unrouted answers an unknown path or method with the 異常終了 envelope (NOTES.md "Routing").
func (m *Mock) Unrouted(w http.ResponseWriter, r *http.Request) {
	writeError(w, r, fail(404, m.cat.msg("unexpected")))
}

// FaultResponse is the JAIA envelope for an injected status (500: 予期せぬエラー).
func (m *Mock) FaultResponse(status int) (string, []byte) {
	msg := m.cat.msg("unexpected")
	switch status {
	case http.StatusUnauthorized:
		msg = m.cat.msg("auth")
	case http.StatusTooManyRequests:
		msg = m.cat.msg("rateLimited")
	}
	b, _ := marshalNoEscape(map[string]any{"result": 1, "code": status, "errorMessageList": []string{msg}})
	return "application/json; charset=UTF-8", b
}

// Reset returns to the fixtures.
func (m *Mock) Reset() {
	if err := m.load(); err != nil {
		m.logger().Error("jaia reset", "err", err)
	}
}

func (m *Mock) logger() *slog.Logger {
	if m.env.Logger != nil {
		return m.env.Logger
	}
	return slog.Default()
}

// State is the model as JSON.
func (m *Mock) State() (any, error) { return m.store.snapshot(), nil }

// SetState replaces the model.
func (m *Mock) SetState(raw json.RawMessage) error {
	var st State
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&st); err != nil {
		return fmt.Errorf("jaia state: %w", err)
	}
	return m.store.replace(st)
}

// Settings: the limits are the manual's and fixed.
func (m *Mock) Settings() any {
	return map[string]any{"idleExpiryMinutes": int(idleExpiry.Minutes()), "lockAfterFailures": lockAfter,
		"rateLimitPerMinute": rateLimit, "maxImportRows": maxImportRows, "maxDisplayNumber": maxDisplay}
}

// PatchSettings refuses: nothing is tunable.
func (m *Mock) PatchSettings(json.RawMessage) error {
	return fmt.Errorf("jaia has no tunable settings")
}

// Credential is one seeded login.
type Credential struct {
	UserMail           string `json:"userMail"`
	Password           string `json:"password"`
	UserID             string `json:"userId"`
	JAIACompanyCode    string `json:"jaiaCompanyCode"`
	UserClassification string `json:"userClassification"`
}

// Credentials lists the users that can log in with their passwords.
func (m *Mock) Credentials() any {
	st := m.store.snapshot()
	out := []Credential{}
	for _, u := range st.Masters["user"] {
		if p, ok := st.Passwords[u["user_id"]]; ok && u["delete_date"] == "" {
			out = append(out, Credential{u["user_mail"], p, u["user_id"], u["jaia_company_code"], u["user_classification"]})
		}
	}
	return map[string]any{"appId": externalApp, "users": out}
}

var rePassword = regexp.MustCompile(`("password"\s*:\s*)"(?:[^"\\]|\\.)*"`)

// RedactBody hides login passwords in the journal.
func (m *Mock) RedactBody(_ string, body []byte) []byte {
	return rePassword.ReplaceAll(body, []byte(`$1"***"`))
}
