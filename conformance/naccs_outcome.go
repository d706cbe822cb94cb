package conformance

import (
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/upmock/upmock/conformance/control"
)

// naccsOutputStatus is the status an output answer held.
func naccsOutputStatus(e control.Entry) string {
	var out struct {
		Status string `json:"status"`
	}
	_ = json.Unmarshal([]byte(e.ResponseBody), &out)
	return out.Status
}

var _ = Describe("CyberPort NACCS", func() {
	It(ruleNaccsErr1.Name(), ruleNaccsErr1.Labels(), SpecTimeout(time.Minute), func(ctx SpecContext) {
		r := ruleNaccsErr1
		n := newNaccsSession(ctx, naccsSettings)
		// Three items NACCS refuses: one left out, one not a date, one of the wrong format.
		fields := map[string]string{}
		for k, v := range naccsEDA {
			fields[k] = v
		}
		delete(fields, "exporterName")
		fields["departureDate"] = "20261345"
		fields["finalDestinationCode"] = "US"
		raw, derr := n.call(ctx, "naccs.submit", map[string]any{"businessCode": "EDA", "dealNo": naccsExportDeal, "fields": fields})
		var job struct {
			Status string `json:"status"`
			Errors []struct {
				ResultCode string `json:"resultCode"`
			} `json:"errors"`
		}
		if derr == nil {
			Expect(parseJSON(raw, &job)).To(Succeed(), "naccs.submit must answer the job (DRIVER.md); it answered %s", raw)
		}
		// What NACCS answered, from the upstream's state: a client that never fetched the
		// output is judged on what it reported all the same.
		var served []string
		for _, s := range n.state(ctx).Sends {
			if s.BusinessCode == "EDA" && s.Result != nil && len(s.Result.Errors) > 0 {
				served = served[:0]
				for _, e := range s.Result.Errors {
					served = append(served, e.ResultCode)
				}
			}
		}
		entries := n.journal(ctx)
		outputs := filter(entries, func(e control.Entry) bool { return e.Operation == "getNaccsOutput" })
		did := fmt.Sprintf("The suite submitted an EDA without exporterName, with departureDate 20261345 and finalDestinationCode US; "+
			"NACCS answered %d errors (%s). Output reads:\n%s\nDriver: %s %s",
			len(served), strings.Join(served, ", "), describeAll(outputs), outcomeOf(derr), clip(string(raw), 600))
		Expect(len(served)).To(BeNumerically(">=", 2), "the spec needs NACCS to answer several errors; the upstream saw:\n%s", describeAll(entries))
		check(derr == nil, r, "%s\nA NACCS error is not a driver failure (DRIVER.md: ok true, status error).", did)
		got := map[string]bool{}
		for _, e := range job.Errors {
			got[e.ResultCode] = true
		}
		var dropped []string
		for _, c := range served {
			if !got[c] {
				dropped = append(dropped, c)
			}
		}
		sort.Strings(dropped)
		check(job.Status == "error", r, "%s\nNACCS refused the declaration; the driver reported status %q.", did, job.Status)
		check(len(dropped) == 0, r, "%s\nThe output held %d errors (%s); the driver reported %d, without %s.",
			did, len(served), strings.Join(served, ", "), len(job.Errors), strings.Join(dropped, ", "))
	})

	It(ruleNaccsPoll1.Name(), ruleNaccsPoll1.Labels(), SpecTimeout(time.Minute), func(ctx SpecContext) {
		r := ruleNaccsPoll1
		// NACCS takes 2 s; the client waits 300 ms for a webhook that never comes (its
		// organisation's destination is made a dead port), then reads the output.
		n := newNaccsSessionWith(ctx, map[string]any{"processingDelay": "2s", "webhookTimeout": "1s", "webhookDuplicates": 0},
			map[string]any{"webhookWaitMs": 300, "pollIntervalMs": 200})
		n.deadWebhook(ctx)
		start := time.Now()
		job, derr := n.submit(ctx, "EDA", naccsExportDeal, naccsEDA)
		took := time.Since(start)

		entries := n.journal(ctx)
		reads := filter(entries, func(e control.Entry) bool { return e.Operation == "getNaccsOutput" })
		var final, declared string
		for _, s := range n.state(ctx).Sends {
			if s.NaccsSendID == job.NaccsSendID {
				final = s.Status
				if len(s.Outputs) > 0 {
					declared = s.Outputs[0].Fields["declarationNo"]
				}
			}
		}
		var lines []string
		for _, e := range reads {
			lines = append(lines, fmt.Sprintf("%s status %s", describe(e), naccsOutputStatus(e)))
		}
		did := fmt.Sprintf("NACCS answered 2 s after the send and no webhook came; the client was told to wait 300 ms for one and "+
			"to poll from 200 ms on. Output reads:\n%s\nDriver after %s: %s status %q resultCode %q",
			strings.Join(lines, "\n"), took.Round(time.Millisecond), outcomeOf(derr), job.Status, job.ResultCode)
		check(derr == nil, r, "%s\nThe output was there to be read; the client reported a failure.", did)
		check(final == "completed" && job.Status == final, r, "%s\nNACCS's answer for send %s is %q; the client reported %q.",
			did, job.NaccsSendID, final, job.Status)
		reported := ""
		if len(job.Outputs) > 0 {
			reported = job.Outputs[0].Fields["declarationNo"]
		}
		check(declared != "" && reported == declared, r, "%s\nNACCS assigned declarationNo %q; the client reported %q.", did, declared, reported)
		check(len(reads) <= 30, r, "%s\nThe client read the output %d times in %s: poll at a moderate pace.", did, len(reads), took.Round(time.Millisecond))
	})

	It(ruleNaccsAuth1.Name(), ruleNaccsAuth1.Labels(), SpecTimeout(time.Minute), func(ctx SpecContext) {
		r := ruleNaccsAuth1
		n := newNaccsSession(ctx, naccsSettings)
		first := map[string]string{"exporterCode": "T5010001012345", "consigneeName": "PACIFIC IMPORTS INC"}
		second := map[string]string{"packageCount": "24", "goodsDescription": "AUTO PARTS"}
		raw, derr1 := n.call(ctx, "naccs.saveForm", map[string]any{"businessCode": "EDA", "dealNo": naccsExportDeal, "fields": first})
		before := len(n.journal(ctx))
		// The token lives an hour on the upstream's clock; the client's clock does not move.
		_, err := n.ctl.AdvanceClock(ctx, time.Hour+time.Minute)
		Expect(err).NotTo(HaveOccurred(), "advancing the mock clock")
		_, derr2 := n.call(ctx, "naccs.saveForm", map[string]any{"businessCode": "EDA", "dealNo": naccsExportDeal, "fields": second})

		entries := filter(n.journal(ctx), func(e control.Entry) bool { return e.Operation != "webhook" })
		did := fmt.Sprintf("The client saved a form, the suite moved the upstream's clock 1 h 1 min on (tokens live 1 h), and the "+
			"client saved other fields of it. The upstream saw:\n%s\nDriver: %s; %s", describeAll(entries), outcomeOf(derr1), outcomeOf(derr2))
		refused := naccsTokenProblems(entries, n.clientID)
		check(len(refused) == 0, r, "%s\nToken requests the upstream refused or the client got wrong:\n%s", did, strings.Join(refused, "\n"))
		var problems []string
		tokensBefore := 0
		for i, e := range entries {
			if e.Operation == "postToken" {
				if i < before {
					tokensBefore++
				}
				continue
			}
			if auth := e.Headers.Get("Authorization"); !strings.HasPrefix(auth, "Bearer ") {
				problems = append(problems, fmt.Sprintf("#%d carries no Bearer token (Authorization %q)", e.Seq, auth))
			}
			if e.Status != 401 {
				continue
			}
			switch {
			case i < before:
				problems = append(problems, fmt.Sprintf("#%d was refused 401 while the token was valid", e.Seq))
			case i+1 == len(entries) || entries[i+1].Operation != "postToken":
				problems = append(problems, fmt.Sprintf("#%d was refused 401 (the token expired) and the client did not ask /Token next", e.Seq))
			}
		}
		check(len(problems) == 0, r, "%s\n%s", did, strings.Join(problems, "\n"))
		check(tokensBefore == 1, r, "%s\nThe client asked for %d tokens before the clock moved; one token serves every call while it lives.", did, tokensBefore)
		expired := filter(entries[before:], func(e control.Entry) bool { return e.Status == 401 })
		check(len(expired) <= 1, r, "%s\nThe expired token was sent %d times.", did, len(expired))
		check(derr1 == nil && derr2 == nil, r, "%s\nBoth saves could succeed; the client reported a failure.", did)
		id, _ := bodyOf(string(raw))["dealReportId"].(string)
		form := n.getForm(ctx, "EDA", id)
		var lost []string
		for _, fields := range []map[string]string{first, second} {
			for k, v := range fields {
				if form[k] != v {
					lost = append(lost, fmt.Sprintf("%s: now %v, the client saved %q", k, form[k], v))
				}
			}
		}
		sort.Strings(lost)
		check(len(lost) == 0, r, "%s\nThe client reported both saves done; the form lacks:\n%s", did, strings.Join(lost, "\n"))
	})
})

