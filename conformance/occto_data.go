package conformance

import (
	"context"
	"encoding/xml"
	"fmt"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// occtoJST is Japan Standard Time, the zone of every time in OCCTO's messages.
var occtoJST = time.FixedZone("JST", 9*60*60)

// occtoPlan is a plan the suite registers or seeds: one row of a 作業停止計画 message
// (specs/occto/outage-plan.xsd). Names and reasons are Japanese on purpose: reading them
// back intact is part of OCCTO-DATA-1.
type occtoPlan struct {
	Division     string // 01 年間, 02 月間, 03 週間
	ReceptionNo  string // occtoreceptionno, for seeded plans
	SubmitPlanNo string
	FacilityCode string
	FacilityName string
	ReasonCode   string
	Reason       string
	Start, End   time.Time
}

// newOcctoPlan returns a valid plan of division numbered n.
func newOcctoPlan(division string, n int) occtoPlan {
	start := time.Date(2026, 4, 6, 9, 0, 0, 0, occtoJST).AddDate(0, 0, n)
	names := []string{"北港変電所２号変圧器", "上町幹線１号線", "東浜発電所３号機", "南台開閉所母線", "西山線２号"}
	return occtoPlan{
		Division: division, SubmitPlanNo: fmt.Sprintf("CF-%s-%03d", division, n),
		FacilityCode: fmt.Sprintf("FC%04d", 100+n), FacilityName: names[n%len(names)],
		ReasonCode: "02", Reason: fmt.Sprintf("補修工事（第%d回・がいし交換）", n),
		Start: start, End: start.Add(8 * time.Hour),
	}
}

// occtoMessage renders a 作業停止計画 message from user's company to OCCTO holding plans.
func (o *occtoSession) occtoMessage(plans ...occtoPlan) string {
	now := time.Now().In(occtoJST)
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<SBD-MSG>\n  <JPMGRP>\n    <JPMGH>\n")
	leaf := func(indent int, tag, value string) {
		b.WriteString(strings.Repeat(" ", indent) + "<" + tag + ">")
		_ = xml.EscapeText(&b, []byte(value))
		b.WriteString("</" + tag + ">\n")
	}
	r := o.creds.Receiver
	for _, kv := range [][2]string{{"JPC03", "0"}, {"JPC06", o.user.CompanyCode}, {"JPC09", r.Code}, {"JPC10", r.BPIDAgencyCode},
		{"JPC11", "S1"}, {"JPC12", "3A"}, {"JPC14", "0001"}, {"JPC19", now.Format("20060102150405")}} {
		leaf(6, kv[0], kv[1])
	}
	b.WriteString("    </JPMGH>\n    <JPTRM>\n")
	for _, kv := range [][2]string{{"JP00002", "0001"}, {"JP06170", "作業停止計画"}, {"JP06110", o.user.CompanyCode},
		{"JP06111", o.user.CompanyName}, {"JP06112", r.Code}, {"JP06113", r.Name}, {"JP06116", now.Format("20060102")}} {
		leaf(6, kv[0], kv[1])
	}
	b.WriteString("      <JPM00010>\n")
	for _, p := range plans {
		b.WriteString("        <JPMR00010>\n")
		for _, kv := range [][2]string{{"PLANDIVISION", p.Division}, {"SBMIT_PLAN_NO", p.SubmitPlanNo},
			{"FACILITY_CD", p.FacilityCode}, {"FACILITY_NM", p.FacilityName}, {"STOP_REASON_CD", p.ReasonCode},
			{"STOP_REASON", p.Reason}} {
			leaf(10, kv[0], kv[1])
		}
		b.WriteString("          <JPM00011>\n            <JPMR00011>\n")
		leaf(14, "STOP_START_DAYTIME", p.Start.In(occtoJST).Format("200601021504"))
		leaf(14, "STOP_END_DAYTIME", p.End.In(occtoJST).Format("200601021504"))
		b.WriteString("            </JPMR00011>\n          </JPM00011>\n        </JPMR00010>\n")
	}
	b.WriteString("      </JPM00010>\n    </JPTRM>\n  </JPMGRP>\n</SBD-MSG>\n")
	return b.String()
}

// seedPlans stores plans as already accepted plans of the user's company, through the
// control API, so a spec about reading plans does not depend on the client's own
// submissions (which other rules judge) and costs no calls against the daily limit.
func (o *occtoSession) seedPlans(ctx context.Context, plans ...occtoPlan) {
	GinkgoHelper()
	var state map[string]any
	Expect(o.ctl.State(ctx, "occto", &state)).To(Succeed(), "reading the OCCTO state")
	list, _ := state["plans"].([]any)
	at := time.Now().UTC().Add(-time.Hour).Format(time.RFC3339)
	last, _ := state["lastPlanNo"].(float64)
	for _, p := range plans {
		list = append(list, map[string]any{
			"plandivision": p.Division, "submitPlanNo": p.SubmitPlanNo, "facilityCode": p.FacilityCode,
			"facilityName": p.FacilityName, "occtoreceptionno": p.ReceptionNo, "company": o.user.CompanyCode,
			"filereceptionno": "0000000000", "version": 1, "registeredAt": at, "updatedAt": at,
			"xml": o.occtoMessage(p),
		})
		var n float64
		_, _ = fmt.Sscan(p.ReceptionNo, &n)
		last = max(last, n)
	}
	state["plans"], state["lastPlanNo"] = list, last
	Expect(o.ctl.PutState(ctx, "occto", state)).To(Succeed(), "seeding OCCTO plans")
}
