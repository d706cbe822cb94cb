package atlasdriver

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/upmock/upmock/conformance/clients/atlasclient"
)

// registrationParams is DRIVER.md's Registration: the upstream's request without
// transactionId, plus the endpoint mode.
type registrationParams struct {
	Mode atlasclient.Mode `json:"mode"`
	atlasclient.Registration
}

func (h *handler) registerShipping(ctx context.Context, c *atlasclient.Client, params json.RawMessage) (any, error) {
	return h.register(ctx, c, Shipping, params)
}

func (h *handler) registerReceiving(ctx context.Context, c *atlasclient.Client, params json.RawMessage) (any, error) {
	return h.register(ctx, c, Receiving, params)
}

func (h *handler) register(ctx context.Context, c *atlasclient.Client, flow Flow, params json.RawMessage) (any, error) {
	var p registrationParams
	if err := json.Unmarshal(params, &p); err != nil {
		return nil, fmt.Errorf("registration params: %w", err)
	}
	if p.Mode != atlasclient.ModeSingle && p.Mode != atlasclient.ModeBulk {
		return nil, fmt.Errorf("registration params: mode must be %q or %q, not %q", atlasclient.ModeSingle, atlasclient.ModeBulk, p.Mode)
	}
	if err := h.opts.register(ctx, c, flow, p.Mode, p.Registration); err != nil {
		return nil, err
	}
	return struct{}{}, nil
}

type cursorParams struct {
	Cursor *string `json:"cursor"`
}

// The records go back exactly as the files served them (Raw), so the suite compares what
// the upstream sent rather than this client's reading of it.
type shippingResult struct {
	Records []json.RawMessage `json:"records"`
	Cursor  string            `json:"cursor"`
}

type inactiveResult struct {
	InactiveTrackingIDs []json.RawMessage `json:"inactiveTrackingIds"`
	Cursor              string            `json:"cursor"`
}

func (*handler) downloadShipping(ctx context.Context, c *atlasclient.Client, params json.RawMessage) (any, error) {
	var p cursorParams
	if err := json.Unmarshal(params, &p); err != nil {
		return nil, fmt.Errorf("downloadShipping params: %w", err)
	}
	d, err := c.DownloadShipping(ctx, p.Cursor)
	if err != nil {
		return nil, err
	}
	result := shippingResult{Records: make([]json.RawMessage, 0, len(d.Records)), Cursor: d.Cursor}
	for _, r := range d.Records {
		result.Records = append(result.Records, r.Raw)
	}
	return result, nil
}

func (*handler) downloadInactive(ctx context.Context, c *atlasclient.Client, params json.RawMessage) (any, error) {
	var p cursorParams
	if err := json.Unmarshal(params, &p); err != nil {
		return nil, fmt.Errorf("downloadInactive params: %w", err)
	}
	d, err := c.DownloadInactive(ctx, p.Cursor)
	if err != nil {
		return nil, err
	}
	result := inactiveResult{InactiveTrackingIDs: make([]json.RawMessage, 0, len(d.InactiveTrackingIDs)), Cursor: d.Cursor}
	for _, r := range d.InactiveTrackingIDs {
		result.InactiveTrackingIDs = append(result.InactiveTrackingIDs, r.Raw)
	}
	return result, nil
}

type masterParams struct {
	Name                 string  `json:"name"`
	LastDownloadDateTime *string `json:"lastDownloadDateTime"`
}

type masterResult struct {
	Found   bool   `json:"found"`
	Content string `json:"content"`
}

func (*handler) getMaster(ctx context.Context, c *atlasclient.Client, params json.RawMessage) (any, error) {
	var p masterParams
	if err := json.Unmarshal(params, &p); err != nil {
		return nil, fmt.Errorf("getMaster params: %w", err)
	}
	m, err := c.GetMaster(ctx, p.Name, p.LastDownloadDateTime)
	if err != nil {
		return nil, err
	}
	return masterResult{Found: m.Found, Content: string(m.Content)}, nil
}

func (*handler) getLogCredentials(ctx context.Context, c *atlasclient.Client, _ json.RawMessage) (any, error) {
	return c.LogCredentials(ctx)
}
