package occto_test

import (
	"strings"
	"testing"

	"golang.org/x/text/encoding/japanese"
)

const (
	rowPath    = "SBD-MSG/JPMGRP/JPTRM/JPM00010/JPMR00010[1]"
	periodPath = rowPath + "/JPM00011/JPMR00011[1]"
)

// Every kind of broken message ends as 提出エラー, and BA13B007 names the element.
func TestBrokenMessagesEndAs提出エラーNamingTheElement(t *testing.T) {
	h := newHarness(t)
	base := string(example(t))
	cases := []struct {
		name     string
		message  string
		code     string
		item     string
		contains string // in ERR_MSG or ERR_VAL
	}{
		{"malformed XML", base[:len(base)/2], "E001", "", "XML syntax error on line"},
		{"not XML at all", "userid=x", "E001", "", "XML"},
		{"missing element", strings.Replace(base, "<FACILITY_CD>TL0001</FACILITY_CD>", "", 1),
			"E101", rowPath + "/FACILITY_CD", "必須項目が設定されていません（設備コード）"},
		{"empty required element", strings.Replace(base, "<FACILITY_NM>上町幹線１号線</FACILITY_NM>", "<FACILITY_NM></FACILITY_NM>", 1),
			"E101", rowPath + "/FACILITY_NM", "設備名称"},
		{"missing header", strings.Replace(base, "<JPC19>20260125103000</JPC19>", "", 1),
			"E101", "SBD-MSG/JPMGRP/JPMGH/JPC19", "作成日付時刻"},
		{"bad date", strings.Replace(base, "<JP06116>20260125</JP06116>", "<JP06116>20260230</JP06116>", 1),
			"E203", "SBD-MSG/JPMGRP/JPTRM/JP06116", "日付の形式が正しくありません（作成日）"},
		{"date with dashes", strings.Replace(base, "<JP06116>20260125</JP06116>", "<JP06116>2026-01-25</JP06116>", 1),
			"E203", "SBD-MSG/JPMGRP/JPTRM/JP06116", "2026-01-25"},
		{"bad time", strings.Replace(base, "202603020900", "202603022500", 1),
			"E204", periodPath + "/STOP_START_DAYTIME", "日時の形式が正しくありません（作業停止開始日時）"},
		{"bad code", strings.Replace(base, "<STOP_REASON_CD>01</STOP_REASON_CD>", "<STOP_REASON_CD>05</STOP_REASON_CD>", 1),
			"E205", rowPath + "/STOP_REASON_CD", "コード値が正しくありません（停止理由コード）"},
		{"wrong BPID version", strings.Replace(base, "<JPC12>3A</JPC12>", "<JPC12>3C</JPC12>", 1),
			"E205", "SBD-MSG/JPMGRP/JPMGH/JPC12", "BPID版"},
		{"wrong information code", strings.Replace(base, "<JP00002>0001</JP00002>", "<JP00002>0002</JP00002>", 1),
			"E205", "SBD-MSG/JPMGRP/JPTRM/JP00002", "情報区分コード"},
		{"bad plan division", strings.Replace(base, "<PLANDIVISION>02</PLANDIVISION>", "<PLANDIVISION>2</PLANDIVISION>", 1),
			"E205", rowPath + "/PLANDIVISION", "計画区分"},
		{"too long", strings.Replace(base, "上町幹線１号線", strings.Repeat("線", 51), 1),
			"E201", rowPath + "/FACILITY_NM", "桁数が正しくありません"},
		{"bad characters", strings.Replace(base, "TL0001", "tl-0001", 1),
			"E202", rowPath + "/FACILITY_CD", "形式が正しくありません（設備コード）"},
		{"undefined element", strings.Replace(base, "<STOP_REASON_CD>", "<REMARKS>x</REMARKS><STOP_REASON_CD>", 1),
			"E102", rowPath + "/REMARKS", "定義されていない項目です"},
		{"attribute", strings.Replace(base, "<JPTRM>", `<JPTRM version="2">`, 1),
			"E102", "SBD-MSG/JPMGRP/JPTRM/@version", "定義されていない項目です"},
		{"elements out of order", strings.Replace(strings.Replace(base, "<FACILITY_NM>上町幹線１号線</FACILITY_NM>", "", 1),
			"<JPM00011>", "<FACILITY_NM>上町幹線１号線</FACILITY_NM><JPM00011>", 1),
			"E104", rowPath + "/FACILITY_NM", "項目の順序が正しくありません（設備名称）"},
		{"sender is another company", strings.NewReplacer("<JPC06>9A001", "<JPC06>9B002", "<JP06110>9A001", "<JP06110>9B002").Replace(base),
			"E301", "SBD-MSG/JPMGRP/JPTRM/JP06110", "送信者コードが利用者の事業者コードと一致しません"},
		{"header and common part disagree", strings.Replace(base, "<JPC06>9A001", "<JPC06>9B002", 1),
			"E306", "SBD-MSG/JPMGRP/JPMGH/JPC06", "一致しません"},
		{"wrong receiver", strings.Replace(base, "<JP06112>OCCTO", "<JP06112>99999", 1),
			"E302", "SBD-MSG/JPMGRP/JPTRM/JP06112", "受信者コードが正しくありません"},
		{"wrong BPID agency", strings.Replace(base, "<JPC10>OCCTO", "<JPC10>CII", 1),
			"E303", "SBD-MSG/JPMGRP/JPMGH/JPC10", "BPID機関コード"},
		{"period ends before it starts", strings.Replace(base, "202603021700", "202603020800", 1),
			"E304", periodPath + "/STOP_END_DAYTIME", "作業停止終了日時が作業停止開始日時以前です"},
		{"two roots", base + "<SBD-MSG/>", "E001", "", ""},
		{"namespaced element", strings.Replace(base, "<STOP_REASON>", `<x:NOTE xmlns:x="urn:x">n</x:NOTE><STOP_REASON>`, 1),
			"E102", rowPath + "/x:NOTE", "定義されていない項目です"},
		{"wrong root", strings.Replace(strings.Replace(base, "<SBD-MSG>", "<MSG>", 1), "</SBD-MSG>", "</MSG>", 1),
			"E102", "MSG", ""},
		{"text in a group", strings.Replace(base, "<JPM00011>", "<JPM00011>text", 1),
			"E105", rowPath + "/JPM00011", "グループ項目に値は設定できません"},
		{"too many periods", strings.Replace(base, "<JPM00011>", "<JPM00011>"+strings.Repeat(
			"<JPMR00011><STOP_START_DAYTIME>202603010900</STOP_START_DAYTIME><STOP_END_DAYTIME>202603011000</STOP_END_DAYTIME></JPMR00011>", 9), 1),
			"E103", rowPath + "/JPM00011/JPMR00011[11]", "10"},
		{"unsupported encoding", strings.Replace(base, `encoding="UTF-8"`, `encoding="EUC-JP"`, 1),
			"E002", "", "EUC-JP"},
		{"Shift_JIS declared, UTF-8 sent", strings.Replace(base, `encoding="UTF-8"`, `encoding="Shift_JIS"`, 1),
			"E002", "", "Shift_JIS"},
		{"UTF-8 declared, Shift_JIS sent", sjis(t, base), "E002", "", "UTF-8"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			no := h.register([]byte(c.message), c.name+".xml")
			if got := h.status(no); got != "09" {
				t.Fatalf("status %s, want 09 提出エラー", got)
			}
			name, receipt := h.call(pathReceipt, "filereceptionno", no).file(t)
			if !strings.HasPrefix(name, "BA13_B007_") || !strings.HasSuffix(name, "_"+no+".xml") {
				t.Fatalf("receipt entry %q", name)
			}
			doc := parse(t, receipt)
			if got := doc.FindElement("//PLAN_RECPT_STAT_NM").Text(); got != "提出エラー" {
				t.Fatalf("PLAN_RECPT_STAT_NM %q", got)
			}
			for _, e := range doc.FindElements("//ERR_INFO") {
				msg := e.FindElement("ERR_MSG").Text() + " " + e.FindElement("ERR_VAL").Text()
				if e.FindElement("ERR_CD").Text() == c.code && e.FindElement("ERR_ITEM").Text() == c.item && strings.Contains(msg, c.contains) {
					return
				}
			}
			t.Fatalf("no %s at %q mentioning %q in:\n%s", c.code, c.item, c.contains, receipt)
		})
	}
	// No broken file made a plan.
	_, list := h.call(pathPlans).file(t)
	if strings.Contains(string(list), "PLAN_INFO") {
		t.Fatalf("a rejected file's plan was listed:\n%s", list)
	}
}

