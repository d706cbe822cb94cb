package conformance

import (
	"fmt"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"

	"github.com/upmock/upmock/conformance/control"
)

// Waiting before a retry, as the suite judges it. The document asks for a wait before
// each retry (500, 504: 「少し時間をおいてから」; 503: 「一定時間経過後に」; 429: "in a little
// while") and nowhere for waits that grow, so a constant wait is conformant for every status
// and growth is not judged. Each wait is measured as the gap between the arrivals of two
// attempts on the mock clock, and must be at least minRetryWait: 80 % of the first wait the
// client is configured for (atlasRetry's 100 ms). The gap holds the client's wait plus the
// upstream's answer to the attempt before, so it is never shorter than the wait, and a loaded
// machine only ever makes it longer: the judgement cannot fail a correct client. A client
// that retries at once fails unless the upstream took 80 ms over every one of its answers.
const (
	retryFaults  = 3
	minRetryWait = 80 * time.Millisecond
)

var _ = Describe("ATLAS-Things", func() {
	for _, c := range []struct {
		rule   Rule
		status int
	}{
		{ruleAtlasRetry500, 500},
		{ruleAtlasRetry503, 503},
		{ruleAtlasRetry504, 504},
		{ruleAtlasRetry429, 429},
	} {
		It(c.rule.Name(), c.rule.Labels(), SpecTimeout(time.Minute), func(ctx SpecContext) {
			r := c.rule
			a := newAtlasSession(ctx)
			a.addFault(ctx, control.Fault{API: "atlas", Method: "POST", Path: "/shipping/*", Count: retryFaults, Status: c.status})
			sh := newShipment(1)
			derr := a.registerShipping(ctx, "bulk", sh)

			attempts := registrationsOf(a.journal(ctx), sh.Slip)
			did := fmt.Sprintf("The upstream answered the first %d attempts %d. Attempts:\n%s\nDriver: %s",
				retryFaults, c.status, describeAttempts(attempts), outcome(derr))
			check(len(attempts) > retryFaults, r, "%s\nThe client gave up after %d attempt(s).", did, len(attempts))
			last := attempts[len(attempts)-1]
			check(derr == nil || last.Status/100 != 2, r, "%s\nAttempt %d was answered %d; the client should report success.", did, len(attempts), last.Status)
			if problem := backoffProblem(attempts); problem != "" {
				broken(r, "%s\n%s", did, problem)
			}
		})
	}

	It(ruleAtlasRetry400.Name(), ruleAtlasRetry400.Labels(), SpecTimeout(time.Minute), func(ctx SpecContext) {
		r := ruleAtlasRetry400
		a := newAtlasSession(ctx)
		a.addFault(ctx, control.Fault{API: "atlas", Method: "POST", Path: "/shipping/*", Count: 1, Status: 400})
		sh := newShipment(1)
		derr := a.registerShipping(ctx, "bulk", sh)

		attempts := registrationsOf(a.journal(ctx), sh.Slip)
		did := fmt.Sprintf("The upstream answered the first attempt 400. Attempts:\n%s\nDriver: %s",
			describeAttempts(attempts), outcome(derr))
		check(len(attempts) == 1, r, "%s\nThe client sent the refused request %d times.", did, len(attempts))
		check(derr != nil, r, "%s\nThe client reported success for a request the upstream refused.", did)
	})
})

// describeAttempts lists attempts with the gap since the one before.
func describeAttempts(attempts []control.Entry) string {
	if len(attempts) == 0 {
		return "(none)"
	}
	lines := make([]string, len(attempts))
	for i, e := range attempts {
		lines[i] = describe(e)
		if i > 0 {
			lines[i] += fmt.Sprintf(", %s after the previous attempt", waitBefore(attempts, i).Round(time.Millisecond/10))
		}
	}
	return strings.Join(lines, "\n")
}

// waitBefore is the gap between the arrivals of attempts i-1 and i: the client's wait plus
// the upstream's answer to attempt i-1.
func waitBefore(attempts []control.Entry, i int) time.Duration {
	return attempts[i].Time.Sub(attempts[i-1].Time)
}

// backoffProblem says how the waits between attempts fall short ("" when they do not).
func backoffProblem(attempts []control.Entry) string {
	for i := 1; i < len(attempts); i++ {
		if wait := waitBefore(attempts, i); wait < minRetryWait {
			return fmt.Sprintf("Attempt %d came %s after the one before it: retries must wait (at least %s here, "+
				"80 %% of the configured %d ms), not follow at once.", i+1, wait.Round(time.Millisecond/10), minRetryWait, atlasRetry["baseDelayMs"])
		}
	}
	return ""
}
