package atlasdriver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/upmock/upmock/conformance/clients/atlasclient"
	"github.com/upmock/upmock/conformance/driver"
)

// opBudget is how long one op may take: under the suite's 30 s, so that the client stops
// retrying and reports its last error before the suite gives up on the driver.
const opBudget = 28 * time.Second

// NewHandler returns the driver.Handler of the ATLAS ops.
func NewHandler(opts ...Option) driver.Handler {
	h := &handler{opts: options{register: DefaultRegistrar}}
	for _, opt := range opts {
		opt(&h.opts)
	}
	return h.handle
}

type handler struct {
	opts options

	mu     sync.Mutex
	client *atlasclient.Client // nil until configure
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

// ops are the atlas.* ops of DRIVER.md.
var ops = map[string]func(*handler, context.Context, *atlasclient.Client, json.RawMessage) (any, error){
	"atlas.registerShipping":  (*handler).registerShipping,
	"atlas.registerReceiving": (*handler).registerReceiving,
	"atlas.downloadShipping":  (*handler).downloadShipping,
	"atlas.downloadInactive":  (*handler).downloadInactive,
	"atlas.getMaster":         (*handler).getMaster,
	"atlas.getLogCredentials": (*handler).getLogCredentials,
}

func (h *handler) configure(params json.RawMessage) (any, error) {
	var p struct {
		Atlas *Settings `json:"atlas"`
	}
	if err := json.Unmarshal(params, &p); err != nil {
		return nil, fmt.Errorf("configure: %w", err)
	}
	var c *atlasclient.Client
	if p.Atlas != nil { // a spec that uses other APIs only leaves ATLAS unconfigured
		var err error
		if c, err = newClient(*p.Atlas, h.opts); err != nil {
			return nil, err
		}
	}
	h.mu.Lock()
	h.client = c
	h.mu.Unlock()
	return struct{}{}, nil
}

func (h *handler) configured() (*atlasclient.Client, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.client == nil {
		return nil, errors.New("atlas is not configured: send configure with an atlas block first")
	}
	return h.client, nil
}

// asDriverError keeps the upstream's status and errorCode for the suite.
func asDriverError(err error) error {
	var apiErr *atlasclient.APIError
	if errors.As(err, &apiErr) {
		return &driver.Error{Message: err.Error(), Status: apiErr.Status, Code: apiErr.ErrorCode}
	}
	return &driver.Error{Message: err.Error()}
}