// naccsTokenProblems says, for every /Token request, what is wrong with it (form encoding,
// grant_type, client_id, client_secret in the form or HTTP Basic) and how the upstream
// answered when it refused it. Empty when every token request was right and taken.
func naccsTokenProblems(entries []control.Entry, clientID string) []string {
	var out []string
	for _, e := range filter(entries, naccsOp("postToken")) {
		var wrong []string
		if ct := e.Headers.Get("Content-Type"); !strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
			wrong = append(wrong, fmt.Sprintf("Content-Type %q (want application/x-www-form-urlencoded)", ct))
		}
		form, err := url.ParseQuery(e.Body)
		if err != nil {
			wrong = append(wrong, "the body is not a form: "+err.Error())
		}
		if g := form.Get("grant_type"); g != "client_credentials" {
			wrong = append(wrong, fmt.Sprintf("grant_type %q (want client_credentials)", g))
		}
		basic := strings.HasPrefix(e.Headers.Get("Authorization"), "Basic ")
		if !basic {
			if id := form.Get("client_id"); id != clientID {
				wrong = append(wrong, fmt.Sprintf("client_id %q (want %q, in the form or as HTTP Basic)", id, clientID))
			}
			if form.Get("client_secret") == "" {
				wrong = append(wrong, "no client_secret (in the form or as HTTP Basic)")
			}
		}
		if e.Status != 200 {
			wrong = append(wrong, fmt.Sprintf("the upstream answered %d %s", e.Status, clip(e.ResponseBody, 200)))
		}
		if len(wrong) > 0 {
			out = append(out, fmt.Sprintf("#%d POST /Token: %s", e.Seq, strings.Join(wrong, "; ")))
		}
	}
	return out
}

