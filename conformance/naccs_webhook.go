package conformance

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/upmock/upmock/conformance/control"
)

// naccsSign is the webhook signature of specs/naccs/NOTES.md.
func naccsSign(secret string, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(ts + "."))
	m.Write(body)
	return "t=" + ts + ",v1=" + hex.EncodeToString(m.Sum(nil))
}

// submitEDA runs a registration and returns it with the journal once its NaccsReceive has
// been attempted (wait bounds how long that may take).
func (n *naccsSession) submitEDA(ctx context.Context, wait time.Duration, attempts int) (naccsJob, []control.Entry) {
	GinkgoHelper()
	job, derr := n.submit(ctx, "EDA", naccsExportDeal, naccsEDA)
	n.need(ctx, derr, "naccs.submit EDA")
	entries := n.awaitJournal(ctx, wait, func(es []control.Entry) bool { return len(attemptsFor(es, job.NaccsSendID)) >= attempts })
	if got := len(attemptsFor(entries, job.NaccsSendID)); got < attempts {
		Fail(fmt.Sprintf("upmock attempted the NaccsReceive of send %s %d times within %s, not %d:\n%s",
			job.NaccsSendID, got, wait, attempts, describeAll(entries)))
	}
	return job, entries
}

// outputFetches are the client's output reads that returned send (from at on).
func outputFetches(entries []control.Entry, sendID string, from time.Time) []control.Entry {
	return filter(entries, func(e control.Entry) bool {
		return e.Operation == "getNaccsOutput" && e.Status == 200 && e.Annotations["naccsSendId"] == sendID && !e.Time.Before(from)
	})
}

