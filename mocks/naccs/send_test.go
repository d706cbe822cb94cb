package naccs_test

import (
	"strings"
	"testing"
)

func TestSendIsAsynchronous(t *testing.T) {
	h := newHarness(t)
	f := h.save("EDA", h.create("EDA", exportDeal, broker), eda)
	id := h.send("EDA", f)

	out := h.output("EDA", f, id)
	if out.Status != "sending" || out.ProcessingResult != nil || len(out.Outputs) != 0 || out.ReceivedAt != nil {
		t.Fatalf("before NACCS answered: %+v", out)
	}
	t.Run("the form cannot change or be sent again while it is being sent", func(t *testing.T) {
		expectStatus(t, h.call("PUT", "/API/v1/NACCS/EDA/Update", f), 409)
		res := h.call("POST", "/API/v1/NACCS/EDA/Send/"+f.id(), map[string]any{"organizationId": tokyoOrg, "businessTypeId": broker, "_etag": f["_etag"]})
		expectStatus(t, res, 409)
	})
	t.Run("the NACCS user has one send in flight", func(t *testing.T) {
		clerk := h.as(clerkClient) // another CyberPort user bound to the same NACCS user
		g := clerk.save("EDC", clerk.create("EDC", exportDeal, broker), kv("declarationNo", "40012345670"))
		res := clerk.call("POST", "/API/v1/NACCS/EDC/Send/"+g.id(), map[string]any{"organizationId": tokyoOrg, "businessTypeId": broker, "_etag": g["_etag"]})
		expectMessage(t, res, 409, "The NACCS user 1ABCD001 is already sending another report (送信処理中). Send again when that send has finished.")
		// Another NACCS user is not held up.
		osaka := h.as(osakaClient)
		o := osaka.save("ACL01", osaka.create("ACL01", osakaDeal, forwarder), businessCases[0].valid)
		osaka.send("ACL01", o)

		h.advance(processing)
		clerk.send("EDC", g) // free again once NACCS answered
	})
	out = h.output("EDA", f, id)
	if out.Status != "completed" || out.ProcessingResult.ResultCode != "00000-0000-0000" || out.ReceivedAt == nil {
		t.Fatalf("after NACCS answered: %+v", out)
	}
	if got := out.Outputs[0].Fields["declarationNo"]; got != "40012345693" {
		t.Fatalf("assigned declarationNo %q", got)
	}
	info := h.call("GET", "/API/v1/NACCS/EDA/Get/"+f.id(), nil).json(t)["naccsInformation"].(map[string]any)
	if info["status"] != "completed" || info["lastNaccsSendId"] != id || info["resultCode"] != "00000-0000-0000" {
		t.Fatalf("naccsInformation %v", info)
	}
}

func TestSendNeedsTheSavedVersion(t *testing.T) {
	h := newHarness(t)
	created := h.create("EDA", exportDeal, broker)
	saved := h.save("EDA", form(copyMap(created)), eda)
	res := h.call("POST", "/API/v1/NACCS/EDA/Send/"+created.id(), map[string]any{"organizationId": tokyoOrg, "businessTypeId": broker, "_etag": created["_etag"]})
	expectStatus(t, res, 412)
	// An empty form goes to NACCS if that is what was saved, and NACCS names every item.
	i := h.in("empty")
	empty := i.create("EDA", exportDeal, broker)
	sendID := i.send("EDA", empty)
	i.advance(processing)
	out := i.output("EDA", empty, sendID)
	if out.Status != "error" || len(out.ProcessingResult.Errors) != 18 || out.ProcessingResult.Errors[0].Code != "S0001" {
		t.Fatalf("empty form: %+v", out.ProcessingResult)
	}
	_ = saved
}

func TestBadFieldsGetNaccsStyleErrors(t *testing.T) {
	h := newHarness(t)
	out := h.submit("EDA", exportDeal, with(eda, "exporterCode", "輸出者", "hsCode", ""))
	if out.Status != "error" || len(out.Outputs) != 0 {
		t.Fatalf("%+v", out)
	}
	errs := out.ProcessingResult.Errors
	if len(errs) != 2 {
		t.Fatalf("errors %+v", errs)
	}
	want := []struct{ resultCode, field, item, content, action string }{
		{"S0002-EXC-0000", "exporterCode", "輸出者コード", "輸出者コードに使用可能でない文字が入力されている。", "NACCS使用可能文字を入力する。(EDI仕様書 「3.電文方式と構造」参照)"},
		{"S0001-CMD-0000", "hsCode", "統計品目番号", "統計品目番号が入力されていない。", "統計品目番号を入力する。"},
	}
	for i, w := range want {
		e := errs[i]
		if e.ResultCode != w.resultCode || e.Field != w.field || e.Item != w.item || e.Content != w.content || e.Action != w.action {
			t.Fatalf("error %d: %+v, want %+v", i, e, w)
		}
	}
	if out.ProcessingResult.ResultCode != "S0002-EXC-0000" {
		t.Fatalf("resultCode %q", out.ProcessingResult.ResultCode)
	}
}

