package naccsdriver

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/upmock/upmock/conformance/clients/naccsclient"
)

// Option changes how the handler builds and uses its client.
type Option func(*options)

// Submitter runs one job (save, send, await the output).
type Submitter func(ctx context.Context, in *naccsclient.Integration, code, dealNo string, fields map[string]string) (*naccsclient.Job, error)

// Saver saves fields on the business's form in the deal.
type Saver func(ctx context.Context, in *naccsclient.Integration, code, dealNo string, fields map[string]string) (naccsclient.Report, error)

// Amender calls a declaration up and registers the amended form, with jobs run by submit.
type Amender func(ctx context.Context, submit naccsclient.SubmitFunc, callUpCode, dealNo string, key, changes map[string]string) (*naccsclient.Job, error)

// Middleware wraps the webhook receiver's handler.
type Middleware func(s Settings, next http.Handler) http.Handler

// Fetcher fetches the output a NaccsReceive announced.
type Fetcher func(ctx context.Context, c *naccsclient.Client, ev naccsclient.Event) (*naccsclient.Output, error)

type options struct {
	submit     Submitter
	save       Saver
	amend      Amender
	fetch      Fetcher
	middleware []Middleware
	transport  []TransportWrapper
	tweak      []func(*naccsclient.Config)
	logger     *slog.Logger
}

// WithClientConfig adjusts the client's Config after configure filled it in.
func WithClientConfig(f func(*naccsclient.Config)) Option {
	return func(o *options) { o.tweak = append(o.tweak, f) }
}

// TransportWrapper wraps the client's HTTP transport once configure has given settings.
type TransportWrapper func(s Settings, next http.RoundTripper) http.RoundTripper

// WithTransport wraps the transport of the client the handler builds; wrappers apply in
// order, the last one outermost.
func WithTransport(w TransportWrapper) Option {
	return func(o *options) { o.transport = append(o.transport, w) }
}

// DefaultSubmitter is the reference client's Submit.
func DefaultSubmitter(ctx context.Context, in *naccsclient.Integration, code, dealNo string, fields map[string]string) (*naccsclient.Job, error) {
	return in.Submit(ctx, code, dealNo, fields)
}

// DefaultSaver is the reference client's Save.
func DefaultSaver(ctx context.Context, in *naccsclient.Integration, code, dealNo string, fields map[string]string) (naccsclient.Report, error) {
	return in.Save(ctx, code, dealNo, fields)
}

// WithSubmitter replaces how a job runs.
func WithSubmitter(f Submitter) Option { return func(o *options) { o.submit = f } }

// WithSaver replaces how a form is saved.
func WithSaver(f Saver) Option { return func(o *options) { o.save = f } }

// WithAmender replaces how an amendment uses its call-up.
func WithAmender(f Amender) Option { return func(o *options) { o.amend = f } }

// WithFetcher replaces how the output is fetched after NaccsReceive.
func WithFetcher(f Fetcher) Option { return func(o *options) { o.fetch = f } }

// WithMiddleware wraps the webhook receiver; wrappers apply in order, the last outermost.
func WithMiddleware(m Middleware) Option {
	return func(o *options) { o.middleware = append(o.middleware, m) }
}

// WithLogger logs the client's recoveries and the receiver's decisions.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.logger = l } }
