package occto_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/upmock/upmock/mocks/core"
	"github.com/upmock/upmock/mocks/occto"
)

func TestCredentialsOnEveryCall(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	paths := []string{pathRegister, pathPlans, pathPlan, pathFiles, pathReceipt}
	cases := []struct {
		name        string
		form        url.Values
		code, msg   string
		countsAgain bool
	}{
		{"no credentials", url.Values{}, "1003", "ユーザIDまたはパスワードが設定されていません", false},
		{"no password", url.Values{"userid": {userA1}}, "1003", "ユーザIDまたはパスワードが設定されていません", true},
		{"unknown user", url.Values{"userid": {"NOBODY"}, "password": {passA1}}, "1001", "ユーザIDが存在しません", false},
		{"wrong password", url.Values{"userid": {userA1}, "password": {passA2}}, "1002", "パスワードが正しくありません", true},
	}
	for _, c := range cases {
		for _, p := range paths {
			t.Run(c.name+" "+p[strings.LastIndex(p, "/")+1:], func(t *testing.T) {
				expectError(t, h.callRaw(p, c.form), c.code, c.msg)
			})
		}
	}
	// Credentials sent in the query string are not read: OCCTO takes the POST body.
	r := h.post(pathPlans+"?userid="+userA1+"&password="+passA1, "application/x-www-form-urlencoded", nil)
	expectError(t, r, "1003", "ユーザIDまたはパスワードが設定されていません")

	entries := h.sess.Journal.List(occto.Name, 0)
	if got := entries[0].Annotations["resultcode"]; got != "1003" {
		t.Fatalf("journal resultcode annotation %q", got)
	}
	// Two kinds of failure named the user, on five APIs each: ten calls of company A.
	var state occto.State
	raw, _ := h.sess.Instance(occto.Name).State()
	b, _ := json.Marshal(raw)
	_ = json.Unmarshal(b, &state)
	if len(state.Usage) != 1 || state.Usage[0].Company != "9A001" || state.Usage[0].Count != 10 {
		t.Fatalf("usage %+v, want company 9A001 with 10 calls", state.Usage)
	}
}

func TestDailyLimitOf1000CallsResetsAtMidnightJST(t *testing.T) {
	h := newHarness(t)
	h.sess.Clock.Set(time.Date(2026, 11, 25, 23, 0, 0, 0, jst))
	h.sess.Clock.Freeze()
	a2 := h.as(userA2, passA2)
	for i := 1; i <= 1000; i++ {
		// Both users of company A share the company's count; failures count too.
		var r response
		switch {
		case i%3 == 0:
			r = a2.call(pathFiles)
		case i%250 == 0:
			r = h.as(userA1, "wrong").call(pathPlans)
		default:
			r = h.call(pathPlans)
		}
		if r.code != "0000" && r.code != "1002" {
			t.Fatalf("call %d: resultcode %s: %s", i, r.code, r.body)
		}
	}
	expectError(t, h.call(pathPlans), "2001", "API 上限回数を超えています")
	expectError(t, a2.call(pathRegister, "file", string(example(t))), "2001", "API 上限回数を超えています")
	// Another company has its own count.
	h.as(userB1, passB1).call(pathPlans).file(t)

	h.sess.Clock.Advance(59*time.Minute + 59*time.Second) // 23:59:59 JST
	expectError(t, h.call(pathPlans), "2001", "API 上限回数を超えています")
	h.sess.Clock.Advance(time.Second) // 00:00:00 JST, 15:00 UTC
	h.call(pathPlans).file(t)
	entries := h.sess.Journal.List(occto.Name, 1)
	if got := entries[0].Annotations["auth"]; !strings.Contains(got, "call 1 today") {
		t.Fatalf("the first call after midnight JST is %q", got)
	}
}

func TestDailyLimitIsASetting(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.patchSettings(map[string]any{"dailyLimit": 2})
	h.call(pathPlans).file(t)
	h.call(pathFiles).file(t)
	expectError(t, h.call(pathPlans), "2001", "API 上限回数を超えています")
	if err := h.sess.Instance(occto.Name).PatchSettings([]byte(`{"dailyLimit":0}`)); err == nil {
		t.Fatal("dailyLimit 0 was accepted")
	}
	if err := h.sess.Instance(occto.Name).PatchSettings([]byte(`{"dailyLimt":5}`)); err == nil {
		t.Fatal("a misspelt setting was accepted")
	}
	h.sess.Reset(occto.Name)
	h.call(pathPlans).file(t) // reset restores the default limit and today's count
}