func sjis(t *testing.T, s string) string {
	t.Helper()
	b, err := japanese.ShiftJIS.NewEncoder().String(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDuplicatePlanNumbersInOneFileAreRejected(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	base := string(example(t))
	start := strings.Index(base, "<JPMR00010>")
	end := strings.Index(base, "</JPMR00010>") + len("</JPMR00010>")
	doubled := base[:end] + base[start:end] + base[end:]
	no := h.register([]byte(doubled), "dup.xml")
	_, receipt := h.call(pathReceipt, "filereceptionno", no).file(t)
	if !strings.Contains(string(receipt), "<ERR_ITEM>SBD-MSG/JPMGRP/JPTRM/JPM00010/JPMR00010[2]/SBMIT_PLAN_NO</ERR_ITEM>") ||
		!strings.Contains(string(receipt), "E305") {
		t.Fatalf("no E305 for the second row:\n%s", receipt)
	}
}

func TestFindingsAreBoundedByMaxFindings(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.patchSettings(map[string]any{"maxFindings": 2})
	broken := strings.NewReplacer("<JPC12>3A", "<JPC12>9Z", "<JPC14>0001", "<JPC14>9", "<JP00002>0001", "<JP00002>9").Replace(string(example(t)))
	no := h.register([]byte(broken), "many.xml")
	_, receipt := h.call(pathReceipt, "filereceptionno", no).file(t)
	if got := text(t, receipt, "SBD-MSG/RECPT_MSG/ERR_CNT"); got != "2" {
		t.Fatalf("ERR_CNT %s, want 2", got)
	}
}
