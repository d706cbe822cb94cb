package atlas_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/upmock/upmock/mocks/atlas"
)

const slipA = "SLIP0000000000000001"

func TestInputChecks(t *testing.T) {
	h := newHarness(t)
	valid := func() map[string]any { return h.registration(slipA, nil, item("T-1", "AB01", "/P1/")) }
	firstItem := func(body map[string]any) map[string]any { return body["items"].([]any)[0].(map[string]any) }
	cases := []struct {
		name   string
		mutate func(map[string]any)
		param  atlas.InvalidParam
	}{
		{"missing top-level key", func(b map[string]any) { delete(b, "counterBaseId") }, atlas.InvalidParam{Name: "counterBaseId", Reason: "must be required."}},
		{"optional key omitted instead of null", func(b map[string]any) { delete(b, "targetPath") }, atlas.InvalidParam{Name: "targetPath", Reason: "must be required."}},
		{"optional item key omitted instead of null", func(b map[string]any) { delete(firstItem(b), "autoInactive") }, atlas.InvalidParam{Name: "items[0].autoInactive", Reason: "must be required."}},
		{"required key null", func(b map[string]any) { b["baseId"] = nil }, atlas.InvalidParam{Name: "baseId", Reason: "must be required."}},
		{"short movementSlipNo", func(b map[string]any) { b["movementSlipNo"] = "123" }, atlas.InvalidParam{Name: "movementSlipNo", Reason: "digit must be greater than or equal to 20 and less than or equal to 20."}},
		{"symbol in movementSlipNo", func(b map[string]any) { b["movementSlipNo"] = "SLIP-000000000000001" }, atlas.InvalidParam{Name: "movementSlipNo", Reason: "a non-alphanumeric character was found."}},
		{"lower-case uid", func(b map[string]any) { firstItem(b)["uid"] = "ab01" }, atlas.InvalidParam{Name: "items[0].uid", Reason: "invalid format."}},
		{"uid of letters only", func(b map[string]any) { firstItem(b)["uid"] = "XYZ" }, atlas.InvalidParam{Name: "items[0].uid", Reason: "invalid format."}},
		{"symbol in uid", func(b map[string]any) { firstItem(b)["uid"] = "AB_01" }, atlas.InvalidParam{Name: "items[0].uid", Reason: "a non-alphanumeric character was found."}},
		{"uid null", func(b map[string]any) { firstItem(b)["uid"] = nil }, atlas.InvalidParam{Name: "items[0].uid", Reason: "must be required."}},
		{"movedDateTime null", func(b map[string]any) { firstItem(b)["movedDateTime"] = nil }, atlas.InvalidParam{Name: "items[0].movedDateTime", Reason: "must be required."}},
		{"itemCount as text", func(b map[string]any) { firstItem(b)["itemCount"] = "one" }, atlas.InvalidParam{Name: "items[0].itemCount", Reason: "a non-numerical charcter was found."}},
		{"movedDateTime without microseconds", func(b map[string]any) { firstItem(b)["movedDateTime"] = "2026-11-25T01:02:03Z" }, atlas.InvalidParam{Name: "items[0].movedDateTime", Reason: "invalid format."}},
		{"movedDateTime month 13", func(b map[string]any) { firstItem(b)["movedDateTime"] = "2026-13-25T01:02:03.000000Z" }, atlas.InvalidParam{Name: "items[0].movedDateTime", Reason: "invalid format."}},
		{"path not ending with the trackingId", func(b map[string]any) { firstItem(b)["path"] = "/P1/OTHER/" }, atlas.InvalidParam{Name: "items[0].path", Reason: "invalid format."}},
		{"# in trackingId without # in path", func(b map[string]any) { firstItem(b)["trackingId"] = "#" }, atlas.InvalidParam{Name: "items[0].path", Reason: "invalid format."}},
		{"# above the last level", func(b map[string]any) { firstItem(b)["trackingId"] = "#"; firstItem(b)["path"] = "/#/#/" }, atlas.InvalidParam{Name: "items[0].path", Reason: "invalid format."}},
		{"no items", func(b map[string]any) { b["items"] = []any{} }, atlas.InvalidParam{Name: "items", Reason: "must be required."}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			body := valid()
			c.mutate(body)
			p := expectProblem(t, h.call("POST", "/shipping/item", body), 400, 100, "invalid input value.")
			for _, got := range p.InvalidParams {
				if got == c.param {
					return
				}
			}
			t.Fatalf("invalidParams %+v lack %+v", p.InvalidParams, c.param)
		})
	}
}

