package jaiadriver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/upmock/upmock/conformance/clients/jaiaclient"
	"github.com/upmock/upmock/conformance/driver"
)

// opBudget is how long one op may take: under the suite's 30 s, so that the client reports
// its own error before the suite gives up on the driver.
const opBudget = 28 * time.Second

// NewHandler returns the driver.Handler of the JAIA ops.
func NewHandler(opts ...Option) driver.Handler {
	h := &handler{opts: options{createStores: DefaultStoreCreator}}
	for _, opt := range opts {
		opt(&h.opts)
	}
	return h.handle
}

type handler struct {
	opts options

	mu     sync.Mutex
	client *jaiaclient.Client // nil until configure
}

func (h *handler) handle(ctx context.Context, op string, params json.RawMessage) (any, error) {
	if op == "configure" {
		return h.configure(params)
	}
	perform, known := ops[op]
	if !known {
		return nil, driver.Unsupported(op)
	}
	c, err := h.configured()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, opBudget)
	defer cancel()
	for _, before := range h.opts.beforeOp {
		if err := before(ctx, c); err != nil {
			return nil, asDriverError(err)
		}
	}
	result, err := perform(h, ctx, c, params)
	if err != nil {
		return nil, asDriverError(err)
	}
	return result, nil
}

func (h *handler) configure(params json.RawMessage) (any, error) {
	var p struct {
		JAIA *Settings `json:"jaia"`
	}
	if err := json.Unmarshal(params, &p); err != nil {
		return nil, fmt.Errorf("configure: %w", err)
	}
	var c *jaiaclient.Client
	if p.JAIA != nil { // a spec of another API leaves JAIA unconfigured
		var err error
		if c, err = newClient(*p.JAIA, h.opts); err != nil {
			return nil, err
		}
	}
	h.mu.Lock()
	h.client = c
	h.mu.Unlock()
	return struct{}{}, nil
}

func (h *handler) configured() (*jaiaclient.Client, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.client == nil {
		return nil, errors.New("jaia is not configured: send configure with a jaia block first")
	}
	return h.client, nil
}

// asDriverError keeps the upstream's HTTP status and the envelope's code for the suite; the
// message quotes the errorMessageList entries (the first twenty of a long import's).
func asDriverError(err error) error {
	var apiErr *jaiaclient.APIError
	if errors.As(err, &apiErr) {
		de := &driver.Error{Message: err.Error(), Status: apiErr.Status}
		if apiErr.Body == "" {
			de.Code = strconv.Itoa(apiErr.Code)
		}
		return de
	}
	return &driver.Error{Message: err.Error()}
}
