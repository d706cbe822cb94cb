package occtodriver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/upmock/upmock/conformance/clients/occtoclient"
	"github.com/upmock/upmock/conformance/driver"
)

// opBudget is how long one op may take: under the suite's 30 s.
const opBudget = 28 * time.Second

// NewHandler returns the driver.Handler of the OCCTO ops.
func NewHandler(opts ...Option) driver.Handler {
	h := &handler{opts: options{submit: DefaultSubmitter, decode: occtoclient.File.Text, logger: slog.New(slog.DiscardHandler)}}
	for _, opt := range opts {
		opt(&h.opts)
	}
	return h.handle
}

type handler struct {
	opts options

	mu     sync.Mutex
	client *occtoclient.Client // nil until configure
}

// ops are the occto.* ops of DRIVER.md.
var ops = map[string]func(*handler, context.Context, *occtoclient.Client, json.RawMessage) (any, error){
	"occto.submit":     (*handler).submit,
	"occto.listPlans":  (*handler).listPlans,
	"occto.fetchPlans": (*handler).fetchPlans,
	"occto.listFiles":  (*handler).listFiles,
}

func (h *handler) handle(ctx context.Context, op string, params json.RawMessage) (any, error) {
	if op == "configure" {
		return h.configure(params)
	}
	perform, known := ops[op]
	if !known {
		return nil, driver.Unsupported(op)
	}
	h.mu.Lock()
	c := h.client
	h.mu.Unlock()
	if c == nil {
		return nil, errors.New("occto is not configured: send configure with an occto block first")
	}
	ctx, cancel := context.WithTimeout(ctx, opBudget)
	defer cancel()
	result, err := perform(h, ctx, c, params)
	if err != nil {
		h.opts.logger.Info("op failed", "op", op, "err", err)
		return nil, asDriverError(err)
	}
	return result, nil
}

func (h *handler) configure(params json.RawMessage) (any, error) {
	var p struct {
		OCCTO *Settings `json:"occto"`
	}
	if err := json.Unmarshal(params, &p); err != nil {
		return nil, fmt.Errorf("configure: %w", err)
	}
	var c *occtoclient.Client
	if p.OCCTO != nil { // a spec of other APIs leaves OCCTO unconfigured
		var err error
		if c, err = h.newClient(*p.OCCTO); err != nil {
			return nil, err
		}
	}
	h.mu.Lock()
	h.client = c
	h.mu.Unlock()
	return struct{}{}, nil
}

func (h *handler) newClient(s Settings) (*occtoclient.Client, error) {
	for _, f := range h.opts.tweak {
		f(&s)
	}
	transport, err := occtoclient.NewTransport(s.CACert, s.ClientCert, s.ClientKey)
	if err != nil {
		return nil, err
	}
	var rt http.RoundTripper = transport
	for _, w := range h.opts.wrapTransport {
		rt = w(s, rt)
	}
	return occtoclient.New(occtoclient.Config{
		BaseURL: s.BaseURL, UserID: s.UserID, Password: s.Password,
		HTTPClient:   &http.Client{Transport: rt, Timeout: opBudget},
		PollInterval: time.Duration(s.PollIntervalMs) * time.Millisecond,
	})
}

// asDriverError keeps the upstream's HTTP status and resultcode for the suite.
func asDriverError(err error) error {
	var apiErr *occtoclient.APIError
	if errors.As(err, &apiErr) {
		return &driver.Error{Message: err.Error(), Status: apiErr.HTTPStatus, Code: apiErr.ResultCode}
	}
	var limitErr *occtoclient.LimitError
	if errors.As(err, &limitErr) {
		return &driver.Error{Message: err.Error(), Code: occtoclient.CodeDailyLimit}
	}
	return &driver.Error{Message: err.Error()}
}
