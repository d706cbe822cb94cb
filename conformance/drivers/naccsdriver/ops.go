package naccsdriver

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/upmock/upmock/conformance/clients/naccsclient"
)

// ops are the naccs.* ops of DRIVER.md.
var ops = map[string]func(*Handler, context.Context, *naccsclient.Integration, json.RawMessage) (any, error){
	"naccs.submit":   (*Handler).submit,
	"naccs.amend":    (*Handler).amend,
	"naccs.saveForm": (*Handler).saveForm,
	"naccs.webhooks": (*Handler).webhooks,
}

type jobParams struct {
	BusinessCode string            `json:"businessCode"`
	DealNo       string            `json:"dealNo"`
	Fields       map[string]string `json:"fields"`
}

// jobResult is a finished job as the suite reads it: the send and the output as fetched.
type jobResult struct {
	DealReportID string                    `json:"dealReportId"`
	NaccsSendID  string                    `json:"naccsSendId"`
	Status       string                    `json:"status"`
	ResultCode   string                    `json:"resultCode"`
	Errors       []naccsclient.ResultError `json:"errors"`
	Outputs      []naccsclient.OutputInfo  `json:"outputs"`
}

func result(job *naccsclient.Job) jobResult {
	r := jobResult{DealReportID: job.DealReportID, NaccsSendID: job.NaccsSendID, Errors: []naccsclient.ResultError{},
		Outputs: []naccsclient.OutputInfo{}}
	if out := job.Output; out != nil {
		r.Status = out.Status
		if out.ProcessingResult != nil {
			r.ResultCode = out.ProcessingResult.ResultCode
			r.Errors = append(r.Errors, out.ProcessingResult.Errors...)
		}
		r.Outputs = append(r.Outputs, out.Outputs...)
	}
	return r
}

func (h *Handler) submitFunc(in *naccsclient.Integration) naccsclient.SubmitFunc {
	return func(ctx context.Context, code, dealNo string, fields map[string]string) (*naccsclient.Job, error) {
		return h.opts.submit(ctx, in, code, dealNo, fields)
	}
}

func (h *Handler) submit(ctx context.Context, in *naccsclient.Integration, params json.RawMessage) (any, error) {
	var p jobParams
	if err := json.Unmarshal(params, &p); err != nil || p.BusinessCode == "" || p.DealNo == "" {
		return nil, fmt.Errorf("naccs.submit params: want businessCode, dealNo and fields (%v)", err)
	}
	job, err := h.opts.submit(ctx, in, p.BusinessCode, p.DealNo, p.Fields)
	if err != nil {
		return nil, err
	}
	return result(job), nil
}

type amendParams struct {
	CallUpCode string            `json:"callUpCode"`
	DealNo     string            `json:"dealNo"`
	Key        map[string]string `json:"key"`
	Changes    map[string]string `json:"changes"`
}

func (h *Handler) amend(ctx context.Context, in *naccsclient.Integration, params json.RawMessage) (any, error) {
	var p amendParams
	if err := json.Unmarshal(params, &p); err != nil || p.CallUpCode == "" || p.DealNo == "" {
		return nil, fmt.Errorf("naccs.amend params: want callUpCode, dealNo, key and changes (%v)", err)
	}
	job, err := h.opts.amend(ctx, h.submitFunc(in), p.CallUpCode, p.DealNo, p.Key, p.Changes)
	if err != nil {
		return nil, err
	}
	return result(job), nil
}

func (h *Handler) saveForm(ctx context.Context, in *naccsclient.Integration, params json.RawMessage) (any, error) {
	var p jobParams
	if err := json.Unmarshal(params, &p); err != nil || p.BusinessCode == "" || p.DealNo == "" {
		return nil, fmt.Errorf("naccs.saveForm params: want businessCode, dealNo and fields (%v)", err)
	}
	r, err := h.opts.save(ctx, in, p.BusinessCode, p.DealNo, p.Fields)
	if err != nil {
		return nil, err
	}
	return map[string]string{"dealReportId": r.ID(), "_etag": r.ETag()}, nil
}

func (h *Handler) webhooks(_ context.Context, in *naccsclient.Integration, _ json.RawMessage) (any, error) {
	got := in.Receiver().Received()
	if got == nil {
		got = []naccsclient.Received{}
	}
	return map[string]any{"webhooks": got}, nil
}
