package naccs_test

import (
	"strings"
	"testing"
)

func TestCreateIsIdempotent(t *testing.T) {
	h := newHarness(t)
	body := map[string]any{"businessTypeId": broker, "dealNo": exportDeal, "organizationId": tokyoOrg}
	first := h.call("POST", "/API/v1/NACCS/EDA/Create", body)
	expectStatus(t, first, 201)
	f := form(first.json(t))
	if f["exporterCode"] != nil || f["naccsInformation"].(map[string]any)["status"] != "notSent" {
		t.Fatalf("a new form has null fields and is not sent: %s", first.body)
	}
	again := h.call("POST", "/API/v1/NACCS/EDA/Create", body)
	expectStatus(t, again, 200)
	if form(again.json(t)).id() != f.id() {
		t.Fatal("Create made a second form instead of returning the existing one")
	}
	// Another business in the same deal is another form; so is the alias's own business.
	if h.create("EDC", exportDeal, broker).id() == f.id() {
		t.Fatal("EDC shares EDA's form")
	}
	if h.create("ICG", importDeal, broker).id() != h.create("ICGOW", importDeal, broker).id() {
		t.Fatal("ICGOW is ICG's business and shares its form")
	}
}

func TestCreateRefusals(t *testing.T) {
	h := newHarness(t)
	create := func(code string, body map[string]any) response {
		return h.call("POST", "/API/v1/NACCS/"+code+"/Create", body)
	}
	t.Run("required fields", func(t *testing.T) {
		expectModelState(t, create("EDA", map[string]any{"dealNo": exportDeal, "organizationId": tokyoOrg}), "request.businessTypeId", "The businessTypeId field is required.")
	})
	t.Run("the ID pattern", func(t *testing.T) {
		expectModelState(t, create("EDA", map[string]any{"businessTypeId": broker, "dealNo": "CP=1", "organizationId": tokyoOrg}), "request.dealNo", "must match the regular expression")
	})
	t.Run("unknown deal", func(t *testing.T) {
		expectMessage(t, create("EDA", map[string]any{"businessTypeId": broker, "dealNo": "CP-NONE", "organizationId": tokyoOrg}), 404, "The deal was not found.")
	})
	t.Run("not a participant as that business type", func(t *testing.T) {
		expectStatus(t, create("EDA", map[string]any{"businessTypeId": forwarder, "dealNo": exportDeal, "organizationId": tokyoOrg}), 403)
		expectStatus(t, create("EDA", map[string]any{"businessTypeId": broker, "dealNo": osakaDeal, "organizationId": tokyoOrg}), 403)
	})
	t.Run("another organisation", func(t *testing.T) {
		expectMessage(t, create("EDA", map[string]any{"businessTypeId": forwarder, "dealNo": exportDeal, "organizationId": osakaOrg}), 403,
			"The user does not belong to the organization "+osakaOrg+".")
	})
	t.Run("unknown business code and method", func(t *testing.T) {
		res := create("XYZ", map[string]any{})
		expectStatus(t, res, 404)
		if !strings.Contains(res.json(t)["Message"].(string), "No HTTP resource was found that matches the request URI") {
			t.Fatalf("%s", res.body)
		}
		expectMessage(t, h.call("GET", "/API/v1/NACCS/EDA/Create", nil), 405, "The requested resource does not support http method 'GET'.")
	})
}

func TestUpdateWithETag(t *testing.T) {
	h := newHarness(t)
	f := h.create("EDA", exportDeal, broker)
	stale := form{}
	for k, v := range f {
		stale[k] = v
	}
	saved := h.save("EDA", f, map[string]string{"exporterCode": "T5010001012345", "remarks": "first"})
	if saved["_etag"] == f["_etag"] || saved["exporterCode"] != "T5010001012345" {
		t.Fatalf("saved %v", saved)
	}
	t.Run("a stale _etag is refused and changes nothing", func(t *testing.T) {
		stale["remarks"] = "lost update"
		expectMessage(t, h.as(clerkClient).call("PUT", "/API/v1/NACCS/EDA/Update", stale), 412,
			"The report has been changed since it was read (_etag mismatch). Get the report again and retry.")
		got := h.call("GET", "/API/v1/NACCS/EDA/Get/"+f.id(), nil).json(t)
		if got["remarks"] != "first" || got["_etag"] != saved["_etag"] {
			t.Fatalf("after a refused update: %v", got)
		}
	})
	t.Run("fields left out become null", func(t *testing.T) {
		delete(saved, "remarks")
		again := h.save("EDA", saved, nil)
		if again["remarks"] != nil || again["exporterCode"] != "T5010001012345" {
			t.Fatalf("%v", again)
		}
	})
	t.Run("the _etag is required", func(t *testing.T) {
		delete(saved, "_etag")
		expectModelState(t, h.call("PUT", "/API/v1/NACCS/EDA/Update", saved), "request._etag", "The _etag field is required.")
	})
}

func TestUpdateChecksTheBusinessShape(t *testing.T) {
	h := newHarness(t)
	f := h.create("EDA", exportDeal, broker)
	put := func(k string, v any) response {
		g := form{}
		for kk, vv := range f {
			g[kk] = vv
		}
		g[k] = v
		return h.call("PUT", "/API/v1/NACCS/EDA/Update", g)
	}
	expectModelState(t, put("blNo", "NYKS1"), "request.blNo", "blNo is not an item of business EDA.")
	expectModelState(t, put("hsCode", "8708990001"), "request.hsCode", "The field hsCode must be a string with a maximum length of 9.")
	expectModelState(t, put("packageCount", 24), "request.packageCount", "The value is not valid for packageCount.")
	// Content NACCS would refuse is saved: CyberPort keeps drafts; NACCS judges on send.
	expectStatus(t, put("packageUnitCode", "ZZ"), 200)
	// Another organisation's business type cannot save it.
	f2 := h.create("EDA", exportDeal, broker)
	f2["businessTypeId"] = forwarder
	expectStatus(t, h.call("PUT", "/API/v1/NACCS/EDA/Update", f2), 403)
}

func TestDelete(t *testing.T) {
	h := newHarness(t)
	rc := newReceiver(t)
	h.register(rc)
	f := h.create("EDA", exportDeal, broker)
	path := "/API/v1/NACCS/EDA/Delete/" + f.id()
	expectModelState(t, h.call("DELETE", path+"?organizationId="+tokyoOrg, nil), "businessTypeId", "The businessTypeId field is required.")
	expectMessage(t, h.call("DELETE", path+"?organizationId="+tokyoOrg+"&businessTypeId="+forwarder, nil), 403,
		"Only the organization and business type that created the report can delete it.")
	expectStatus(t, h.call("DELETE", path+"?organizationId="+tokyoOrg+"&businessTypeId="+broker, nil), 204)
	expectMessage(t, h.call("GET", "/API/v1/NACCS/EDA/Get/"+f.id(), nil), 404, "The report was not found.")
	d := rc.next(t)
	if d.header.Get("X-CyberPort-Event") != "delete" || !strings.Contains(string(d.body), `"operationName":"deleted."`) {
		t.Fatalf("delete webhook %v %s", d.header, d.body)
	}
}
