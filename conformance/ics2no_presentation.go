package conformance

import (
	"fmt"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/upmock/upmock/conformance/control"
)

// noDelay processes presentations at once (validation-status answers on the first query),
// so specs about other rules do not wait.
var noDelay = map[string]map[string]any{"ics2no": {"processingDelay": "0s"}}

var _ = Describe("Tolletaten ICS2", func() {
	It(ruleICS2Idemp1.Name(), ruleICS2Idemp1.Labels(), SpecTimeout(time.Minute), func(ctx SpecContext) {
		r := ruleICS2Idemp1
		c := newICS2Session(ctx, noDelay)
		asked := []goods{houseConsignment("HC001", "N740"), houseConsignment("HC002", "N740"), houseConsignment("HC001", "N703")}
		for _, g := range asked {
			// A refusal (400: requestId reused) is judged from the journal below.
			c.present(ctx, g)
		}
		calls := filter(c.journal(ctx), isPresentation)
		// Attempts of one presentation carry the same goods; only the first counts.
		first := map[string]control.Entry{}
		var order []string
		for _, e := range calls {
			g, _ := presentedGoods(e)
			if _, seen := first[g]; !seen {
				first[g] = e
				order = append(order, g)
			}
		}
		Expect(len(order)).To(BeNumerically(">=", 2), "the suite asked for 3 presentations; upmock saw %d distinct ones:\n%s", len(order), describeAll(calls))
		ids := map[string][]string{}
		var lines []string
		for _, g := range order {
			_, id := presentedGoods(first[g])
			ids[id] = append(ids[id], g)
			lines = append(lines, fmt.Sprintf("%s requestId %q: %s", describe(first[g]), id, g))
		}
		check(len(ids) == len(order) && ids[""] == nil, r, "%d different presentations carried %d different requestIds:\n%s",
			len(order), len(ids)-boolInt(ids[""] != nil), strings.Join(lines, "\n"))
	})

	It(ruleICS2Idemp2.Name(), ruleICS2Idemp2.Labels(), SpecTimeout(time.Minute), func(ctx SpecContext) {
		r := ruleICS2Idemp2
		c := newICS2Session(ctx, noDelay)
		// Asked twice for the same goods.
		hc1 := houseConsignment("HC001", "N740")
		c.need(ctx, c.present(ctx, hc1), "ics2no.present HC001 N740")
		d2 := c.present(ctx, hc1)
		// The upstream takes the presentation, then answers 503: the client cannot know.
		_, err := c.ctl.AddFault(ctx, control.Fault{API: "ics2no", Method: "POST", Path: "/api/movement/presentation/v1/*", Count: 1, Status: 503, Phase: "after"})
		Expect(err).NotTo(HaveOccurred(), "injecting a fault")
		d3 := c.present(ctx, houseConsignment("HC002", "N740"))

		calls := filter(c.journal(ctx), isPresentation)
		acceptedIDs := map[string]map[string]bool{}
		var lines []string
		for _, e := range calls {
			g, id := presentedGoods(e)
			note := "refused"
			if acc := acceptedRequestID(e); acc != "" {
				note = "accepted"
				if acceptedIDs[g] == nil {
					acceptedIDs[g] = map[string]bool{}
				}
				acceptedIDs[g][acc] = true
			}
			lines = append(lines, fmt.Sprintf("%s requestId %q (%s): %s", describe(e), id, note, g))
		}
		var twice []string
		for g, ids := range acceptedIDs {
			if len(ids) > 1 {
				twice = append(twice, fmt.Sprintf("%s was taken %d times, under %d requestIds", g, len(ids), len(ids)))
			}
		}
		check(len(twice) == 0, r, "The suite asked to present HC001 N740 twice, then made the upstream take a presentation of "+
			"HC002 N740 and answer 503. Presentations:\n%s\n%s\nDriver: second HC001 %s, HC002 %s.",
			strings.Join(lines, "\n"), strings.Join(twice, "\n"), outcome(d2), outcome(d3))
		Expect(acceptedIDs).NotTo(BeEmpty(), "the spec needs accepted presentations to judge; upmock saw:\n%s", describeAll(calls))
	})

	It(ruleICS2Status1.Name(), ruleICS2Status1.Labels(), SpecTimeout(time.Minute), func(ctx SpecContext) {
		r := ruleICS2Status1
		// A presentation is processed 300 ms after it is taken: until then validation-status
		// answers 404.
		c := newICS2Session(ctx, map[string]map[string]any{"ics2no": {"processingDelay": "300ms"}})
		good := c.present(ctx, houseConsignment("HC001", "N740"))
		bad := c.present(ctx, houseConsignment("HC999", "N740")) // not on the playground's list

		entries := c.journal(ctx)
		var unchecked []string
		for i, e := range entries {
			id := acceptedRequestID(e)
			if id == "" {
				continue
			}
			checked := false
			for _, later := range entries[i+1:] {
				if later.Operation == "getValidationStatus" && later.QueryValues().Get("requestId") == id && later.Status == 200 {
					checked = true
					break
				}
			}
			if !checked {
				unchecked = append(unchecked, fmt.Sprintf("%s: requestId %s", describe(e), id))
			}
		}
		did := fmt.Sprintf("The suite asked to present HC001 N740 (on the playground's list) and HC999 N740 (not on it, a validation error).\n"+
			"The upstream saw:\n%s\nDriver: HC001 %s, HC999 %s.", describeAll(entries), outcome(good), outcome(bad))
		check(len(unchecked) == 0, r, "%s\n\nNo validation status was read for:\n%s", did, strings.Join(unchecked, "\n"))
		check(bad != nil, r, "%s\n\nThe client reported HC999 as presented, although its validation failed.", did)
		check(good == nil, r, "%s\n\nThe client reported HC001 as failed, although its validation succeeded.", did)
		Expect(filter(entries, func(e control.Entry) bool { return acceptedRequestID(e) != "" })).NotTo(BeEmpty(),
			"the spec needs an accepted presentation to judge; upmock saw:\n%s", describeAll(entries))
	})
})
