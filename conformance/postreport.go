package conformance

import (
	"context"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/upmock/upmock/conformance/control"
)

// postedReport is what PUT /__upmock/conformance takes (core.ConformanceReport on the wire).
type postedReport struct {
	Summary map[string]int `json:"summary"`
	Rules   []postedRule   `json:"rules"`
	HTML    string         `json:"html"`
}

type postedRule struct {
	ID      string  `json:"id"`
	API     string  `json:"api"`
	Verdict string  `json:"verdict"`
	Seconds float64 `json:"seconds"`
	Message string  `json:"message,omitempty"`
}

// postReport hands the run to the upmock it ran against, as its default session's last
// conformance report: the web console (/__upmock/ui/, Conformance) shows it. The specs' own
// sessions are deleted when the run ends, so the report goes where a person looks first.
func postReport(serverURL string, reports []types.SpecReport, took time.Duration) error {
	page, err := renderHTMLReport(reports, took)
	if err != nil {
		return err
	}
	rep := postedReport{Summary: map[string]int{}, HTML: string(page)}
	for _, r := range reports {
		v := verdict(r.State)
		rep.Summary[v]++
		rule := postedRule{ID: ruleOf(r), API: apiOf(r), Verdict: v, Seconds: r.RunTime.Seconds()}
		if r.State.Is(types.SpecStateFailureStates) {
			rule.Message = r.Failure.Message
		}
		rep.Rules = append(rep.Rules, rule)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return control.New(serverURL, "").WithToken(*upmockTokenFlag).PutConformanceReport(ctx, rep)
}
