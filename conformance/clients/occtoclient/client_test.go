package occtoclient_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/text/encoding/japanese"

	"github.com/upmock/upmock/conformance/clients/occtoclient"
	"github.com/upmock/upmock/mocks/core"
	"github.com/upmock/upmock/mocks/occto"
)

const (
	user = "UPM9A00101"
	pass = "occto-pass-9A001-01"
)

var jst = time.FixedZone("JST", 9*60*60)

// upstream is the OCCTO mock in-process, every answer checked against its document.
func upstream(t *testing.T, tlsFiles *core.CertFiles) (*core.Running, *core.Session) {
	t.Helper()
	opts := occto.Options{ValidateResponses: true, OnResponseViolation: func(api, op string, err error) {
		t.Errorf("%s %s: %v", api, op, err)
	}}
	if tlsFiles != nil {
		cfg, err := core.ServerTLSConfig(*tlsFiles)
		if err != nil {
			t.Fatal(err)
		}
		opts.TLS = cfg
	}
	srv, err := occto.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	sess, _ := srv.Session(core.DefaultSession)
	return srv, sess
}

func newClient(t *testing.T, cfg occtoclient.Config) *occtoclient.Client {
	t.Helper()
	if cfg.UserID == "" {
		cfg.UserID, cfg.Password = user, pass
	}
	cfg.PollInterval = 10 * time.Millisecond
	c, err := occtoclient.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func message(plans ...occtoclient.Plan) occtoclient.Message {
	return occtoclient.Message{
		SenderCode: "9A001", SenderName: "アップモック電力株式会社", ReceiverCode: "OCCTO", ReceiverName: "電力広域的運営推進機関",
		BPIDAgencyCode: "OCCTO", Created: time.Now(), Plans: plans,
	}
}

func plan(no, division string) occtoclient.Plan {
	start := time.Date(2026, 4, 1, 9, 0, 0, 0, jst)
	return occtoclient.Plan{Division: division, SubmitPlanNo: no, FacilityCode: "SS0042", FacilityName: "北港変電所２号変圧器",
		ReasonCode: "02", Reason: "補修（ブッシング交換）", Periods: []occtoclient.Period{{start, start.Add(8 * time.Hour)}}}
}

func TestSubmitThenFetchWhatWasListed(t *testing.T) {
	srv, _ := upstream(t, nil)
	c := newClient(t, occtoclient.Config{BaseURL: srv.URL() + occto.BasePath})
	ctx := context.Background()
	sub, err := c.Submit(ctx, "plans.xml", message(plan("P-1", "01"), plan("P-2", "03")).XML())
	if err != nil || sub.Status != occtoclient.StatusAccepted || sub.StatusName != "受付完了" {
		t.Fatalf("submit: %+v %v", sub, err)
	}
	plans, err := c.FetchPlans(ctx, occtoclient.ListOptions{})
	if err != nil || len(plans) != 2 {
		t.Fatalf("fetch: %d plans, %v", len(plans), err)
	}
	doc, err := plans[1].File.Document()
	if err != nil {
		t.Fatal(err)
	}
	if got := doc.FindElement("//FACILITY_NM").Text(); got != "北港変電所２号変圧器" || plans[1].Division != "03" {
		t.Fatalf("second plan %+v, FACILITY_NM %q", plans[1].PlanInfo, got)
	}
	if !strings.HasPrefix(plans[0].File.Name, "BA13_B102_") {
		t.Fatalf("entry %q", plans[0].File.Name)
	}
	only, err := c.ListPlans(ctx, occtoclient.ListOptions{Division: "01", From: time.Now().Add(-time.Hour)})
	if err != nil || len(only) != 1 || only[0].SubmitPlanNo != "P-1" {
		t.Fatalf("filtered list %+v %v", only, err)
	}
}

func TestSubmitReportsTheReasonsOf提出エラー(t *testing.T) {
	srv, sess := upstream(t, nil)
	c := newClient(t, occtoclient.Config{BaseURL: srv.URL() + occto.BasePath})
	bad := plan("P-1", "01")
	bad.ReasonCode = "77"
	sub, err := c.Submit(context.Background(), "bad.xml", message(bad).XML())
	if err != nil || sub.Status != occtoclient.StatusError || len(sub.Errors) != 1 {
		t.Fatalf("submit: %+v %v", sub, err)
	}
	if e := sub.Errors[0]; e.Code != "E205" || !strings.HasSuffix(e.Item, "/STOP_REASON_CD") || e.Value != "77" {
		t.Fatalf("error %+v", e)
	}
	var ops []string
	for _, e := range sess.Journal.List(occto.Name, 0) {
		ops = append(ops, e.Operation)
	}
	if strings.Join(ops, ",") != "BA13B101,BA13B006,BA13B007" {
		t.Fatalf("calls %v", ops)
	}
}

func TestSubmitPollsWhileTheFileIs処理中(t *testing.T) {
	srv, sess := upstream(t, nil)
	if err := sess.Instance(occto.Name).PatchSettings([]byte(`{"processingDelay":"1h"}`)); err != nil {
		t.Fatal(err)
	}
	c := newClient(t, occtoclient.Config{BaseURL: srv.URL() + occto.BasePath})
	go func() {
		// Once the client has polled a few times, the processing time passes.
		for len(sess.Journal.List(occto.Name, 0)) < 4 {
			time.Sleep(2 * time.Millisecond)
		}
		sess.Clock.Advance(time.Hour)
	}()
	sub, err := c.Submit(context.Background(), "slow.xml", message(plan("P-1", "01")).XML())
	if err != nil || sub.Status != occtoclient.StatusAccepted {
		t.Fatalf("submit: %+v %v", sub, err)
	}
}

func TestAnyResultcodeButOKIsAnError(t *testing.T) {
	srv, _ := upstream(t, nil)
	c := newClient(t, occtoclient.Config{BaseURL: srv.URL() + occto.BasePath, UserID: user, Password: "wrong"})
	_, err := c.ListPlans(context.Background(), occtoclient.ListOptions{})
	var apiErr *occtoclient.APIError
	if !errors.As(err, &apiErr) || apiErr.ResultCode != occtoclient.CodeWrongPassword || apiErr.HTTPStatus != 200 ||
		apiErr.Message != "パスワードが正しくありません" {
		t.Fatalf("err = %v", err)
	}
	c = newClient(t, occtoclient.Config{BaseURL: srv.URL() + occto.BasePath})
	_, err = c.FetchPlan(context.Background(), occtoclient.PlanKey{Division: "01", ReceptionNo: "0000000009"})
	if !errors.As(err, &apiErr) || apiErr.ResultCode != occtoclient.CodeNotFound {
		t.Fatalf("err = %v", err)
	}
}

func TestTheDailyLimitStopsTheClientUntilMidnightJST(t *testing.T) {
	srv, sess := upstream(t, nil)
	if err := sess.Instance(occto.Name).PatchSettings([]byte(`{"dailyLimit":2}`)); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 25, 23, 0, 0, 0, jst)
	sess.Clock.Set(now)
	c := newClient(t, occtoclient.Config{BaseURL: srv.URL() + occto.BasePath, Now: func() time.Time { return now }})
	ctx := context.Background()
	for range 2 {
		if _, err := c.ListFiles(ctx, time.Time{}); err != nil {
			t.Fatal(err)
		}
	}
	_, err := c.ListPlans(ctx, occtoclient.ListOptions{})
	var apiErr *occtoclient.APIError
	if !errors.As(err, &apiErr) || apiErr.ResultCode != occtoclient.CodeDailyLimit || !errors.Is(err, occtoclient.ErrDailyLimit) {
		t.Fatalf("third call: %v", err)
	}
	_, err = c.ListPlans(ctx, occtoclient.ListOptions{})
	var limitErr *occtoclient.LimitError
	if !errors.As(err, &limitErr) || !errors.Is(err, occtoclient.ErrDailyLimit) {
		t.Fatalf("fourth call: %v", err)
	}
	if n := len(sess.Journal.List(occto.Name, 0)); n != 3 {
		t.Fatalf("the upstream saw %d calls, want 3", n)
	}
	now = now.Add(time.Hour) // 00:00 JST
	sess.Clock.Set(now)
	if _, err := c.ListPlans(ctx, occtoclient.ListOptions{}); err != nil {
		t.Fatalf("after midnight: %v", err)
	}
}

