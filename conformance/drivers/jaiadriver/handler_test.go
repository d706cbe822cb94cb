package jaiadriver

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/upmock/upmock/conformance/driver"
	"github.com/upmock/upmock/mocks/jaia"
)

func configured(t *testing.T) driver.Driver {
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
	d := driver.InProcess(NewHandler())
	if _, err := d.Do(context.Background(), "configure", map[string]any{"jaia": map[string]any{
		"baseUrl": srv.URL() + jaia.BasePath, "userMail": "test@jaia.jp", "password": "password",
	}}); err != nil {
		t.Fatal(err)
	}
	return d
}

func do(t *testing.T, d driver.Driver, op, params string) string {
	t.Helper()
	got, err := d.Do(context.Background(), op, json.RawMessage(params))
	if err != nil {
		t.Fatalf("%s: %v", op, err)
	}
	return string(got)
}

func TestEveryJAIAOp(t *testing.T) {
	d := configured(t)
	const defaults = `"defaults":{"jaiaCompanyCode":"1001","infoOpenStartDate":"20240101","publishSetting":"01","storeName":"店"}`
	if got := do(t, d, "jaia.createStores", `{`+defaults+`,"stores":[{"jaiaCode":"1001DRV00000000001"}]}`); got != `{"created":1}` {
		t.Fatalf("createStores = %s", got)
	}
	if got := do(t, d, "jaia.createStores", `{`+defaults+`,"stores":[{"jaiaCode":"1001DRV00000000002"},{"jaiaCode":"1001DRV00000000003","storeName":"別"}]}`); got != `{"created":2}` {
		t.Fatalf("createStores = %s", got)
	}
	do(t, d, "jaia.updateStore", `{"store":{"jaiaCode":"1001DRV00000000001","jaiaCompanyCode":"1001","infoOpenStartDate":"20240101","publishSetting":"01","storeName":"改"}}`)
	do(t, d, "jaia.deleteStore", `{"jaiaCode":"1001DRV00000000002"}`)
	search := `{"conditions":[{"columnName":"jaia_company_code","value":"1001"}],"columns":["jaia_code","store_name"],"infoOpenStatus":"99","displayNumber":1}`
	if got := do(t, d, "jaia.searchStores", search); got != `{"stores":[{"jaia_code":"1001DRV00000000001","store_name":"改"},{"jaia_code":"1001DRV00000000003","store_name":"別"}],"total":2}` {
		t.Fatalf("searchStores = %s", got)
	}
	if got := do(t, d, "jaia.exportDeletedStores", `{"conditions":[{"columnName":"jaia_company_code","value":"1001"}]}`); !strings.Contains(got, `\"1001DRV00000000002\"`) {
		t.Fatalf("exportDeletedStores = %s", got)
	}
	if got := do(t, d, "jaia.getCodes", `{"codeIds":["FUEI_LAW"]}`); !strings.Contains(got, `"codeValue1":"対象外"`) {
		t.Fatalf("getCodes = %s", got)
	}
	do(t, d, "jaia.logout", `{}`)
}

func TestUpstreamFailuresKeepStatusCodeAndMessages(t *testing.T) {
	d := configured(t)
	_, err := d.Do(context.Background(), "jaia.deleteStore", json.RawMessage(`{"jaiaCode":"1001DRV99999999999"}`))
	var de *driver.Error
	if !errors.As(err, &de) || de.Status != 404 || de.Code != "404" || !strings.Contains(de.Message, "項目「JAIA コード」がマスタに存在しません。") {
		t.Fatalf("err = %v", err)
	}
}

func TestOpsBeforeConfigureAndUnknownOps(t *testing.T) {
	d := driver.InProcess(NewHandler())
	var de *driver.Error
	if _, err := d.Do(context.Background(), "jaia.logout", nil); !errors.As(err, &de) || !strings.Contains(de.Message, "not configured") {
		t.Fatalf("before configure: %v", err)
	}
	if _, err := d.Do(context.Background(), "atlas.registerShipping", nil); !errors.As(err, &de) || de.Code != driver.CodeUnsupported {
		t.Fatalf("unknown op: %v", err)
	}
	// A configure for other APIs only leaves JAIA unconfigured, without an error.
	if _, err := d.Do(context.Background(), "configure", map[string]any{"atlas": map[string]any{}}); err != nil {
		t.Fatal(err)
	}
}
