package jaiaclient_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"strings"
	"testing"
	"time"

	"github.com/upmock/upmock/conformance/clients/jaiaclient"
	"github.com/upmock/upmock/mocks/core"
	"github.com/upmock/upmock/mocks/jaia"
)

// The manual's own sample login, seeded by fixtures/jaia/seed.json.
const (
	mail, password = "test@jaia.jp", "password"
	userID         = "1001000001"
)

type upstream struct {
	t    *testing.T
	srv  *core.Running
	sess *core.Session
}

// newUpstream runs the JAIA mock in-process with every answer checked against its document.
func newUpstream(t *testing.T) *upstream {
	t.Helper()
	srv, err := jaia.Start(jaia.Options{
		ValidateResponses: true,
		OnResponseViolation: func(api, op string, err error) {
			t.Errorf("%s %s answered outside its OpenAPI document: %v", api, op, err)
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	sess, err := srv.Session(core.DefaultSession)
	if err != nil {
		t.Fatal(err)
	}
	return &upstream{t: t, srv: srv, sess: sess}
}

func (u *upstream) client(tweak ...func(*jaiaclient.Config)) *jaiaclient.Client {
	u.t.Helper()
	cfg := jaiaclient.Config{BaseURL: u.srv.URL() + jaia.BasePath, UserMail: mail, Password: password,
		RateLimit: jaiaclient.RateLimit{Requests: 1000, Per: time.Second}}
	for _, f := range tweak {
		f(&cfg)
	}
	c, err := jaiaclient.New(cfg)
	if err != nil {
		u.t.Fatal(err)
	}
	return c
}

// calls lists the journal as "API_ID status", oldest first.
func (u *upstream) calls() []string {
	var out []string
	for _, e := range u.sess.Journal.List("jaia", 0) {
		out = append(out, fmt.Sprintf("%s %d", e.Operation, e.Status))
	}
	return out
}

// seedStores adds n stores of company 1001 through the state, as the conformance specs do.
func (u *upstream) seedStores(n int) {
	u.t.Helper()
	inst := u.sess.Instance("jaia")
	st, err := inst.State()
	if err != nil {
		u.t.Fatal(err)
	}
	raw, _ := json.Marshal(st)
	var doc map[string]any
	_ = json.Unmarshal(raw, &doc)
	masters := doc["masters"].(map[string]any)
	var rows []any
	for i := 0; i < n; i++ {
		rows = append(rows, map[string]string{"jaia_code": fmt.Sprintf("1001SEED%010d", i), "jaia_company_code": "1001",
			"info_open_start_date": "20240101", "publish_setting": "01", "store_name": "店舗"})
	}
	masters["store"] = rows
	raw, _ = json.Marshal(doc)
	if err := inst.SetState(raw); err != nil {
		u.t.Fatal(err)
	}
}

func store(code string) jaiaclient.Record {
	return jaiaclient.Record{"jaiaCode": code, "jaiaCompanyCode": "1001", "infoOpenStartDate": "20240101",
		"storeName": "テスト店舗", "storeZipCode": "102-0074", "publishSetting": "01"}
}

func stores(prefix string, n int) []jaiaclient.Record {
	out := make([]jaiaclient.Record, n)
	for i := range out {
		out[i] = store(fmt.Sprintf("1001%s%011d", prefix, i))
	}
	return out
}

var byCompany = []jaiaclient.Condition{{ColumnName: "jaia_company_code", Value: "1001"}}

func equal(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("%s:\n got  %q\n want %q", what, got, want)
	}
}

func TestOneLoginForEveryCallAndLogoutAtTheEnd(t *testing.T) {
	u := newUpstream(t)
	c := u.client()
	ctx := context.Background()
	if _, err := c.CreateRecords(ctx, jaiaclient.Store, stores("ONE", 1)); err != nil {
		t.Fatal(err)
	}
	counts, err := c.CreateRecords(ctx, jaiaclient.Store, stores("TWO", 3))
	if err != nil || counts.Total != 3 || counts.Success != 3 {
		t.Fatalf("import: %+v %v", counts, err)
	}
	upd := store("1001ONE00000000000")
	upd["storeName"] = "改装店舗"
	if err := c.UpdateRecord(ctx, jaiaclient.Store, upd); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteRecord(ctx, jaiaclient.Store, "1001TWO00000000000"); err != nil {
		t.Fatal(err)
	}
	res, err := c.Search(ctx, jaiaclient.Store, jaiaclient.Query{Conditions: byCompany, Columns: []string{"jaia_code", "store_name"},
		Sort: []jaiaclient.Sort{{ColumnName: "jaia_code", SortType: "desc"}}})
	if err != nil || res.Total != 3 || res.Rows[2]["store_name"] != "改装店舗" {
		t.Fatalf("search: %+v %v", res, err)
	}
	csv, err := c.ExportDeleted(ctx, jaiaclient.Store, byCompany, jaiaclient.OpenAll)
	if err != nil || !strings.Contains(string(csv), `"1001","1001TWO00000000000"`) {
		t.Fatalf("export: %s %v", csv, err)
	}
	codes, err := c.Codes(ctx, jaiaclient.CodeQuery{CodeID: "PUBLISH_SETTING", CodeKey: "01"})
	if err != nil || len(codes) != 1 || *codes[0].CodeValue1 != "制限しない" {
		t.Fatalf("codes: %+v %v", codes, err)
	}
	if err := c.Logout(ctx); err != nil {
		t.Fatal(err)
	}
	equal(t, "journal", u.calls(), []string{"AUTH_LOGIN 200", "STORE_CREATE 200", "STORE_IMPORT_CREATE 200", "STORE_UPDATE 200",
		"STORE_DELETE 200", "STORE_SELECT 200", "STORE_EXPORT_DELETED 200", "CODES_SELECT 200", "AUTH_LOGOUT 200"})

	// Every call carried the common items of §1-4.
	for _, e := range u.sess.Journal.List("jaia", 0) {
		body := e.Body
		if _, params, _ := mime.ParseMediaType(e.Headers["Content-Type"][0]); params["boundary"] != "" {
			part, err := multipart.NewReader(strings.NewReader(body), params["boundary"]).NextPart()
			if err != nil || part.FormName() != "body" {
				t.Fatalf("%s: the first part is not body: %v", e.Operation, err)
			}
			raw, _ := io.ReadAll(part)
			body = string(raw)
		}
		var common map[string]any
		if err := json.Unmarshal([]byte(body), &common); err != nil {
			t.Fatalf("%s body %q: %v", e.Operation, body, err)
		}
		if e.Operation == "AUTH_LOGIN" {
			continue
		}
		if common["userId"] != userID || common["appId"] != "EXTERNAL" || (e.Operation != "AUTH_LOGOUT" && common["apiId"] != e.Operation) {
			t.Errorf("%s sent %v", e.Operation, common)
		}
		if len(e.Headers["Authorization"]) != 1 {
			t.Errorf("%s without Authorization", e.Operation)
		}
	}
	// A logged-out client logs in again when used.
	if _, err := c.Codes(ctx, jaiaclient.CodeQuery{CodeID: "PUBLISH_SETTING"}); err != nil {
		t.Fatal(err)
	}
	if got := u.calls(); got[len(got)-2] != "AUTH_LOGIN 200" {
		t.Fatalf("after logout: %v", got)
	}
}

func TestLogsInAgainAfterTheIdleExpiry(t *testing.T) {
	u := newUpstream(t)
	c := u.client()
	ctx := context.Background()
	q := jaiaclient.Query{Conditions: byCompany, Columns: []string{"jaia_code"}}
	if _, err := c.Search(ctx, jaiaclient.Store, q); err != nil {
		t.Fatal(err)
	}
	u.sess.Clock.Advance(jaiaclient.IdleExpiry - time.Minute) // each call slides the window
	if _, err := c.Search(ctx, jaiaclient.Store, q); err != nil {
		t.Fatal(err)
	}
	u.sess.Clock.Advance(jaiaclient.IdleExpiry)
	if _, err := c.Search(ctx, jaiaclient.Store, q); err != nil {
		t.Fatal(err)
	}
	equal(t, "journal", u.calls(), []string{"AUTH_LOGIN 200", "STORE_SELECT 200", "STORE_SELECT 200",
		"STORE_SELECT 401", "AUTH_LOGIN 200", "STORE_SELECT 200"})
}

func TestAPermissionRefusalIsNotRetriedForever(t *testing.T) {
	u := newUpstream(t)
	c := u.client(func(cfg *jaiaclient.Config) { cfg.UserMail, cfg.Password = "viewer@jaia.jp", "viewer-pass" })
	err := c.CreateRecord(context.Background(), jaiaclient.Store, store("1001VIEW0000000000"))
	if !jaiaclient.IsAuthFailure(err) || !strings.Contains(err.Error(), jaiaclient.AuthMessage) {
		t.Fatalf("err = %v", err)
	}
	equal(t, "journal", u.calls(), []string{"AUTH_LOGIN 200", "STORE_CREATE 401", "AUTH_LOGIN 200", "STORE_CREATE 401"})
}

func TestPagesThroughTotalFromPageZero(t *testing.T) {
	u := newUpstream(t)
	u.seedStores(450)
	c := u.client()
	res, err := c.Search(context.Background(), jaiaclient.Store, jaiaclient.Query{Conditions: byCompany, Columns: []string{"jaia_code"}, InfoOpenStatus: jaiaclient.OpenAll})
	if err != nil || res.Total != 450 || len(res.Rows) != 450 || res.Pages != 3 {
		t.Fatalf("search: total %d rows %d pages %d %v", res.Total, len(res.Rows), res.Pages, err)
	}
	var pages []string
	for _, e := range u.sess.Journal.List("jaia", 0) {
		if e.Operation == "STORE_SELECT" {
			var b struct{ PageNumber, DisplayNumber int }
			_ = json.Unmarshal([]byte(e.Body), &b)
			pages = append(pages, fmt.Sprintf("%d/%d", b.PageNumber, b.DisplayNumber))
		}
	}
	equal(t, "pages", pages, []string{"0/200", "1/200", "2/200"})
	seen := map[string]bool{}
	for _, r := range res.Rows {
		seen[r["jaia_code"]] = true
	}
	if len(seen) != 450 {
		t.Fatalf("%d distinct codes", len(seen))
	}
}

func TestLargeSetsGoOutInImportsOfAtMostTenThousandRows(t *testing.T) {
	u := newUpstream(t)
	c := u.client()
	counts, err := c.CreateRecords(context.Background(), jaiaclient.Store, stores("BIG", jaiaclient.MaxImportRows+1))
	if err != nil || counts.Success != jaiaclient.MaxImportRows+1 {
		t.Fatalf("%+v %v", counts, err)
	}
	var totals []string
	for _, e := range u.sess.Journal.List("jaia", 0) {
		var env struct{ Metadata struct{ Total int } }
		_ = json.Unmarshal([]byte(e.ResponseBody), &env)
		totals = append(totals, fmt.Sprintf("%s %d %d", e.Operation, e.Status, env.Metadata.Total))
	}
	equal(t, "journal", totals, []string{"AUTH_LOGIN 200 0", "STORE_IMPORT_CREATE 200 5000", "STORE_IMPORT_CREATE 200 5001"})
	if _, err := c.ImportRecords(context.Background(), jaiaclient.Store, stores("OVR", jaiaclient.MaxImportRows+1), false); err == nil {
		t.Fatal("ImportRecords took more than 10,000 rows")
	}
}

func TestFailuresCarryTheUpstreamsMessages(t *testing.T) {
	u := newUpstream(t)
	c := u.client()
	ctx := context.Background()
	bad := stores("ERR", 3)
	bad[1]["jaiaCode"] = "1002ERR00000000001" // another company's prefix
	_, err := c.CreateRecords(ctx, jaiaclient.Store, bad)
	var apiErr *jaiaclient.APIError
	if !errors.As(err, &apiErr) || apiErr.Status != 400 || len(apiErr.Rows) != 1 || apiErr.Rows[0].Row != 3 ||
		apiErr.Counts == nil || apiErr.Counts.Error != 1 ||
		!strings.Contains(err.Error(), "row 3: 項目「JAIA コード」の先頭文字列が JAIA 事業者コードと一致していません。") {
		t.Fatalf("err = %v", err)
	}

	// HTTP 200 with result 1 is a failure: the result decides, not the status.
	body := `{"result":1,"code":500,"errorMessageList":["予期せぬエラーが発生しました。"]}`
	if _, err := u.sess.AddFault(core.Fault{API: "jaia", Method: "POST", Path: "/stores", Count: 1, Status: 200, Body: &body}); err != nil {
		t.Fatal(err)
	}
	_, err = c.Search(ctx, jaiaclient.Store, jaiaclient.Query{Conditions: byCompany, Columns: []string{"jaia_code"}})
	if !errors.As(err, &apiErr) || apiErr.Status != 200 || apiErr.Result != 1 || apiErr.Code != 500 ||
		!strings.Contains(err.Error(), "予期せぬエラーが発生しました。") {
		t.Fatalf("err = %v", err)
	}
	// Not an envelope at all.
	html := "<html>bad gateway</html>"
	if _, err := u.sess.AddFault(core.Fault{API: "jaia", Method: "POST", Path: "/stores", Count: 1, Status: 502, Body: &html, ContentType: "text/html"}); err != nil {
		t.Fatal(err)
	}
	_, err = c.Search(ctx, jaiaclient.Store, jaiaclient.Query{Conditions: byCompany, Columns: []string{"jaia_code"}})
	if !errors.As(err, &apiErr) || apiErr.Status != 502 || apiErr.Body != html {
		t.Fatalf("err = %v", err)
	}
}

func TestBadLoginIsReported(t *testing.T) {
	u := newUpstream(t)
	c := u.client(func(cfg *jaiaclient.Config) { cfg.Password = "wrong" })
	_, err := c.Login(context.Background())
	if err == nil || !strings.Contains(err.Error(), "パスワードが誤っています。") {
		t.Fatalf("err = %v", err)
	}
}

func TestBatches(t *testing.T) {
	for _, c := range []struct{ n, max, want int }{{0, 10, 0}, {1, 10, 1}, {10, 10, 1}, {11, 10, 2}, {25, 10, 3}} {
		got := jaiaclient.Batches(make([]jaiaclient.Record, c.n), c.max)
		sum := 0
		for _, b := range got {
			if len(b) > c.max || len(b) < c.n/len(got) {
				t.Errorf("%d/%d: batch of %d", c.n, c.max, len(b))
			}
			sum += len(b)
		}
		if len(got) != c.want || sum != c.n {
			t.Errorf("%d/%d: %d batches, %d records", c.n, c.max, len(got), sum)
		}
	}
}

// The window counts from each answer: a request answered late frees its slot late.
func TestLimiterKeepsToItsWindow(t *testing.T) {
	l := jaiaclient.NewLimiter(jaiaclient.RateLimit{Requests: 3, Per: 100 * time.Millisecond})
	var sent, answered []time.Time
	for i := range 7 {
		done, err := l.Wait(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		sent = append(sent, time.Now())
		if i == 0 {
			time.Sleep(50 * time.Millisecond) // the first answer is slow
		}
		answered = append(answered, time.Now())
		done()
	}
	for i := 3; i < len(sent); i++ {
		if gap := sent[i].Sub(answered[i-3]); gap < 100*time.Millisecond {
			t.Errorf("request %d left %s after request %d's answer", i, gap, i-3)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := l.Wait(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled wait: %v", err)
	}
}
