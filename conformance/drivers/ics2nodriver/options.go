package ics2nodriver

import (
	"log/slog"
	"net/http"

	"github.com/upmock/upmock/conformance/clients/ics2noclient"
)

// Option changes how the handler builds and uses its client.
type Option func(*options)

type options struct {
	wrapTransport []TransportWrapper
	tweakConfig   []func(*ics2noclient.Config)
	decide        ics2noclient.Decider
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
func WithClientConfig(f func(*ics2noclient.Config)) Option {
	return func(o *options) { o.tweakConfig = append(o.tweakConfig, f) }
}

// WithDecider replaces how routing signals become decisions; the default is
// ics2noclient.Decide.
func WithDecider(d ics2noclient.Decider) Option {
	return func(o *options) { o.decide = d }
}

// WithLogger sets where the client logs; the driver protocol copies standard error into the
// spec's report.
func WithLogger(l *slog.Logger) Option {
	return func(o *options) { o.logger = l }
}
