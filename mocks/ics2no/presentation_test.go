package ics2no_test

import (
	"strings"
	"testing"
	"time"

	"github.com/upmock/upmock/mocks/ics2no"
)

// TestDoneScenario is the acceptance: the fixture key gets a Maskinporten token,
// exchanges it, presents HC004 of 23NO00000000000005 with each container, and routing gives
// TO_CONTROL for JARU0000010 and TO_ENTRY for JARU0000026.
func TestDoneScenario(t *testing.T) {
	h := newHarness(t)
	token := h.customsToken()

	if got := h.routing(token, ""); len(got) != 0 {
		t.Fatalf("routing before any presentation: %+v, want nothing", got)
	}
	first := h.hc("HC004", "N714", "JARU0000010")
	res := h.api("POST", pathHC, token, first)
	expectStatus(t, res, 202)
	var acc ics2no.Accepted
	res.json(t, &acc)
	if acc.RequestID != first["requestId"] {
		t.Fatalf("202 body %s, want the requestId echoed", res.body)
	}
	// Before processing: 404, and no routing yet.
	expectStatus(t, h.api("GET", pathStatus+"?requestId="+acc.RequestID, token, nil), 404)
	if got := h.routing(token, ""); len(got) != 0 {
		t.Fatalf("routing before processing: %+v", got)
	}
	h.advance(2 * time.Second)
	if vs := h.status(token, acc.RequestID); vs.Status != ics2no.StatusSuccess || len(vs.ValidationErrorList) != 0 || vs.RequestID != acc.RequestID {
		t.Fatalf("status %+v, want SUCCESS", vs)
	}
	got := h.routing(token, "")
	if len(got) != 1 || got[0].RoutingResult.Routing != ics2no.RoutingToControl ||
		got[0].TransportEquipment[0].ContainerIdentificationNumber != "JARU0000010" ||
		got[0].EntrySummaryDeclarationMRN != "23NO00000000000005" ||
		got[0].TransportDocumentHouseLevel != (ics2no.RoutingReference{ReferenceNumber: "HC004", Type: "N714"}) {
		t.Fatalf("routing after the first container: %+v", got)
	}
	marker := got[0].RoutingResult.ID

	if vs := h.presentAndProcess(token, pathHC, h.hc("HC004", "N714", "JARU0000026")); vs.Status != ics2no.StatusSuccess {
		t.Fatalf("second container: %+v", vs)
	}
	all := h.routing(token, "")
	if len(all) != 2 || all[1].RoutingResult.Routing != ics2no.RoutingToEntry || all[1].TransportEquipment[0].ContainerIdentificationNumber != "JARU0000026" {
		t.Fatalf("routing: %+v", all)
	}
	after := h.routing(token, marker)
	if len(after) != 1 || after[0].RoutingResult.ID != all[1].RoutingResult.ID {
		t.Fatalf("routing after the marker: %+v, want only the TO_ENTRY signal", after)
	}
	if rest := h.routing(token, after[0].RoutingResult.ID); len(rest) != 0 {
		t.Fatalf("routing after the last marker: %+v, want []", rest)
	}
}

func TestReusedRequestIDIsRefused(t *testing.T) {
	h := newHarness(t)
	token := h.customsToken()
	body := h.hc("HC001", "N740")
	expectStatus(t, h.api("POST", pathHC, token, body), 202)
	again := h.hc("HC002", "N740")
	again["requestId"] = body["requestId"]
	res := h.api("POST", pathHC, token, again)
	expectStatus(t, res, 400)
	var vs ics2no.ValidationStatus
	res.json(t, &vs)
	expectFailure(t, vs, verr("requestId er allerede brukt", "requestId"))
	if vs.RequestID != body["requestId"] {
		t.Fatalf("refusal names requestId %q", vs.RequestID)
	}
	// The first request is processed as usual; the refused one left no trace.
	h.advance(2 * time.Second)
	if st := h.status(token, body["requestId"].(string)); st.Status != ics2no.StatusSuccess {
		t.Fatalf("first request: %+v", st)
	}
}