func TestClientCertificateIsRequiredOverTLS(t *testing.T) {
	t.Parallel()
	files, err := core.EnsureCerts(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	serverTLS, err := core.ServerTLSConfig(files)
	if err != nil {
		t.Fatal(err)
	}
	withCert, _ := core.ClientTLSConfig(files, true)
	withoutCert, _ := core.ClientTLSConfig(files, false)
	h := startHarness(t, serverTLS, &http.Client{Transport: &http.Transport{TLSClientConfig: withCert}})
	if !strings.HasPrefix(h.srv.URL(), "https://") {
		t.Fatalf("URL %s", h.srv.URL())
	}
	h.call(pathPlans).file(t)

	bare := *h
	bare.client = &http.Client{Transport: &http.Transport{TLSClientConfig: withoutCert}}
	r := bare.call(pathPlans)
	if r.status != http.StatusForbidden || r.code != "" || !strings.Contains(string(r.body), "client certificate required") {
		t.Fatalf("without a certificate: %d resultcode %q %s", r.status, r.code, r.body)
	}
	// The refused call never reached OCCTO: it is not counted.
	entries := h.sess.Journal.List(occto.Name, 0)
	if last := entries[len(entries)-1]; last.Status != http.StatusForbidden || last.Annotations["auth"] != "" {
		t.Fatalf("journal: %+v", last)
	}
}

func TestJournalRedactsThePassword(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.call(pathPlans)
	h.registerMultipart(example(t), "m.xml")
	entries := h.sess.Journal.List(occto.Name, 0)
	form, _ := url.ParseQuery(entries[0].Body)
	if form.Get("password") != "REDACTED" || form.Get("userid") != userA1 {
		t.Fatalf("form body in the journal: %s", entries[0].Body)
	}
	if strings.Contains(entries[1].Body, passA1) || !strings.Contains(entries[1].Body, "REDACTED") ||
		!strings.Contains(entries[1].Body, "<SBD-MSG>") {
		t.Fatalf("multipart body in the journal: %s", entries[1].Body)
	}
}

func TestParameterErrors(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	cases := []struct {
		path   string
		params []string
		name   string
	}{
		{pathRegister, nil, "file"},
		{pathRegister, []string{"file", "<x/>", "filename", strings.Repeat("f", 101)}, "filename"},
		{pathPlan, []string{"occtoreceptionno", "0000000001"}, "plandivision"},
		{pathPlan, []string{"plandivision", "04", "occtoreceptionno", "0000000001"}, "plandivision"},
		{pathPlan, []string{"plandivision", "01", "occtoreceptionno", "1"}, "occtoreceptionno"},
		{pathPlans, []string{"plandivision", "1"}, "plandivision"},
		{pathReceipt, nil, "filereceptionno"},
	}
	for _, c := range cases {
		expectError(t, h.call(c.path, c.params...), "3001", "パラメータが不正です（"+c.name+"）")
	}
	expectError(t, h.call(pathPlan, "plandivision", "01", "occtoreceptionno", "0000000042"), "3002", "該当するデータが存在しません")
	expectError(t, h.call(pathReceipt, "filereceptionno", "0000000042"), "3002", "該当するデータが存在しません")
	// A plan is found only under its own division.
	h.register(example(t), "p.xml")
	expectError(t, h.call(pathPlan, "plandivision", "01", "occtoreceptionno", "0000000001"), "3002", "該当するデータが存在しません")
}

func TestOutsideTheAPIAndInjectedFaults(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	res, err := http.Get(h.srv.URL() + occto.BasePath + pathPlans)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusMethodNotAllowed || res.Header.Get("Allow") != http.MethodPost {
		t.Fatalf("GET: %d Allow %q", res.StatusCode, res.Header.Get("Allow"))
	}
	if r := h.call("/service/RP12/OCCTO/api/listDownload/getBA13B999FileList"); r.status != http.StatusNotFound || r.code != "" {
		t.Fatalf("unknown API: %d %q", r.status, r.code)
	}

	if _, err := h.sess.AddFault(core.Fault{API: occto.Name, Operation: "BA13B103", Status: http.StatusInternalServerError}); err != nil {
		t.Fatal(err)
	}
	r := h.call(pathPlans)
	if r.status != http.StatusInternalServerError || text(t, r.body, "SBD-MSG/RESULT/RESULT_CD") != "9001" {
		t.Fatalf("fault 500: %d %s", r.status, r.body)
	}
	h.sess.SetMaintenance(occto.Name, true)
	r = h.call(pathPlans)
	if r.status != http.StatusServiceUnavailable || text(t, r.body, "SBD-MSG/RESULT/RESULT_MSG") != "システムメンテナンス中です" {
		t.Fatalf("maintenance: %d %s", r.status, r.body)
	}
}

func TestStateRoundTripsAndBadStateIsRefused(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.register(example(t), "p.xml")
	inst := h.sess.Instance(occto.Name)
	st, _ := inst.State()
	raw, _ := json.Marshal(st)
	h.sess.Reset(occto.Name)
	if err := inst.SetState(raw); err != nil {
		t.Fatal(err)
	}
	h.call(pathPlan, "plandivision", "02", "occtoreceptionno", "0000000001").file(t)
	for _, bad := range []string{
		`{"occto":{"code":"OCCTO","bpidAgencyCode":"OCCTO"},"companies":[{"code":"9A001","users":[{"userid":"u","password":""}]}]}`,
		`{"occto":{"code":"OCCTO","bpidAgencyCode":"OCCTO"},"companies":[{"code":"bad","users":[]}]}`,
		`{"occto":{"code":"OCCTO","bpidAgencyCode":"OCCTO"},"plans":[{"company":"9Z999","plandivision":"01","occtoreceptionno":"0000000001"}]}`,
		`{"occto":{},"companies":[]}`,
		`{"unknown":1}`,
	} {
		if err := inst.SetState([]byte(bad)); err == nil {
			t.Errorf("state accepted: %s", bad)
		}
	}
}

func TestCredentialsListEveryUser(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	raw, _ := json.Marshal(h.sess.Instance(occto.Name).Credentials())
	for _, want := range []string{userA1, passA1, userA2, userB1, `"companyCode":"9B002"`, `"code":"OCCTO"`} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("credentials lack %s: %s", want, raw)
		}
	}
}
