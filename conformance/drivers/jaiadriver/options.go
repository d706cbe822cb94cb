package jaiadriver

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/upmock/upmock/conformance/clients/jaiaclient"
)

// Option changes how the handler builds and uses its client.
type Option func(*options)

type options struct {
	wrapTransport []TransportWrapper
	tweakConfig   []func(*jaiaclient.Config)
	createStores  StoreCreator
	beforeOp      []func(ctx context.Context, c *jaiaclient.Client) error
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
func WithClientConfig(f func(*jaiaclient.Config)) Option {
	return func(o *options) { o.tweakConfig = append(o.tweakConfig, f) }
}

// StoreCreator performs jaia.createStores and returns how many stores were created.
type StoreCreator func(ctx context.Context, c *jaiaclient.Client, stores []jaiaclient.Record) (int, error)

// WithStoreCreator replaces how jaia.createStores creates stores; the default is
// DefaultStoreCreator.
func WithStoreCreator(f StoreCreator) Option {
	return func(o *options) { o.createStores = f }
}

// WithBeforeOp runs f before every jaia.* op, with the op's client.
func WithBeforeOp(f func(ctx context.Context, c *jaiaclient.Client) error) Option {
	return func(o *options) { o.beforeOp = append(o.beforeOp, f) }
}

// WithLogger sets where the client logs its re-logins; the driver protocol copies standard
// error into the spec's report.
func WithLogger(l *slog.Logger) Option {
	return func(o *options) { o.logger = l }
}

// DefaultStoreCreator creates through the client's rule-keeping CreateRecords: one store
// with the single API, several with imports of at most 10,000 rows.
func DefaultStoreCreator(ctx context.Context, c *jaiaclient.Client, stores []jaiaclient.Record) (int, error) {
	counts, err := c.CreateRecords(ctx, jaiaclient.Store, stores)
	return counts.Success, err
}
