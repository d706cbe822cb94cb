package conformance

import (
	"fmt"
	"sort"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"

	"github.com/upmock/upmock/conformance/control"
)

// naccsEDA is a complete 輸出申告事項登録 NACCS accepts.
var naccsEDA = map[string]string{
	"customsOfficeCode": "1W", "customsDepartmentCode": "02", "exporterCode": "T5010001012345",
	"exporterName": "東京海運通関株式会社", "consigneeName": "PACIFIC IMPORTS INC", "bondedAreaCode": "1WW01",
	"packageCount": "24", "packageUnitCode": "CS", "grossWeight": "3600", "weightUnitCode": "KGM",
	"departureDate": "20261201", "portOfLoadingCode": "JPTYO", "finalDestinationCode": "USLAX",
	"invoiceValueCondition": "FOB", "invoiceCurrencyCode": "USD", "invoiceAmount": "96000",
	"hsCode": "870899000", "goodsDescription": "AUTO PARTS",
}

var _ = Describe("CyberPort NACCS", func() {
	It(ruleNaccsFlow1.Name(), ruleNaccsFlow1.Labels(), SpecTimeout(time.Minute), func(ctx SpecContext) {
		r := ruleNaccsFlow1
		n := newNaccsSession(ctx, naccsSettings)
		job, derr := n.submit(ctx, "EDA", naccsExportDeal, naccsEDA)
		n.need(ctx, derr, "naccs.submit EDA")

		entries := n.journal(ctx)
		sends := filter(entries, func(e control.Entry) bool { return e.Operation == "sendNaccsReport" && e.Status == 202 })
		check(len(sends) > 0, r, "No send was accepted:\n%s", describeAll(entries))
		for _, s := range sends {
			id := lastSegment(s.Path)
			var save *control.Entry
			for _, e := range entries {
				if e.Seq < s.Seq && e.Operation == "updateNaccsReport" && e.Status == 200 && bodyOf(e.Body)["dealReportId"] == id {
					save = &e
				}
			}
			before := filter(entries, func(e control.Entry) bool { return e.Seq <= s.Seq && e.Operation != "webhook" })
			check(save != nil, r, "This send went out before the form was saved:\n%s\nRequests up to it:\n%s", describe(s), describeAll(before))
			sent, saved := bodyOf(s.Body)["_etag"], bodyOf(save.ResponseBody)["_etag"]
			check(sent == saved, r, "The send carried _etag %v, but the last save of the form answered _etag %v:\n%s\n%s",
				sent, saved, describe(*save), describe(s))
			var missing []string
			for k, v := range naccsEDA {
				if bodyOf(save.Body)[k] != v {
					missing = append(missing, k)
				}
			}
			sort.Strings(missing)
			check(len(missing) == 0, r, "The save before the send lacked the form's content (%s):\n%s\n%s",
				strings.Join(missing, ", "), describe(*save), describe(s))
		}
		final := ""
		for _, st := range n.state(ctx).Sends {
			if st.NaccsSendID == job.NaccsSendID {
				final = st.Status
			}
		}
		check(final == "completed" && job.Status == "completed" && job.ResultCode == "00000-0000-0000", r,
			"The driver reported send %q as %s %s; the upstream holds it as %q (want completed, 00000-0000-0000).",
			job.NaccsSendID, job.Status, job.ResultCode, final)
	})

	It(ruleNaccsCall1.Name(), ruleNaccsCall1.Labels(), SpecTimeout(time.Minute), func(ctx SpecContext) {
		r := ruleNaccsCall1
		n := newNaccsSession(ctx, naccsSettings)
		changes := map[string]string{"goodsDescription": "LAPTOP COMPUTERS"}
		job, derr := n.job(ctx, "naccs.amend", map[string]any{"callUpCode": "IDB", "dealNo": naccsImportDeal,
			"key": map[string]string{"declarationNo": "10012345670"}, "changes": changes})
		n.need(ctx, derr, "naccs.amend (IDB call-up, then IDA)")

		var called map[string]string
		for _, s := range n.state(ctx).Sends {
			if s.BusinessCode == "IDB" && s.Status == "completed" && len(s.Outputs) > 0 {
				called = s.Outputs[0].Fields
			}
		}
		if called == nil {
			Fail("The client's IDB call-up never completed, so the amendment cannot be judged:\n" + describeAll(n.journal(ctx)))
		}
		entries := n.journal(ctx)
		isIDA := func(op string) func(control.Entry) bool {
			return func(e control.Entry) bool { return e.Operation == op && strings.Contains(e.Path, "/NACCS/IDA/") }
		}
		sends := filter(entries, func(e control.Entry) bool { return isIDA("sendNaccsReport")(e) && e.Status == 202 })
		check(len(sends) > 0, r, "The amended form (IDA) was never sent:\n%s", describeAll(entries))
		last := sends[len(sends)-1]
		var save *control.Entry
		for _, e := range filter(entries, isIDA("updateNaccsReport")) {
			if e.Seq < last.Seq && e.Status == 200 {
				save = &e
			}
		}
		check(save != nil, r, "The amended form was sent without a save:\n%s", describeAll(entries))
		body := bodyOf(save.Body)
		var wrong []string
		for k, v := range called {
			want := v
			if c, ok := changes[k]; ok {
				want = c
			}
			if body[k] != want {
				wrong = append(wrong, fmt.Sprintf("%s: sent %v, the call-up returned %q", k, body[k], want))
			}
		}
		sort.Strings(wrong)
		check(len(wrong) == 0, r, "The IDA form sent after the call-up does not carry the called-up declaration "+
			"(the suite asked to change only goodsDescription):\n%s\n%s", strings.Join(wrong, "\n"), describe(*save))
		check(job.Status == "completed", r, "The driver reported the amended declaration as %s %s.", job.Status, job.ResultCode)
	})

	It(ruleNaccsETag1.Name(), ruleNaccsETag1.Labels(), SpecTimeout(time.Minute), func(ctx SpecContext) {
		r := ruleNaccsETag1
		n := newNaccsSession(ctx, naccsSettings)
		first := map[string]string{"exporterCode": "T5010001012345", "exporterName": "東京海運通関株式会社", "consigneeName": "PACIFIC IMPORTS INC"}
		second := map[string]string{"packageCount": "24", "grossWeight": "3600", "goodsDescription": "AUTO PARTS"}
		raw, derr := n.call(ctx, "naccs.saveForm", map[string]any{"businessCode": "EDA", "dealNo": naccsExportDeal, "fields": first})
		n.need(ctx, derr, "naccs.saveForm (first)")
		id, _ := bodyOf(string(raw))["dealReportId"].(string)
		if id == "" {
			Fail(fmt.Sprintf("naccs.saveForm must answer {\"dealReportId\", \"_etag\"}; it answered %s", raw))
		}
		const remark = "搬入予定 12/1 (saved by another user)"
		n.otherEdit(ctx, "EDA", id, "remarks", remark)
		_, derr = n.call(ctx, "naccs.saveForm", map[string]any{"businessCode": "EDA", "dealNo": naccsExportDeal, "fields": second})

		final := n.getForm(ctx, "EDA", id)
		var lost []string
		if final["remarks"] != remark {
			lost = append(lost, fmt.Sprintf("remarks (the other user's change): now %v", final["remarks"]))
		}
		for _, fields := range []map[string]string{first, second} {
			for k, v := range fields {
				if final[k] != v {
					lost = append(lost, fmt.Sprintf("%s: now %v, the client saved %q", k, final[k], v))
				}
			}
		}
		sort.Strings(lost)
		updates := filter(n.journal(ctx), func(e control.Entry) bool {
			return e.Operation == "updateNaccsReport" || e.Operation == "getNaccsReport" || e.Operation == "createNaccsReport"
		})
		did := fmt.Sprintf("The client saved the form, another user then changed remarks, and the client saved other fields.\n%s",
			describeAll(updates))
		check(derr == nil, r, "%s\nThe second save failed: %s", did, outcomeOf(derr))
		check(len(lost) == 0, r, "%s\nChanges lost:\n%s", did, strings.Join(lost, "\n"))
		for _, e := range filter(updates, naccsOp("updateNaccsReport")) {
			check(bodyOf(e.Body)["_etag"] != nil && bodyOf(e.Body)["_etag"] != "", r, "%s\nAn update carried no _etag:\n%s", did, describe(e))
		}
	})
})