var _ = Describe("CyberPort NACCS webhooks", func() {
	It(ruleNaccsHook1.Name(), ruleNaccsHook1.Labels(), SpecTimeout(time.Minute), func(ctx SpecContext) {
		r := ruleNaccsHook1
		n := newNaccsSession(ctx, naccsSettings)
		job, entries := n.submitEDA(ctx, 5*time.Second, 1)
		hook := attemptsFor(entries, job.NaccsSendID)[0]
		var send control.Entry
		for _, e := range filter(entries, naccsOp("sendNaccsReport")) {
			if sendIDOf(e) == job.NaccsSendID {
				send = e
			}
		}
		reads := filter(entries, func(e control.Entry) bool {
			return (e.Operation == "getNaccsReport" || e.Operation == "getNaccsOutput") && lastSegment(e.Path) == job.DealReportID &&
				!e.Time.Before(send.Time) && e.Time.Before(hook.Time)
		})
		check(len(reads) <= 2, r, "Between the send and the NaccsReceive webhook (NACCS took %s) the client read the form or its "+
			"output %d times:\n%s\n%s\n…\n%s", hook.Time.Sub(send.Time).Round(time.Millisecond), len(reads), describe(send),
			describeAll(reads[:min(len(reads), 8)]), describe(hook))
	})

	It(ruleNaccsHook2.Name(), ruleNaccsHook2.Labels(), SpecTimeout(time.Minute), func(ctx SpecContext) {
		r := ruleNaccsHook2
		n := newNaccsSession(ctx, naccsSettings)
		job, entries := n.submitEDA(ctx, 5*time.Second, 1)
		target := n.webhookURL(ctx)
		genuine := attemptsFor(entries, job.NaccsSendID)[0].Body
		forged := strings.Replace(genuine, job.NaccsSendID, "00000000-0000-4000-8000-00000000f0f0", 1)
		tampered := strings.Replace(forged, `"resultCode":"00000-0000-0000"`, `"resultCode":"00000-0000-0001"`, 1)
		now := time.Now()
		cases := []struct{ what, body, signature string }{
			{"no signature", forged, ""},
			{"signed with another key", forged, naccsSign("not-the-organisations-secret", now, []byte(forged))},
			{"body changed after signing", tampered, naccsSign(n.signingSecret, now, []byte(forged))},
			{"replayed 10 minutes after it was signed", forged, naccsSign(n.signingSecret, now.Add(-10*time.Minute), []byte(forged))},
		}
		var lines []string
		forgedIDs := map[string]string{}
		for i, c := range cases {
			id := fmt.Sprintf("00000000-0000-4000-8000-%012d", i+1)
			forgedIDs[id] = c.what
			status := postWebhook(ctx, target, id, c.signature, c.body)
			lines = append(lines, fmt.Sprintf("%s (X-CyberPort-Delivery %s) → %d", c.what, id, status))
			check(status >= 400 && status < 500, r, "The suite posted forged NaccsReceive deliveries to the client's webhook %s:\n%s\n"+
				"The client answered %d to the delivery %s; it must refuse it (4xx).", target, strings.Join(lines, "\n"), status, c.what)
		}
		raw, derr := n.call(ctx, "naccs.webhooks", map[string]any{})
		n.need(ctx, derr, "naccs.webhooks")
		var got struct {
			Webhooks []struct {
				DeliveryID  string `json:"deliveryId"`
				NaccsSendID string `json:"naccsSendId"`
				Accepted    bool   `json:"accepted"`
			} `json:"webhooks"`
		}
		Expect(parseJSON(raw, &got)).To(Succeed(), "naccs.webhooks must answer {\"webhooks\": [...]}; it answered %s", raw)
		genuineSeen := false
		for _, w := range got.Webhooks {
			check(!(w.Accepted && forgedIDs[w.DeliveryID] != ""), r, "The driver reports it accepted the forged delivery %s (%s).",
				w.DeliveryID, forgedIDs[w.DeliveryID])
			genuineSeen = genuineSeen || (w.Accepted && w.NaccsSendID == job.NaccsSendID)
		}
		check(genuineSeen, r, "The driver reports no accepted NaccsReceive for the genuine send %s; it received:\n%s", job.NaccsSendID, raw)
	})

	It(ruleNaccsHook3.Name(), ruleNaccsHook3.Labels(), SpecTimeout(time.Minute), func(ctx SpecContext) {
		r := ruleNaccsHook3
		n := newNaccsSession(ctx, naccsSettings)
		job, entries := n.submitEDA(ctx, 5*time.Second, 1)
		hook := attemptsFor(entries, job.NaccsSendID)[0]
		fetches := outputFetches(entries, job.NaccsSendID, hook.Time)
		check(len(fetches) > 0, r, "After the NaccsReceive webhook the client never fetched the output of send %s:\n%s\nRequests:\n%s",
			job.NaccsSendID, describe(hook), describeAll(filter(entries, func(e control.Entry) bool { return e.Operation != "webhook" })))
		var assigned string
		for _, s := range n.state(ctx).Sends {
			if s.NaccsSendID == job.NaccsSendID && len(s.Outputs) > 0 {
				assigned = s.Outputs[0].Fields["declarationNo"]
			}
		}
		reported := ""
		if len(job.Outputs) > 0 {
			reported = job.Outputs[0].Fields["declarationNo"]
		}
		check(assigned != "" && reported == assigned, r, "NACCS assigned declarationNo %q in the output; the client reported %q.", assigned, reported)
	})

	It(ruleNaccsHook4.Name(), ruleNaccsHook4.Labels(), SpecTimeout(time.Minute), func(ctx SpecContext) {
		r := ruleNaccsHook4
		n := newNaccsSession(ctx, naccsSettings)
		job, entries := n.submitEDA(ctx, 8*time.Second, 1)
		for _, a := range attemptsFor(entries, job.NaccsSendID) {
			check(a.Status >= 200 && a.Status < 300 && a.DurationMs < 1000, r,
				"upmock waits 1 s for the webhook's answer. The delivery was answered %d after %.0f ms%s:\n%s",
				a.Status, a.DurationMs, errNote(a), describe(a))
		}
	})

	It(ruleNaccsHook5.Name(), ruleNaccsHook5.Labels(), SpecTimeout(time.Minute), func(ctx SpecContext) {
		r := ruleNaccsHook5
		n := newNaccsSession(ctx, map[string]any{"processingDelay": "150ms", "webhookTimeout": "5s", "webhookDuplicates": 1})
		job, _ := n.submitEDA(ctx, 10*time.Second, 2)
		time.Sleep(300 * time.Millisecond) // what a second handling would do happens just after its answer
		entries := n.journal(ctx)
		hooks := attemptsFor(entries, job.NaccsSendID)
		fetches := outputFetches(entries, job.NaccsSendID, hooks[0].Time)
		check(len(fetches) <= 1, r, "The same delivery (X-CyberPort-Delivery %s) was posted %d times; the client fetched the output "+
			"%d times:\n%s\n%s", hooks[0].Annotations["deliveryId"], len(hooks), len(fetches), describeAll(hooks), describeAll(fetches))
	})
})

func errNote(e control.Entry) string {
	if msg := e.Annotations["error"]; msg != "" {
		return " (" + msg + ")"
	}
	return ""
}

// postWebhook posts a delivery as CyberPort would, with the given signature, and returns the
// receiver's status (0 when it did not answer within 5 s).
func postWebhook(ctx context.Context, target, deliveryID, signature, body string) int {
	GinkgoHelper()
	cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(cctx, http.MethodPost, target, bytes.NewReader([]byte(body)))
	Expect(err).NotTo(HaveOccurred())
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("X-CyberPort-Event", "NaccsReceive")
	req.Header.Set("X-CyberPort-Delivery", deliveryID)
	req.Header.Set("X-CyberPort-Attempt", "1")
	if signature != "" {
		req.Header.Set("X-CyberPort-Signature", signature)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}