func TestTheClientPresentsItsCertificate(t *testing.T) {
	files, err := core.EnsureCerts(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	srv, _ := upstream(t, &files)
	base := srv.URL() + occto.BasePath
	c := newClient(t, occtoclient.Config{BaseURL: base, CACert: files.CACert, ClientCert: files.ClientCert, ClientKey: files.ClientKey})
	if _, err := c.ListPlans(context.Background(), occtoclient.ListOptions{}); err != nil {
		t.Fatal(err)
	}
	c = newClient(t, occtoclient.Config{BaseURL: base, CACert: files.CACert})
	_, err = c.ListPlans(context.Background(), occtoclient.ListOptions{})
	var apiErr *occtoclient.APIError
	if !errors.As(err, &apiErr) || apiErr.HTTPStatus != http.StatusForbidden || apiErr.ResultCode != "" {
		t.Fatalf("without the certificate: %v", err)
	}
	if _, err := occtoclient.New(occtoclient.Config{BaseURL: base, UserID: "u", Password: "p", ClientCert: files.ClientCert}); err == nil {
		t.Fatal("a certificate without its key was accepted")
	}
}

func TestFilesAreReadInTheirDeclaredEncoding(t *testing.T) {
	sjis, _ := japanese.ShiftJIS.NewEncoder().String(`<?xml version="1.0" encoding="Shift_JIS"?><A>作業停止計画</A>`)
	got, err := occtoclient.DecodeXML([]byte(sjis))
	if err != nil || !strings.Contains(got, "作業停止計画") {
		t.Fatalf("%q %v", got, err)
	}
	if _, err := occtoclient.DecodeXML([]byte(`<?xml version="1.0" encoding="EUC-JP"?><A/>`)); err == nil {
		t.Fatal("EUC-JP was read")
	}
	if _, err := occtoclient.DecodeXML([]byte{'<', 'A', '>', 0xff, '<', '/', 'A', '>'}); err == nil {
		t.Fatal("invalid UTF-8 was read")
	}
}

func TestAnswersThatAreNotAZipOfOneFileAreErrors(t *testing.T) {
	twoEntries := func() string {
		var b bytes.Buffer
		zw := zip.NewWriter(&b)
		for _, n := range []string{"a.xml", "b.xml"} {
			w, _ := zw.Create(n)
			_, _ = w.Write([]byte("<A/>"))
		}
		_ = zw.Close()
		return base64.StdEncoding.EncodeToString(b.Bytes())
	}()
	for body, want := range map[string]string{
		"<SBD-MSG/>": "not Base64", base64.StdEncoding.EncodeToString([]byte("plain")): "not a ZIP", twoEntries: "holds 2 files",
	} {
		var calls atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			calls.Add(1)
			w.Header()["resultcode"] = []string{"0000"}
			_, _ = w.Write([]byte(body))
		}))
		c := newClient(t, occtoclient.Config{BaseURL: srv.URL})
		_, err := c.ListPlans(context.Background(), occtoclient.ListOptions{})
		srv.Close()
		if err == nil || !strings.Contains(err.Error(), want) || calls.Load() != 1 {
			t.Errorf("body %.20q: err %v, calls %d", body, err, calls.Load())
		}
	}
}
