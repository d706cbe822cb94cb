package conformance

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/upmock/upmock/conformance/control"
	"github.com/upmock/upmock/conformance/driver"
)

// The fixtures' deals (fixtures/naccs/state.json) the specs use.
const (
	naccsExportDeal = "CP-2026-000101"
	naccsImportDeal = "CP-2026-000102"
)

// naccsSettings make NACCS answer 150 ms after a send (so a spec waits a moment, not 30 s)
// and give a webhook 1 s to be answered.
var naccsSettings = map[string]any{"processingDelay": "150ms", "webhookTimeout": "1s", "webhookDuplicates": 0}

// naccsCredentials is the naccs block of GET /__upmock/credentials.
type naccsCredentials struct {
	Clients []struct {
		ClientID       string   `json:"clientId"`
		ClientSecret   string   `json:"clientSecret"`
		OrganizationID string   `json:"organizationId"`
		NaccsUserID    string   `json:"naccsUserId"`
		Permissions    []string `json:"permissions"`
		Deals          []struct {
			DealNo         string `json:"dealNo"`
			BusinessTypeID string `json:"businessTypeId"`
		} `json:"deals"`
	} `json:"clients"`
	Organizations []struct {
		OrganizationID string `json:"organizationId"`
		SigningSecret  string `json:"signingSecret"`
	} `json:"organizations"`
}

// naccsSession is a session whose driver is configured for NACCS as an organisation's
// administrator (who may set the webhook); other is another user of the same organisation,
// whom the suite itself acts as.
type naccsSession struct {
	*session
	baseURL        string
	clientID       string
	organizationID string
	businessTypeID string
	signingSecret  string
	otherID        string
	otherSecret    string
}

func newNaccsSession(ctx context.Context, settings map[string]any) *naccsSession {
	GinkgoHelper()
	return newNaccsSessionWith(ctx, settings, nil)
}

// newNaccsSessionWith adds configure items (webhookWaitMs, pollIntervalMs) to the naccs block.
func newNaccsSessionWith(ctx context.Context, settings map[string]any, extra map[string]any) *naccsSession {
	GinkgoHelper()
	s := newSession(ctx, "naccs")
	creds, err := s.ctl.Credentials(ctx)
	Expect(err).NotTo(HaveOccurred(), "reading the seeded credentials")
	var nc naccsCredentials
	Expect(creds.Decode("naccs", &nc)).To(Succeed())
	n := &naccsSession{session: s, baseURL: s.serverURL + "/s/" + s.name + "/naccs"}
	var clientSecret string
	for _, c := range nc.Clients {
		admin := strings.Contains(strings.Join(c.Permissions, ","), "admin")
		if n.clientID == "" && admin && c.NaccsUserID != "" && hasDeal(c.Deals, naccsExportDeal) {
			n.clientID, n.organizationID, clientSecret = c.ClientID, c.OrganizationID, c.ClientSecret
			for _, d := range c.Deals {
				if d.DealNo == naccsExportDeal {
					n.businessTypeID = d.BusinessTypeID
				}
			}
		}
	}
	for _, c := range nc.Clients {
		if c.OrganizationID == n.organizationID && c.ClientID != n.clientID && strings.Contains(strings.Join(c.Permissions, ","), "write") {
			n.otherID, n.otherSecret = c.ClientID, c.ClientSecret
		}
	}
	for _, o := range nc.Organizations {
		if o.OrganizationID == n.organizationID {
			n.signingSecret = o.SigningSecret
		}
	}
	Expect(n.clientID).NotTo(BeEmpty(), "upmock must seed a NACCS administrator with a NACCS user in deal %s", naccsExportDeal)
	Expect(n.otherID).NotTo(BeEmpty(), "upmock must seed a second user of the administrator's organisation")
	Expect(s.ctl.PatchSettings(ctx, "naccs", settings, nil)).To(Succeed(), "setting the NACCS delays")
	n.configure(ctx, clientSecret, extra)
	return n
}

func hasDeal(deals []struct {
	DealNo         string `json:"dealNo"`
	BusinessTypeID string `json:"businessTypeId"`
}, no string) bool {
	for _, d := range deals {
		if d.DealNo == no {
			return true
		}
	}
	return false
}

