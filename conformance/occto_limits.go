package conformance

import (
	"fmt"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/upmock/upmock/conformance/control"
	"github.com/upmock/upmock/conformance/driver"
)

var _ = Describe("OCCTO outage-plan WebAPI: result codes and the daily limit", func() {
	It(ruleOcctoResult1.Name(), ruleOcctoResult1.Labels(), SpecTimeout(time.Minute), func(ctx SpecContext) {
		r := ruleOcctoResult1
		o := openOcctoSession(ctx)
		// A password that is not the user's: OCCTO answers HTTP 200 with resultcode 1002.
		o.configure(ctx, o.settings(o.baseURL, o.user.Password+"-not"))
		plans, derr := o.plans(ctx, "occto.listPlans", map[string]string{})

		entries := o.journal(ctx)
		lists := byOperation(entries, "BA13B103")
		Expect(lists).NotTo(BeEmpty(), "the spec needs the list call to reach upmock; it saw:\n%s", describeAll(entries))
		Expect(resultCode(lists[0])).To(Equal("1002"), "upmock should have refused the password")
		reported := derr != nil && (derr.Code == "1002" || strings.Contains(derr.Message, "1002"))
		check(reported, r, "The suite configured a wrong password and asked for the plan list.\n%s\n"+
			"upmock answered HTTP %d with resultcode 1002 (パスワードが正しくありません); the driver answered %s%s.",
			describeAll(entries), lists[0].Status, describeOcctoError(derr), planCount(derr, plans))
	})

	It(ruleOcctoLimit1.Name(), ruleOcctoLimit1.Labels(), SpecTimeout(time.Minute), func(ctx SpecContext) {
		r := ruleOcctoLimit1
		o := newOcctoSession(ctx)
		seeded := make([]occtoPlan, 6)
		for i := range seeded {
			seeded[i] = newOcctoPlan("01", i+1)
			seeded[i].ReceptionNo = fmt.Sprintf("%010d", 5100003+i*11)
		}
		o.seedPlans(ctx, seeded...)
		// The day's limit is 4 calls: the list and three plans; the fourth plan's call is
		// the fifth of the day.
		o.patchSettings(ctx, map[string]any{"dailyLimit": 4})
		_, d1 := o.plans(ctx, "occto.fetchPlans", map[string]string{})
		_, d2 := o.plans(ctx, "occto.listPlans", map[string]string{})

		entries := o.journal(ctx)
		limited := filter(entries, func(e control.Entry) bool { return resultCode(e) == "2001" })
		Expect(limited).NotTo(BeEmpty(), "the spec needs the client to reach the limit; upmock saw:\n%s", describeAll(entries))
		after := filter(entries, func(e control.Entry) bool { return e.Seq > limited[0].Seq })
		var problems []string
		if len(after) > 0 {
			problems = append(problems, fmt.Sprintf("%d calls followed the first 「API 上限回数を超えています」 the same day", len(after)))
		}
		for i, d := range []*driver.Error{d1, d2} {
			if d == nil || (d.Code != "2001" && !strings.Contains(d.Message, "2001")) {
				problems = append(problems, fmt.Sprintf("op %d did not report the limit (2001): %s", i+1, describeOcctoError(d)))
			}
		}
		check(len(problems) == 0, r, "With a daily limit of 4 calls, the suite asked for every plan (6 stored), then for the plan list.\n%s\n\nCalls:\n%s",
			strings.Join(problems, "\n"), describeAll(entries))
	})
})

func planCount(derr *driver.Error, plans []planResult) string {
	if derr != nil {
		return ""
	}
	return fmt.Sprintf(" with %d plans, as if the call had succeeded", len(plans))
}