// TestRequestIDIsCaseInsensitive: UUIDs are case-insensitive, so a used requestId written in
// other letters is refused as reused, and the validation status is found in either case.
func TestRequestIDIsCaseInsensitive(t *testing.T) {
	h := newHarness(t)
	token := h.customsToken()
	body := h.hc("HC001", "N740")
	id := strings.ToLower(body["requestId"].(string))
	body["requestId"] = id
	expectStatus(t, h.api("POST", pathHC, token, body), 202)
	again := h.hc("HC002", "N740")
	again["requestId"] = strings.ToUpper(id)
	res := h.api("POST", pathHC, token, again)
	expectStatus(t, res, 400)
	var vs ics2no.ValidationStatus
	res.json(t, &vs)
	expectFailure(t, vs, verr("requestId er allerede brukt", "requestId"))
	h.advance(2 * time.Second)
	if st := h.status(token, strings.ToUpper(id)); st.Status != ics2no.StatusSuccess || st.RequestID != id {
		t.Fatalf("status looked up in upper case: %+v, want SUCCESS for %s as first sent", st, id)
	}
}

func TestRequestIDMustBeAUUID(t *testing.T) {
	h := newHarness(t)
	token := h.customsToken()
	cases := []struct {
		name string
		body any
		want ics2no.ValidationError
	}{
		{"missing", map[string]any{"customsOfficeOfPresentation": office, "mrn": "23NO00000000000003"}, verr("Påkrevd verdi mangler", "requestId")},
		{"null", map[string]any{"requestId": nil, "mrn": "23NO00000000000003"}, verr("Påkrevd verdi mangler", "requestId")},
		{"not a UUID", map[string]any{"requestId": "req-1", "mrn": "23NO00000000000003"}, verr("Ugyldig verdi", "requestId")},
		{"a number", map[string]any{"requestId": 7, "mrn": "23NO00000000000003"}, verr("Ugyldig verdi", "requestId")},
		{"not JSON", `{"requestId":`, verr("Ugyldig JSON", "")},
		{"an array", `[]`, verr("Ugyldig verdi", "")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := h.api("POST", pathENS, token, c.body)
			expectStatus(t, res, 400)
			var vs ics2no.ValidationStatus
			res.json(t, &vs)
			expectFailure(t, vs, c.want)
		})
	}
}

