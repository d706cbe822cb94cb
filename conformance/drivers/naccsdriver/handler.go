package naccsdriver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/upmock/upmock/conformance/clients/naccsclient"
	"github.com/upmock/upmock/conformance/driver"
)

// opBudget is how long one op may take: under the suite's 30 s.
const opBudget = 28 * time.Second

// Settings are the `naccs` block of configure.
type Settings struct {
	BaseURL        string `json:"baseUrl"`
	ClientID       string `json:"clientId"`
	ClientSecret   string `json:"clientSecret"`
	OrganizationID string `json:"organizationId"`
	BusinessTypeID string `json:"businessTypeId"`
	SigningSecret  string `json:"signingSecret"`
	// WebhookWaitMs is how long a job waits for NaccsReceive before polling the output.
	WebhookWaitMs int `json:"webhookWaitMs"`
	// PollIntervalMs is the first wait between output reads while NACCS is still working
	// (status sending) once the webhook wait is over; 0 keeps the client's default.
	PollIntervalMs int `json:"pollIntervalMs"`
}

// Handler is the driver's state: the configured integration and its webhook listener.
type Handler struct {
	opts options

	mu     sync.Mutex
	in     *naccsclient.Integration
	server *http.Server
	url    string
}

// New returns a Handler; Close it to stop its webhook listener.
func New(opts ...Option) *Handler {
	h := &Handler{opts: options{submit: DefaultSubmitter, save: DefaultSaver, amend: naccsclient.AmendWith,
		logger: slog.New(slog.DiscardHandler)}}
	for _, opt := range opts {
		opt(&h.opts)
	}
	return h
}

// NewHandler returns the driver.Handler of the NACCS ops (its listener lives as long as the
// process).
func NewHandler(opts ...Option) driver.Handler { return New(opts...).Handle }

// Handle performs one op.
func (h *Handler) Handle(ctx context.Context, op string, params json.RawMessage) (any, error) {
	if op == "configure" {
		return h.configure(ctx, params)
	}
	perform, known := ops[op]
	if !known {
		return nil, driver.Unsupported(op)
	}
	in, err := h.configured()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, opBudget)
	defer cancel()
	result, err := perform(h, ctx, in, params)
	if err != nil {
		return nil, asDriverError(err)
	}
	return result, nil
}

func (h *Handler) configure(ctx context.Context, params json.RawMessage) (any, error) {
	var p struct {
		Naccs *Settings `json:"naccs"`
	}
	if err := json.Unmarshal(params, &p); err != nil {
		return nil, fmt.Errorf("configure: %w", err)
	}
	h.Close()
	if p.Naccs == nil { // a spec of other APIs leaves NACCS unconfigured
		return struct{}{}, nil
	}
	s := *p.Naccs
	var transport http.RoundTripper = http.DefaultTransport.(*http.Transport).Clone()
	for _, wrap := range h.opts.transport {
		transport = wrap(s, transport)
	}
	cfg := naccsclient.Config{
		BaseURL: s.BaseURL, ClientID: s.ClientID, ClientSecret: s.ClientSecret, OrganizationID: s.OrganizationID,
		BusinessTypeID: s.BusinessTypeID, SigningSecret: s.SigningSecret,
		HTTPClient:  &http.Client{Transport: transport, Timeout: naccsclient.DefaultHTTPTimeout},
		WebhookWait: time.Duration(s.WebhookWaitMs) * time.Millisecond,
		PollDelay:   time.Duration(s.PollIntervalMs) * time.Millisecond, Logger: h.opts.logger,
	}
	for _, tweak := range h.opts.tweak {
		tweak(&cfg)
	}
	c, err := naccsclient.New(cfg)
	if err != nil {
		return nil, err
	}
	in := naccsclient.NewIntegration(c)
	if h.opts.fetch != nil {
		in.FetchOutput = h.opts.fetch
	}
	var handler http.Handler = in.Handler()
	for _, m := range h.opts.middleware {
		handler = m(s, handler)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		in.Close()
		return nil, err
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	url := "http://" + ln.Addr().String() + "/cyberport/webhook"
	h.mu.Lock()
	h.in, h.server, h.url = in, srv, url
	h.mu.Unlock()
	cctx, cancel := context.WithTimeout(ctx, opBudget)
	defer cancel()
	if err := c.SaveWebhook(cctx, "upmock conformance driver", url); err != nil {
		h.Close()
		return nil, asDriverError(fmt.Errorf("registering the webhook %s: %w", url, err))
	}
	h.opts.logger.Info("naccs: webhook receiver registered", "url", url)
	return struct{}{}, nil
}

func (h *Handler) configured() (*naccsclient.Integration, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.in == nil {
		return nil, errors.New("naccs is not configured: send configure with a naccs block first")
	}
	return h.in, nil
}

// Close stops the webhook listener and the receiver's work.
func (h *Handler) Close() {
	h.mu.Lock()
	in, srv := h.in, h.server
	h.in, h.server, h.url = nil, nil, ""
	h.mu.Unlock()
	if srv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		_ = srv.Shutdown(ctx)
		cancel()
	}
	if in != nil {
		in.Close()
	}
}

// WebhookURL is where the receiver listens ("" before configure).
func (h *Handler) WebhookURL() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.url
}

// asDriverError keeps the upstream's status for the suite.
func asDriverError(err error) error {
	var apiErr *naccsclient.APIError
	if errors.As(err, &apiErr) {
		return &driver.Error{Message: err.Error(), Status: apiErr.Status}
	}
	var de *driver.Error
	if errors.As(err, &de) {
		return de
	}
	return &driver.Error{Message: err.Error()}
}
