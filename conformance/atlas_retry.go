package conformance

import (
	"fmt"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"

	"github.com/upmock/upmock/conformance/control"
)

// Back-off as the suite judges it, from the mock clock's time of each attempt: every gap
// at least minBackoff (not a hot loop), and the waits growing: the last gap at least
// shrinkFactor times the first, less minBackoff. Gaps are seen from the upstream's side, so
// a client descheduled before one attempt (a loaded CI machine, a GC pause) makes that gap
// look longer; comparing the first and the last of three gaps, with the client asked for
// 50 ms doubling waits (50, 100, 200), tolerates several hundred milliseconds of such noise
// while a constant or shrinking wait still fails.
const (
	retryFaults  = 3
	minBackoff   = 10 * time.Millisecond
	shrinkFactor = 0.5
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
			check(derr == nil, r, "%s\nAttempt %d succeeded; the client should report success.", did, retryFaults+1)
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

// describeAttempts lists attempts with the gap since the previous one.
func describeAttempts(attempts []control.Entry) string {
	if len(attempts) == 0 {
		return "(none)"
	}
	lines := make([]string, len(attempts))
	for i, e := range attempts {
		lines[i] = describe(e)
		if i > 0 {
			lines[i] += fmt.Sprintf(", %s after the previous attempt", attempts[i].Time.Sub(attempts[i-1].Time).Round(time.Millisecond/10))
		}
	}
	return strings.Join(lines, "\n")
}

// backoffProblem says how the gaps between attempts fall short of a back-off ("" when
// they do not).
func backoffProblem(attempts []control.Entry) string {
	var gaps []time.Duration
	for i := 1; i < len(attempts); i++ {
		gap := attempts[i].Time.Sub(attempts[i-1].Time)
		if gap < minBackoff {
			return fmt.Sprintf("Attempt %d came %s after the one before: retries must wait (at least %s here), not loop.",
				i+1, gap.Round(time.Millisecond/10), minBackoff)
		}
		gaps = append(gaps, gap)
	}
	if len(gaps) >= 2 {
		first, last := gaps[0], gaps[len(gaps)-1]
		if float64(last) < shrinkFactor*float64(first)-float64(minBackoff) {
			return fmt.Sprintf("The last wait (%s) is less than half the first (%s): waits must grow between retries (back-off), not shrink.",
				last.Round(time.Millisecond/10), first.Round(time.Millisecond/10))
		}
		if len(gaps) >= 3 && last <= first {
			return fmt.Sprintf("The waits did not grow over %d retries (first %s, last %s): back off, with longer waits after each failure.",
				len(gaps), first.Round(time.Millisecond/10), last.Round(time.Millisecond/10))
		}
	}
	return ""
}
