package jaiadriver

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/upmock/upmock/conformance/clients/jaiaclient"
)

// ops are the jaia.* ops of DRIVER.md.
var ops = map[string]func(*handler, context.Context, *jaiaclient.Client, json.RawMessage) (any, error){
	"jaia.createStores":        (*handler).createStores,
	"jaia.updateStore":         (*handler).updateStore,
	"jaia.deleteStore":         (*handler).deleteStore,
	"jaia.searchStores":        (*handler).searchStores,
	"jaia.exportDeletedStores": (*handler).exportDeletedStores,
	"jaia.getCodes":            (*handler).getCodes,
	"jaia.logout":              (*handler).logout,
}

func decode(params json.RawMessage, v any) error {
	if err := json.Unmarshal(params, v); err != nil {
		return fmt.Errorf("params: %w", err)
	}
	return nil
}

func (h *handler) createStores(ctx context.Context, c *jaiaclient.Client, params json.RawMessage) (any, error) {
	var p struct {
		Defaults jaiaclient.Record   `json:"defaults"`
		Stores   []jaiaclient.Record `json:"stores"`
	}
	if err := decode(params, &p); err != nil {
		return nil, err
	}
	// defaults are the fields every store shares; a store's own fields win.
	for i, s := range p.Stores {
		merged := make(jaiaclient.Record, len(p.Defaults)+len(s))
		for k, v := range p.Defaults {
			merged[k] = v
		}
		for k, v := range s {
			merged[k] = v
		}
		p.Stores[i] = merged
	}
	n, err := h.opts.createStores(ctx, c, p.Stores)
	if err != nil {
		return nil, err
	}
	return map[string]int{"created": n}, nil
}

func (h *handler) updateStore(ctx context.Context, c *jaiaclient.Client, params json.RawMessage) (any, error) {
	var p struct {
		Store jaiaclient.Record `json:"store"`
	}
	if err := decode(params, &p); err != nil {
		return nil, err
	}
	return struct{}{}, c.UpdateRecord(ctx, jaiaclient.Store, p.Store)
}

func (h *handler) deleteStore(ctx context.Context, c *jaiaclient.Client, params json.RawMessage) (any, error) {
	var p struct {
		JAIACode string `json:"jaiaCode"`
	}
	if err := decode(params, &p); err != nil {
		return nil, err
	}
	return struct{}{}, c.DeleteRecord(ctx, jaiaclient.Store, p.JAIACode)
}

// searchParams is DRIVER.md's Search.
type searchParams struct {
	Conditions     []jaiaclient.Condition `json:"conditions"`
	Columns        []string               `json:"columns"`
	Sort           []jaiaclient.Sort      `json:"sort"`
	InfoOpenStatus string                 `json:"infoOpenStatus"`
	DisplayNumber  int                    `json:"displayNumber"`
}

func (h *handler) searchStores(ctx context.Context, c *jaiaclient.Client, params json.RawMessage) (any, error) {
	var p searchParams
	if err := decode(params, &p); err != nil {
		return nil, err
	}
	res, err := c.Search(ctx, jaiaclient.Store, jaiaclient.Query{
		Conditions: p.Conditions, Columns: p.Columns, Sort: p.Sort,
		InfoOpenStatus: p.InfoOpenStatus, DisplayNumber: p.DisplayNumber,
	})
	if err != nil {
		return nil, err
	}
	rows := res.Rows
	if rows == nil {
		rows = []map[string]string{}
	}
	return map[string]any{"total": res.Total, "stores": rows}, nil
}

func (h *handler) exportDeletedStores(ctx context.Context, c *jaiaclient.Client, params json.RawMessage) (any, error) {
	var p searchParams
	if err := decode(params, &p); err != nil {
		return nil, err
	}
	csv, err := c.ExportDeleted(ctx, jaiaclient.Store, p.Conditions, p.InfoOpenStatus)
	if err != nil {
		return nil, err
	}
	return map[string]string{"csv": string(csv)}, nil
}

func (h *handler) getCodes(ctx context.Context, c *jaiaclient.Client, params json.RawMessage) (any, error) {
	var p struct {
		CodeIDs []string `json:"codeIds"`
	}
	if err := decode(params, &p); err != nil {
		return nil, err
	}
	queries := make([]jaiaclient.CodeQuery, len(p.CodeIDs))
	for i, id := range p.CodeIDs {
		queries[i] = jaiaclient.CodeQuery{CodeID: id}
	}
	codes, err := c.Codes(ctx, queries...)
	if err != nil {
		return nil, err
	}
	if codes == nil {
		codes = []jaiaclient.Code{}
	}
	return map[string]any{"codes": codes}, nil
}

func (h *handler) logout(ctx context.Context, c *jaiaclient.Client, _ json.RawMessage) (any, error) {
	return struct{}{}, c.Logout(ctx)
}
