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

var _ = Describe("Tolletaten ICS2", func() {
	It(ruleICS2Route1.Name(), ruleICS2Route1.Labels(), SpecTimeout(time.Minute), func(ctx SpecContext) {
		r := ruleICS2Route1
		// One signal per answer, so that reading both signals of ENS 23NO00000000000005 takes
		// the marker twice.
		c := newICS2Session(ctx, map[string]map[string]any{"ics2no": {"processingDelay": "0s", "routingPageSize": 1}})
		c.need(ctx, c.present(ctx, entrySummaryDeclaration("23NO00000000000005")), "ics2no.present 23NO00000000000005")
		first, d1 := c.processRouting(ctx)
		second, d2 := c.processRouting(ctx)

		reads := filter(c.journal(ctx), isRouting)
		lastSeen := ""
		var bad, lines []string
		for i, e := range reads {
			marker := e.QueryValues().Get("marker")
			line := fmt.Sprintf("%s marker %q", describe(e), marker)
			if i > 0 && lastSeen != "" && marker != lastSeen {
				bad = append(bad, fmt.Sprintf("%s: the last routingResult.id read was %s", describe(e), lastSeen))
			}
			var answer []routingEntry
			if e.Status == 200 && json.Unmarshal([]byte(e.ResponseBody), &answer) == nil {
				for _, a := range answer {
					lastSeen = a.RoutingResult.ID
					line += fmt.Sprintf(", read %s %s %s", a.TransportDocumentHouseLevel.ReferenceNumber, a.container(), a.RoutingResult.ID)
				}
			}
			lines = append(lines, line)
		}
		got := map[string]int{}
		for _, s := range append(first.Signals, second.Signals...) {
			got[s.RoutingResult.ID]++
		}
		did := fmt.Sprintf("The upstream gave one signal per answer; ENS 23NO00000000000005 has two. The suite asked the client to "+
			"process routing twice. Routing reads:\n%s\nDriver: first %s with %d signals, second %s with %d.",
			strings.Join(lines, "\n"), outcome(d1), len(first.Signals), outcome(d2), len(second.Signals))
		check(len(bad) == 0, r, "%s\n\nReads that did not carry the marker of the last signal read:\n%s", did, strings.Join(bad, "\n"))
		check(len(got) == 2, r, "%s\n\nThe client read %d distinct signals, not the two the upstream issued.", did, len(got))
		Expect(len(reads)).To(BeNumerically(">=", 2), "the spec needs routing reads to judge; upmock saw:\n%s%s", describeAll(c.journal(ctx)), c.authDiagnosis(ctx))
	})

	It(ruleICS2Route2.Name(), ruleICS2Route2.Labels(), SpecTimeout(time.Minute), func(ctx SpecContext) {
		r := ruleICS2Route2
		// The signals come a minute after the presentation is processed. The suite moves the
		// upstream's clock that minute on; grants made with the client's own clock are still
		// taken (Maskinporten's clock skew is widened), should the client renew its tokens.
		c := newICS2Session(ctx, map[string]map[string]any{
			"ics2no":       {"processingDelay": "0s", "routingDelay": "60s"},
			"maskinporten": {"grantClockSkew": "120s"},
		})
		c.need(ctx, c.present(ctx, houseConsignment("HC004", "N714")), "ics2no.present HC004 N714")
		early, d1 := c.processRouting(ctx)
		c.need(ctx, d1, "ics2no.processRouting")
		_, err := c.ctl.AdvanceClock(ctx, 61*time.Second)
		Expect(err).NotTo(HaveOccurred(), "advancing the mock clock")
		late, d2 := c.processRouting(ctx)
		c.need(ctx, d2, "ics2no.processRouting")

		// What the upstream signalled, from the routing answers it sent.
		signalled := map[string]string{} // container → routing
		for _, e := range filter(c.journal(ctx), isRouting) {
			var answer []routingEntry
			if e.Status == 200 && json.Unmarshal([]byte(e.ResponseBody), &answer) == nil {
				for _, a := range answer {
					signalled[a.container()] = a.RoutingResult.Routing
				}
			}
		}
		did := fmt.Sprintf("The suite presented HC004 N714 (containers JARU0000010 and JARU0000026 on the playground's list) and asked "+
			"the client to process routing before the signals came, then a minute later.\nDecisions before: %v\nDecisions after: %v\n"+
			"Signals the upstream sent: %v", early.Decisions, late.Decisions, signalled)
		var bad []string
		for _, d := range early.Decisions {
			if d.Action == "release" || d.Action == "control" {
				bad = append(bad, fmt.Sprintf("before any signal: %s", d))
			}
		}
		decided := map[string]string{}
		for _, d := range late.Decisions {
			want := map[string]string{"TO_ENTRY": "release", "TO_CONTROL": "control"}[signalled[d.ContainerIdentificationNumber]]
			if d.Action == "release" && signalled[d.ContainerIdentificationNumber] != "TO_ENTRY" {
				bad = append(bad, fmt.Sprintf("released without TO_ENTRY: %s", d))
			}
			if want != "" {
				decided[d.ContainerIdentificationNumber] = d.Action
				if d.Action != want {
					bad = append(bad, fmt.Sprintf("signal %s, action %s: %s", signalled[d.ContainerIdentificationNumber], d.Action, d))
				}
			}
		}
		for container, routing := range signalled {
			if _, ok := decided[container]; !ok {
				bad = append(bad, fmt.Sprintf("no decision for container %s, signalled %s", container, routing))
			}
		}
		check(len(bad) == 0, r, "%s\n\n%s", did, strings.Join(bad, "\n"))
		Expect(signalled).To(HaveLen(2), "the spec needs both signals to reach the client; upmock saw:\n%s%s",
			describeAll(filter(c.journal(ctx), func(e control.Entry) bool { return isICS2Call(e) })), c.authDiagnosis(ctx))
	})
})
