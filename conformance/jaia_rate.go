package conformance

import (
	"fmt"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/upmock/upmock/conformance/control"
)

// jaiaRateSlack is the share of the configured window the judge allows requests to come
// closer than the client sent them: the upstream stamps a request on arrival, and a loaded
// machine delays some arrivals more than others.
const jaiaRateSlack = 0.25

var _ = Describe("JAIA", func() {
	It(ruleJaiaRate1.Name(), ruleJaiaRate1.Labels(), SpecTimeout(time.Minute), func(ctx SpecContext) {
		r := ruleJaiaRate1
		j := newJaiaSession(ctx)
		// 60 stores in pages of 2: thirty searches and a login, half again the budget of
		// 20 requests a second the client was configured with. The clock is not moved, so
		// the journal's times are the arrival times.
		j.seedStores(ctx, "RT", 60)
		_, derr := j.searchStores(ctx, 2)

		entries := j.journal(ctx)
		n, window := jaiaRate.requests, time.Duration(jaiaRate.windowMs)*time.Millisecond
		Expect(len(entries)).To(BeNumerically(">", n),
			"the spec needs more than %d requests to judge; upmock saw %d:\n%s", n, len(entries), describeAll(entries))
		limit := time.Duration(float64(window) * (1 - jaiaRateSlack))
		worst, at := time.Duration(1<<62), 0
		for i := 0; i+n < len(entries); i++ {
			if gap := entries[i+n].Time.Sub(entries[i].Time); gap < worst {
				worst, at = gap, i
			}
		}
		did := fmt.Sprintf("The suite configured the client with rateLimit %d requests per %d ms (this run's stand-in for "+
			"100 a minute) and asked for 60 stores in pages of 2: %d requests in all. Driver: %s",
			n, jaiaRate.windowMs, len(entries), outcome(derr))
		check(worst >= limit, r, "%s\n%d requests arrived within %s (the budget allows %d per %s; the judge allows arrivals %d%% closer):\n%s",
			did, n+1, worst.Round(time.Millisecond), n, window, int(jaiaRateSlack*100),
			describeAll([]control.Entry{entries[at], entries[at+n]}))
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
