// Package mocks starts every upstream mock in one process, the way the upmock binary does,
// for use from a Go test:
//
//	srv, err := mocks.Start(mocks.Options{})
//	defer srv.Close()
//	atlasBase := srv.URL() + "/atlas/v1"
//
// Each mock package also starts alone (atlas.Start).
package mocks

import (
	"fmt"
	"io/fs"
	"log/slog"
	"strings"
	"time"

	"crypto/tls"
	"sort"

	"github.com/upmock/upmock/mocks/core"
)

// registered holds every mock of this build; each registers itself in register_<api>.go, so
// adding an upstream touches no shared file.
var registered []core.API

func register(api core.API) { registered = append(registered, api) }

// servingOrder is the order `serve` prints the APIs in; unknown names go last, by name.
var servingOrder = map[string]int{"atlas": 1, "jaia": 2, "occto": 3, "maskinporten": 4, "ics2no": 5, "naccs": 6}

// All lists every upstream mock this build serves, in the order `serve` prints them.
func All() []core.API {
	out := append([]core.API(nil), registered...)
	sort.SliceStable(out, func(i, j int) bool {
		oi, oj := servingOrder[out[i].Name()], servingOrder[out[j].Name()]
		if oi == 0 || oj == 0 {
			return oi != 0 || (oj == 0 && out[i].Name() < out[j].Name())
		}
		return oi < oj
	})
	return out
}

// Options configure Start. The zero value serves every API on a free loopback port.
type Options struct {
	// Listen is the address; "" picks a free port on 127.0.0.1.
	Listen string
	// APIs narrows the served APIs by name; empty serves all.
	APIs []string
	// Fixtures replaces the embedded fixtures (a directory laid out like fixtures/).
	Fixtures fs.FS
	Logger   *slog.Logger
	// TLS serves HTTPS with this configuration (see core.EnsureCerts and core.ServerTLSConfig);
	// CertFiles names the generated files for GET /__upmock/credentials.
	TLS         *tls.Config
	CertFiles   *core.CertFiles
	MaxSessions int
	// MemoryBudget bounds all sessions' journals and growing state together, in bytes
	// (default core.DefaultMemoryBudget).
	MemoryBudget int64
	SessionIdle  time.Duration
	Seed         uint64
	// ValidateResponses checks every response against the upstream's OpenAPI document and
	// calls OnResponseViolation on a mismatch (tests pass t.Errorf through it).
	ValidateResponses   bool
	OnResponseViolation func(api, operation string, err error)
	RealNow             func() time.Time
	// StateDir keeps every session's state there and restores it on start (see core).
	StateDir string
	// AtRoot serves APIs at the root of listeners of their own: API name → address
	// ("127.0.0.1:8443"; port 0 picks a free one), as serve --port does. srv.RootURL(name)
	// is then the base URL a client that takes only a host uses. The main listener stays.
	AtRoot map[string]string
	// ControlToken is required on /__upmock/ when set, and needed to listen beyond loopback;
	// AllowHosts are extra Host names the control API accepts ("*": any); see core.Options.
	ControlToken string
	AllowHosts   []string
	// AllowNonLoopbackCalls lets mocks call out beyond loopback (NACCS webhooks).
	AllowNonLoopbackCalls bool
	// Conns bounds connections and their timeouts (zero: core's defaults).
	Conns core.ConnLimits
}

// Server is a running upmock.
type Server = core.Running

// Select returns the APIs named (all when names is empty), or an error naming the unknown one.
func Select(names []string) ([]core.API, error) {
	if len(names) == 0 {
		return All(), nil
	}
	byName := map[string]core.API{}
	var known []string
	for _, api := range All() {
		byName[api.Name()] = api
		known = append(known, api.Name())
	}
	var out []core.API
	for _, n := range names {
		api, ok := byName[strings.TrimSpace(n)]
		if !ok {
			return nil, fmt.Errorf("unknown api %q; this build serves %s", n, strings.Join(known, ", "))
		}
		out = append(out, api)
	}
	return out, nil
}

// NewServer builds the handler without listening (for httptest or a custom listener).
func NewServer(opts Options) (*core.Server, error) {
	apis, err := Select(opts.APIs)
	if err != nil {
		return nil, err
	}
	return core.NewServer(core.Options{
		APIs: apis, Fixtures: opts.Fixtures, Logger: opts.Logger, MaxSessions: opts.MaxSessions, MemoryBudget: opts.MemoryBudget,
		SessionIdle: opts.SessionIdle, Seed: opts.Seed, ValidateResponses: opts.ValidateResponses,
		OnResponseViolation: opts.OnResponseViolation, RealNow: opts.RealNow,
		ClientCertAPIs: clientCertAPIs, CertFiles: opts.CertFiles, StateDir: opts.StateDir,
		ControlToken: opts.ControlToken, AllowHosts: opts.AllowHosts, AllowNonLoopbackCalls: opts.AllowNonLoopbackCalls,
		Conns: opts.Conns,
	})
}

// clientCertAPIs demand a client certificate when served over TLS (OCCTO, when it lands).
var clientCertAPIs = []string{"occto"}

// Start serves the mocks on a real socket.
func Start(opts Options) (*Server, error) {
	s, err := NewServer(opts)
	if err != nil {
		return nil, err
	}
	srv, err := core.Listen(s, opts.Listen, opts.TLS)
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(opts.AtRoot))
	for name := range opts.AtRoot {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if _, err := srv.ListenAtRoot(name, opts.AtRoot[name], opts.TLS); err != nil {
			_ = srv.Close()
			return nil, fmt.Errorf("serving %s at the root of %s: %w", name, opts.AtRoot[name], err)
		}
	}
	return srv, nil
}
