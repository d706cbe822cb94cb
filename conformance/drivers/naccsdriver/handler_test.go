package naccsdriver

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/upmock/upmock/conformance/driver"
	"github.com/upmock/upmock/mocks/core"
	"github.com/upmock/upmock/mocks/naccs"
)

func TestEveryNaccsOp(t *testing.T) {
	srv, err := naccs.Start(naccs.Options{ValidateResponses: true, OnResponseViolation: func(api, op string, err error) {
		t.Errorf("%s %s: %v", api, op, err)
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	sess, _ := srv.Session(core.DefaultSession)
	if err := sess.Instance("naccs").PatchSettings([]byte(`{"processingDelay":"0s"}`)); err != nil {
		t.Fatal(err)
	}
	h := New()
	defer h.Close()
	d := driver.InProcess(h.Handle)
	ctx := context.Background()
	do := func(op, params string) string {
		t.Helper()
		got, err := d.Do(ctx, op, json.RawMessage(params))
		if err != nil {
			t.Fatalf("%s: %v", op, err)
		}
		return string(got)
	}
	var de *driver.Error
	if _, err := d.Do(ctx, "naccs.webhooks", nil); !errors.As(err, &de) || !strings.Contains(de.Message, "not configured") {
		t.Fatalf("before configure: %v", err)
	}
	do("configure", `{"naccs":{"baseUrl":"`+srv.URL()+`/naccs","clientId":"cp-tokyo-admin","clientSecret":"cp-secret-tokyo-admin-change-me",
		"organizationId":"5d1c8a2e-7b3f-4e91-a0c4-2f6b9d8e1a01","businessTypeId":"02",
		"signingSecret":"cpwh_tokyo_5d1c8a2e_signing_secret_change_me","webhookWaitMs":5000}}`)
	if !strings.HasPrefix(h.WebhookURL(), "http://127.0.0.1:") {
		t.Fatalf("webhook URL %q", h.WebhookURL())
	}
	if got := do("naccs.submit", `{"businessCode":"ICG","dealNo":"CP-2026-000102","fields":{"blNo":"NYKS123456789"}}`); !strings.Contains(got, `"status":"completed"`) ||
		!strings.Contains(got, `"vesselName":"NYK VEGA"`) {
		t.Fatalf("submit: %s", got)
	}
	if got := do("naccs.amend", `{"callUpCode":"IDB","dealNo":"CP-2026-000102","key":{"declarationNo":"10012345670"},"changes":{"goodsDescription":"LAPTOPS"}}`); !strings.Contains(got, `"status":"completed"`) {
		t.Fatalf("amend: %s", got)
	}
	if got := do("naccs.saveForm", `{"businessCode":"EDA","dealNo":"CP-2026-000101","fields":{"exporterCode":"T5010001012345"}}`); !strings.Contains(got, `"_etag"`) {
		t.Fatalf("saveForm: %s", got)
	}
	var hooks struct {
		Webhooks []struct {
			Accepted bool `json:"accepted"`
		} `json:"webhooks"`
	}
	if err := json.Unmarshal([]byte(do("naccs.webhooks", `{}`)), &hooks); err != nil || len(hooks.Webhooks) != 3 || !hooks.Webhooks[0].Accepted {
		t.Fatalf("webhooks %+v %v", hooks, err)
	}
	if _, err := d.Do(ctx, "atlas.getMaster", nil); !errors.As(err, &de) || de.Code != driver.CodeUnsupported {
		t.Fatalf("unknown op: %v", err)
	}
	if _, err := d.Do(ctx, "naccs.submit", json.RawMessage(`{}`)); err == nil {
		t.Fatal("submit without params accepted")
	}
}
