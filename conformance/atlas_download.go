package conformance

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/upmock/upmock/conformance/control"
)

var _ = Describe("ATLAS-Things", func() {
	It(ruleAtlasDL1.Name(), ruleAtlasDL1.Labels(), SpecTimeout(time.Minute), func(ctx SpecContext) {
		r := ruleAtlasDL1
		a := newAtlasSession(ctx)
		sh := newShipment(2)
		a.need(ctx, a.registerShipping(ctx, "bulk", sh), "atlas.registerShipping")
		a.awaitRegistration(ctx)
		res, derr := a.downloadShipping(ctx)

		entries := a.journal(ctx)
		downloads := filter(entries, func(e control.Entry) bool { return e.Operation == "download" })
		var bad []string
		for _, e := range downloads {
			var wrong []string
			if e.Method != http.MethodGet {
				wrong = append(wrong, "method "+e.Method)
			}
			if v := e.Headers.Get("X-Atlas-Api-Key"); v != "" {
				wrong = append(wrong, "X-ATLAS-API-Key: "+v)
			}
			if v := e.Headers.Get("Authorization"); v != "" {
				wrong = append(wrong, "Authorization: "+clip(v, 60))
			}
			if len(wrong) > 0 {
				bad = append(bad, describe(e)+" with "+strings.Join(wrong, ", "))
			}
		}
		check(len(bad) == 0, r, "%d of its %d download URL fetches carried what the URL must be fetched without:\n%s",
			len(bad), len(downloads), strings.Join(bad, "\n"))
		check(derr == nil, r, "atlas.downloadShipping failed: %s. The upstream saw:\n%s", outcome(derr), describeAll(entries))
		check(len(downloads) > 0, r, "the client never fetched a download URL. The upstream saw:\n%s", describeAll(entries))
		for _, id := range sh.trackingIDs() {
			check(res.count(sh.Slip, id) > 0, r,
				"the records the driver returned lack the registered movementSlipNo %s trackingId %s. Records:\n%sThe upstream saw:\n%s",
				sh.Slip, id, res.summary(), describeAll(entries))
		}
	})

	It(ruleAtlasPage1.Name(), ruleAtlasPage1.Labels(), SpecTimeout(time.Minute), func(ctx SpecContext) {
		r := ruleAtlasPage1
		a := newAtlasSession(ctx)
		Expect(a.ctl.PatchSettings(ctx, "atlas", map[string]any{"recordsPerFile": 1, "urlsPerPage": 1}, nil)).
			To(Succeed(), "making the upstream serve one record per file and one URL per page")
		// The records are seeded, not registered by the client: this rule is about reading.
		accepted := []shipment{newShipment(1), newShipment(1), newShipment(1)}
		a.seedShipments(ctx, accepted...)
		res, derr := a.downloadShipping(ctx)
		entries := a.journal(ctx)

		listings := filter(entries, func(e control.Entry) bool { return e.Operation == "getItemsDownload" })
		var lines []string
		prevCursor, prevHasNext, followed := "", false, true
		for i, e := range listings {
			var page struct {
				Cursor  string `json:"cursor"`
				HasNext bool   `json:"hasNext"`
			}
			_ = json.Unmarshal([]byte(e.ResponseBody), &page)
			sent := e.QueryValues().Get("cursor")
			note := fmt.Sprintf("%s, no cursor sent → hasNext %t", describe(e), page.HasNext)
			if sent != "" {
				note = fmt.Sprintf("%s, cursor %q sent → hasNext %t", describe(e), clip(sent, 24), page.HasNext)
			}
			if i > 0 && prevHasNext && sent != prevCursor {
				note += fmt.Sprintf(" (the previous answer's cursor was %q)", clip(prevCursor, 24))
				followed = false
			}
			lines = append(lines, note)
			if e.Status == 200 {
				prevCursor, prevHasNext = page.Cursor, page.HasNext
			}
		}
		did := fmt.Sprintf("The upstream served one record per file and one URL per page, %d shipments in all. Listing calls:\n%s\nDriver: %s",
			len(accepted), strings.Join(lines, "\n"), outcome(derr))
		check(len(listings) > 0, r, "%s\nThe client never called GET /items/download.", did)
		check(followed, r, "%s\nA call did not send the cursor of the answer before it.", did)
		check(!prevHasNext, r, "%s\nThe client stopped although the last answer said hasNext true.", did)
		check(derr == nil, r, "%s\nThe download failed.", did)
		for _, sh := range accepted {
			for _, id := range sh.trackingIDs() {
				check(res.count(sh.Slip, id) > 0, r, "%s\nThe records lack movementSlipNo %s trackingId %s. Records:\n%s",
					did, sh.Slip, id, res.summary())
			}
		}
	})
})
