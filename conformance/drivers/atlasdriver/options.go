package atlasdriver

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/upmock/upmock/conformance/clients/atlasclient"
)

// Option changes how the handler builds and uses its client.
type Option func(*options)

type options struct {
	wrapTransport []TransportWrapper
	tweakConfig   []func(*atlasclient.Config)
	register      Registrar
	logger        *slog.Logger
}

// TransportWrapper wraps the client's HTTP transport once `configure` has given settings.
type TransportWrapper func(s Settings, next http.RoundTripper) http.RoundTripper

// WithTransport wraps the transport of every client the handler builds; wrappers apply in
// order, the last one outermost.
func WithTransport(w TransportWrapper) Option {
	return func(o *options) { o.wrapTransport = append(o.wrapTransport, w) }
}

// WithClientConfig adjusts the client's Config after `configure` filled it in.
func WithClientConfig(f func(*atlasclient.Config)) Option {
	return func(o *options) { o.tweakConfig = append(o.tweakConfig, f) }
}

// Flow says which side of a movement a registration records.
type Flow string

const (
	Shipping  Flow = "shipping"
	Receiving Flow = "receiving"
)

// Registrar performs the registration ops.
type Registrar func(ctx context.Context, c *atlasclient.Client, flow Flow, mode atlasclient.Mode, reg atlasclient.Registration) error

// WithRegistrar replaces how registrations are sent; the default is DefaultRegistrar.
func WithRegistrar(r Registrar) Option {
	return func(o *options) { o.register = r }
}

// WithLogger sets where the client logs its retries; the driver protocol copies standard
// error into the spec's report.
func WithLogger(l *slog.Logger) Option {
	return func(o *options) { o.logger = l }
}

// DefaultRegistrar registers through the client's rule-keeping methods.
func DefaultRegistrar(ctx context.Context, c *atlasclient.Client, flow Flow, mode atlasclient.Mode, reg atlasclient.Registration) error {
	if flow == Receiving {
		return c.RegisterReceiving(ctx, mode, reg)
	}
	return c.RegisterShipping(ctx, mode, reg)
}
