package occtodriver

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/upmock/upmock/conformance/clients/occtoclient"
)

type submitParams struct {
	FileName string `json:"filename"`
	XML      string `json:"xml"`
}

type submitResult struct {
	FileReceptionNo string                     `json:"filereceptionno"`
	Status          string                     `json:"status"`
	StatusName      string                     `json:"statusName"`
	Errors          []occtoclient.ReceiptError `json:"errors"`
}

func (h *handler) submit(ctx context.Context, c *occtoclient.Client, params json.RawMessage) (any, error) {
	var p submitParams
	if err := json.Unmarshal(params, &p); err != nil {
		return nil, fmt.Errorf("submit params: %w", err)
	}
	sub, err := h.opts.submit(ctx, c, p.FileName, []byte(p.XML))
	if err != nil {
		return nil, err
	}
	errs := sub.Errors
	if errs == nil {
		errs = []occtoclient.ReceiptError{}
	}
	return submitResult{sub.ReceptionNo, sub.Status, sub.StatusName, errs}, nil
}

type listParams struct {
	From     string `json:"from"` // YYYYMMDD (JST)
	Division string `json:"plandivision"`
}

func (p listParams) options() (occtoclient.ListOptions, error) {
	opts := occtoclient.ListOptions{Division: p.Division}
	if p.From != "" {
		t, err := time.ParseInLocation("20060102", p.From, time.FixedZone("JST", 9*60*60))
		if err != nil {
			return opts, fmt.Errorf("from %q: want YYYYMMDD", p.From)
		}
		opts.From = t
	}
	return opts, nil
}

type planResult struct {
	Division     string `json:"plandivision"`
	ReceptionNo  string `json:"occtoreceptionno"`
	SubmitPlanNo string `json:"submitPlanNo,omitempty"`
	FacilityCode string `json:"facilityCode,omitempty"`
	FacilityName string `json:"facilityName,omitempty"`
	Version      int    `json:"version,omitempty"`
	EntryName    string `json:"entryName,omitempty"`
	XML          string `json:"xml,omitempty"`
}

func readList(params json.RawMessage) (occtoclient.ListOptions, error) {
	var p listParams
	if err := json.Unmarshal(params, &p); err != nil {
		return occtoclient.ListOptions{}, fmt.Errorf("list params: %w", err)
	}
	return p.options()
}

func (h *handler) listPlans(ctx context.Context, c *occtoclient.Client, params json.RawMessage) (any, error) {
	opts, err := readList(params)
	if err != nil {
		return nil, err
	}
	infos, err := c.ListPlans(ctx, opts)
	if err != nil {
		return nil, err
	}
	out := make([]planResult, 0, len(infos))
	for _, i := range infos {
		out = append(out, planResult{Division: i.Division, ReceptionNo: i.ReceptionNo, SubmitPlanNo: i.SubmitPlanNo,
			FacilityCode: i.FacilityCode, FacilityName: i.FacilityName, Version: i.Version})
	}
	return map[string]any{"plans": out}, nil
}

func (h *handler) fetchPlans(ctx context.Context, c *occtoclient.Client, params json.RawMessage) (any, error) {
	opts, err := readList(params)
	if err != nil {
		return nil, err
	}
	fetched, err := c.FetchPlans(ctx, opts)
	if err != nil {
		return nil, err
	}
	out := make([]planResult, 0, len(fetched))
	for _, f := range fetched {
		text, err := h.opts.decode(f.File)
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", f.File.Name, err)
		}
		out = append(out, planResult{Division: f.Division, ReceptionNo: f.ReceptionNo, EntryName: f.File.Name, XML: text})
	}
	return map[string]any{"plans": out}, nil
}

type fileResult struct {
	ReceptionNo string `json:"filereceptionno"`
	Name        string `json:"fileName"`
	Status      string `json:"status"`
	StatusName  string `json:"statusName"`
	PlanCount   int    `json:"planCount"`
	ErrorCount  int    `json:"errorCount"`
}

func (h *handler) listFiles(ctx context.Context, c *occtoclient.Client, params json.RawMessage) (any, error) {
	opts, err := readList(params)
	if err != nil {
		return nil, err
	}
	files, err := c.ListFiles(ctx, opts.From)
	if err != nil {
		return nil, err
	}
	out := make([]fileResult, 0, len(files))
	for _, f := range files {
		out = append(out, fileResult{f.ReceptionNo, f.Name, f.Status, f.StatusName, f.PlanCount, f.ErrorCount})
	}
	return map[string]any{"files": out}, nil
}
