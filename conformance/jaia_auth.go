package conformance

import (
	"fmt"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/upmock/upmock/conformance/control"
)

var _ = Describe("JAIA", func() {
	It(ruleJaiaAuth1.Name(), ruleJaiaAuth1.Labels(), SpecTimeout(time.Minute), func(ctx SpecContext) {
		r := ruleJaiaAuth1
		j := newJaiaSession(ctx)
		// Four operations of different kinds: a single create, a search, an import and a
		// code lookup. Whether each succeeds is other rules' business; this one is judged
		// on the logins and the tokens of every request they sent.
		j.createStores(ctx, jaiaStores("AU", 1))
		j.searchStores(ctx, 0)
		j.createStores(ctx, jaiaStores("AV", 2))
		j.call(ctx, "jaia.getCodes", map[string]any{"codeIds": []string{"PUBLISH_SETTING"}})

		entries := j.journal(ctx)
		Expect(len(entries)).To(BeNumerically(">=", 4), "the spec needs the driver's calls to reach upmock; it saw:\n%s", describeAll(entries))
		did := "The suite asked for four operations (a single store, a search, two stores, the publish-setting codes). " +
			"The upstream saw:\n" + describeAll(entries)
		first := entries[0]
		refused := jaiaLoginProblems(entries, jaiaUserMail)
		check(len(refused) == 0, r, "%s\nThe upstream refused the client's login:\n%s", did, strings.Join(refused, "\n"))
		check(first.Operation == "AUTH_LOGIN" && first.Status == 200, r, "%s\nThe first request was not a successful login.", did)
		logins := filter(entries, jaiaOp("AUTH_LOGIN"))
		check(len(logins) == 1, r, "%s\nThe client logged in %d times for one session; the token of the first login was valid throughout.", did, len(logins))
		var bad []string
		for _, e := range entries {
			if e.Operation == "AUTH_LOGIN" {
				continue
			}
			switch {
			case e.Headers.Get("Authorization") == "":
				bad = append(bad, describe(e)+": no Authorization header")
			case e.Status == 401:
				bad = append(bad, describe(e)+": refused as unauthenticated")
			}
		}
		check(len(bad) == 0, r, "%s\nCalls without the login's token:\n%s", did, strings.Join(bad, "\n"))
	})

	It(ruleJaiaAuth2.Name(), ruleJaiaAuth2.Labels(), SpecTimeout(time.Minute), func(ctx SpecContext) {
		r := ruleJaiaAuth2
		j := newJaiaSession(ctx)
		j.seedStores(ctx, "EX", 3)
		_, derr := j.searchStores(ctx, 0)
		j.need(ctx, derr, "jaia.searchStores")
		before := len(j.journal(ctx))
		// The upstream's clock moves past the idle expiry: no real time passes.
		_, err := j.ctl.AdvanceClock(ctx, 2*time.Hour+time.Minute)
		Expect(err).NotTo(HaveOccurred(), "advancing the mock clock")
		_, derr = j.searchStores(ctx, 0)

		entries := j.journal(ctx)
		after := entries[before:]
		did := fmt.Sprintf("The client searched, the suite moved the upstream's clock 2 h 1 min ahead (two idle hours "+
			"expire the token), and asked for the same search again. Requests after the clock moved:\n%s\nDriver: %s",
			describeAll(after), outcome(derr))
		var problems []string
		for i, e := range after {
			if !isJaiaAuthFailure(e) {
				continue
			}
			switch {
			case i+1 == len(after):
				problems = append(problems, fmt.Sprintf("#%d was refused with the auth error and the client sent nothing more", e.Seq))
			case after[i+1].Operation != "AUTH_LOGIN":
				problems = append(problems, fmt.Sprintf("#%d was refused with the auth error and the client went on with %s instead of logging in again",
					e.Seq, after[i+1].Operation))
			}
		}
		check(len(problems) == 0, r, "%s\n%s", did, strings.Join(problems, "\n"))
		refused := jaiaLoginProblems(after, jaiaUserMail)
		check(len(refused) == 0, r, "%s\nThe upstream refused the client's login after the expiry:\n%s", did, strings.Join(refused, "\n"))
		check(len(filter(after, isJaiaAuthFailure)) <= 1, r, "%s\nThe expired token was sent more than once.", did)
		check(derr == nil, r, "%s\nAfter logging in again the search can succeed; the client reported a failure.", did)
		check(len(filter(after, func(e control.Entry) bool { return e.Operation == "STORE_SELECT" && jaiaAnswerOf(e).ok(e) })) > 0, r,
			"%s\nNo search succeeded after the clock moved.", did)
	})

	It(ruleJaiaAuth3.Name(), ruleJaiaAuth3.Labels(), SpecTimeout(time.Minute), func(ctx SpecContext) {
		r := ruleJaiaAuth3
		j := newJaiaSession(ctx)
		_, derr := j.searchStores(ctx, 0)
		j.need(ctx, derr, "jaia.searchStores")
		_, derr = j.call(ctx, "jaia.logout", map[string]any{})

		entries := j.journal(ctx)
		did := fmt.Sprintf("The suite asked for a search and then said it was done (jaia.logout). The upstream saw:\n%s\nDriver: %s",
			describeAll(entries), outcome(derr))
		logouts := filter(entries, jaiaOp("AUTH_LOGOUT"))
		check(len(logouts) > 0, r, "%s\nThe client never called the logout API (DELETE /auth).", did)
		last := entries[len(entries)-1]
		check(last.Operation == "AUTH_LOGOUT" && jaiaAnswerOf(last).ok(last), r,
			"%s\nThe last request was not a successful logout (DELETE /auth answered 200 result 0).", did)
		check(derr == nil, r, "%s\nThe logout succeeded upstream; the client reported a failure.", did)
	})
})
