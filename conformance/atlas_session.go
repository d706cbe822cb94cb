package conformance

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/upmock/upmock/conformance/control"
	"github.com/upmock/upmock/conformance/driver"
)

// atlasRetry is the retry policy every ATLAS spec configures: fast, so the suite stays
// fast; DRIVER.md asks the client to honour it.
var atlasRetry = map[string]any{"maxAttempts": 4, "baseDelayMs": 100}

// atlasSession is a session whose driver is configured for ATLAS-Things with the
// first seeded key; the second key's base is the counter base it ships to.
type atlasSession struct {
	*session
	baseURL string
	key     control.AtlasKey // the client's own key and base
	counter control.AtlasKey // the base it ships to, same tenant
}

func newAtlasSession(ctx context.Context) *atlasSession {
	GinkgoHelper()
	s := newSession(ctx, "atlas")
	creds, err := s.ctl.Credentials(ctx)
	Expect(err).NotTo(HaveOccurred(), "reading the seeded credentials")
	keys := creds.Atlas.APIKeys
	Expect(len(keys)).To(BeNumerically(">=", 2), "upmock must seed two ATLAS keys of one tenant; it seeded %d", len(keys))
	a := &atlasSession{
		session: s,
		baseURL: s.serverURL + "/s/" + s.name + "/atlas/v1",
		key:     keys[0],
		counter: keys[1],
	}
	_, derr := s.call(ctx, "configure", map[string]any{"atlas": map[string]any{
		"baseUrl":   a.baseURL,
		"apiKey":    a.key.APIKey,
		"apiSecret": a.key.APISecret,
		"retry":     atlasRetry,
	}})
	Expect(derr).To(BeNil(), "the driver refused configure")
	return a
}

// registerShipping asks the driver to register sh in mode ("single" or "bulk").
func (a *atlasSession) registerShipping(ctx context.Context, mode string, sh shipment) *driver.Error {
	GinkgoHelper()
	_, derr := a.call(ctx, "atlas.registerShipping", sh.params(mode, a.key.BaseID, a.counter.BaseID))
	return derr
}

// registerReceiving asks the driver to register sh as received at the client's base, from
// the counter base, in mode ("single" or "bulk").
func (a *atlasSession) registerReceiving(ctx context.Context, mode string, sh shipment) *driver.Error {
	GinkgoHelper()
	_, derr := a.call(ctx, "atlas.registerReceiving", sh.params(mode, a.key.BaseID, a.counter.BaseID))
	return derr
}

// downloadShipping asks the driver for every shipping record from the first cursor on.
func (a *atlasSession) downloadShipping(ctx context.Context) (downloadResult, *driver.Error) {
	GinkgoHelper()
	return a.downloadShippingFrom(ctx, nil)
}

// downloadShippingFrom asks the driver for every shipping record from cursor on (nil: from
// the start).
func (a *atlasSession) downloadShippingFrom(ctx context.Context, cursor *string) (downloadResult, *driver.Error) {
	GinkgoHelper()
	raw, derr := a.call(ctx, "atlas.downloadShipping", map[string]any{"cursor": cursor})
	if derr != nil {
		return downloadResult{}, derr
	}
	var res downloadResult
	Expect(json.Unmarshal(raw, &res)).To(Succeed(),
		"atlas.downloadShipping must answer {\"records\": [ActualShipping…], \"cursor\": string}; it answered %s", raw)
	return res, nil
}

// awaitRegistration moves the mock clock past the asynchronous registration delay,
// so that what was accepted becomes downloadable. No real time passes.
func (a *atlasSession) awaitRegistration(ctx context.Context) {
	GinkgoHelper()
	var settings struct {
		RegistrationDelay string `json:"registrationDelay"`
	}
	Expect(a.ctl.Settings(ctx, "atlas", &settings)).To(Succeed())
	delay := time.Duration(0)
	if settings.RegistrationDelay != "" {
		var err error
		delay, err = time.ParseDuration(settings.RegistrationDelay)
		Expect(err).NotTo(HaveOccurred(), "settings registrationDelay %q", settings.RegistrationDelay)
	}
	_, err := a.ctl.AdvanceClock(ctx, delay+time.Second)
	Expect(err).NotTo(HaveOccurred(), "advancing the mock clock")
}

