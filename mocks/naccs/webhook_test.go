package naccs_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/upmock/upmock/mocks/naccs"
)

// sendEDA saves and sends an EDA without waiting for NACCS.
func (h *harness) sendEDA() (form, string) {
	h.t.Helper()
	f := h.save("EDA", h.create("EDA", exportDeal, broker), eda)
	return f, h.send("EDA", f)
}

func verify(t *testing.T, d delivery, secret string) {
	t.Helper()
	sig := d.header.Get(naccs.HeaderSignature)
	ts, _, _ := strings.Cut(strings.TrimPrefix(sig, "t="), ",")
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		t.Fatalf("signature %q", sig)
	}
	if want := naccs.Sign(secret, time.Unix(sec, 0), d.body); sig != want {
		t.Fatalf("signature %q, want %q", sig, want)
	}
}

func TestNaccsReceiveIsPushedAndSigned(t *testing.T) {
	h := newHarness(t)
	rc := newReceiver(t)
	h.register(rc)
	f, sendID := h.sendEDA()
	rc.none(t) // NACCS has not answered: the clock has not moved
	h.advance(processing)
	d := rc.next(t)
	verify(t, d, tokyoSecret)
	if d.header.Get(naccs.HeaderEvent) != "NaccsReceive" || d.header.Get(naccs.HeaderDelivery) == "" || d.header.Get(naccs.HeaderAttempt) != "1" {
		t.Fatalf("headers %v", d.header)
	}
	var p naccs.WebhookPayload
	if err := json.Unmarshal(d.body, &p); err != nil {
		t.Fatal(err)
	}
	if p.Data.OperationType != "NaccsReceive" || p.Data.OperationName != "NACCS Data Received." || *p.Data.NaccsSendID != sendID ||
		p.Data.DealReportID != f.id() || *p.Data.ResultCode != "00000-0000-0000" || p.UserName != "山田 太郎" || p.Data.DealNo != exportDeal ||
		len(p.Data.OutputCodes) != 2 || p.Data.OutputCodes[0] != "*SEDA  " {
		t.Fatalf("payload %s", d.body)
	}
	// A wrong secret does not verify.
	if naccs.Sign("cpwh_osaka_9a4e6f10_signing_secret_change_me", time.Now(), d.body) == d.header.Get(naccs.HeaderSignature) {
		t.Fatal("signature does not depend on the secret")
	}
	// ⑤ after ④: the output is there.
	if out := h.output("EDA", f, sendID); out.Status != "completed" {
		t.Fatalf("%+v", out)
	}
	// The attempt is journaled next to the requests.
	var hooks int
	for _, e := range h.sess.Journal.List("naccs", 0) {
		if e.Operation == "webhook" {
			hooks++
			if e.Status != 204 || e.Annotations["webhook"] != "NaccsReceive" || e.Annotations["attempt"] != "1" || !strings.HasSuffix(e.Path, "/hook") {
				t.Fatalf("journal entry %+v", e)
			}
		}
	}
	if hooks != 1 {
		t.Fatalf("%d webhook entries in the journal", hooks)
	}
}

func TestFailedDeliveryIsRetriedWithBackoff(t *testing.T) {
	h := newHarness(t)
	rc := newReceiver(t)
	rc.answer(500)
	h.register(rc)
	f, sendID := h.sendEDA()
	h.advance(processing)
	first := rc.next(t)
	rc.none(t)
	// The endpoint is down, and nothing is lost: the output is fetchable.
	if out := h.output("EDA", f, sendID); out.Status != "completed" {
		t.Fatalf("%+v", out)
	}
	h.advance(9 * time.Second)
	rc.none(t)
	h.advance(time.Second) // first retry delay: 10s
	second := rc.next(t)
	if second.header.Get(naccs.HeaderDelivery) != first.header.Get(naccs.HeaderDelivery) || second.header.Get(naccs.HeaderAttempt) != "2" {
		t.Fatalf("retry headers %v", second.header)
	}
	rc.answer(200)
	h.advance(30 * time.Second) // second retry delay
	rc.next(t)
	h.advance(time.Hour)
	rc.none(t)

	var state naccs.State
	if err := json.Unmarshal(h.control("GET", "/state/naccs", nil).body, &state); err != nil {
		t.Fatal(err)
	}
	d := state.Deliveries[0]
	if d.State != "delivered" || len(d.Attempts) != 3 || d.Attempts[0].Status != 500 || d.Attempts[2].Status != 200 ||
		d.Attempts[1].At.Sub(d.Attempts[0].At) < 10*time.Second {
		t.Fatalf("delivery %+v", d)
	}
}

func TestDeliveryIsGivenUp(t *testing.T) {
	h := newHarness(t)
	h.settings(`{"webhookRetryDelays":["5s"]}`)
	rc := newReceiver(t)
	rc.answer(503)
	h.register(rc)
	h.sendEDA()
	h.advance(processing)
	rc.next(t)
	h.advance(5 * time.Second)
	rc.next(t)
	h.advance(time.Hour)
	rc.none(t)
}

