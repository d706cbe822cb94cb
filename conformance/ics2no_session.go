package conformance

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/upmock/upmock/conformance/control"
	"github.com/upmock/upmock/conformance/driver"
)

// ics2Retry and ics2Poll are what every ICS2 spec configures: fast, so the suite stays fast.
var (
	ics2Retry = map[string]any{"maxAttempts": 4, "baseDelayMs": 20}
	ics2Poll  = map[string]any{"intervalMs": 25, "timeoutMs": 10000}
)

// ics2Office is the customs office of presentation every spec presents at (CL141).
const ics2Office = "NO351001"

// ics2Client is the seeded Maskinporten test client (GET /__upmock/credentials).
type ics2Client struct {
	ClientID       string   `json:"clientId"`
	OrgNo          string   `json:"orgNo"`
	Scopes         []string `json:"scopes"`
	Kid            string   `json:"kid"`
	PrivateKeyPEM  string   `json:"privateKeyPem"`
	CertificatePEM string   `json:"certificatePem"`
}

// ics2Session is a session whose driver is configured for ICS2 with the seeded client.
type ics2Session struct {
	*session
	mpURL   string
	baseURL string
	client  ics2Client
}

// newICS2Session opens a session, applies the settings (per API: "ics2no", "maskinporten")
// and configures the driver.
func newICS2Session(ctx context.Context, settings map[string]map[string]any) *ics2Session {
	GinkgoHelper()
	s := newSession(ctx, "ics2no")
	requireAPI("maskinporten")
	DeferCleanup(func() { attachMaskinportenJournal(s) })
	var creds struct {
		Clients []ics2Client `json:"clients"`
	}
	all, err := s.ctl.Credentials(ctx)
	Expect(err).NotTo(HaveOccurred(), "reading the seeded credentials")
	Expect(all.Decode("maskinporten", &creds)).To(Succeed())
	Expect(creds.Clients).NotTo(BeEmpty(), "upmock must seed a Maskinporten test client")
	for api, patch := range settings {
		Expect(s.ctl.PatchSettings(ctx, api, patch, nil)).To(Succeed(), "setting %s %v", api, patch)
	}
	base := s.serverURL + "/s/" + s.name
	c := &ics2Session{session: s, mpURL: base + "/maskinporten", baseURL: base + "/ics2no", client: creds.Clients[0]}
	_, derr := s.call(ctx, "configure", map[string]any{"ics2no": map[string]any{
		"maskinportenUrl": c.mpURL,
		"baseUrl":         c.baseURL,
		"clientId":        c.client.ClientID,
		"kid":             c.client.Kid,
		"privateKeyPem":   c.client.PrivateKeyPEM,
		"certificatePem":  c.client.CertificatePEM,
		"scope":           "toll:movement/entry",
		"audience":        c.mpURL + "/",
		"retry":           ics2Retry,
		"poll":            ics2Poll,
	}})
	Expect(derr).To(BeNil(), "the driver refused configure")
	return c
}

