package conformance

import (
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
		// One call of each kind the client makes: single and bulk registration of shipping
		// and receiving, both
		// download listings, the master data and the log credentials. Whether they
		// succeed is other rules' business (a client that reuses transactionIds sees its
		// second registration refused); this rule is judged on every request they sent,
		// and on whether the upstream took the credentials they carried.
		a.registerShipping(ctx, "single", newShipment(1))
		a.registerShipping(ctx, "bulk", newShipment(2))
		a.registerReceiving(ctx, "single", newShipment(1))
		a.registerReceiving(ctx, "bulk", newShipment(1))
		a.downloadShipping(ctx)
		a.call(ctx, "atlas.downloadInactive", map[string]any{"cursor": nil})
		a.call(ctx, "atlas.getMaster", map[string]any{"name": atlasMaster, "lastDownloadDateTime": nil})
		a.call(ctx, "atlas.getLogCredentials", map[string]any{})

		entries := a.journal(ctx)
		calls := filter(entries, func(e control.Entry) bool { return e.Operation != "download" })
		var bad, refused []string
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
			} else if e.Status == 401 {
				// Headers that are present but refused authenticate nothing: the upstream's
				// note says what was wrong with them.
				refused = append(refused, fmt.Sprintf("%s, JWT requestDate %s", describe(e), jwtRequestDate(e.Headers.Get("Authorization"))))
			}
		}
		check(len(bad) == 0, r, "%d of its %d API requests went without authentication:\n%s",
			len(bad), len(calls), strings.Join(bad, "\n"))
		check(len(refused) == 0, r, "%d of its %d API requests carried both headers, but the upstream refused them (401):\n%s",
			len(refused), len(calls), strings.Join(refused, "\n"))
		for _, op := range []string{"postShippingItem", "postShippingItems", "postReceivingItem", "postReceivingItems",
			"getItemsDownload", "getInactiveTrackingIdsDownload", "getMaster"} {
			Expect(filter(calls, func(e control.Entry) bool { return e.Operation == op })).NotTo(BeEmpty(),
				"the spec needs a %s request to judge; upmock saw:\n%s", op, describeAll(entries))
		}
	})

	It(ruleAtlasAuth3.Name(), ruleAtlasAuth3.Labels(), SpecTimeout(time.Minute), func(ctx SpecContext) {
		r := ruleAtlasAuth3
		a := newAtlasSession(ctx)
		// The session's clock is not moved: it is the real time, so each request's arrival
		// on it is when the client made the request.
		a.registerShipping(ctx, "bulk", newShipment(1))
		a.downloadShipping(ctx)
		a.call(ctx, "atlas.getLogCredentials", map[string]any{})

		calls := filter(a.journal(ctx), func(e control.Entry) bool { return e.Operation != "download" })
		Expect(calls).NotTo(BeEmpty(), "the spec needs API requests to judge; the driver sent none")
		var bad, lines []string
		for _, e := range calls {
			raw := jwtRequestDate(e.Headers.Get("Authorization"))
			line := fmt.Sprintf("%s, JWT requestDate %s", describe(e), raw)
			lines = append(lines, line)
			date, err := time.Parse("2006-01-02T15:04:05Z", raw)
			if err != nil {
				bad = append(bad, line+": not YYYY-MM-DDThh:mm:ssZ")
				continue
			}
			if off := date.Sub(e.Time.Truncate(time.Second)); off > requestDateAhead || off < -requestDateBehind {
				bad = append(bad, fmt.Sprintf("%s: %s the request's arrival (%s UTC)", line, aheadOrBehind(off), e.Time.UTC().Format("15:04:05")))
			}
		}
		check(len(bad) == 0, r, "Each request's requestDate, against the time it arrived (the upstream's clock, which "+
			"the suite left at the real time; %s ahead or %s behind is allowed for the two hosts' clocks and a loaded machine):\n%s\n\nAll requests:\n%s",
			requestDateAhead, requestDateBehind, strings.Join(bad, "\n"), strings.Join(lines, "\n"))
	})

	It(ruleAtlasAuth2.Name(), ruleAtlasAuth2.Labels(), SpecTimeout(time.Minute), func(ctx SpecContext) {
		r := ruleAtlasAuth2
		a := newAtlasSession(ctx)
		d1 := a.registerShipping(ctx, "bulk", newShipment(1))
		// The one real sleep in the suite. This rule is about the client's *real* clock:
		// requestDate comes from the client's system time, which the suite cannot move,
		// so only real time passing between two calls shows whether the client made a
		// new JWT for the second one. A loaded machine only lengthens the gap.
		select {
		case <-time.After(authGap):
		case <-ctx.Done():
			Fail("spec interrupted while waiting between the two calls")
		}
		d2 := a.registerShipping(ctx, "bulk", newShipment(1))

		entries := a.journal(ctx)
		regs := filter(entries, isRegistration)
		Expect(len(regs)).To(BeNumerically(">=", 2), "the spec needs both registrations to reach upmock; it saw:\n%s", describeAll(entries))
		var lines []string
		for _, e := range regs {
			lines = append(lines, fmt.Sprintf("%s, JWT requestDate %s", describe(e), jwtRequestDate(e.Headers.Get("Authorization"))))
		}
		// The first attempt of the second registration was minted at least authGap after the
		// first registration's last attempt: a new JWT is dated at least authGap (to the
		// second: authGap - 1 s) later.
		secondSlip, _ := parseRegistration(regs[len(regs)-1])
		var lastOfFirst, firstOfSecond control.Entry
		for _, e := range regs {
			if b, _ := parseRegistration(e); b.MovementSlipNo == secondSlip.MovementSlipNo {
				if firstOfSecond.Seq == 0 {
					firstOfSecond = e
				}
			} else {
				lastOfFirst = e
			}
		}
		d1Date, err1 := time.Parse("2006-01-02T15:04:05Z", jwtRequestDate(lastOfFirst.Headers.Get("Authorization")))
		d2Date, err2 := time.Parse("2006-01-02T15:04:05Z", jwtRequestDate(firstOfSecond.Headers.Get("Authorization")))
		did := fmt.Sprintf("The suite asked for a registration, waited %s and asked for another. Registrations:\n%s\nDriver: first %s, second %s.",
			authGap, strings.Join(lines, "\n"), outcome(d1), outcome(d2))
		check(err1 == nil && err2 == nil && d2Date.Sub(d1Date) >= authGap-time.Second, r,
			"%s\nThe second registration's JWT is dated %s after the first's, although %s passed between them: "+
				"the client reused a JWT (one older than a minute is refused, 401 errorCode 801).", did, d2Date.Sub(d1Date), authGap)
		// A registration refused for another reason (say 400 errorCode 200 for a reused
		// transactionId) is another rule's business; this one is about 401s.
		rejected := filter(entries, func(e control.Entry) bool { return e.Status == 401 })
		check(len(rejected) == 0 && !isAuthFailure(d1) && !isAuthFailure(d2), r,
			"%s\nRefused as unauthenticated (401): %d.", did, len(rejected))
	})
})

// authGap is the real time ATLAS-AUTH-2 lets pass between two registrations.
const authGap = 2500 * time.Millisecond

// How far a requestDate may be from the request's arrival: ahead, for two hosts' clocks
// (README: about a second); behind, also for a client descheduled between minting its JWT
// and sending it on a loaded machine. A local time written with Z is hours off.
const (
	requestDateAhead  = 3 * time.Second
	requestDateBehind = 6 * time.Second
)

// atlasMaster is the master data the seeded tenant holds (fixtures/atlas/tenants.json).
const atlasMaster = "products"

func aheadOrBehind(d time.Duration) string {
	if d > 0 {
		return d.String() + " ahead of"
	}
	return (-d).String() + " behind"
}

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
