package occto_test

import (
	"bufio"
	"bytes"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/japanese"

	"github.com/upmock/upmock/mocks/occto"
)

func TestRegisterListFetchGivesBackThePlanSent(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	msg := example(t)
	no := h.register(msg, "plan.xml")
	if no != "0000000001" {
		t.Fatalf("FILERECEPTIONNO %q", no)
	}
	if got := h.status(no); got != "02" {
		t.Fatalf("status %s, want 02 受付完了", got)
	}

	name, list := h.call(pathPlans).file(t)
	if name != "BA13_B103.xml" {
		t.Fatalf("list entry %q", name)
	}
	divisions := all(t, list, "SBD-MSG/PLAN_INFO", "PLANDIVISION")
	numbers := all(t, list, "SBD-MSG/PLAN_INFO", "OCCTORECEPTIONNO")
	if len(numbers) != 1 || divisions[0] != "02" || numbers[0] != "0000000001" {
		t.Fatalf("list keys %v %v:\n%s", divisions, numbers, list)
	}
	if got := text(t, list, "SBD-MSG/PLAN_INFO/FACILITY_NM"); got != "上町幹線１号線" {
		t.Fatalf("FACILITY_NM %q", got)
	}

	name, plan := h.call(pathPlan, "plandivision", divisions[0], "occtoreceptionno", numbers[0]).file(t)
	today := h.sess.Clock.Now().In(jst).Format("20060102")
	if name != "BA13_B102_"+today+"_02_0000000001_1.xml" {
		t.Fatalf("plan entry %q", name)
	}
	if !bytes.Equal(plan, msg) {
		t.Fatalf("the fetched plan differs from the message sent:\n%s", plan)
	}
	h.registerMultipart(msg, "multipart.xml").file(t)
	h.call(pathReceipt, "filereceptionno", no).file(t)
	for _, e := range h.sess.Journal.List(occto.Name, 0) {
		if len(e.SpecViolations) > 0 {
			t.Errorf("%s %s: a well-formed request broke the document: %v", e.Operation, e.Path, e.SpecViolations)
		}
	}
	// A malformed one is noted.
	h.call(pathPlan, "plandivision", "9", "occtoreceptionno", "1")
	last := h.sess.Journal.List(occto.Name, 1)[0]
	if len(last.SpecViolations) == 0 {
		t.Error("a bad plandivision left no spec violation in the journal")
	}
}