// attachMaskinportenJournal adds the Maskinporten journal to a failed spec's report.
func attachMaskinportenJournal(s *session) {
	if !CurrentSpecReport().Failed() {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	entries, err := s.ctl.Requests(ctx, "maskinporten")
	if err != nil {
		AddReportEntry("maskinporten journal", "could not be read: "+err.Error())
		return
	}
	AddReportEntry("maskinporten journal (GET "+s.ctl.Base()+"/requests?api=maskinporten)", journalReport(entries))
}

// op sends an ics2no op. A driver without ICS2 ops fails the spec, saying which op it
// lacks (select the APIs a driver implements with --label-filter).
func (c *ics2Session) op(ctx context.Context, op string, params any) (json.RawMessage, *driver.Error) {
	GinkgoHelper()
	res, derr := c.call(ctx, op, params)
	if derr != nil && derr.Code == driver.CodeUnsupported {
		Fail(fmt.Sprintf("the driver does not implement %s (conformance/DRIVER.md, ICS2 operations)", op))
	}
	return res, derr
}

// goods are the params of ics2no.present.
type goods map[string]any

func houseConsignment(doc, typ string, containers ...string) goods {
	g := goods{"kind": "house-consignment", "customsOfficeOfPresentation": ics2Office,
		"transportDocumentHouseLevel": map[string]any{"documentNumber": doc, "type": typ}}
	if len(containers) > 0 {
		var eq []any
		for _, c := range containers {
			eq = append(eq, map[string]any{"containerIdentificationNumber": c})
		}
		g["transportEquipment"] = eq
	}
	return g
}

func entrySummaryDeclaration(mrn string) goods {
	return goods{"kind": "entry-summary-declaration", "customsOfficeOfPresentation": ics2Office, "mrn": mrn}
}

// present asks the driver to present g.
func (c *ics2Session) present(ctx context.Context, g goods) *driver.Error {
	GinkgoHelper()
	_, derr := c.op(ctx, "ics2no.present", g)
	return derr
}

// routingAnswer is the result of ics2no.processRouting.
type routingAnswer struct {
	Signals   []routingEntry `json:"signals"`
	Decisions []decision     `json:"decisions"`
}

type routingEntry struct {
	EntrySummaryDeclarationMRN  string `json:"entrySummaryDeclarationMRN"`
	TransportDocumentHouseLevel struct {
		ReferenceNumber string `json:"referenceNumber"`
		Type            string `json:"type"`
	} `json:"transportDocumentHouseLevel"`
	TransportEquipment []struct {
		ContainerIdentificationNumber string `json:"containerIdentificationNumber"`
	} `json:"transportEquipment"`
	RoutingResult struct {
		ID      string `json:"id"`
		Routing string `json:"routing"`
	} `json:"routingResult"`
}

func (e routingEntry) container() string {
	if len(e.TransportEquipment) == 0 {
		return ""
	}
	return e.TransportEquipment[0].ContainerIdentificationNumber
}

type decision struct {
	EntrySummaryDeclarationMRN    string `json:"entrySummaryDeclarationMRN"`
	DocumentNumber                string `json:"documentNumber"`
	Type                          string `json:"type"`
	ContainerIdentificationNumber string `json:"containerIdentificationNumber"`
	Routing                       string `json:"routing"`
	Action                        string `json:"action"`
}

func (d decision) String() string {
	s := d.DocumentNumber + " " + d.Type
	if d.ContainerIdentificationNumber != "" {
		s += " container " + d.ContainerIdentificationNumber
	}
	if d.Routing != "" {
		s += " (signal " + d.Routing + ")"
	}
	return s + ": " + d.Action
}

// processRouting asks the driver to read new routing signals and decide.
func (c *ics2Session) processRouting(ctx context.Context) (routingAnswer, *driver.Error) {
	GinkgoHelper()
	raw, derr := c.op(ctx, "ics2no.processRouting", map[string]any{})
	if derr != nil {
		return routingAnswer{}, derr
	}
	var ans routingAnswer
	Expect(json.Unmarshal(raw, &ans)).To(Succeed(),
		"ics2no.processRouting must answer {\"signals\": [...], \"decisions\": [...]}; it answered %s", raw)
	return ans, nil
}

// need fails the spec when an operation it builds on failed: the rule cannot be judged.
func (c *ics2Session) need(ctx context.Context, derr *driver.Error, what string) {
	GinkgoHelper()
	if derr == nil {
		return
	}
	Fail(fmt.Sprintf("%s failed in the driver (%s); the spec needs it to succeed.\nThe upstream saw:\n%s%s",
		what, describeDriverError(derr), indent(describeAll(c.journal(ctx))), c.authDiagnosis(ctx)))
}

// journals returns both journals merged in time order (Maskinporten's and the API's).
func (c *ics2Session) journals(ctx context.Context) []control.Entry {
	GinkgoHelper()
	mp, err := c.ctl.Requests(ctx, "maskinporten")
	Expect(err).NotTo(HaveOccurred(), "reading the Maskinporten journal")
	all := append(mp, c.journal(ctx)...)
	sort.SliceStable(all, func(i, j int) bool { return all[i].Seq < all[j].Seq })
	return all
}

// Journal entry kinds.
func isGrant(e control.Entry) bool    { return e.API == "maskinporten" && e.Operation == "postToken" }
func isExchange(e control.Entry) bool { return e.API == "ics2no" && e.Operation == "postTokenExchange" }
func isICS2Call(e control.Entry) bool {
	return e.API == "ics2no" && e.Operation != "" && e.Operation != "postTokenExchange"
}
func isPresentation(e control.Entry) bool {
	return e.API == "ics2no" && strings.HasPrefix(e.Operation, "present")
}
func isRouting(e control.Entry) bool { return e.Operation == "getHouseConsignmentRouting" }

// jwtOf decodes a JWT's header and claims (the journal keeps both; only the signature is
// redacted).
func jwtOf(token string) (header, claims map[string]any, ok bool) {
	parts := strings.Split(strings.TrimSpace(token), ".")
	if len(parts) != 3 {
		return nil, nil, false
	}
	for i, dst := range []*map[string]any{&header, &claims} {
		raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[i], "="))
		if err != nil || json.Unmarshal(raw, dst) != nil {
			return nil, nil, false
		}
	}
	return header, claims, true
}

// bearerOf is the token of an entry's Authorization header ("" without one).
func bearerOf(e control.Entry) string {
	h := e.Headers.Get("Authorization")
	if len(h) < 7 || !strings.EqualFold(h[:7], "bearer ") {
		return ""
	}
	return strings.TrimSpace(h[7:])
}

// formOf decodes an entry's form body.
func formOf(e control.Entry) url.Values {
	v, _ := url.ParseQuery(e.Body)
	return v
}

// acceptedRequestID is the requestId the upstream accepted in e ("" when it accepted none):
// the mock notes it, even when the suite then made the client see a failure.
func acceptedRequestID(e control.Entry) string {
	id, ok := strings.CutPrefix(e.Annotations["requestId"], "accepted ")
	if !ok {
		return ""
	}
	return id
}

// presentedGoods is a presentation's body without its requestId: what was presented.
func presentedGoods(e control.Entry) (string, string) {
	var body map[string]any
	if json.Unmarshal([]byte(e.Body), &body) != nil {
		return "(body not JSON)", ""
	}
	id, _ := body["requestId"].(string)
	delete(body, "requestId")
	raw, _ := json.Marshal(body)
	return e.Operation + " " + string(raw), id
}

func numClaim(claims map[string]any, name string) (int64, bool) {
	f, ok := claims[name].(float64)
	return int64(f), ok
}
