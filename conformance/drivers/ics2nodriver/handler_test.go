package ics2nodriver_test

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"strings"
	"testing"

	"github.com/upmock/upmock/conformance/driver"
	"github.com/upmock/upmock/conformance/drivers/ics2nodriver"
	"github.com/upmock/upmock/fixtures"
	"github.com/upmock/upmock/mocks/core"
	"github.com/upmock/upmock/mocks/ics2no"
)

func configured(t *testing.T) driver.Driver {
	t.Helper()
	srv, err := ics2no.Start(ics2no.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	sess, _ := srv.Session(core.DefaultSession)
	if err := sess.Instance("ics2no").PatchSettings([]byte(`{"processingDelay":"0s"}`)); err != nil {
		t.Fatal(err)
	}
	key, _ := fs.ReadFile(fixtures.FS, "ics2no/client/test-client-key.pem")
	d := driver.InProcess(ics2nodriver.NewHandler())
	if _, err := d.Do(context.Background(), "configure", map[string]any{"ics2no": map[string]any{
		"maskinportenUrl": srv.URL() + "/maskinporten", "baseUrl": srv.URL() + "/ics2no",
		"clientId": "2f5c8a1e-7b3d-4c9e-a6f0-1d2e3f4a5b6c", "kid": "upmock-ics2no-test-client-1",
		"privateKeyPem": string(key), "scope": "toll:movement/entry",
		"poll": map[string]int{"intervalMs": 5, "timeoutMs": 2000},
	}}); err != nil {
		t.Fatal(err)
	}
	return d
}

func TestPresentAndProcessRouting(t *testing.T) {
	d := configured(t)
	ctx := context.Background()
	res, err := d.Do(ctx, "ics2no.present", json.RawMessage(`{"kind":"entry-summary-declaration","customsOfficeOfPresentation":"NO351001","mrn":"23NO00000000000005"}`))
	if err != nil || !strings.Contains(string(res), `"status":"SUCCESS"`) {
		t.Fatalf("present: %s %v", res, err)
	}
	res, err = d.Do(ctx, "ics2no.processRouting", nil)
	if err != nil {
		t.Fatal(err)
	}
	var ans struct {
		Signals   []json.RawMessage `json:"signals"`
		Decisions []struct {
			Container string `json:"containerIdentificationNumber"`
			Action    string `json:"action"`
		} `json:"decisions"`
	}
	if err := json.Unmarshal(res, &ans); err != nil || len(ans.Signals) != 2 || len(ans.Decisions) != 2 ||
		ans.Decisions[0].Action != "control" || ans.Decisions[1].Action != "release" {
		t.Fatalf("processRouting: %s %v", res, err)
	}
	_, err = d.Do(ctx, "ics2no.present", json.RawMessage(`{"kind":"house-consignment","customsOfficeOfPresentation":"NO351001","transportDocumentHouseLevel":{"documentNumber":"HC999","type":"N740"}}`))
	var de *driver.Error
	if !errors.As(err, &de) || de.Code != "FAILURE" || !strings.Contains(de.Message, "Referansen finnes ikke") {
		t.Fatalf("off-list presentation: %v", err)
	}
}

func TestOpsBeforeConfigureAndBadParams(t *testing.T) {
	d := driver.InProcess(ics2nodriver.NewHandler())
	var de *driver.Error
	if _, err := d.Do(context.Background(), "ics2no.processRouting", nil); !errors.As(err, &de) || !strings.Contains(de.Message, "not configured") {
		t.Fatalf("before configure: %v", err)
	}
	if _, err := d.Do(context.Background(), "atlas.getMaster", nil); !errors.As(err, &de) || de.Code != driver.CodeUnsupported {
		t.Fatalf("unknown op: %v", err)
	}
	c := configured(t)
	if _, err := c.Do(context.Background(), "ics2no.present", json.RawMessage(`{"kind":"pallet"}`)); err == nil || !strings.Contains(err.Error(), "kind must be") {
		t.Fatalf("bad kind: %v", err)
	}
}