func TestCallUpFillsTheAmendedForm(t *testing.T) {
	h := newHarness(t)
	out := h.submit("IDB", importDeal, kv("declarationNo", "10012345670"))
	if out.Status != "completed" || out.BusinessKind != "呼出" {
		t.Fatalf("%+v", out)
	}
	called := out.Outputs[0]
	if called.TargetBusinessCode == nil || *called.TargetBusinessCode != "IDA" || called.Fields["goodsDescription"] != "NOTEBOOK COMPUTERS" ||
		called.Fields["declarationNo"] != "10012345670" || called.Fields["blNo"] != "NYKS123456789" {
		t.Fatalf("call-up output %+v", called)
	}
	// The called-up content fills IDA, with the one change: a correction of the declaration.
	amended := with(called.Fields, "goodsDescription", "LAPTOP COMPUTERS")
	corr := h.submit("IDA", importDeal, amended)
	if corr.Status != "completed" || corr.Outputs[0].Fields["declarationNo"] != "10012345670" {
		t.Fatalf("correction %+v", corr)
	}
	inq := h.submit("IID", importDeal, kv("declarationNo", "10012345670"))
	if inq.Outputs[0].Fields["goodsDescription"] != "LAPTOP COMPUTERS" || inq.Outputs[0].Fields["invoiceAmount"] != "185000" {
		t.Fatalf("inquiry after the correction %+v", inq.Outputs[0])
	}
	// Only what was called up and changed is sent: a correction lacking the rest is refused.
	bad := h.in("partial").submit("IDA", importDeal, kv("declarationNo", "10012345670", "goodsDescription", "LAPTOPS"))
	if bad.Status != "error" || bad.ProcessingResult.Errors[0].Code != "S0001" {
		t.Fatalf("partial correction %+v", bad.ProcessingResult)
	}
}

func TestRegisterThenDeclare(t *testing.T) {
	h := newHarness(t)
	reg := h.submit("EDA", exportDeal, eda)
	no := reg.Outputs[0].Fields["declarationNo"]
	dec := h.submit("EDC", exportDeal, kv("declarationNo", no))
	if dec.Status != "completed" || dec.Outputs[0].Name != "輸出許可通知" || dec.Outputs[0].Fields["status"] != "permitted" {
		t.Fatalf("EDC %+v", dec)
	}
	again := h.submit("EDC", exportDeal, kv("declarationNo", no))
	if again.ProcessingResult.Errors[0].Code != "R0001" {
		t.Fatalf("declaring twice %+v", again.ProcessingResult)
	}
}

func TestInquiryVariant(t *testing.T) {
	h := newHarness(t)
	out := h.submit("ICGOW", importDeal, kv("blNo", "NYKS123456789"))
	if out.BusinessCode != "ICGOW" || out.ProcessingResult.OutputCode != "*SICGOW" || out.Outputs[0].Fields["vesselName"] != "NYK VEGA" {
		t.Fatalf("%+v", out)
	}
}

func copyMap(m map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		out[k] = v
	}
	return out
}

// TestOutputIsAddressedUnderTheFormsOwnBusiness: a form is a resource of its business code,
// for Output as for Get, Update, Delete and Send; another business's path answers 404 even
// though the form exists (NOTES.md).
func TestOutputIsAddressedUnderTheFormsOwnBusiness(t *testing.T) {
	h := newHarness(t)
	idb := h.save("IDB", h.create("IDB", importDeal, broker), kv("declarationNo", "10012345670"))
	sendID := h.send("IDB", idb)
	h.advance(processing)
	ida := h.create("IDA", importDeal, broker)
	for _, path := range []string{
		"/API/v1/NACCS/IDB/Output/" + ida.id() + "?naccsSendId=" + sendID, // another form under IDB
		"/API/v1/NACCS/IDA/Output/" + idb.id() + "?naccsSendId=" + sendID, // the IDB form under IDA
	} {
		res := h.call("GET", path, nil)
		expectStatus(t, res, 404)
		if !strings.Contains(string(res.body), "The report was not found.") {
			t.Fatalf("GET %s: %s", path, res.body)
		}
	}
	if out := h.output("IDB", idb, sendID); out.Status != "completed" || out.DealReportID != idb.id() {
		t.Fatalf("the form's own path: %+v", out)
	}
}