// configure sends the naccs block; a driver that does not implement the NACCS ops fails
// the spec (no spec is skipped), saying so.
func (n *naccsSession) configure(ctx context.Context, clientSecret string, extra map[string]any) {
	GinkgoHelper()
	block := map[string]any{
		"baseUrl": n.baseURL, "clientId": n.clientID, "clientSecret": clientSecret, "organizationId": n.organizationID,
		"businessTypeId": n.businessTypeID, "signingSecret": n.signingSecret, "webhookWaitMs": 3000,
	}
	for k, v := range extra {
		block[k] = v
	}
	_, derr := n.call(ctx, "configure", map[string]any{"naccs": block})
	Expect(derr).To(BeNil(), "the driver refused configure")
	if _, derr := n.call(ctx, "naccs.webhooks", map[string]any{}); derr != nil {
		if derr.Code == driver.CodeUnsupported {
			Fail("the driver does not implement the NACCS ops of conformance/DRIVER.md (naccs.webhooks is unsupported); select the APIs your driver implements with --label-filter")
		}
		Fail("naccs.webhooks failed after configure: " + describeDriverError(derr))
	}
}

// naccsJob is the answer of naccs.submit and naccs.amend.
type naccsJob struct {
	DealReportID string `json:"dealReportId"`
	NaccsSendID  string `json:"naccsSendId"`
	Status       string `json:"status"`
	ResultCode   string `json:"resultCode"`
	Outputs      []struct {
		Name   string            `json:"name"`
		Fields map[string]string `json:"fields"`
	} `json:"outputs"`
}

func (n *naccsSession) job(ctx context.Context, op string, params any) (naccsJob, *driver.Error) {
	GinkgoHelper()
	raw, derr := n.call(ctx, op, params)
	if derr != nil {
		return naccsJob{}, derr
	}
	var j naccsJob
	Expect(json.Unmarshal(raw, &j)).To(Succeed(), "%s must answer the job (DRIVER.md); it answered %s", op, raw)
	return j, nil
}

func (n *naccsSession) submit(ctx context.Context, code, dealNo string, fields map[string]string) (naccsJob, *driver.Error) {
	GinkgoHelper()
	return n.job(ctx, "naccs.submit", map[string]any{"businessCode": code, "dealNo": dealNo, "fields": fields})
}

// need fails the spec when an operation it builds on failed: the rule cannot be judged.
func (n *naccsSession) need(ctx context.Context, derr *driver.Error, what string) {
	GinkgoHelper()
	if derr != nil {
		Fail(fmt.Sprintf("%s failed in the driver (%s); the spec needs it to succeed.\nThe upstream saw:\n%s",
			what, describeDriverError(derr), indent(describeAll(n.journal(ctx)))))
	}
}

// naccsState is what the specs read of GET /__upmock/state/naccs.
type naccsState struct {
	Organizations []struct {
		OrganizationID string `json:"organizationId"`
		Webhook        *struct {
			URL string `json:"url"`
		} `json:"webhook"`
	} `json:"organizations"`
	Sends []struct {
		NaccsSendID  string `json:"naccsSendId"`
		DealReportID string `json:"dealReportId"`
		BusinessCode string `json:"businessCode"`
		Status       string `json:"status"`
		Result       *struct {
			Errors []struct {
				ResultCode string `json:"resultCode"`
			} `json:"errors"`
		} `json:"processingResult"`
		Outputs []struct {
			Fields map[string]string `json:"fields"`
		} `json:"outputs"`
	} `json:"sends"`
}

func (n *naccsSession) state(ctx context.Context) naccsState {
	GinkgoHelper()
	var st naccsState
	Expect(n.ctl.State(ctx, "naccs", &st)).To(Succeed(), "reading the NACCS state")
	return st
}

// webhookURL is where the driver registered its receiver.
func (n *naccsSession) webhookURL(ctx context.Context) string {
	GinkgoHelper()
	for _, o := range n.state(ctx).Organizations {
		if o.OrganizationID == n.organizationID && o.Webhook != nil {
			return o.Webhook.URL
		}
	}
	Fail("the driver registered no webhook for organisation " + n.organizationID + " (POST /API/v1/Webhook/Save at configure)")
	return ""
}

// The journal as the NACCS specs read it.

func naccsOp(op string) func(control.Entry) bool {
	return func(e control.Entry) bool { return e.Operation == op }
}