// TestOffListValuesAreValidationErrors: anything not on the static list, a CL141 office not
// on the fixture list, a type not in CL754, a container not the document's.
func TestOffListValuesAreValidationErrors(t *testing.T) {
	h := newHarness(t)
	token := h.customsToken()
	withOffice := func(b map[string]any, o string) map[string]any { b["customsOfficeOfPresentation"] = o; return b }
	cases := []struct {
		name string
		path string
		body map[string]any
		want []ics2no.ValidationError
	}{
		{"unknown ENS", pathENS, h.ens("23NO00000000000099"), []ics2no.ValidationError{verr("Referansen finnes ikke", "mrn")}},
		{"unknown receptacle", pathReceptacle, h.receptacle("GBASFZMLBKONAUN30001001010000"), []ics2no.ValidationError{verr("Referansen finnes ikke", "receptacleIdentificationNumber")}},
		{"unknown document", pathHC, h.hc("HC999", "N740"), []ics2no.ValidationError{verr("Referansen finnes ikke", "transportDocumentHouseLevel.documentNumber")}},
		{"document with another type", pathHC, h.hc("HC001", "N714"), []ics2no.ValidationError{verr("Referansen finnes ikke", "transportDocumentHouseLevel.type")}},
		{"type not in CL754", pathHC, h.hc("HC001", "N799"), []ics2no.ValidationError{verr("Ugyldig verdi", "transportDocumentHouseLevel.type")}},
		{"container not the document's", pathHC, h.hc("HC004", "N714", "JARU0000026", "JARU0000099"), []ics2no.ValidationError{verr("Referansen finnes ikke", "transportEquipment[1].containerIdentificationNumber")}},
		{"container on a document without", pathHC, h.hc("HC001", "N740", "JARU0000010"), []ics2no.ValidationError{verr("Referansen finnes ikke", "transportEquipment[0].containerIdentificationNumber")}},
		{"office not in CL141", pathENS, withOffice(h.ens("23NO00000000000003"), "SE000001"), []ics2no.ValidationError{verr("Ugyldig verdi", "customsOfficeOfPresentation")}},
		{"office and reference", pathENS, withOffice(h.ens("23NO00000000000098"), "NO999999"), []ics2no.ValidationError{verr("Ugyldig verdi", "customsOfficeOfPresentation"), verr("Referansen finnes ikke", "mrn")}},
		{"office malformed", pathENS, withOffice(h.ens("23NO00000000000003"), "no35"), []ics2no.ValidationError{verr("Ugyldig verdi", "customsOfficeOfPresentation")}},
		{"MRN malformed", pathENS, h.ens("23NO0001"), []ics2no.ValidationError{verr("Ugyldig verdi", "mrn")}},
		{"document number missing", pathHC, map[string]any{"requestId": h.uuid(), "customsOfficeOfPresentation": office, "transportDocumentHouseLevel": map[string]any{"type": "N740"}},
			[]ics2no.ValidationError{verr("Påkrevd verdi mangler", "transportDocumentHouseLevel.documentNumber")}},
		{"office missing", pathReceptacle, map[string]any{"requestId": h.uuid(), "receptacleIdentificationNumber": "GBASFZMLBKONAUN30001001019999"},
			[]ics2no.ValidationError{verr("Påkrevd verdi mangler", "customsOfficeOfPresentation")}},
		{"empty transportEquipment", pathHC, func() map[string]any { b := h.hc("HC004", "N714"); b["transportEquipment"] = []any{}; return b }(),
			[]ics2no.ValidationError{verr("Ugyldig verdi", "transportEquipment")}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			expectStatus(t, h.api("POST", c.path, token, c.body), 202)
			h.advance(2 * time.Second)
			expectFailure(t, h.status(token, c.body["requestId"].(string)), c.want...)
		})
	}
	// Nothing failed was presented: no routing signal.
	if got := h.routing(token, ""); len(got) != 0 {
		t.Fatalf("routing after failed presentations: %+v", got)
	}
}

// TestPresentingAnENSOrAReceptaclePresentsItsHouseConsignments, and the same goods cannot be
// presented again.
func TestPresentingAnENSOrAReceptaclePresentsItsHouseConsignments(t *testing.T) {
	h := newHarness(t)
	token := h.customsToken()
	if vs := h.presentAndProcess(token, pathENS, h.ens("23NO00000000000005")); vs.Status != ics2no.StatusSuccess {
		t.Fatalf("ENS: %+v", vs)
	}
	got := h.routing(token, "")
	if len(got) != 2 || got[0].RoutingResult.Routing != ics2no.RoutingToControl || got[1].RoutingResult.Routing != ics2no.RoutingToEntry {
		t.Fatalf("routing after the ENS: %+v, want both HC004 signals in table order", got)
	}
	expectFailure(t, h.presentAndProcess(token, pathHC, h.hc("HC004", "N714", "JARU0000026")),
		verr("Sendingen er allerede fremlagt", "transportDocumentHouseLevel.documentNumber"))

	if vs := h.presentAndProcess(token, pathReceptacle, h.receptacle("GBASFZMLBKONAUN30001001019999")); vs.Status != ics2no.StatusSuccess {
		t.Fatalf("receptacle: %+v", vs)
	}
	expectFailure(t, h.presentAndProcess(token, pathENS, h.ens("23NO00000000000002")), verr("Sendingen er allerede fremlagt", "mrn"))
	expectFailure(t, h.presentAndProcess(token, pathHC, h.hc("NO100000001MU", "N750")), verr("Sendingen er allerede fremlagt", "transportDocumentHouseLevel.documentNumber"))

	// Rows without a routing value give no signal.
	if n := len(h.routing(token, "")); n != 2 {
		t.Fatalf("%d signals, want still 2", n)
	}
	// HC001 exists under two ENS with different types: each is its own house consignment.
	for _, typ := range []string{"N740", "N703"} {
		if vs := h.presentAndProcess(token, pathHC, h.hc("HC001", typ)); vs.Status != ics2no.StatusSuccess {
			t.Fatalf("HC001 %s: %+v", typ, vs)
		}
	}
	expectFailure(t, h.presentAndProcess(token, pathENS, h.ens("23NO00000000000003")), verr("Sendingen er allerede fremlagt", "mrn"))
}