// deadWebhook points the organisation's webhook at a port where nothing listens, as a
// company whose endpoint is down: NACCS's answer must then be polled for.
func (n *naccsSession) deadWebhook(ctx SpecContext) {
	GinkgoHelper()
	var state map[string]any
	Expect(n.ctl.State(ctx, "naccs", &state)).To(Succeed(), "reading the NACCS state")
	orgs, _ := state["organizations"].([]any)
	found := false
	for _, o := range orgs {
		org, _ := o.(map[string]any)
		if org["organizationId"] == n.organizationID {
			org["webhook"] = map[string]any{"name": "down (conformance)", "url": "http://127.0.0.1:9/cyberport/webhook",
				"updatedAt": "2026-11-01T09:00:00+09:00"}
			found = true
		}
	}
	Expect(found).To(BeTrue(), "the NACCS state has no organisation %s", n.organizationID)
	Expect(n.ctl.PutState(ctx, "naccs", state)).To(Succeed(), "pointing the webhook at a dead port")
}

// naccsListedImporter is the importer whose declarations NACCS-READ-1 seeds and lists.
const naccsListedImporter = "T5010001099999"

var _ = Describe("CyberPort NACCS", func() {
	It(ruleNaccsRead1.Name(), ruleNaccsRead1.Labels(), SpecTimeout(time.Minute), func(ctx SpecContext) {
		r := ruleNaccsRead1
		n := newNaccsSession(ctx, naccsSettings)
		const declarations = 900
		seeded := n.seedImportDeclarations(ctx, naccsListedImporter, declarations)
		raw, derr := n.call(ctx, "naccs.submit", map[string]any{"businessCode": "IDI", "dealNo": naccsImportDeal,
			"fields": map[string]string{"importerCode": naccsListedImporter}})
		var job struct {
			Status  string `json:"status"`
			Outputs []struct {
				Rows []map[string]string `json:"rows"`
			} `json:"outputs"`
		}
		if derr == nil {
			Expect(parseJSON(raw, &job)).To(Succeed(), "naccs.submit must answer the job (DRIVER.md); it answered %s", clip(string(raw), 300))
		}
		reads := filter(n.journal(ctx), naccsOp("getNaccsOutput"))
		got := map[string]bool{}
		for _, o := range job.Outputs {
			for _, row := range o.Rows {
				got[row["declarationNo"]] = true
			}
		}
		var missing []string
		for _, no := range seeded {
			if !got[no] {
				missing = append(missing, no)
			}
		}
		did := fmt.Sprintf("NACCS holds %d import declarations of importer %s; the suite submitted IDI (輸入申告等一覧照会) for it: "+
			"its output lists them all, about 150 KB. Output reads:\n%s\nDriver: %s, status %q, %d rows",
			declarations, naccsListedImporter, describeAll(reads), outcomeOf(derr), job.Status, len(got))
		check(derr == nil && job.Status == "completed", r, "%s\nNACCS answered the inquiry; the client did not report it completed.", did)
		check(len(missing) == 0, r, "%s\n%d of the %d declarations are missing from the rows the driver reported, e.g. %s.",
			did, len(missing), declarations, strings.Join(missing[:min(3, len(missing))], ", "))
	})
})

