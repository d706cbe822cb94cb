package occtoclient

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"time"
)

// PlanKey is what fetches one plan: the keys the plan list gives.
type PlanKey struct {
	Division    string // plandivision: 01 年間計画, 02 月間計画, 03 週間計画
	ReceptionNo string // occtoreceptionno
}

// PlanInfo is one entry of the plan list (BA13B103).
type PlanInfo struct {
	PlanKey
	SubmitPlanNo    string
	FacilityCode    string
	FacilityName    string
	Version         int
	FileReceptionNo string
}

// ListOptions narrow a list; zero values list everything.
type ListOptions struct {
	// From lists what was submitted or updated on or after that JST day.
	From time.Time
	// Division narrows the plan list to one plandivision.
	Division string
}

func (o ListOptions) params() url.Values {
	v := url.Values{}
	if !o.From.IsZero() {
		v.Set("from", o.From.In(jst).Format("20060102"))
	}
	if o.Division != "" {
		v.Set("plandivision", o.Division)
	}
	return v
}

// ListPlans is BA13B103: the company's plans with the keys that fetch them.
func (c *Client) ListPlans(ctx context.Context, opts ListOptions) ([]PlanInfo, error) {
	f, err := c.call(ctx, "BA13B103", PathPlanList, opts.params())
	if err != nil {
		return nil, err
	}
	doc, err := f.Document()
	if err != nil {
		return nil, fmt.Errorf("occto BA13B103: %s: %w", f.Name, err)
	}
	var out []PlanInfo
	for _, e := range doc.FindElements("SBD-MSG/PLAN_INFO") {
		version, _ := strconv.Atoi(childText(e, "VERSION_NO"))
		out = append(out, PlanInfo{
			PlanKey:      PlanKey{Division: childText(e, "PLANDIVISION"), ReceptionNo: childText(e, "OCCTORECEPTIONNO")},
			SubmitPlanNo: childText(e, "SBMIT_PLAN_NO"), FacilityCode: childText(e, "FACILITY_CD"),
			FacilityName: childText(e, "FACILITY_NM"), Version: version, FileReceptionNo: childText(e, "FILERECEPTIONNO"),
		})
	}
	return out, nil
}

// FetchPlan is BA13B102: one plan's message, by the keys ListPlans returned.
func (c *Client) FetchPlan(ctx context.Context, key PlanKey) (File, error) {
	return c.call(ctx, "BA13B102", PathPlanFile, url.Values{
		"plandivision": {key.Division}, "occtoreceptionno": {key.ReceptionNo},
	})
}

// FetchedPlan is a listed plan and its message.
type FetchedPlan struct {
	PlanInfo
	File File
}

// FetchPlans lists the plans, then fetches each with the keys the list gave. It stops at
// the first failure and returns what it fetched so far with the error.
func (c *Client) FetchPlans(ctx context.Context, opts ListOptions) ([]FetchedPlan, error) {
	infos, err := c.ListPlans(ctx, opts)
	if err != nil {
		return nil, err
	}
	out := make([]FetchedPlan, 0, len(infos))
	for _, info := range infos {
		f, err := c.FetchPlan(ctx, info.PlanKey)
		if err != nil {
			return out, err
		}
		out = append(out, FetchedPlan{PlanInfo: info, File: f})
	}
	return out, nil
}
