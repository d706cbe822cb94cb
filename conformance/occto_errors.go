package conformance

import (
	"fmt"
	"slices"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/upmock/upmock/conformance/control"
)

// receiptError is one ERR_INFO of a 受信確認メッセージ, as served or as the driver reported it.
type receiptError struct{ Code, Item, Value, Message string }

func (e receiptError) String() string {
	return fmt.Sprintf("%s %s %q %s", e.Code, e.Item, e.Value, e.Message)
}

var _ = Describe("OCCTO outage-plan WebAPI: receipt messages", func() {
	It(ruleOcctoErr1.Name(), ruleOcctoErr1.Labels(), SpecTimeout(time.Minute), func(ctx SpecContext) {
		r := ruleOcctoErr1
		o := newOcctoSession(ctx)
		// Two plans with four faults between them: a facility code in lower case, a reason
		// code not in the list, and a period that ends before it starts.
		first, second := newOcctoPlan("01", 11), newOcctoPlan("02", 12)
		first.FacilityCode = "fc-0111"
		second.ReasonCode = "99"
		second.End = second.Start.Add(-time.Hour)
		third := newOcctoPlan("03", 13)
		third.FacilityCode = "fc-0113"
		res, derr := o.submit(ctx, "receipt-errors.xml", o.occtoMessage(first, second, third))

		entries := o.journal(ctx)
		receipts := byOperation(entries, "BA13B007")
		answered := filter(receipts, func(e control.Entry) bool { return resultCode(e) == "0000" })
		check(len(answered) > 0, r, "The suite submitted three plans with four errors between them. No receipt message reached the client "+
			"(%d BA13B007 calls, none answered 0000), so none of its errors could reach the caller.\n%s\nDriver: submit %s %+v.",
			len(receipts), describeAll(entries), describeOcctoError(derr), res)
		served := servedReceiptErrors(answered[len(answered)-1])
		Expect(len(served)).To(BeNumerically(">=", 4), "upmock should have found four errors in the message")

		var reported []receiptError
		for _, e := range res.Errors {
			reported = append(reported, receiptError{e.Code, e.Item, e.Value, e.Message})
		}
		var problems []string
		if derr != nil {
			problems = append(problems, "the driver failed: "+describeDriverError(derr))
		}
		for _, want := range served {
			if !slices.Contains(reported, want) {
				problems = append(problems, "served but not reported whole: "+want.String())
			}
		}
		if len(reported) != len(served) {
			problems = append(problems, fmt.Sprintf("the driver reported %d errors; the receipt message holds %d", len(reported), len(served)))
		}
		lines := make([]string, len(reported))
		for i, e := range reported {
			lines[i] = "  " + e.String()
		}
		check(len(problems) == 0, r, "The suite submitted three plans with four errors between them; upmock's 受信確認メッセージ listed %d ERR_INFO.\n%s\n\n"+
			"The driver reported status %q and these errors:\n%s\nCalls:\n%s",
			len(served), strings.Join(problems, "\n"), res.Status, strings.Join(lines, "\n"), describeAll(entries))
	})
})

// servedReceiptErrors are the ERR_INFO of a journaled BA13B007 answer.
func servedReceiptErrors(e control.Entry) []receiptError {
	doc, err := answerFile(e)
	if err != nil {
		return nil
	}
	var out []receiptError
	for _, info := range doc.FindElements("SBD-MSG/RECPT_MSG/ERR_INFO") {
		text := func(tag string) string {
			if c := info.SelectElement(tag); c != nil {
				return c.Text()
			}
			return ""
		}
		out = append(out, receiptError{text("ERR_CD"), text("ERR_ITEM"), text("ERR_VAL"), text("ERR_MSG")})
	}
	return out
}
