package naccs

import (
	"log/slog"

	"github.com/upmock/upmock/mocks/core"
)

// Options configure Start.
type Options struct {
	// Listen is the address; "" picks a free port on 127.0.0.1.
	Listen string
	Logger *slog.Logger
	// ValidateResponses checks every response against specs/naccs/openapi.yaml.
	ValidateResponses   bool
	OnResponseViolation func(api, operation string, err error)
	// AllowNonLoopbackWebhooks lets webhooks point beyond loopback (serve's
	// --allow-non-loopback-webhooks); the control API cannot change it.
	AllowNonLoopbackWebhooks bool
}

// Start runs the NACCS mock alone, like httptest.NewServer: srv.URL()+BasePath is the base
// URL a client uses; srv.Session("default") reaches its clock, journal and faults.
func Start(opts Options) (*core.Running, error) {
	s, err := core.NewServer(core.Options{
		APIs: []core.API{API{}}, Logger: opts.Logger,
		ValidateResponses: opts.ValidateResponses, OnResponseViolation: opts.OnResponseViolation,
		AllowNonLoopbackCalls: opts.AllowNonLoopbackWebhooks,
	})
	if err != nil {
		return nil, err
	}
	return core.Listen(s, opts.Listen, nil)
}
