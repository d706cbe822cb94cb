package core

import (
	"encoding/json"
	"io/fs"
	"log/slog"
	"net/http"
)

// API is one upstream, registered once per process: what it is called, where it lives and
// the OpenAPI document it is validated against. New makes the per-session copy.
type API interface {
	Name() string
	// BasePath is the mock's base path, e.g. "/atlas/v1".
	BasePath() string
	Spec() *Spec
	New(env *Env) (Instance, error)
}

// Instance is one session's copy of an upstream mock: its state and its handlers.
type Instance interface {
	// Operations maps every operationId of the API's spec to its handler; the server refuses
	// to start when the two disagree, so the spec and the mock cannot drift.
	Operations() map[string]http.HandlerFunc
	// Unrouted answers a request below the base path that matches no operation, as the
	// upstream does (ATLAS: API Gateway's 403 {"message":"Forbidden"}).
	Unrouted(w http.ResponseWriter, r *http.Request)
	// FaultResponse is the upstream's own answer for status, used by fault injection and by
	// maintenance mode (503).
	FaultResponse(status int) (contentType string, body []byte)
	// Reset returns the state and settings to the fixtures' start.
	Reset()
	State() (any, error)
	SetState(raw json.RawMessage) error
	Settings() any
	PatchSettings(raw json.RawMessage) error
	// Credentials are the seeded test credentials a client needs, for GET /__upmock/credentials.
	Credentials() any
}

// Closer is implemented by instances that run background work (webhook delivery, say); the
// core calls Close when the session is evicted or the server shuts down, and the instance
// stops that work before returning.
type Closer interface {
	Close()
}

// FaultHeaderer is implemented by instances whose error answers carry headers (OCCTO's
// resultcode): the core adds them to injected faults and maintenance answers. Keys are used
// as given, so a lower-case header stays lower case on the wire.
type FaultHeaderer interface {
	FaultHeaders(status int) http.Header
}

// FixtureDirer is implemented by APIs whose fixtures live in another API's directory
// (Maskinporten's test clients sit with ICS2's in fixtures/ics2no/).
type FixtureDirer interface {
	FixtureDir() string
}

// BodyRedactor is implemented by instances whose request bodies carry secrets (passwords);
// the journal stores what it returns.
type BodyRedactor interface {
	RedactBody(contentType string, body []byte) []byte
}

// Env is what the core hands to each session's instance.
type Env struct {
	Session   string
	Clock     *Clock
	IDs       *IDs
	Downloads *Downloads
	// Journal is the session's request journal; a mock that calls out (webhooks) journals
	// each attempt there, so a test sees deliveries next to requests.
	Journal *Journal
	Logger  *slog.Logger
	// Fixtures is the API's own fixture directory (fixtures/<name>/, or the one its
	// FixtureDir names): from --fixtures when given, else the embedded set. Never nil.
	Fixtures fs.FS
	// AllowNonLoopbackCalls is the command line's permission to call out beyond loopback
	// (webhooks to any host). A mock must not let the control API grant it.
	AllowNonLoopbackCalls bool
}
