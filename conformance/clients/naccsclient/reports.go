package naccsclient

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
)

// Report is a form (帳票) as CyberPort answers it: system keys (_etag, dealReportId,
// dealInformation, naccsInformation, …) and the business's form fields at the top level.
// It is kept as a map so every key the upstream sends goes back on Update unchanged.
type Report map[string]any

// ID is the report's dealReportId.
func (r Report) ID() string { s, _ := r["dealReportId"].(string); return s }

// ETag is the version the report was read at.
func (r Report) ETag() string { s, _ := r["_etag"].(string); return s }

// Field is a form field's value ("" when null).
func (r Report) Field(name string) string { s, _ := r[name].(string); return s }

// Status is naccsInformation.status: notSent, sending, completed or error.
func (r Report) Status() string {
	info, _ := r["naccsInformation"].(map[string]any)
	s, _ := info["status"].(string)
	return s
}

// Clone copies the report (one level deep, enough to set fields on).
func (r Report) Clone() Report {
	out := make(Report, len(r))
	for k, v := range r {
		out[k] = v
	}
	return out
}

// Create is POST /API/v1/NACCS/{code}/Create: the form of the business in the deal, made if
// needed; created says which.
func (c *Client) Create(ctx context.Context, code, dealNo string) (Report, bool, error) {
	var r Report
	status, err := c.do(ctx, http.MethodPost, "/API/v1/NACCS/"+code+"/Create", map[string]string{
		"businessTypeId": c.cfg.BusinessTypeID, "dealNo": dealNo, "organizationId": c.cfg.OrganizationID,
	}, &r)
	return r, status == http.StatusCreated, err
}

// Get is GET /API/v1/NACCS/{code}/Get/{id}.
func (c *Client) Get(ctx context.Context, code, id string) (Report, error) {
	var r Report
	_, err := c.do(ctx, http.MethodGet, "/API/v1/NACCS/"+code+"/Get/"+url.PathEscape(id), nil, &r)
	return r, err
}

// Update is PUT /API/v1/NACCS/{code}/Update: it saves r as it is (its _etag must be the
// current one).
func (c *Client) Update(ctx context.Context, code string, r Report) (Report, error) {
	var saved Report
	_, err := c.do(ctx, http.MethodPut, "/API/v1/NACCS/"+code+"/Update", r, &saved)
	return saved, err
}

// Delete is DELETE /API/v1/NACCS/{code}/Delete/{id}.
func (c *Client) Delete(ctx context.Context, code, id string) error {
	q := url.Values{"organizationId": {c.cfg.OrganizationID}, "businessTypeId": {c.cfg.BusinessTypeID}}
	_, err := c.do(ctx, http.MethodDelete, "/API/v1/NACCS/"+code+"/Delete/"+url.PathEscape(id)+"?"+q.Encode(), nil, nil)
	return err
}

// Save sets fields on the business's form in the deal and saves it: it reads the latest
// version (Create returns the existing form), changes only those fields, and updates with
// that version's _etag. When another user saved in between (412) it reads again and
// re-applies the fields, so their change is kept.
func (c *Client) Save(ctx context.Context, code, dealNo string, fields map[string]string) (Report, error) {
	var lastErr error
	for attempt := 0; attempt < c.cfg.SaveAttempts; attempt++ {
		current, _, err := c.Create(ctx, code, dealNo)
		if err != nil {
			return nil, err
		}
		next := current.Clone()
		for k, v := range fields {
			next[k] = v
		}
		saved, err := c.Update(ctx, code, next)
		if err == nil {
			return saved, nil
		}
		if !IsStatus(err, http.StatusPreconditionFailed) {
			return nil, err
		}
		c.cfg.Logger.Info("naccs: the form changed meanwhile; reading it again", "code", code, "report", current.ID())
		lastErr = err
	}
	return nil, fmt.Errorf("naccs: saving %s: the form kept changing: %w", code, lastErr)
}
