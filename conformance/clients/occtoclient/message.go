package occtoclient

import (
	"time"

	"github.com/beevik/etree"
)

// Message is a 作業停止計画 message (BPID 版 3A, サブ機関コード S1, 情報区分コード 0001) for
// Register, written by XML.
type Message struct {
	SenderCode, SenderName     string // 送信者コード (the company's 事業者コード) and name
	ReceiverCode, ReceiverName string // OCCTO's 受信者コード and name
	BPIDAgencyCode             string // BPID 機関コード
	Test                       bool   // 運用モード 1 (テスト)
	Created                    time.Time
	Plans                      []Plan
}

// Plan is one plan row.
type Plan struct {
	Division     string // 01 年間計画, 02 月間計画, 03 週間計画
	SubmitPlanNo string // 事業者計画番号: the company's own number for the plan
	FacilityCode string
	FacilityName string
	ReasonCode   string // 停止理由コード
	Reason       string // 作業内容 (optional)
	Periods      []Period
}

// Period is one 作業停止期間 (JST, to the minute).
type Period struct{ Start, End time.Time }

// XML writes the message as UTF-8, indented.
func (m Message) XML() []byte {
	doc := etree.NewDocument()
	doc.CreateProcInst("xml", `version="1.0" encoding="UTF-8"`)
	grp := doc.CreateElement("SBD-MSG").CreateElement("JPMGRP")
	mode := "0"
	if m.Test {
		mode = "1"
	}
	h := grp.CreateElement("JPMGH")
	leaves(h, "JPC03", mode, "JPC06", m.SenderCode, "JPC09", m.ReceiverCode, "JPC10", m.BPIDAgencyCode,
		"JPC11", "S1", "JPC12", "3A", "JPC14", "0001", "JPC19", m.Created.In(jst).Format("20060102150405"))
	trm := grp.CreateElement("JPTRM")
	leaves(trm, "JP00002", "0001", "JP06170", "作業停止計画", "JP06110", m.SenderCode)
	optional(trm, "JP06111", m.SenderName)
	leaves(trm, "JP06112", m.ReceiverCode)
	optional(trm, "JP06113", m.ReceiverName)
	leaves(trm, "JP06116", m.Created.In(jst).Format("20060102"))
	rows := trm.CreateElement("JPM00010")
	for _, p := range m.Plans {
		row := rows.CreateElement("JPMR00010")
		leaves(row, "PLANDIVISION", p.Division, "SBMIT_PLAN_NO", p.SubmitPlanNo, "FACILITY_CD", p.FacilityCode,
			"FACILITY_NM", p.FacilityName, "STOP_REASON_CD", p.ReasonCode)
		optional(row, "STOP_REASON", p.Reason)
		periods := row.CreateElement("JPM00011")
		for _, pe := range p.Periods {
			leaves(periods.CreateElement("JPMR00011"),
				"STOP_START_DAYTIME", pe.Start.In(jst).Format("200601021504"),
				"STOP_END_DAYTIME", pe.End.In(jst).Format("200601021504"))
		}
	}
	doc.Indent(2)
	out, _ := doc.WriteToBytes()
	return out
}

// leaves adds tag/value pairs as child elements.
func leaves(e *etree.Element, pairs ...string) {
	for i := 0; i+1 < len(pairs); i += 2 {
		e.CreateElement(pairs[i]).SetText(pairs[i+1])
	}
}

func optional(e *etree.Element, tag, value string) {
	if value != "" {
		e.CreateElement(tag).SetText(value)
	}
}
