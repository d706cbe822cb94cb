package conformance

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/upmock/upmock/conformance/control"
	"github.com/upmock/upmock/conformance/driver"
)

var _ = Describe("ATLAS-Things", func() {
	It(ruleAtlasAuth1.Name(), ruleAtlasAuth1.Labels(), SpecTimeout(time.Minute), func(ctx SpecContext) {
		r := ruleAtlasAuth1
		a := newAtlasSession(ctx)
		// One call of each kind the client makes: single and bulk registration, the
		// download listing, and (if the driver has it) the log credentials. Whether they
		// succeed is other rules' business (a client that reuses transactionIds sees its
		// second registration refused); this rule is judged on every request they sent.
		a.registerShipping(ctx, "single", newShipment(1))
		a.registerShipping(ctx, "bulk", newShipment(2))
		a.downloadShipping(ctx)
		a.call(ctx, "atlas.getLogCredentials", map[string]any{})

		entries := a.journal(ctx)
		calls := filter(entries, func(e control.Entry) bool { return e.Operation != "download" })
		var bad []string
		for _, e := range calls {
			var missing []string
			if e.Headers.Get("X-Atlas-Api-Key") == "" {
				missing = append(missing, "no X-ATLAS-API-Key header")
			}
			if e.Headers.Get("Authorization") == "" {
				missing = append(missing, "no Authorization header")
			}
			if len(missing) > 0 {
				bad = append(bad, describe(e)+": "+strings.Join(missing, ", "))
			}
		}
		check(len(bad) == 0, r, "%d of its %d API requests went without authentication:\n%s",
			len(bad), len(calls), strings.Join(bad, "\n"))
		for _, op := range []string{"postShippingItem", "postShippingItems", "getItemsDownload"} {
			Expect(filter(calls, func(e control.Entry) bool { return e.Operation == op })).NotTo(BeEmpty(),
				"the spec needs a %s request to judge; upmock saw:\n%s", op, describeAll(entries))
		}
	})

	It(ruleAtlasAuth2.Name(), ruleAtlasAuth2.Labels(), SpecTimeout(time.Minute), func(ctx SpecContext) {
		r := ruleAtlasAuth2
		a := newAtlasSession(ctx)
		// The upstream judges requestDate against its own clock. Moving the mock's clock
		// 58 s ahead makes every JWT 58 s old on arrival: a fresh one still passes, one
		// reused from a call 2.5 s earlier is over the one-minute limit.
		_, err := a.ctl.AdvanceClock(ctx, 58*time.Second)
		Expect(err).NotTo(HaveOccurred(), "advancing the mock clock")

		d1 := a.registerShipping(ctx, "bulk", newShipment(1))
		// The one real sleep in the suite. This rule is about the client's *real* clock:
		// requestDate comes from the client's system time, which the suite cannot move,
		// so only real time passing between two calls shows whether the client made a
		// new JWT for the second one.
		select {
		case <-time.After(2500 * time.Millisecond):
		case <-ctx.Done():
			Fail("spec interrupted while waiting between the two calls")
		}
		d2 := a.registerShipping(ctx, "bulk", newShipment(1))

		entries := a.journal(ctx)
		var lines []string
		for _, e := range filter(entries, isRegistration) {
			lines = append(lines, fmt.Sprintf("%s, JWT requestDate %s", describe(e), jwtRequestDate(e.Headers.Get("Authorization"))))
		}
		// A registration refused for another reason (say 400 errorCode 200 for a reused
		// transactionId) is another rule's business; this one is about 401s.
		rejected := filter(entries, func(e control.Entry) bool { return e.Status == 401 })
		check(len(rejected) == 0 && !isAuthFailure(d1) && !isAuthFailure(d2), r,
			"The suite set the upstream's clock 58 s ahead, asked for a registration, waited 2.5 s and asked for another.\n"+
				"Upstream clock at the end: %s. Registrations (requestDate should follow real time):\n%s\n"+
				"Refused as unauthenticated (401): %d. Driver: first %s, second %s.",
			clockNow(ctx, a), strings.Join(lines, "\n"), len(rejected), outcome(d1), outcome(d2))
		Expect(len(filter(entries, isRegistration))).To(BeNumerically(">=", 2),
			"the spec needs both registrations to reach upmock; it saw:\n%s", describeAll(entries))
	})
})

// jwtRequestDate reads requestDate from the payload of the JWT in an Authorization
// header (raw or "Bearer …"); the journal redacts only the signature.
func jwtRequestDate(authorization string) string {
	token := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(authorization), "Bearer "))
	parts := strings.Split(token, ".")
	if len(parts) < 2 {
		return "(no JWT)"
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return "(payload not base64url)"
	}
	var p map[string]any
	if json.Unmarshal(payload, &p) != nil {
		return "(payload not JSON)"
	}
	if d, ok := p["requestDate"]; ok {
		return fmt.Sprint(d)
	}
	return "(no requestDate)"
}

// isAuthFailure reports whether the driver failed with the upstream's 401.
func isAuthFailure(derr *driver.Error) bool { return derr != nil && derr.Status == 401 }

func clockNow(ctx context.Context, a *atlasSession) string {
	c, err := a.ctl.Clock(ctx)
	if err != nil {
		return "(unknown: " + err.Error() + ")"
	}
	return c.Now.UTC().Format(time.RFC3339)
}
