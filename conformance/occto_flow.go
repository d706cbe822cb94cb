package conformance

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/beevik/etree"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/upmock/upmock/conformance/control"
)

var _ = Describe("OCCTO outage-plan WebAPI: reading plans", func() {
	It(ruleOcctoFlow1.Name(), ruleOcctoFlow1.Labels(), SpecTimeout(time.Minute), func(ctx SpecContext) {
		r := ruleOcctoFlow1
		o := newOcctoSession(ctx)
		// Five plans of all three divisions, with reception numbers no client could guess.
		seeded := []occtoPlan{newOcctoPlan("01", 1), newOcctoPlan("02", 2), newOcctoPlan("03", 3), newOcctoPlan("02", 4), newOcctoPlan("01", 5)}
		for i := range seeded {
			seeded[i].ReceptionNo = fmt.Sprintf("%010d", 4200017+i*613)
		}
		o.seedPlans(ctx, seeded...)
		_, derr := o.plans(ctx, "occto.fetchPlans", map[string]string{})

		entries := o.journal(ctx)
		listed := map[string]bool{}
		var problems []string
		for _, e := range entries {
			switch e.Operation {
			case "BA13B103":
				for _, k := range listedKeys(e) {
					listed[k] = true
				}
			case "BA13B102":
				form := occtoForm(e)
				key := planKeyOf(form.Get("plandivision"), form.Get("occtoreceptionno"))
				if !listed[key] {
					problems = append(problems, fmt.Sprintf("%s asked for %s, which no earlier list answer gave", describe(e), key))
				}
			}
		}
		// A fetch counts when the upstream answered it: keys sent in a refused call fetch nothing.
		var fetched []string
		for _, e := range filter(byOperation(entries, "BA13B102"), occtoAccepted) {
			form := occtoForm(e)
			fetched = append(fetched, planKeyOf(form.Get("plandivision"), form.Get("occtoreceptionno")))
		}
		for _, p := range seeded {
			if k := planKeyOf(p.Division, p.ReceptionNo); !slices.Contains(fetched, k) {
				problems = append(problems, "no call the upstream answered (resultcode 0000) fetched the listed plan "+k)
			}
		}
		check(len(problems) == 0, r, "The suite stored five plans (divisions 01–03) and asked for every plan.\n%s\n\nCalls:\n%s\nDriver: fetchPlans %s.",
			strings.Join(problems, "\n"), describeAll(entries), describeOcctoError(derr))
	})

	It(ruleOcctoData1.Name(), ruleOcctoData1.Labels(), SpecTimeout(time.Minute), func(ctx SpecContext) {
		r := ruleOcctoData1
		o := newOcctoSession(ctx)
		seeded := []occtoPlan{newOcctoPlan("01", 1), newOcctoPlan("01", 2), newOcctoPlan("01", 3)}
		for i := range seeded {
			seeded[i].ReceptionNo = fmt.Sprintf("%010d", 3100001+i*7)
		}
		o.seedPlans(ctx, seeded...)
		plans, derr := o.plans(ctx, "occto.fetchPlans", map[string]string{})
		check(derr == nil, r, "The suite stored three plans and asked for them; the driver failed: %s.\nCalls:\n%s",
			describeOcctoError(derr), describeAll(o.journal(ctx)))

		var problems []string
		for _, want := range seeded {
			i := slices.IndexFunc(plans, func(p planResult) bool { return p.ReceptionNo == want.ReceptionNo })
			if i < 0 {
				problems = append(problems, "plan "+want.ReceptionNo+" is missing from the driver's answer")
				continue
			}
			problems = append(problems, comparePlan(want, plans[i])...)
		}
		check(len(problems) == 0, r, "The suite stored three plans and asked for them; what the driver read differs from what is stored:\n%s",
			strings.Join(problems, "\n"))
	})

	It(ruleOcctoFlow2.Name(), ruleOcctoFlow2.Labels(), SpecTimeout(time.Minute), func(ctx SpecContext) {
		r := ruleOcctoFlow2
		o := newOcctoSession(ctx)
		// A message with a date that does not exist and a required element left out.
		msg := o.occtoMessage(newOcctoPlan("02", 7))
		msg = strings.Replace(msg, "<FACILITY_CD>FC0107</FACILITY_CD>", "", 1)
		Expect(msg).NotTo(ContainSubstring("<FACILITY_CD>"))
		day := time.Now().In(occtoJST).Format("20060102")
		msg = strings.Replace(msg, "<JP06116>"+day+"<", "<JP06116>"+day[:4]+"0230<", 1)
		res, derr := o.submit(ctx, "receipt-check.xml", msg)

		entries := o.journal(ctx)
		var problems []string
		regs := byOperation(entries, "BA13B101")
		Expect(regs).NotTo(BeEmpty(), "the spec needs the submission to reach upmock; it saw:\n%s", describeAll(entries))
		reg := regs[0]
		no := reg.Annotations["filereceptionno"]
		status := filter(entries, func(e control.Entry) bool { return e.Operation == "BA13B006" && e.Seq > reg.Seq })
		if len(status) == 0 {
			problems = append(problems, "no call of BA13B006 (受付ファイル一覧取得) followed the submission")
		}
		receipts := filter(entries, func(e control.Entry) bool {
			return e.Operation == "BA13B007" && e.Seq > reg.Seq && occtoForm(e).Get("filereceptionno") == no
		})
		if len(receipts) == 0 {
			problems = append(problems, "no call of BA13B007 (受信確認メッセージ取得) asked for file "+no+", which ended in 提出エラー")
		}
		if derr != nil {
			problems = append(problems, "the driver failed: "+describeDriverError(derr))
		} else {
			if res.Status != "09" || res.StatusName != "提出エラー" {
				problems = append(problems, fmt.Sprintf("the driver reported status %q %q, not 09 提出エラー", res.Status, res.StatusName))
			}
			for _, item := range []string{"/JP06116", "/FACILITY_CD"} {
				if !slices.ContainsFunc(res.Errors, func(e struct{ Code, Item, Value, Message string }) bool {
					return strings.HasSuffix(e.Item, item)
				}) {
					problems = append(problems, "the driver's errors name no element ending in "+item)
				}
			}
		}
		check(len(problems) == 0, r, "The suite submitted a message with a date that does not exist (JP06116) and without FACILITY_CD.\n%s\n\nCalls:\n%s\nDriver: submit %s %+v.",
			strings.Join(problems, "\n"), describeAll(entries), describeOcctoError(derr), res)
	})
})

// comparePlan lists how a fetched plan's XML differs from the stored plan.
func comparePlan(want occtoPlan, got planResult) []string {
	doc := etree.NewDocument()
	if err := doc.ReadFromString(got.XML); err != nil {
		return []string{fmt.Sprintf("plan %s: the text the driver read is not XML (%v): %s", want.ReceptionNo, err, clip(got.XML, 200))}
	}
	var out []string
	for path, value := range map[string]string{
		"//SBMIT_PLAN_NO":      want.SubmitPlanNo,
		"//FACILITY_CD":        want.FacilityCode,
		"//FACILITY_NM":        want.FacilityName,
		"//STOP_REASON":        want.Reason,
		"//STOP_START_DAYTIME": want.Start.In(occtoJST).Format("200601021504"),
	} {
		e := doc.FindElement(path)
		switch {
		case e == nil:
			out = append(out, fmt.Sprintf("plan %s: no %s", want.ReceptionNo, path[2:]))
		case e.Text() != value:
			out = append(out, fmt.Sprintf("plan %s: %s is %q, stored %q", want.ReceptionNo, path[2:], e.Text(), value))
		}
	}
	return out
}
