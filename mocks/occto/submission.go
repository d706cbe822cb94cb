package occto

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/beevik/etree"
)

// Paths of the items the cross checks and the plan split read.
const (
	pathHeader = "JPMGRP/JPMGH"
	pathTrm    = "JPMGRP/JPTRM"
	pathPlans  = "JPMGRP/JPTRM/JPM00010"
	itemTrm    = "SBD-MSG/" + pathTrm
	itemHeader = "SBD-MSG/" + pathHeader
	itemPlans  = "SBD-MSG/" + pathPlans
)

// checkMessage reads a submitted message: its encoding, XML syntax, the schema, then the
// rules a schema cannot state. With no findings it returns the plan rows, each as a message
// of its own (UTF-8), ready to apply.
func checkMessage(raw []byte, company string, recv Receiver, maxFindings int) (string, []PendingPlan, []Finding) {
	text, encoding, bad := toUTF8(raw)
	if bad != nil {
		return encoding, nil, []Finding{*bad}
	}
	doc := etree.NewDocument()
	doc.ReadSettings.CharsetReader = passThrough
	if err := doc.ReadFromBytes(text); err != nil {
		return encoding, nil, []Finding{findMalformed.at("", "", syntaxError(text, err))}
	}
	findings := validateDocument(doc, maxFindings)
	if root := doc.Root(); root != nil && root.Tag == messageSchema.tag {
		v := &validator{max: maxFindings - len(findings)}
		crossCheck(v, root, company, recv)
		findings = append(findings, v.findings...)
	}
	if len(findings) > 0 {
		return encoding, nil, findings
	}
	return encoding, splitPlans(doc), nil
}

// syntaxError says where the XML breaks, as encoding/xml reports it ("XML syntax error on
// line 3: unexpected EOF"); etree's own error for a document cut short says less.
func syntaxError(text []byte, fallback error) string {
	dec := xml.NewDecoder(bytes.NewReader(text))
	dec.CharsetReader = passThrough
	for {
		if _, err := dec.Token(); err != nil {
			if errors.Is(err, io.EOF) {
				return fallback.Error()
			}
			return err.Error()
		}
	}
}

// value is the text of the element at path below e ("" when absent).
func value(e *etree.Element, path string) string {
	if f := e.FindElement(path); f != nil {
		return f.Text()
	}
	return ""
}

// crossCheck applies the rules between items: who sends, to whom, header and common part
// agreeing, periods that end after they start, and one row per plan.
func crossCheck(v *validator, root *etree.Element, company string, recv Receiver) {
	sender, hdrSender := value(root, pathTrm+"/JP06110"), value(root, pathHeader+"/JPC06")
	if sender != "" && sender != company {
		v.add(findSender.at(itemTrm+"/JP06110", "送信者コード", sender))
	}
	if hdrSender != "" && sender != "" && hdrSender != sender {
		v.add(findHeaderMatch.at(itemHeader+"/JPC06", "発信者コード", hdrSender))
	}
	if r := value(root, pathTrm+"/JP06112"); r != "" && r != recv.Code {
		v.add(findReceiver.at(itemTrm+"/JP06112", "受信者コード", r))
	}
	if r := value(root, pathHeader+"/JPC09"); r != "" && r != recv.Code {
		v.add(findReceiver.at(itemHeader+"/JPC09", "受信者コード", r))
	}
	if a := value(root, pathHeader+"/JPC10"); a != "" && a != recv.BPIDAgencyCode {
		v.add(findAgency.at(itemHeader+"/JPC10", "BPID機関コード", a))
	}
	plans := root.FindElement(pathPlans)
	if plans == nil {
		return
	}
	seen := map[[2]string]bool{}
	for i, row := range plans.SelectElements("JPMR00010") {
		rowItem := fmt.Sprintf("%s/JPMR00010[%d]", itemPlans, i+1)
		key := [2]string{value(row, "PLANDIVISION"), value(row, "SBMIT_PLAN_NO")}
		if key[1] != "" && seen[key] {
			v.add(findDuplicate.at(rowItem+"/SBMIT_PLAN_NO", "事業者計画番号", key[1]))
		}
		seen[key] = true
		periods := row.FindElement("JPM00011")
		if periods == nil {
			continue
		}
		for j, p := range periods.SelectElements("JPMR00011") {
			start, okS := parseTime("200601021504", value(p, "STOP_START_DAYTIME"))
			end, okE := parseTime("200601021504", value(p, "STOP_END_DAYTIME"))
			if okS && okE && !end.After(start) {
				v.add(findPeriod.at(fmt.Sprintf("%s/JPM00011/JPMR00011[%d]/STOP_END_DAYTIME", rowItem, j+1),
					"作業停止終了日時", value(p, "STOP_END_DAYTIME")))
			}
		}
	}
}

// splitPlans turns a valid message into one message per plan row: the same header and
// common part with that row alone, declared and written as UTF-8.
func splitPlans(doc *etree.Document) []PendingPlan {
	setUTF8Declaration(doc)
	container := doc.Root().FindElement(pathPlans)
	rows := container.SelectElements("JPMR00010")
	for _, row := range rows {
		container.RemoveChild(row)
	}
	out := make([]PendingPlan, 0, len(rows))
	for _, row := range rows {
		container.AddChild(row)
		doc.Indent(2)
		xml, _ := doc.WriteToString()
		container.RemoveChild(row)
		out = append(out, PendingPlan{
			PlanFields: PlanFields{
				Division:     value(row, "PLANDIVISION"),
				SubmitPlanNo: value(row, "SBMIT_PLAN_NO"),
				FacilityCode: value(row, "FACILITY_CD"),
				FacilityName: value(row, "FACILITY_NM"),
			},
			XML: xml,
		})
	}
	return out
}

// setUTF8Declaration makes the document declare what it will be written as.
func setUTF8Declaration(doc *etree.Document) {
	const decl = `version="1.0" encoding="UTF-8"`
	for _, t := range doc.Child {
		if pi, ok := t.(*etree.ProcInst); ok && strings.EqualFold(pi.Target, "xml") {
			pi.Inst = decl
			return
		}
	}
	doc.InsertChildAt(0, etree.NewProcInst("xml", decl))
}
