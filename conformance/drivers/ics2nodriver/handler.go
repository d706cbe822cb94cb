package ics2nodriver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/upmock/upmock/conformance/clients/ics2noclient"
	"github.com/upmock/upmock/conformance/driver"
)

// opBudget is how long one op may take: under the suite's 30 s, so that the client stops
// retrying and reports its last error before the suite gives up on the driver.
const opBudget = 28 * time.Second

// NewHandler returns the driver.Handler of the ICS2 ops.
func NewHandler(opts ...Option) driver.Handler {
	h := &handler{}
	for _, opt := range opts {
		opt(&h.opts)
	}
	return h.handle
}

type handler struct {
	opts options

	mu     sync.Mutex
	client *ics2noclient.Client // nil until configure
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
	result, err := perform(h, ctx, c, params)
	if err != nil {
		return nil, asDriverError(err)
	}
	return result, nil
}

// ops are the ics2no.* ops of DRIVER.md.
var ops = map[string]func(*handler, context.Context, *ics2noclient.Client, json.RawMessage) (any, error){
	"ics2no.present":        (*handler).present,
	"ics2no.processRouting": (*handler).processRouting,
}

func (h *handler) configure(params json.RawMessage) (any, error) {
	var p struct {
		ICS2 *Settings `json:"ics2no"`
	}
	if err := json.Unmarshal(params, &p); err != nil {
		return nil, fmt.Errorf("configure: %w", err)
	}
	var c *ics2noclient.Client
	if p.ICS2 != nil { // a spec of another API leaves ICS2 unconfigured
		var err error
		if c, err = newClient(*p.ICS2, h.opts); err != nil {
			return nil, err
		}
	}
	h.mu.Lock()
	h.client = c
	h.mu.Unlock()
	return struct{}{}, nil
}

func (h *handler) configured() (*ics2noclient.Client, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.client == nil {
		return nil, errors.New("ics2no is not configured: send configure with an ics2no block first")
	}
	return h.client, nil
}

// Code is the driver error code of a presentation the upstream refused.
const Code = "FAILURE"

// asDriverError keeps the upstream's status and error code for the suite.
func asDriverError(err error) error {
	var vf *ics2noclient.ValidationFailure
	if errors.As(err, &vf) {
		return &driver.Error{Message: err.Error(), Status: vf.Status, Code: Code}
	}
	var apiErr *ics2noclient.APIError
	if errors.As(err, &apiErr) {
		return &driver.Error{Message: err.Error(), Status: apiErr.Status, Code: apiErr.Code}
	}
	return &driver.Error{Message: err.Error()}
}
