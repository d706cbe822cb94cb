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
		// The other two downloads: their URLs are fetched the same way. (The inactive list
		// may be empty; the master data is seeded.)
		_, dInactive := a.call(ctx, "atlas.downloadInactive", map[string]any{"cursor": nil})
		_, dMaster := a.call(ctx, "atlas.getMaster", map[string]any{"name": atlasMaster, "lastDownloadDateTime": nil})

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
		check(derr == nil && dInactive == nil && dMaster == nil, r, "atlas.downloadShipping %s, atlas.downloadInactive %s, atlas.getMaster %s. The upstream saw:\n%s",
			outcome(derr), outcome(dInactive), outcome(dMaster), describeAll(entries))
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
	It(ruleAtlasPage2.Name(), ruleAtlasPage2.Labels(), SpecTimeout(time.Minute), func(ctx SpecContext) {
		r := ruleAtlasPage2
		a := newAtlasSession(ctx)
		// Two records a file and two files a page: the five first records take two pages, so
		// the cursor the client keeps is not the first one it was given.
		Expect(a.ctl.PatchSettings(ctx, "atlas", map[string]any{"recordsPerFile": 2, "urlsPerPage": 2}, nil)).
			To(Succeed(), "making the upstream serve two records per file and two URLs per page")
		old := []shipment{newShipment(1), newShipment(1), newShipment(1), newShipment(1), newShipment(1)}
		a.seedShipments(ctx, old...)
		first, d1 := a.downloadShippingFrom(ctx, nil)
		a.need(ctx, d1, "atlas.downloadShipping from no cursor")
		added := []shipment{newShipment(1), newShipment(1), newShipment(1)}
		a.seedShipments(ctx, added...)
		kept := first.Cursor
		second, d2 := a.downloadShippingFrom(ctx, &kept)

		listings := filter(a.journal(ctx), func(e control.Entry) bool { return e.Operation == "getItemsDownload" })
		var lines []string
		for _, e := range listings {
			var page struct {
				Cursor  string `json:"cursor"`
				HasNext bool   `json:"hasNext"`
			}
			_ = json.Unmarshal([]byte(e.ResponseBody), &page)
			lines = append(lines, fmt.Sprintf("%s, cursor %q sent → cursor %q hasNext %t", describe(e),
				clip(e.QueryValues().Get("cursor"), 24), clip(page.Cursor, 24), page.HasNext))
		}
		did := fmt.Sprintf("Two records per file, two files per page. %d shipments stored; the client downloaded them and "+
			"returned cursor %q. %d more stored; the suite asked for a download from that cursor. Listing calls:\n%s\n"+
			"Driver: second download %s with %d records:\n%s",
			len(old), clip(kept, 24), len(added), strings.Join(lines, "\n"), outcome(d2), len(second.Records), second.summary())
		check(kept != "", r, "%s\nThe first download returned no cursor.", did)
		check(d2 == nil, r, "%s\nThe download from the kept cursor failed.", did)
		var again, lost []string
		for _, sh := range old {
			if second.count(sh.Slip, sh.trackingIDs()[0]) > 0 {
				again = append(again, sh.Slip)
			}
		}
		for _, sh := range added {
			if second.count(sh.Slip, sh.trackingIDs()[0]) == 0 {
				lost = append(lost, sh.Slip)
			}
		}
		check(len(again) == 0, r, "%s\nThe download from the kept cursor returned records of the first download again (%v): "+
			"the cursor the client returned is not the last one the upstream served.", did, again)
		check(len(lost) == 0, r, "%s\nThe download from the kept cursor lacks the records added since (%v).", did, lost)
	})

	It(ruleAtlasDL2.Name(), ruleAtlasDL2.Labels(), SpecTimeout(time.Minute), func(ctx SpecContext) {
		r := ruleAtlasDL2
		a := newAtlasSession(ctx)
		// URLs live 5 s instead of an hour, so the clock moves seconds, not an hour, and the
		// client's JWTs stay fresh.
		Expect(a.ctl.PatchSettings(ctx, "atlas", map[string]any{"downloadURLTTL": "5s"}, nil)).
			To(Succeed(), "making download URLs live 5 s")
		params := map[string]any{"name": atlasMaster, "lastDownloadDateTime": nil}
		raw1, d1 := a.call(ctx, "atlas.getMaster", params)
		a.need(ctx, d1, "atlas.getMaster")
		entries := a.journal(ctx)
		mark := int64(0)
		for _, e := range entries {
			mark = max(mark, e.Seq)
		}
		_, err := a.ctl.AdvanceClock(ctx, 6*time.Second)
		Expect(err).NotTo(HaveOccurred(), "advancing the mock clock")
		raw2, d2 := a.call(ctx, "atlas.getMaster", params)

		var m1, m2 struct {
			Found   bool   `json:"found"`
			Content string `json:"content"`
		}
		_ = json.Unmarshal(raw1, &m1)
		_ = json.Unmarshal(raw2, &m2)
		Expect(m1.Found && m1.Content != "").To(BeTrue(), "the spec needs the master %q: the first atlas.getMaster answered %s", atlasMaster, raw1)
		all := a.journal(ctx)
		later := filter(all, func(e control.Entry) bool { return e.Seq > mark })
		did := fmt.Sprintf("Download URLs lived 5 s. The suite asked for master %q, moved the upstream's clock 6 s on and asked "+
			"again.\nBefore the clock moved:\n%s\nAfter:\n%s\nDriver: first found %t (%d bytes), second %s found %t (%d bytes).",
			atlasMaster, indent(describeAll(filter(all, func(e control.Entry) bool { return e.Seq <= mark }))),
			indent(describeAll(later)), m1.Found, len(m1.Content), outcome(d2), m2.Found, len(m2.Content))
		fresh := filter(later, func(e control.Entry) bool { return e.Operation == "getMaster" && e.Status == 200 })
		fetched := filter(later, func(e control.Entry) bool { return e.Operation == "download" && e.Status == 200 })
		check(d2 == nil && m2.Found && m2.Content == m1.Content, r,
			"%s\nThe second request failed or lost the master data: an expired URL is answered AccessDenied, and the client asks for a new URL.", did)
		check(len(fresh) > 0 && len(fetched) > 0, r,
			"%s\nAfter the URL expired the client did not ask for a new URL and fetch it.", did)
	})

	It(ruleAtlasDL3.Name(), ruleAtlasDL3.Labels(), SpecTimeout(time.Minute), func(ctx SpecContext) {
		r := ruleAtlasDL3
		a := newAtlasSession(ctx)
		// One shipment of 1,200 items with 150-character individualRecognitionCodes: the first
		// file holds 1,000 of them, well over half a megabyte of JSON.
		sh := newShipment(largeShipment)
		for _, it := range sh.Items {
			it["individualRecognitionCode"] = longCode(it["trackingId"].(string))
		}
		a.seedShipments(ctx, sh)
		res, derr := a.downloadShipping(ctx)
		entries := a.journal(ctx)
		sizes := ""
		for _, e := range filter(entries, func(e control.Entry) bool { return e.Operation == "download" }) {
			sizes += fmt.Sprintf("\n%s", describe(e))
		}
		did := fmt.Sprintf("%d items of one shipment stored, each with a %d-character individualRecognitionCode; the upstream "+
			"served them in files of up to 1,000 records. File fetches:%s\nDriver: %s with %d records, %d items.",
			largeShipment, len(longCode("x")), sizes, outcome(derr), len(res.Records), res.items())
		check(derr == nil, r, "%s\nThe download failed.", did)
		got := map[string]string{}
		for _, rec := range res.Records {
			if rec.MovementSlipNo != sh.Slip {
				continue
			}
			for _, it := range rec.Items {
				got[it.TrackingID] = it.IndividualRecognitionCode
			}
		}
		var lost []string
		for _, id := range sh.trackingIDs() {
			if got[id] != longCode(id) {
				lost = append(lost, id)
			}
		}
		check(len(lost) == 0, r, "%s\n%d items are missing or cut short, e.g. %v.", did, len(lost), lost[:min(len(lost), 5)])
	})
})

// largeShipment is how many items ATLAS-DL-3 stores: more than one file of 1,000 records.
const largeShipment = 1200

// longCode is a 150-character individualRecognitionCode (the field's maximum) for id.
func longCode(id string) string {
	code := "IRC-" + id + "-"
	for len(code) < 150 {
		code += "0123456789"
	}
	return code[:150]
}
