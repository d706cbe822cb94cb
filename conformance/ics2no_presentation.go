package conformance

import (
	"encoding/json"
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
		// The first presentation fails validation (HC999 is not on the playground's list): its
		// requestId is used all the same, and no later call may carry it.
		failing := houseConsignment("HC999", "N740")
		valid := []goods{houseConsignment("HC001", "N740"), houseConsignment("HC002", "N740"), houseConsignment("HC001", "N703")}
		c.present(ctx, failing)
		var outcomes []string
		var refusedValid []string
		for _, g := range valid {
			derr := c.present(ctx, g)
			outcomes = append(outcomes, describeGoods(g)+" "+outcome(derr))
			if derr != nil {
				refusedValid = append(refusedValid, describeGoods(g))
			}
		}
		entries := c.journal(ctx)
		calls := filter(entries, isPresentation)
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
		Expect(len(order)).To(BeNumerically(">=", 2), "the suite asked for 4 presentations; upmock saw %d distinct ones:\n%s%s", len(order), describeAll(calls), c.authDiagnosis(ctx))
		// The upstream compares requestIds case-insensitively (a UUID's hex digits are).
		ids := map[string][]string{}
		var lines []string
		for _, g := range order {
			_, id := presentedGoods(first[g])
			ids[strings.ToLower(id)] = append(ids[strings.ToLower(id)], g)
			lines = append(lines, fmt.Sprintf("%s requestId %q: %s", describe(first[g]), id, g))
		}
		did := fmt.Sprintf("The suite asked to present HC999 N740 (not on the playground's list: it fails validation), then "+
			"HC001 N740, HC002 N740 and HC001 N703.\nFirst attempt of each presentation:\n%s\nDriver: %s.",
			strings.Join(lines, "\n"), strings.Join(outcomes, ", "))
		check(len(ids) == len(order) && ids[""] == nil, r, "%s\n%d different presentations carried %d different requestIds: "+
			"a requestId is used once, whatever the outcome of the call that used it.", did, len(order), len(ids)-boolInt(ids[""] != nil))
		// A presentation the client reports as done must have been taken by the upstream.
		var untaken []string
		for _, g := range valid {
			if !acceptedFor(entries, g) {
				untaken = append(untaken, describeGoods(g))
			}
		}
		check(len(refusedValid) == 0 && len(untaken) == 0, r, "%s\nPresentations reported as failed: %v. Presentations the upstream never took: %v. "+
			"The three are on the playground's list and were not presented before.", did, refusedValid, untaken)
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
		Expect(acceptedIDs).NotTo(BeEmpty(), "the spec needs accepted presentations to judge; upmock saw:\n%s%s", describeAll(calls), c.authDiagnosis(ctx))
	})

	It(ruleICS2Status1.Name(), ruleICS2Status1.Labels(), SpecTimeout(time.Minute), func(ctx SpecContext) {
		r := ruleICS2Status1
		// A presentation is processed 300 ms after it is taken: until then validation-status
		// answers 404, so the client polls.
		c := newICS2Session(ctx, map[string]map[string]any{"ics2no": {"processingDelay": "300ms"}})
		goodGoods := houseConsignment("HC001", "N740")
		// HC004 with its container JARU0000010 and 1,200 containers not on the list: one
		// validation error each, an answer of some 140 KB that a client reading a prefix of it
		// cannot decode (the request stays under the journal's 64 KiB, so it can be read back).
		badGoods := houseConsignment("HC004", "N714", append([]string{"JARU0000010"}, unknownContainers(badContainers)...)...)
		good := c.present(ctx, goodGoods)
		bad := c.present(ctx, badGoods)

		entries := c.journal(ctx)
		var unchecked []string
		for i, e := range entries {
			id := acceptedRequestID(e)
			if id == "" {
				continue
			}
			checked := false
			for _, later := range entries[i+1:] {
				if later.Operation == "getValidationStatus" && strings.EqualFold(later.QueryValues().Get("requestId"), id) && later.Status == 200 {
					checked = true
					break
				}
			}
			if !checked {
				unchecked = append(unchecked, fmt.Sprintf("%s: requestId %s", describe(e), id))
			}
		}
		did := fmt.Sprintf("The suite asked to present HC001 N740 (on the playground's list) and HC004 N714 with container "+
			"JARU0000010 and 1,200 containers that are not on it (1,200 validation errors); each is processed 300 ms after it is taken.\n"+
			"The upstream saw:\n%s\nDriver: HC001 %s, HC004 %s.", describeAll(entries), outcome(good), clip(outcome(bad), 300))
		check(len(unchecked) == 0, r, "%s\n\nNo validation status was read for:\n%s", did, strings.Join(unchecked, "\n"))
		if !acceptedFor(entries, badGoods) {
			check(bad != nil, r, "%s\n\nThe client reported HC004 as presented, but the upstream never took a presentation of it.", did)
		}
		check(bad != nil, r, "%s\n\nThe client reported HC004 as presented, although its validation failed.", did)
		// Judged when the upstream took HC004 and so had a verdict to give; a presentation it
		// refused at once (say a reused requestId) is another rule's business.
		lastError := fmt.Sprintf("transportEquipment[%d].containerIdentificationNumber", badContainers)
		check(!acceptedFor(entries, badGoods) || bad.Code == "FAILURE" && strings.Contains(bad.Message, lastError), r,
			"%s\n\nThe client reported HC004's failure without the upstream's verdict: DRIVER.md asks for code FAILURE and the "+
				"validation errors in message, and the message lacks the last of them (Referansen finnes ikke at %s). "+
				"An answer read only in part loses them.", did, lastError)
		goodTaken := acceptedFor(entries, goodGoods)
		check(good == nil || !goodTaken || !validatedOK(entries, goodGoods), r,
			"%s\n\nThe client reported HC001 as failed, although the upstream took it and its validation status is SUCCESS.", did)
		Expect(goodTaken).To(BeTrue(), "the spec needs HC001 N740 taken by the upstream to judge; it never was:\n%s%s",
			describeAll(entries), c.authDiagnosis(ctx))
	})
})