func TestResultcodeHeaderIsLowerCaseOnTheWire(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	conn, err := net.Dial("tcp", strings.TrimPrefix(h.srv.URL(), "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := url.Values{"userid": {userA1}, "password": {passA1}}.Encode()
	req := "POST " + occto.BasePath + pathPlans + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n" +
		"Content-Length: " + strconv.Itoa(len(body)) + "\r\nConnection: close\r\n\r\n" + body
	if _, err := conn.Write([]byte(req)); err != nil {
		t.Fatal(err)
	}
	var head strings.Builder
	r := bufio.NewReader(conn)
	for {
		line, err := r.ReadString('\n')
		head.WriteString(line)
		if err != nil || line == "\r\n" {
			break
		}
	}
	if !strings.Contains(head.String(), "\r\nresultcode: 0000\r\n") {
		t.Fatalf("the answer's head lacks `resultcode: 0000`:\n%s", head.String())
	}
}

func TestShiftJISMessageIsAcceptedAndServedAsUTF8(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	utf := edit(t, example(t), `encoding="UTF-8"`, `encoding="Shift_JIS"`)
	sjis, err := japanese.ShiftJIS.NewEncoder().Bytes(utf)
	if err != nil {
		t.Fatal(err)
	}
	no := h.register(sjis, "sjis.xml")
	if got := h.status(no); got != "02" {
		_, receipt := h.call(pathReceipt, "filereceptionno", no).file(t)
		t.Fatalf("status %s, want 02:\n%s", got, receipt)
	}
	_, plan := h.call(pathPlan, "plandivision", "02", "occtoreceptionno", "0000000001").file(t)
	if !bytes.Equal(plan, example(t)) {
		t.Fatalf("the plan is not served as the UTF-8 message:\n%s", plan)
	}
}

func TestMultipartUploadKeepsTheFileName(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	_, content := h.registerMultipart(example(t), "outage-2026-03.xml").file(t)
	if got := text(t, content, "SBD-MSG/SBMIT_RSLT/FILE_NM"); got != "outage-2026-03.xml" {
		t.Fatalf("FILE_NM %q", got)
	}
	_, list := h.call(pathFiles).file(t)
	if got := all(t, list, "SBD-MSG/FILE_INFO", "FILE_NM"); len(got) != 1 || got[0] != "outage-2026-03.xml" {
		t.Fatalf("files %v", got)
	}
}

func TestAFileWithSeveralPlansGivesEachItsOwnKeys(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	msg := example(t)
	start := bytes.Index(msg, []byte("<JPMR00010>"))
	end := bytes.Index(msg, []byte("</JPMR00010>")) + len("</JPMR00010>")
	row := string(msg[start:end])
	second := strings.NewReplacer("<PLANDIVISION>02", "<PLANDIVISION>01", "P2026-0001", "P2026-0002", "TL0001", "TL0002").Replace(row)
	msg = append(append(append([]byte{}, msg[:end]...), []byte("\n        "+second)...), msg[end:]...)
	h.register(msg, "two.xml")

	_, list := h.call(pathPlans).file(t)
	if got := all(t, list, "SBD-MSG/PLAN_INFO", "OCCTORECEPTIONNO"); len(got) != 2 || got[0] == got[1] {
		t.Fatalf("reception numbers %v", got)
	}
	_, plan := h.call(pathPlan, "plandivision", "01", "occtoreceptionno", "0000000002").file(t)
	doc := parse(t, plan)
	if rows := doc.FindElements("//JPMR00010"); len(rows) != 1 || rows[0].FindElement("SBMIT_PLAN_NO").Text() != "P2026-0002" {
		t.Fatalf("the second plan's file holds other rows:\n%s", plan)
	}
	if got := doc.FindElement("//JP06111").Text(); got != "アップモック電力株式会社" {
		t.Fatalf("the header is lost: %q", got)
	}
	_, only01 := h.call(pathPlans, "plandivision", "01").file(t)
	if got := all(t, only01, "SBD-MSG/PLAN_INFO", "PLANDIVISION"); len(got) != 1 || got[0] != "01" {
		t.Fatalf("plandivision filter: %v", got)
	}
}

func TestResubmittingAPlanUpdatesItUnderTheSameKeys(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.register(example(t), "v1.xml")
	h.sess.Clock.Advance(time.Hour)
	h.register(edit(t, example(t), "上町幹線１号線", "上町幹線２号線"), "v2.xml")

	_, list := h.call(pathPlans).file(t)
	if got := all(t, list, "SBD-MSG/PLAN_INFO", "OCCTORECEPTIONNO"); len(got) != 1 || got[0] != "0000000001" {
		t.Fatalf("reception numbers after the update %v", got)
	}
	if got := text(t, list, "SBD-MSG/PLAN_INFO/VERSION_NO"); got != "2" {
		t.Fatalf("VERSION_NO %q", got)
	}
	name, plan := h.call(pathPlan, "plandivision", "02", "occtoreceptionno", "0000000001").file(t)
	if !strings.HasSuffix(name, "_2.xml") || !bytes.Contains(plan, []byte("上町幹線２号線")) {
		t.Fatalf("%s holds the old plan:\n%s", name, plan)
	}
}

func TestCompaniesSeeOnlyTheirOwnFilesAndPlans(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	no := h.register(example(t), "a.xml")
	// A second user of the same company sees everything.
	_, list := h.as(userA2, passA2).call(pathPlans).file(t)
	if len(all(t, list, "SBD-MSG/PLAN_INFO", "OCCTORECEPTIONNO")) != 1 {
		t.Fatalf("another user of the company does not see the plan:\n%s", list)
	}
	b := h.as(userB1, passB1)
	_, list = b.call(pathPlans).file(t)
	_, files := b.call(pathFiles).file(t)
	if bytes.Contains(list, []byte("PLAN_INFO")) || bytes.Contains(files, []byte("FILE_INFO")) {
		t.Fatalf("another company sees company A's data:\n%s\n%s", list, files)
	}
	expectError(t, b.call(pathPlan, "plandivision", "02", "occtoreceptionno", "0000000001"), "3002", "該当するデータが存在しません")
	expectError(t, b.call(pathReceipt, "filereceptionno", no), "3002", "該当するデータが存在しません")
}

func TestProcessingDelayKeepsAFile処理中UntilTheClockPassesIt(t *testing.T) {
	h := newHarness(t)
	h.patchSettings(map[string]any{"processingDelay": "30s"})
	no := h.register(example(t), "slow.xml")
	if got := h.status(no); got != "01" {
		t.Fatalf("status %s, want 01 処理中", got)
	}
	expectError(t, h.call(pathReceipt, "filereceptionno", no), "3003", "受付処理中のため取得できません")
	_, list := h.call(pathPlans).file(t)
	if bytes.Contains(list, []byte("PLAN_INFO")) {
		t.Fatalf("a plan is listed before its file was processed:\n%s", list)
	}
	h.sess.Clock.Advance(30 * time.Second)
	if got := h.status(no); got != "02" {
		t.Fatalf("status %s after the delay, want 02", got)
	}
	_, receipt := h.call(pathReceipt, "filereceptionno", no).file(t)
	if text(t, receipt, "SBD-MSG/RECPT_MSG/ERR_CNT") != "0" {
		t.Fatalf("an accepted file's receipt message holds errors:\n%s", receipt)
	}
}

func TestListsFilterByFromInJST(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.sess.Clock.Set(time.Date(2026, 3, 1, 23, 30, 0, 0, jst))
	h.register(example(t), "day1.xml")
	h.sess.Clock.Advance(time.Hour) // 2026-03-02 00:30 JST
	h.register(edit(t, example(t), "P2026-0001", "P2026-0009"), "day2.xml")
	_, files := h.call(pathFiles, "from", "20260302").file(t)
	if got := all(t, files, "SBD-MSG/FILE_INFO", "FILE_NM"); len(got) != 1 || got[0] != "day2.xml" {
		t.Fatalf("from=20260302 lists %v", got)
	}
	_, plans := h.call(pathPlans, "from", "20260301").file(t)
	if got := all(t, plans, "SBD-MSG/PLAN_INFO", "SBMIT_PLAN_NO"); len(got) != 2 {
		t.Fatalf("from=20260301 lists %v", got)
	}
	expectError(t, h.call(pathFiles, "from", "2026-03-02"), "3001", "パラメータが不正です（from）")
}

func TestAnswersFollowTheMockClock(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.sess.Clock.Set(time.Date(2026, 11, 25, 10, 0, 0, 0, jst))
	h.register(example(t), "a.xml")
	_, files := h.call(pathFiles).file(t)
	if got := text(t, files, "SBD-MSG/FILE_INFO/SBMIT_DAYTIME"); !strings.HasPrefix(got, "2026112510") {
		t.Fatalf("SBMIT_DAYTIME %q does not follow the mock clock", got)
	}
	if r := h.call(pathPlans); r.status != http.StatusOK {
		t.Fatal(r.status)
	}
}

func TestAUTF8ByteOrderMarkIsSkipped(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	no := h.register(append([]byte{0xEF, 0xBB, 0xBF}, example(t)...), "bom.xml")
	if got := h.status(no); got != "02" {
		t.Fatalf("status %s, want 02", got)
	}
}