// seedImportDeclarations adds n import declarations of importer to NACCS's registry (the
// upstream's state), returning their numbers.
func (n *naccsSession) seedImportDeclarations(ctx SpecContext, importer string, count int) []string {
	GinkgoHelper()
	var state map[string]any
	Expect(n.ctl.State(ctx, "naccs", &state)).To(Succeed(), "reading the NACCS state")
	naccs, _ := state["naccs"].(map[string]any)
	registries, _ := naccs["registries"].(map[string]any)
	Expect(registries).NotTo(BeNil(), "the NACCS state has no registries")
	rows, _ := registries["importDeclaration"].([]any)
	numbers := make([]string, count)
	for i := range numbers {
		no := fmt.Sprintf("19%09d", i)
		numbers[i] = no
		rows = append(rows, map[string]any{"key": no, "status": "registered", "registeredDate": "20261122",
			"fields": map[string]string{"declarationNo": no, "customsOfficeCode": "1W", "customsDepartmentCode": "01",
				"importerCode": importer, "importerName": "コンフォーマンス輸入株式会社", "blNo": fmt.Sprintf("CONF%09d", i),
				"bondedAreaCode": "1WW01", "goodsDescription": "CONFORMANCE GOODS"}})
	}
	registries["importDeclaration"] = rows
	Expect(n.ctl.PutState(ctx, "naccs", state)).To(Succeed(), "seeding %d import declarations", count)
	return numbers
}