// describeGoods names goods in a line: "HC001 N740", "ENS 23NO…", "receptacle …".
func describeGoods(g goods) string {
	switch g["kind"] {
	case "entry-summary-declaration":
		return fmt.Sprintf("ENS %v", g["mrn"])
	case "receptacle":
		return fmt.Sprintf("receptacle %v", g["receptacleIdentificationNumber"])
	}
	doc, _ := g["transportDocumentHouseLevel"].(map[string]any)
	return fmt.Sprintf("%v %v", doc["documentNumber"], doc["type"])
}

// sameGoods reports whether a journaled presentation presents g (by its identifying element).
func sameGoods(e control.Entry, g goods) bool {
	if !isPresentation(e) || !strings.HasSuffix(e.Path, "/"+g["kind"].(string)) {
		return false
	}
	var body map[string]any
	if json.Unmarshal([]byte(e.Body), &body) != nil {
		return false
	}
	switch g["kind"] {
	case "entry-summary-declaration":
		return body["mrn"] == g["mrn"]
	case "receptacle":
		return body["receptacleIdentificationNumber"] == g["receptacleIdentificationNumber"]
	}
	got, _ := body["transportDocumentHouseLevel"].(map[string]any)
	want, _ := g["transportDocumentHouseLevel"].(map[string]any)
	return got != nil && want != nil && got["documentNumber"] == want["documentNumber"] && got["type"] == want["type"]
}

// acceptedFor reports whether the upstream took a presentation of g.
func acceptedFor(entries []control.Entry, g goods) bool {
	for _, e := range entries {
		if acceptedRequestID(e) != "" && sameGoods(e, g) {
			return true
		}
	}
	return false
}

// validatedOK reports whether a presentation of g that the upstream took was answered
// SUCCESS by validation-status.
func validatedOK(entries []control.Entry, g goods) bool {
	for _, e := range entries {
		id := acceptedRequestID(e)
		if id == "" || !sameGoods(e, g) {
			continue
		}
		for _, v := range entries {
			if v.Operation == "getValidationStatus" && v.Status == 200 && strings.EqualFold(v.QueryValues().Get("requestId"), id) &&
				strings.Contains(v.ResponseBody, `"SUCCESS"`) {
				return true
			}
		}
	}
	return false
}

// badContainers is how many unknown containers ICS2NO-STATUS-1 presents.
const badContainers = 1200

// unknownContainers are n container numbers that are not on the playground's list.
func unknownContainers(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("ZZZU%07d", i+1)
	}
	return out
}