func TestUnknownPropertiesAreIgnored(t *testing.T) {
	h := newHarness(t)
	token := h.customsToken()
	body := h.hc("HC002", "N740")
	body["declarant"] = map[string]any{"identificationNumber": "NO312345676"}
	if vs := h.presentAndProcess(token, pathHC, body); vs.Status != ics2no.StatusSuccess {
		t.Fatalf("%+v", vs)
	}
}

func TestValidationStatusQuery(t *testing.T) {
	h := newHarness(t)
	token := h.customsToken()
	for _, q := range []string{"", "?requestId="} {
		res := h.api("GET", pathStatus+q, token, nil)
		expectStatus(t, res, 400)
		var e ics2no.HTTPError
		res.json(t, &e)
		if e.Status != 400 || e.Error != "Bad Request" || e.Path != pathStatus {
			t.Fatalf("error body %s", res.body)
		}
	}
	res := h.api("GET", pathStatus+"?requestId=6f1e2d3c-4b5a-4978-8e6d-5c4b3a291807", token, nil)
	expectStatus(t, res, 404)
	var e ics2no.HTTPError
	res.json(t, &e)
	if e.Error != "Not Found" || e.Timestamp == "" {
		t.Fatalf("404 body %s", res.body)
	}
}

func TestProcessingFollowsTheSettings(t *testing.T) {
	h := newHarness(t)
	token := h.customsToken()
	expectStatus(t, h.control("PATCH", "/settings/ics2no", map[string]any{"processingDelay": "10s", "routingDelay": "30s"}), 200)
	body := h.hc("HC004", "N714")
	expectStatus(t, h.api("POST", pathHC, token, body), 202)
	id := body["requestId"].(string)
	h.advance(9 * time.Second)
	expectStatus(t, h.api("GET", pathStatus+"?requestId="+id, token, nil), 404)
	h.advance(2 * time.Second)
	if vs := h.status(token, id); vs.Status != ics2no.StatusSuccess {
		t.Fatalf("%+v", vs)
	}
	if got := h.routing(token, ""); len(got) != 0 {
		t.Fatalf("signals before the routing delay: %+v", got)
	}
	h.advance(30 * time.Second)
	if got := h.routing(token, ""); len(got) != 2 {
		t.Fatalf("signals after the routing delay: %+v", got)
	}
}

func TestRoutingPagesWithTheMarker(t *testing.T) {
	h := newHarness(t)
	token := h.customsToken()
	expectStatus(t, h.control("PATCH", "/settings/ics2no", map[string]any{"routingPageSize": 1}), 200)
	h.presentAndProcess(token, pathENS, h.ens("23NO00000000000005"))
	p1 := h.routing(token, "")
	if len(p1) != 1 || p1[0].RoutingResult.Routing != ics2no.RoutingToControl {
		t.Fatalf("page 1: %+v", p1)
	}
	p2 := h.routing(token, p1[0].RoutingResult.ID)
	if len(p2) != 1 || p2[0].RoutingResult.Routing != ics2no.RoutingToEntry {
		t.Fatalf("page 2: %+v", p2)
	}
	if p3 := h.routing(token, p2[0].RoutingResult.ID); len(p3) != 0 {
		t.Fatalf("page 3: %+v", p3)
	}
	res := h.api("GET", pathRouting+"?marker=00000000-0000-4000-8000-000000000000", token, nil)
	expectStatus(t, res, 400)
}