func TestDuplicateDeliveries(t *testing.T) {
	h := newHarness(t)
	h.settings(`{"webhookDuplicates":1}`)
	rc := newReceiver(t)
	h.register(rc)
	h.sendEDA()
	h.advance(processing)
	a, b := rc.next(t), rc.next(t)
	if a.header.Get(naccs.HeaderDelivery) != b.header.Get(naccs.HeaderDelivery) || string(a.body) != string(b.body) {
		t.Fatal("a duplicate is the same delivery")
	}
	rc.none(t)
}

func TestSlowReceiverTimesOut(t *testing.T) {
	h := newHarness(t)
	h.settings(`{"webhookTimeout":"50ms"}`)
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-release
		w.WriteHeader(204)
	}))
	t.Cleanup(slow.Close)
	t.Cleanup(func() { close(release) })
	expectStatus(t, h.call("POST", "/API/v1/Webhook/Save", map[string]any{"organizationId": tokyoOrg, "name": "slow", "url": slow.URL}), 200)
	h.sendEDA()
	h.advance(processing)
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		for _, e := range h.sess.Journal.List("naccs", 0) {
			if e.Operation == "webhook" {
				if e.Status != 0 || !strings.Contains(e.Annotations["error"], "deadline exceeded") {
					t.Fatalf("slow attempt %+v", e)
				}
				return
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("no attempt journaled")
}

func TestWebhookDestinations(t *testing.T) {
	h := newHarness(t)
	save := func(url string) response {
		return h.call("POST", "/API/v1/Webhook/Save", map[string]any{"organizationId": tokyoOrg, "name": "x", "url": url})
	}
	expectModelState(t, save("http://example.com/hook"), "request.url", "loopback")
	expectModelState(t, save("ftp://127.0.0.1/hook"), "request.url", "absolute http or https URL")
	expectStatus(t, save("http://localhost:9/hook"), 200)
	expectStatus(t, save("http://[::1]:9/hook"), 200)
	// Only the command line lets webhooks leave the machine; the control API cannot.
	refused := h.patchSettings(`{"allowNonLoopbackWebhooks":true}`)
	if refused.status != 400 || !strings.Contains(string(refused.body), "command line") {
		t.Fatalf("PATCH allowNonLoopbackWebhooks: %d %s, want 400 naming the command line", refused.status, refused.body)
	}
	h.settings(`{"allowNonLoopbackWebhooks":false}`) // unchanged: accepted
	expectModelState(t, save("https://hooks.example.com/cyberport"), "request.url", "loopback")
	h = newHarnessWith(t, naccs.Options{AllowNonLoopbackWebhooks: true})
	expectStatus(t, h.control("POST", "/reset", nil), 204) // the flag survives a reset
	expectStatus(t, save("https://hooks.example.com/cyberport"), 200)
	got := h.call("GET", "/API/v1/Webhook/Get/"+tokyoOrg, nil).json(t)
	if got["url"] != "https://hooks.example.com/cyberport" {
		t.Fatalf("%v", got)
	}
	expectStatus(t, h.call("GET", "/API/v1/Webhook/Get/"+osakaOrg, nil), 403)
	// The fixtures preset Osaka's destination (a loopback port nothing listens on).
	if got := h.as(osakaClient).call("GET", "/API/v1/Webhook/Get/"+osakaOrg, nil).json(t); got["url"] != "http://127.0.0.1:9/cyberport/webhook" {
		t.Fatalf("fixture webhook %v", got)
	}
	expectStatus(t, h.call("DELETE", "/API/v1/Webhook/Delete/"+tokyoOrg, nil), 204)
	expectMessage(t, h.call("GET", "/API/v1/Webhook/Get/"+tokyoOrg, nil), 404, "No webhook is set for the organization.")
}

func TestNoWebhookLosesNothing(t *testing.T) {
	h := newHarness(t)
	f, sendID := h.sendEDA()
	h.advance(processing)
	if out := h.output("EDA", f, sendID); out.Status != "completed" || len(out.Outputs) != 1 {
		t.Fatalf("%+v", out)
	}
}

func TestResetAndCloseStopDelivery(t *testing.T) {
	h := newHarness(t)
	rc := newReceiver(t)
	rc.answer(500)
	h.register(rc)
	h.sendEDA()
	h.advance(processing)
	rc.next(t)
	expectStatus(t, h.control("POST", "/reset", nil), 204)
	h.tokens = map[string]string{} // tokens went with the state
	h.advance(time.Hour)
	rc.none(t) // the pending retry went with the state

	// Close returns promptly even while an attempt hangs. (A server of its own: core's
	// Running.Close may be called once only.)
	srv, err := naccs.Start(naccs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	h = newSessionHarness(t, srv, "default")
	hang := make(chan struct{})
	stuck := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-hang }))
	defer stuck.Close()
	defer close(hang)
	expectStatus(t, h.call("POST", "/API/v1/Webhook/Save", map[string]any{"organizationId": tokyoOrg, "name": "stuck", "url": stuck.URL}), 200)
	h.sendEDA()
	h.advance(processing)
	time.Sleep(20 * time.Millisecond) // let the attempt start
	start := time.Now()
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > time.Second {
		t.Fatalf("Close took %s", took)
	}
}
