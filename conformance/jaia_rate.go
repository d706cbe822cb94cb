package conformance

import (
	"fmt"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/upmock/upmock/conformance/control"
)

// jaiaRateMargin is how much earlier than a window after an answer the judge lets the
// next request arrive: the journal's answer time (arrival + handling time) is a little later
// than the moment the answer left, more so on a loaded machine. A client that counts its
// window from departures misses the line by the injected slow answer, 600 ms.
const jaiaRateMargin = 150 * time.Millisecond

// jaiaSlowAnswer is how long the upstream takes over the first search of JAIA-RATE-1.
const jaiaSlowAnswer = 600 * time.Millisecond

var _ = Describe("JAIA", func() {
	It(ruleJaiaRate1.Name(), ruleJaiaRate1.Labels(), SpecTimeout(time.Minute), func(ctx SpecContext) {
		r := ruleJaiaRate1
		j := newJaiaSession(ctx)
		// 60 stores in pages of 2: thirty searches and a login, half again the budget of
		// 20 requests a second the client was configured with. The first search is answered
		// slowly: the upstream counts it from its arrival, the client from its answer.
		j.seedStores(ctx, "RT", 60)
		_, err := j.ctl.AddFault(ctx, control.Fault{API: "jaia", Method: "POST", Path: "/stores", Count: 1,
			DelayMs: int(jaiaSlowAnswer / time.Millisecond)})
		Expect(err).NotTo(HaveOccurred(), "injecting the slow answer")
		_, derr := j.searchStores(ctx, 2)

		entries := j.journal(ctx)
		n, window := jaiaRate.requests, time.Duration(jaiaRate.windowMs)*time.Millisecond
		Expect(len(entries)).To(BeNumerically(">", n),
			"the spec needs more than %d requests to judge; upmock saw %d:\n%s", n, len(entries), describeAll(entries))
		worst, at := time.Duration(1<<62), 0
		for i := 0; i+n < len(entries); i++ {
			if gap := entries[i+n].Time.Sub(jaiaAnswered(entries[i])); gap < worst {
				worst, at = gap, i
			}
		}
		did := fmt.Sprintf("The suite configured the client with rateLimit %d requests per %d ms (this run's stand-in for "+
			"100 a minute), answered its first search after %s, and asked for 60 stores in pages of 2: %d requests in all. Driver: %s",
			n, jaiaRate.windowMs, jaiaSlowAnswer, len(entries), outcome(derr))
		first, next := entries[at], entries[at+n]
		check(worst >= window-jaiaRateMargin, r, "%s\nRequest #%d arrived %s after the answer to #%d, %d requests later; the budget "+
			"allows %d requests per %s counted from each answer (the judge allows %s less):\n%s\n  answered at %s\n%s",
			did, next.Seq, worst.Round(time.Millisecond), first.Seq, n, n, window, jaiaRateMargin,
			describe(first), jaiaAnswered(first).Format("15:04:05.000"), describe(next))
		throttled := filter(entries, func(e control.Entry) bool { return e.Status == 429 })
		check(len(throttled) == 0, r, "%s\nThe upstream refused %d requests as over its limit:\n%s", did, len(throttled), describeAll(throttled))
	})

	It(ruleJaiaResult1.Name(), ruleJaiaResult1.Labels(), SpecTimeout(time.Minute), func(ctx SpecContext) {
		r := ruleJaiaResult1
		j := newJaiaSession(ctx)
		j.seedStores(ctx, "RS", 2)
		// An abnormal end answered with HTTP 200, as the manual's export tables answer it:
		// only result and errorMessageList say that the search failed.
		const unexpected = "予期せぬエラーが発生しました。"
		body := `{"result":1,"code":500,"errorMessageList":["` + unexpected + `"]}`
		_, err := j.ctl.AddFault(ctx, control.Fault{API: "jaia", Method: "POST", Path: "/stores", Count: 1, Status: 200, Body: &body})
		Expect(err).NotTo(HaveOccurred(), "injecting the failed search")
		res, derr := j.searchStores(ctx, 0)
		selects := filter(j.journal(ctx), jaiaOp("STORE_SELECT"))
		did := fmt.Sprintf("The suite made the upstream answer the first search HTTP 200 with %s. Searches:\n%s\nDriver: %s",
			body, describeAll(selects), outcome(derr))
		if derr == nil {
			// Success is fine only if it came from a search the upstream did answer with
			// result 0, i.e. the client read the failure and asked again.
			retried := len(selects) > 1 && jaiaAnswerOf(selects[len(selects)-1]).ok(selects[len(selects)-1])
			check(retried, r, "%s\nThe client reported success (%d stores, total %d) for a search whose result was 1.",
				did, len(res.Stores), res.Total)
		} else {
			check(strings.Contains(derr.Message, unexpected), r, "%s\nThe failure does not carry the upstream's errorMessageList 「%s」.", did, unexpected)
		}

		// A real refusal: one row of three with another company's prefix, so the import is
		// refused as a whole with a row error.
		stores := jaiaStores("RE", 3)
		const prefixMsg = "項目「JAIA コード」の先頭文字列が JAIA 事業者コードと一致していません。"
		stores[1]["jaiaCode"] = "1002" + stores[1]["jaiaCode"][4:]
		_, derr = j.createStores(ctx, stores)
		writes := filter(j.journal(ctx), func(e control.Entry) bool {
			return e.Operation == "STORE_IMPORT_CREATE" || e.Operation == "STORE_CREATE"
		})
		did = fmt.Sprintf("The suite asked for 3 stores, the second with another company's code %s. Requests:\n%s\nDriver: %s",
			stores[1]["jaiaCode"], describeAll(writes), outcome(derr))
		check(derr != nil, r, "%s\nThe upstream refused the store; the client reported success.", did)
		check(strings.Contains(derr.Message, prefixMsg), r, "%s\nThe failure does not carry the upstream's message 「%s」.", did, prefixMsg)
	})
})

// jaiaAnswered is when the upstream's answer to e left: its arrival plus handling time.
func jaiaAnswered(e control.Entry) time.Time {
	return e.Time.Add(time.Duration(e.DurationMs * float64(time.Millisecond)))
}