// addFault injects f into the session.
func (a *atlasSession) addFault(ctx context.Context, f control.Fault) {
	GinkgoHelper()
	_, err := a.ctl.AddFault(ctx, f)
	Expect(err).NotTo(HaveOccurred(), "injecting fault %+v", f)
}

// downloadResult is the answer of atlas.downloadShipping.
type downloadResult struct {
	Records []actualShipping `json:"records"`
	Cursor  string           `json:"cursor"`
}

// actualShipping is the upstream's ActualShipping, the fields the suite compares.
type actualShipping struct {
	TenantID       string `json:"tenantId"`
	MovementSlipNo string `json:"movementSlipNo"`
	BaseID         string `json:"baseId"`
	CounterBaseID  string `json:"counterBaseId"`
	Items          []struct {
		TrackingID                string `json:"trackingId"`
		UID                       string `json:"uid"`
		Path                      string `json:"path"`
		IndividualRecognitionCode string `json:"individualRecognitionCode"`
	} `json:"items"`
}

// count is how many times (movementSlipNo, trackingId) appears in the records.
func (r downloadResult) count(slip, trackingID string) int {
	n := 0
	for _, rec := range r.Records {
		if rec.MovementSlipNo != slip {
			continue
		}
		for _, it := range rec.Items {
			if it.TrackingID == trackingID {
				n++
			}
		}
	}
	return n
}

// summary lists the records' movementSlipNo and trackingIds, for failure messages.
func (r downloadResult) summary() string {
	if len(r.Records) == 0 {
		return "no records"
	}
	s := ""
	for i, rec := range r.Records {
		if i == 20 {
			s += fmt.Sprintf("… and %d more records\n", len(r.Records)-i)
			break
		}
		ids := make([]string, 0, len(rec.Items))
		for _, it := range rec.Items {
			if len(ids) == 10 {
				ids = append(ids, fmt.Sprintf("… %d more", len(rec.Items)-10))
				break
			}
			ids = append(ids, it.TrackingID)
		}
		s += fmt.Sprintf("movementSlipNo %s items %v\n", rec.MovementSlipNo, ids)
	}
	return s
}

// need fails the spec when an operation it builds on failed in the driver: the rule
// cannot be judged without it. The journal shows why.
func (a *atlasSession) need(ctx context.Context, derr *driver.Error, what string) {
	GinkgoHelper()
	if derr == nil {
		return
	}
	Fail(fmt.Sprintf("%s failed in the driver (%s); the spec needs it to succeed.\nThe upstream saw:\n%s",
		what, describeDriverError(derr), indent(describeAll(a.journal(ctx)))))
}

// outcome renders what the driver answered: "ok" or its failure.
func outcome(derr *driver.Error) string {
	if derr == nil {
		return "ok"
	}
	return "ok:false " + describeDriverError(derr)
}

// seedShipments stores shipments as already-registered shipping records of the client's
// base through the control API, so a spec about reading data does not depend on the
// client's own registrations (which other rules judge).
func (a *atlasSession) seedShipments(ctx context.Context, shipments ...shipment) {
	GinkgoHelper()
	var state map[string]any
	Expect(a.ctl.State(ctx, "atlas", &state)).To(Succeed(), "reading the ATLAS state")
	var tenant map[string]any
	for _, t := range state["tenants"].([]any) {
		if t.(map[string]any)["tenantId"] == a.key.TenantID {
			tenant = t.(map[string]any)
		}
	}
	Expect(tenant).NotTo(BeNil(), "the seeded state has no tenant %s", a.key.TenantID)
	seq, _ := tenant["lastSeq"].(float64)
	records, _ := tenant["records"].([]any)
	at := time.Now().UTC().Add(-time.Minute).Format(time.RFC3339Nano)
	for i, sh := range shipments {
		for _, it := range sh.Items {
			seq++
			records = append(records, map[string]any{
				"seq": seq, "kind": "shipping", "registeredAt": at,
				"transactionId":  fmt.Sprintf("seeded-%s-%03d", sh.Slip, i),
				"movementSlipNo": sh.Slip, "baseId": a.key.BaseID, "counterBaseId": a.counter.BaseID, "item": it,
			})
		}
	}
	tenant["records"], tenant["lastSeq"] = records, seq
	Expect(a.ctl.PutState(ctx, "atlas", state)).To(Succeed(), "seeding shipping records")
}

// items counts the items of all records.
func (r downloadResult) items() int {
	n := 0
	for _, rec := range r.Records {
		n += len(rec.Items)
	}
	return n
}
