package conformance

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"

	"github.com/upmock/upmock/conformance/control"
)

// The keys of RegistrationRequest and of its Item that a request must carry (the
// document's request example; Item.detail is left out, as the example leaves it out).
var (
	registrationKeys = []string{"transactionId", "movementSlipNo", "baseId", "counterBaseId", "targetPath", "items"}
	itemKeys         = []string{"trackingId", "uid", "autoIdType", "path", "itemCount", "movedDateTime",
		"individualRecognitionCode", "largeClassAggregationKey", "middleClassAggregationKey",
		"smallClassAggregationKey", "isInactivated", "autoInactive"}
)

var _ = Describe("ATLAS-Things", func() {
	It(ruleAtlasVal1.Name(), ruleAtlasVal1.Labels(), SpecTimeout(time.Minute), func(ctx SpecContext) {
		r := ruleAtlasVal1
		a := newAtlasSession(ctx)
		// The only spec that leaves optional item fields unset.
		sh := newBareShipment(2)
		derr := a.registerShipping(ctx, "bulk", sh)

		regs := filter(a.journal(ctx), isRegistration)
		check(len(regs) > 0, r, "no registration request reached upmock; the driver answered %s", outcome(derr))
		var bad []string
		for _, e := range regs {
			if missing := missingKeys(e); missing != "" {
				bad = append(bad, describe(e)+"\n  "+missing)
			}
		}
		check(len(bad) == 0, r,
			"The suite asked for a bulk registration whose items leave individualRecognitionCode, "+
				"the three aggregation keys and autoInactive unset. Requests lacking items:\n%s",
			strings.Join(bad, "\n"))
		check(derr == nil, r, "every item was sent, but the registration failed: %s\n%s", outcome(derr), describeAll(regs))
	})

	It(ruleAtlasVal2.Name(), ruleAtlasVal2.Labels(), SpecTimeout(time.Minute), func(ctx SpecContext) {
		r := ruleAtlasVal2
		a := newAtlasSession(ctx)
		sh := newShipment(3)
		derr := a.registerShipping(ctx, "single", sh)

		entries := a.journal(ctx)
		var bad []string
		sent := map[string]bool{}
		for _, e := range entries {
			single := isSingle(e)
			b, err := parseRegistration(e)
			switch {
			case single && (err != nil || len(b.Items) != 1):
				bad = append(bad, fmt.Sprintf("%s with %d items", describe(e), len(b.Items)))
			case e.Status == 400 && errorCode(e.ResponseBody) == "203":
				bad = append(bad, describe(e)+" (refused: more than one item)")
			}
			if single {
				for _, it := range b.Items {
					sent[it.TrackingID] = true
				}
			}
		}
		check(len(bad) == 0, r, "The suite asked for a single-item registration of 3 items. Requests with other than one item:\n%s",
			strings.Join(bad, "\n"))
		check(len(filter(entries, isSingle)) > 0, r,
			"The suite asked for a single-item registration of 3 items; no request reached "+
				"POST /shipping/item. The upstream saw:\n%s\nDriver: %s", describeAll(entries), outcome(derr))
		// Stopping early for another reason (say a refused transactionId) is another rule's
		// business; a client that reports success must have sent every item.
		if derr == nil {
			var unsent []string
			for _, id := range sh.trackingIDs() {
				if !sent[id] {
					unsent = append(unsent, id)
				}
			}
			check(len(unsent) == 0, r, "The suite asked for a single-item registration of 3 items and the driver "+
				"reported success, but no single-item request carried %v. Registration requests:\n%s",
				unsent, describeAll(filter(entries, isRegistration)))
		}
	})
})

func isSingle(e control.Entry) bool {
	return e.Operation == "postShippingItem" || e.Operation == "postReceivingItem"
}

// missingKeys says which RegistrationRequest and Item keys a journaled request lacks
// ("" when none).
func missingKeys(e control.Entry) string {
	var body map[string]json.RawMessage
	if err := json.Unmarshal([]byte(e.Body), &body); err != nil {
		return "body is not a JSON object: " + err.Error()
	}
	var out []string
	if m := absent(body, registrationKeys); len(m) > 0 {
		out = append(out, "request lacks "+strings.Join(m, ", "))
	}
	var items []map[string]json.RawMessage
	if err := json.Unmarshal(body["items"], &items); err == nil {
		for i, it := range items {
			if m := absent(it, itemKeys); len(m) > 0 {
				out = append(out, fmt.Sprintf("items[%d] lacks %s", i, strings.Join(m, ", ")))
			}
		}
	}
	return strings.Join(out, "\n  ")
}

func absent(obj map[string]json.RawMessage, keys []string) []string {
	var m []string
	for _, k := range keys {
		if _, ok := obj[k]; !ok {
			m = append(m, `"`+k+`"`)
		}
	}
	return m
}
