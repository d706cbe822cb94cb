package occto

import (
	"crypto/tls"
	"log/slog"
	"time"

	"github.com/upmock/upmock/mocks/core"
)

// Options configure Start.
type Options struct {
	// Listen is the address; "" picks a free port on 127.0.0.1.
	Listen string
	Logger *slog.Logger
	// TLS serves HTTPS (core.EnsureCerts, core.ServerTLSConfig); OCCTO paths then demand a
	// client certificate signed by the CA, as the upstream's SSL client authentication does.
	TLS *tls.Config
	// ValidateResponses checks every response against specs/occto/openapi.yaml.
	ValidateResponses   bool
	OnResponseViolation func(api, operation string, err error)
	RealNow             func() time.Time
}

// Start runs the OCCTO mock alone, like httptest.NewServer: srv.URL()+BasePath is the base
// URL a client uses; srv.Session("default") reaches its clock, journal and faults.
func Start(opts Options) (*core.Running, error) {
	s, err := core.NewServer(core.Options{
		APIs: []core.API{API{}}, Logger: opts.Logger, ClientCertAPIs: []string{Name},
		ValidateResponses: opts.ValidateResponses, OnResponseViolation: opts.OnResponseViolation,
		RealNow: opts.RealNow,
	})
	if err != nil {
		return nil, err
	}
	return core.Listen(s, opts.Listen, opts.TLS)
}
