package occto

import (
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The XML files the mock answers with. Lists and results use descriptive tags under
// SBD-MSG, the way OCCTO's real list files do (FIT_INFO/{FIT_ID, STAT, STAT_NM, …}); the
// keys a client sends back are named after the parameters that take them (PLANDIVISION,
// OCCTORECEPTIONNO, FILERECEPTIONNO). Every file is UTF-8.

const xmlDeclaration = `<?xml version="1.0" encoding="UTF-8"?>` + "\n"

// Timestamp layouts of the files (JST).
const (
	layoutDayTime = "20060102150405"
	layoutDate    = "20060102"
)

// writeLeaf writes <tag>value</tag> on its own line, indented, with value escaped.
func writeLeaf(b *strings.Builder, indent int, tag, value string) {
	for range indent {
		b.WriteByte(' ')
	}
	b.WriteString("<" + tag + ">")
	_ = xml.EscapeText(escapeWriter{b}, []byte(value))
	b.WriteString("</" + tag + ">\n")
}

// escapeWriter adapts strings.Builder to the io.Writer xml.EscapeText wants.
type escapeWriter struct{ b *strings.Builder }

func (w escapeWriter) Write(p []byte) (int, error) { return w.b.Write(p) }

func jstStamp(t time.Time, layout string) string { return t.In(jst).Format(layout) }

// planListXML is BA13B103's file: one PLAN_INFO per plan.
func planListXML(plans []*Plan) []byte {
	var b strings.Builder
	b.Grow(64 + len(plans)*560)
	b.WriteString(xmlDeclaration + "<SBD-MSG>\n")
	for _, p := range plans {
		b.WriteString("  <PLAN_INFO>\n")
		writeLeaf(&b, 4, "PLANDIVISION", p.Division)
		writeLeaf(&b, 4, "PLANDIVISION_NM", divisionNames[p.Division])
		writeLeaf(&b, 4, "OCCTORECEPTIONNO", p.ReceptionNo)
		writeLeaf(&b, 4, "SBMIT_PLAN_NO", p.SubmitPlanNo)
		writeLeaf(&b, 4, "FACILITY_CD", p.FacilityCode)
		writeLeaf(&b, 4, "FACILITY_NM", p.FacilityName)
		writeLeaf(&b, 4, "VERSION_NO", strconv.Itoa(p.Version))
		writeLeaf(&b, 4, "FILERECEPTIONNO", p.FileReceptionNo)
		writeLeaf(&b, 4, "SBMIT_DAYTIME", jstStamp(p.RegisteredAt, layoutDayTime))
		writeLeaf(&b, 4, "LAST_UPD_DAYTIME", jstStamp(p.UpdatedAt, layoutDayTime))
		b.WriteString("  </PLAN_INFO>\n")
	}
	b.WriteString("</SBD-MSG>\n")
	return []byte(b.String())
}

// fileListXML is BA13B006's file: one FILE_INFO per submitted file with its status.
func fileListXML(files []*File) []byte {
	var b strings.Builder
	b.WriteString(xmlDeclaration + "<SBD-MSG>\n")
	for _, f := range files {
		b.WriteString("  <FILE_INFO>\n")
		writeFileHead(&b, f)
		writeLeaf(&b, 4, "PLAN_CNT", strconv.Itoa(planCount(f)))
		writeLeaf(&b, 4, "ERR_CNT", strconv.Itoa(errCount(f)))
		b.WriteString("  </FILE_INFO>\n")
	}
	b.WriteString("</SBD-MSG>\n")
	return []byte(b.String())
}

func writeFileHead(b *strings.Builder, f *File) {
	writeLeaf(b, 4, "FILERECEPTIONNO", f.ReceptionNo)
	writeLeaf(b, 4, "FILE_NM", f.Name)
	writeLeaf(b, 4, "USER_ID", f.UserID)
	writeLeaf(b, 4, "SBMIT_DAYTIME", jstStamp(f.SubmittedAt, layoutDayTime))
	writeLeaf(b, 4, "PLAN_RECPT_STAT", f.Status)
	writeLeaf(b, 4, "PLAN_RECPT_STAT_NM", statusNames[f.Status])
}

func planCount(f *File) int {
	if f.Status == statusAccepted {
		return len(f.PlanNos)
	}
	return len(f.Pending)
}

// errCount is what a file's list entry admits to: findings show once it is 提出エラー.
func errCount(f *File) int {
	if f.Status == statusError {
		return len(f.Errors)
	}
	return 0
}

// receiptXML is BA13B007's 受信確認メッセージ: the file's status and every finding, each
// naming the element (ERR_ITEM, a path with 1-based indices of repeated items).
func receiptXML(f *File) []byte {
	var b strings.Builder
	b.WriteString(xmlDeclaration + "<SBD-MSG>\n  <RECPT_MSG>\n")
	writeFileHead(&b, f)
	writeLeaf(&b, 4, "ERR_CNT", strconv.Itoa(len(f.Errors)))
	for i, e := range f.Errors {
		b.WriteString("    <ERR_INFO>\n")
		writeLeaf(&b, 6, "ERR_NO", strconv.Itoa(i+1))
		writeLeaf(&b, 6, "ERR_CD", e.Code)
		writeLeaf(&b, 6, "ERR_ITEM", e.Item)
		writeLeaf(&b, 6, "ERR_VAL", e.Value)
		writeLeaf(&b, 6, "ERR_MSG", e.Message)
		b.WriteString("    </ERR_INFO>\n")
	}
	b.WriteString("  </RECPT_MSG>\n</SBD-MSG>\n")
	return []byte(b.String())
}

// submitResultXML is BA13B101's answer: the receipt of the file, not its outcome.
func submitResultXML(f *File) []byte {
	var b strings.Builder
	b.WriteString(xmlDeclaration + "<SBD-MSG>\n  <SBMIT_RSLT>\n")
	writeLeaf(&b, 4, "FILERECEPTIONNO", f.ReceptionNo)
	writeLeaf(&b, 4, "FILE_NM", f.Name)
	writeLeaf(&b, 4, "SBMIT_DAYTIME", jstStamp(f.SubmittedAt, layoutDayTime))
	b.WriteString("  </SBMIT_RSLT>\n</SBD-MSG>\n")
	return []byte(b.String())
}

// Entry names, in the style of OCCTO's real ones (W6_0152.xml for a list,
// W6_0152_20190611_00_61293_3.xml for a file).
func entryPlanList() string { return "BA13_B103.xml" }
func entryFileList() string { return "BA13_B006.xml" }

func entryPlan(p *Plan) string {
	return fmt.Sprintf("BA13_B102_%s_%s_%s_%d.xml", jstStamp(p.UpdatedAt, layoutDate), p.Division, p.ReceptionNo, p.Version)
}

func entryReceipt(f *File) string {
	return fmt.Sprintf("BA13_B007_%s_%s.xml", jstStamp(f.SubmittedAt, layoutDate), f.ReceptionNo)
}

func entrySubmitResult(f *File) string {
	return fmt.Sprintf("BA13_B101_%s_%s.xml", jstStamp(f.SubmittedAt, layoutDate), f.ReceptionNo)
}
