package occtodriver

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/upmock/upmock/conformance/clients/occtoclient"
)

// Settings are configure's "occto" block.
type Settings struct {
	BaseURL    string `json:"baseUrl"`
	UserID     string `json:"userid"`
	Password   string `json:"password"`
	CACert     string `json:"caCert,omitempty"`
	ClientCert string `json:"clientCert,omitempty"`
	ClientKey  string `json:"clientKey,omitempty"`
	// PollIntervalMs paces the reading of a 処理中 file's status in this run.
	PollIntervalMs int `json:"pollIntervalMs,omitempty"`
}

// Option changes how the handler builds and uses its client.
type Option func(*options)

type options struct {
	wrapTransport []TransportWrapper
	tweak         []func(*Settings)
	submit        Submitter
	decode        TextDecoder
	logger        *slog.Logger
}

// TransportWrapper wraps the client's HTTP transport once `configure` has given settings.
type TransportWrapper func(s Settings, next http.RoundTripper) http.RoundTripper

// WithTransport wraps the transport of every client the handler builds; wrappers apply in
// order, the last one outermost.
func WithTransport(w TransportWrapper) Option {
	return func(o *options) { o.wrapTransport = append(o.wrapTransport, w) }
}

// WithSettings adjusts configure's settings before the client is built.
func WithSettings(f func(*Settings)) Option {
	return func(o *options) { o.tweak = append(o.tweak, f) }
}

// Submitter performs occto.submit with the client.
type Submitter func(ctx context.Context, c *occtoclient.Client, fileName string, message []byte) (occtoclient.Submission, error)

// DefaultSubmitter is the client's Submit: register, read the status, fetch the receipt
// message of a 提出エラー.
func DefaultSubmitter(ctx context.Context, c *occtoclient.Client, fileName string, message []byte) (occtoclient.Submission, error) {
	return c.Submit(ctx, fileName, message)
}

// WithSubmitter replaces how occto.submit is performed.
func WithSubmitter(s Submitter) Option { return func(o *options) { o.submit = s } }

// TextDecoder turns a fetched file into the text occto.fetchPlans returns.
type TextDecoder func(occtoclient.File) (string, error)

// WithTextDecoder replaces how fetched files are read.
func WithTextDecoder(d TextDecoder) Option { return func(o *options) { o.decode = d } }

// WithLogger logs each op's outcome.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.logger = l } }
