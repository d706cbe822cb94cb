package occtodriver

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/upmock/upmock/conformance/driver"
	"github.com/upmock/upmock/mocks/core"
	"github.com/upmock/upmock/mocks/occto"
)

func configured(t *testing.T, password string) (driver.Driver, *core.Session) {
	t.Helper()
	srv, err := occto.Start(occto.Options{ValidateResponses: true, OnResponseViolation: func(api, op string, err error) {
		t.Errorf("%s %s: %v", api, op, err)
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	sess, _ := srv.Session(core.DefaultSession)
	d := driver.InProcess(NewHandler())
	if _, err := d.Do(context.Background(), "configure", map[string]any{"occto": map[string]any{
		"baseUrl": srv.URL() + occto.BasePath, "userid": "UPM9A00101", "password": password, "pollIntervalMs": 5,
	}}); err != nil {
		t.Fatal(err)
	}
	return d, sess
}

func do(t *testing.T, d driver.Driver, op string, params any) string {
	t.Helper()
	got, err := d.Do(context.Background(), op, params)
	if err != nil {
		t.Fatalf("%s: %v", op, err)
	}
	return string(got)
}

func example(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../../../specs/occto/examples/outage-plan.xml")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestEveryOCCTOOp(t *testing.T) {
	d, _ := configured(t, "occto-pass-9A001-01")
	msg := example(t)
	if got := do(t, d, "occto.submit", map[string]string{"filename": "a.xml", "xml": msg}); got !=
		`{"filereceptionno":"0000000001","status":"02","statusName":"受付完了","errors":[]}` {
		t.Fatalf("submit = %s", got)
	}
	broken := strings.Replace(msg, "<FACILITY_CD>TL0001</FACILITY_CD>", "", 1)
	got := do(t, d, "occto.submit", map[string]string{"filename": "b.xml", "xml": broken})
	if !strings.Contains(got, `"status":"09"`) || !strings.Contains(got, `"item":"SBD-MSG/JPMGRP/JPTRM/JPM00010/JPMR00010[1]/FACILITY_CD"`) {
		t.Fatalf("broken submit = %s", got)
	}
	if got := do(t, d, "occto.listPlans", map[string]string{}); !strings.Contains(got,
		`{"plandivision":"02","occtoreceptionno":"0000000001","submitPlanNo":"P2026-0001","facilityCode":"TL0001","facilityName":"上町幹線１号線","version":1}`) {
		t.Fatalf("listPlans = %s", got)
	}
	var fetched struct {
		Plans []struct{ EntryName, XML string }
	}
	if err := json.Unmarshal([]byte(do(t, d, "occto.fetchPlans", map[string]string{"plandivision": "02"})), &fetched); err != nil {
		t.Fatal(err)
	}
	if len(fetched.Plans) != 1 || fetched.Plans[0].XML != msg || !strings.HasPrefix(fetched.Plans[0].EntryName, "BA13_B102_") {
		t.Fatalf("fetchPlans = %+v", fetched)
	}
	if got := do(t, d, "occto.listFiles", map[string]string{"from": "20000101"}); !strings.Contains(got, `"errorCount":1`) {
		t.Fatalf("listFiles = %s", got)
	}
}

func TestUpstreamFailuresKeepStatusAndResultcode(t *testing.T) {
	d, sess := configured(t, "wrong")
	_, err := d.Do(context.Background(), "occto.listPlans", map[string]string{})
	var de *driver.Error
	if !errors.As(err, &de) || de.Status != 200 || de.Code != "1002" {
		t.Fatalf("err = %v", err)
	}
	d, sess = configured(t, "occto-pass-9A001-01")
	if err := sess.Instance(occto.Name).PatchSettings([]byte(`{"dailyLimit":1}`)); err != nil {
		t.Fatal(err)
	}
	do(t, d, "occto.listFiles", map[string]string{})
	for range 2 { // the second is refused by the client itself
		if _, err := d.Do(context.Background(), "occto.listPlans", map[string]string{}); !errors.As(err, &de) || de.Code != "2001" {
			t.Fatalf("err = %v", err)
		}
	}
	if n := len(sess.Journal.List(occto.Name, 0)); n != 2 {
		t.Fatalf("%d calls reached the upstream, want 2", n)
	}
}

func TestOpsBeforeConfigureAndUnknownOps(t *testing.T) {
	d := driver.InProcess(NewHandler())
	var de *driver.Error
	if _, err := d.Do(context.Background(), "occto.listPlans", nil); !errors.As(err, &de) || !strings.Contains(de.Message, "not configured") {
		t.Fatalf("before configure: %v", err)
	}
	if _, err := d.Do(context.Background(), "atlas.getMaster", nil); !errors.As(err, &de) || de.Code != driver.CodeUnsupported {
		t.Fatalf("unknown op: %v", err)
	}
	if _, err := d.Do(context.Background(), "configure", map[string]any{"occto": map[string]any{"baseUrl": "x"}}); err == nil {
		t.Fatal("a relative baseUrl was accepted")
	}
}