// lastSegment is the dealReportId of a /…/{code}/{Op}/{dealReportId} path.
func lastSegment(path string) string { return path[strings.LastIndex(path, "/")+1:] }

// hookSendID is the naccsSendId a NaccsReceive delivery announces.
func hookSendID(e control.Entry) string {
	var p struct {
		Data struct {
			NaccsSendID string `json:"naccsSendId"`
		} `json:"data"`
	}
	_ = json.Unmarshal([]byte(e.Body), &p)
	return p.Data.NaccsSendID
}

// attemptsFor are the delivery attempts of the NaccsReceive of send, oldest first.
func attemptsFor(entries []control.Entry, sendID string) []control.Entry {
	return filter(entries, func(e control.Entry) bool {
		return e.Operation == "webhook" && e.Annotations["webhook"] == "NaccsReceive" && hookSendID(e) == sendID
	})
}

// awaitJournal polls the journal until ok holds or a few seconds pass: a delivery attempt is
// journaled when its answer is read, which may be just after the driver's op returned.
func (n *naccsSession) awaitJournal(ctx context.Context, wait time.Duration, ok func([]control.Entry) bool) []control.Entry {
	GinkgoHelper()
	deadline := time.Now().Add(wait)
	for {
		entries := n.journal(ctx)
		if ok(entries) || time.Now().After(deadline) {
			return entries
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// sendIDOf is the naccsSendId a send entry was answered with.
func sendIDOf(e control.Entry) string {
	var acc struct {
		NaccsSendID string `json:"naccsSendId"`
	}
	_ = json.Unmarshal([]byte(e.ResponseBody), &acc)
	return acc.NaccsSendID
}

// bodyOf decodes a journaled JSON body into a map.
func bodyOf(s string) map[string]any {
	var m map[string]any
	_ = json.Unmarshal([]byte(s), &m)
	return m
}

// The suite acting as the organisation's other user, straight against the API.

func (n *naccsSession) otherToken(ctx context.Context) string {
	GinkgoHelper()
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {n.otherID}, "client_secret": {n.otherSecret}}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	status, body := n.api(ctx, http.MethodPost, "/Token", "application/x-www-form-urlencoded", []byte(form.Encode()), "")
	Expect(status).To(Equal(200), "the suite's own token request: %s", body)
	Expect(json.Unmarshal(body, &tok)).To(Succeed())
	return tok.AccessToken
}

func (n *naccsSession) api(ctx context.Context, method, path, contentType string, body []byte, token string) (int, []byte) {
	GinkgoHelper()
	req, err := http.NewRequestWithContext(ctx, method, n.baseURL+path, bytes.NewReader(body))
	Expect(err).NotTo(HaveOccurred())
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	Expect(err).NotTo(HaveOccurred(), "the suite's own %s %s", method, path)
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, out
}

// otherEdit is another user changing one field of a form, the way a correct client does:
// read it, change the field, update with the _etag read.
func (n *naccsSession) otherEdit(ctx context.Context, code, id, field, value string) {
	GinkgoHelper()
	tok := n.otherToken(ctx)
	status, body := n.api(ctx, http.MethodGet, "/API/v1/NACCS/"+code+"/Get/"+id, "", nil, tok)
	Expect(status).To(Equal(200), "the suite reading the form as %s: %s", n.otherID, body)
	form := bodyOf(string(body))
	form[field] = value
	raw, _ := json.Marshal(form)
	status, body = n.api(ctx, http.MethodPut, "/API/v1/NACCS/"+code+"/Update", "application/json", raw, tok)
	Expect(status).To(Equal(200), "the suite saving the form as %s: %s", n.otherID, body)
}

// getForm reads a form as the other user.
func (n *naccsSession) getForm(ctx context.Context, code, id string) map[string]any {
	GinkgoHelper()
	status, body := n.api(ctx, http.MethodGet, "/API/v1/NACCS/"+code+"/Get/"+id, "", nil, n.otherToken(ctx))
	Expect(status).To(Equal(200), "the suite reading the form: %s", body)
	return bodyOf(string(body))
}

// outcomeOf renders a driver answer: "ok" or its failure.
func outcomeOf(derr *driver.Error) string {
	if derr == nil {
		return "ok"
	}
	return "ok:false " + describeDriverError(derr)
}

func parseJSON(raw []byte, v any) error { return json.Unmarshal(raw, v) }