// TestNullableItemFields: isInactivated and itemCount are optional, so null is how a client
// leaves them unset (NOTES.md lists the required fields); a null isInactivated inactivates
// nothing and a null itemCount comes back null in the download.
func TestNullableItemFields(t *testing.T) {
	h := newHarness(t)
	it := item("T-1", "AB01", "/P1/")
	it["isInactivated"], it["itemCount"] = nil, nil
	expectStatus(t, h.call("POST", "/shipping/item", h.registration(slipA, nil, it)), 204)
	h.advance(delay)
	items, _, _ := h.shipped("")
	got, ok := items["T-1"]
	if !ok || got.ItemCount != nil {
		t.Fatalf("shipped %+v, want T-1 with itemCount null", items)
	}
	var state struct {
		Inactivations []json.RawMessage `json:"inactivations"`
	}
	if err := json.Unmarshal(h.control("GET", "/state/atlas", nil).body, &state); err != nil || len(state.Inactivations) != 0 {
		t.Fatalf("a null isInactivated inactivated the item: %v %s", err, state.Inactivations)
	}
}

func TestRequestShapeErrors(t *testing.T) {
	h := newHarness(t)
	t.Run("206 invalid JSON quotes the parser", func(t *testing.T) {
		r := h.call("POST", "/shipping/item", `{"transactionId": `)
		p := r.problem(t)
		if r.status != 400 || p.ErrorCode != 206 || !strings.HasPrefix(p.Detail, "invalid json format. [") {
			t.Fatalf("got %d %s", r.status, r.body)
		}
	})
	t.Run("205 above the size limit", func(t *testing.T) {
		expectStatus(t, h.control("PATCH", "/settings/atlas", map[string]any{"maxRequestBytes": 200}), 200)
		expectProblem(t, h.call("POST", "/shipping/items", strings.Repeat(" ", 201)), 400, 205, "request is too large. please request's data size keep less than 10MB.")
		expectStatus(t, h.control("PATCH", "/settings/atlas", map[string]any{"maxRequestBytes": 10485760}), 200)
	})
	t.Run("203 two items on a single-item operation", func(t *testing.T) {
		body := h.registration(slipA, nil, item("T-1", "AB01", "/P1/"), item("T-2", "AB02", "/P1/"))
		expectProblem(t, h.call("POST", "/shipping/item", body), 400, 203, "there can be only one item in this request.")
		expectProblem(t, h.call("POST", "/receiving/item", body), 400, 203, "there can be only one item in this request.")
	})
	t.Run("204 item outside targetPath on bulk", func(t *testing.T) {
		body := h.registration(slipA, str("/P1/"), item("T-1", "AB01", "/P1/"), item("T-2", "AB02", "/P2/"))
		p := expectProblem(t, h.call("POST", "/shipping/items", body), 400, 204, "item's path and targetPath inconsistency error.")
		want := "item's path must start with targetPath or targetPath must start with item's path. [trackingId=T-2,targetPath=/P1/,path=/P2/T-2/]"
		if len(p.InvalidParams) != 1 || p.InvalidParams[0].Reason != want {
			t.Fatalf("invalidParams %+v, want reason %q", p.InvalidParams, want)
		}
	})
	t.Run("bulk requires targetPath", func(t *testing.T) {
		body := h.registration(slipA, nil, item("T-1", "AB01", "/P1/"))
		expectProblem(t, h.call("POST", "/shipping/items", body), 400, 100, "invalid input value.")
	})
	t.Run("207 baseId of another key", func(t *testing.T) {
		body := h.registration(slipA, nil, item("T-1", "AB01", "/P1/"))
		body["baseId"] = osakaBase
		expectProblem(t, h.call("POST", "/shipping/item", body), 400, 207, "there is an inconsistency between api key and baseId.")
	})
	t.Run("nothing was registered by refused requests", func(t *testing.T) {
		state := h.control("GET", "/state/atlas", nil)
		if strings.Contains(string(state.body), `"kind"`) {
			t.Fatalf("refused requests left state: %s", state.body)
		}
	})
}

func TestInvalidParamsFollowTheDocumentOrder(t *testing.T) {
	h := newHarness(t)
	p := expectProblem(t, h.call("POST", "/shipping/item", `{"transactionId":"x","items":[{"trackingId":"a#b"}]}`), 400, 100, "invalid input value.")
	var names []string
	for _, ip := range p.InvalidParams {
		names = append(names, ip.Name)
	}
	want := []string{"transactionId", "movementSlipNo", "baseId", "counterBaseId", "targetPath",
		"items[0].trackingId", "items[0].uid", "items[0].autoIdType", "items[0].path", "items[0].itemCount",
		"items[0].movedDateTime", "items[0].individualRecognitionCode", "items[0].largeClassAggregationKey",
		"items[0].middleClassAggregationKey", "items[0].smallClassAggregationKey", "items[0].isInactivated", "items[0].autoInactive"}
	if strings.Join(names, ",") != strings.Join(want, ",") {
		t.Fatalf("invalidParams order\n got %v\nwant %v", names, want)
	}
}
