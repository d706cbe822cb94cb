package conformance

import (
	"fmt"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"

	"github.com/upmock/upmock/conformance/control"
)

// Back-off as the suite judges it, from the mock clock's time of each attempt: every gap
// at least minBackoff (not a hot loop), and no gap shorter than the one before it
// (non-decreasing). Gaps are seen from the upstream's side, so a client descheduled just
// before one attempt (a loaded CI machine, a GC pause) makes that gap look longer and the
// next one shorter than it waited: a gap counts as shrinking only when it is shorter than
// shrinkFactor times the one before, and more than minBackoff shorter.
const (
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
			a.addFault(ctx, control.Fault{API: "atlas", Method: "POST", Path: "/shipping/*", Count: 2, Status: c.status})
			sh := newShipment(1)
			derr := a.registerShipping(ctx, "bulk", sh)

			attempts := registrationsOf(a.journal(ctx), sh.Slip)
			did := fmt.Sprintf("The upstream answered the first 2 attempts %d. Attempts:\n%s\nDriver: %s",
				c.status, describeAttempts(attempts), outcome(derr))
			check(len(attempts) >= 3, r, "%s\nThe client gave up after %d attempt(s).", did, len(attempts))
			check(derr == nil, r, "%s\nThe third attempt succeeded; the client should report success.", did)
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
	var prev time.Duration
	for i := 1; i < len(attempts); i++ {
		gap := attempts[i].Time.Sub(attempts[i-1].Time)
		if gap < minBackoff {
			return fmt.Sprintf("Attempt %d came %s after the one before: retries must wait (at least %s here), not loop.",
				i+1, gap.Round(time.Millisecond/10), minBackoff)
		}
		if i > 1 && float64(gap) < shrinkFactor*float64(prev) && gap+minBackoff < prev {
			return fmt.Sprintf("Attempt %d came %s after the one before, less than half the gap before it (%s): waits must grow or stay, not shrink.",
				i+1, gap.Round(time.Millisecond/10), prev.Round(time.Millisecond/10))
		}
		prev = gap
	}
	return ""
}
