package ics2no_test

import (
	"encoding/json"
	"io/fs"
	"reflect"
	"strings"
	"testing"

	"github.com/upmock/upmock/fixtures"
	"github.com/upmock/upmock/mocks/core"
	"github.com/upmock/upmock/mocks/ics2no"
)

// seedTable is the playground's table as seed 001 prints it, byte for byte: the empty cells
// of rows 1–6 are no-break spaces (U+00A0), the receptacle column of rows 3–8 is left out.
const seedTable = "Entry Summary Declaration MRN Receptacle ID TransportDocumentHouseLevel \u2013 documentNumber TransportDocumentHouseLevel \u2013 type ContainerId Routing\n" +
	"23NO00000000000001 GBASFZMLBKONAUN30001001019999 NO100000001MU N750 \u00a0 \u00a0\n" +
	"23NO00000000000002 GBASFZMLBKONAUN30001001019999 NO100000002MU N750 \u00a0 \u00a0\n" +
	"23NO00000000000003 HC001 N740 \u00a0 \u00a0\n" +
	"23NO00000000000003 HC002 N740 \u00a0 \u00a0\n" +
	"23NO00000000000004 HC001 N703 \u00a0 \u00a0\n" +
	"23NO00000000000004 HC002 N703 \u00a0 \u00a0\n" +
	"23NO00000000000005 HC004 N714 JARU0000010 TO_CONTROL\n" +
	"23NO00000000000005 HC004 N714 JARU0000026 TO_ENTRY\n"

func TestTheStaticListIsTheSeedsTable(t *testing.T) {
	raw, err := fs.ReadFile(fixtures.FS, "ics2no/playground-static-list.txt")
	if err != nil {
		t.Fatal(err)
	}
	if string(raw) != seedTable {
		t.Fatalf("fixtures/ics2no/playground-static-list.txt is not the seed's table byte for byte:\n%q\nwant\n%q", raw, seedTable)
	}
	h := newHarness(t)
	var creds struct {
		ICS2 ics2no.Credentials `json:"ics2no"`
	}
	h.control("GET", "/credentials", nil).json(t, &creds)
	if creds.ICS2.PlaygroundStaticList != seedTable {
		t.Fatalf("credentials serve %q", creds.ICS2.PlaygroundStaticList)
	}
	want := []ics2no.Row{
		{Row: 1, MRN: "23NO00000000000001", ReceptacleID: "GBASFZMLBKONAUN30001001019999", DocumentNumber: "NO100000001MU", Type: "N750"},
		{Row: 2, MRN: "23NO00000000000002", ReceptacleID: "GBASFZMLBKONAUN30001001019999", DocumentNumber: "NO100000002MU", Type: "N750"},
		{Row: 3, MRN: "23NO00000000000003", DocumentNumber: "HC001", Type: "N740"},
		{Row: 4, MRN: "23NO00000000000003", DocumentNumber: "HC002", Type: "N740"},
		{Row: 5, MRN: "23NO00000000000004", DocumentNumber: "HC001", Type: "N703"},
		{Row: 6, MRN: "23NO00000000000004", DocumentNumber: "HC002", Type: "N703"},
		{Row: 7, MRN: "23NO00000000000005", DocumentNumber: "HC004", Type: "N714", ContainerID: "JARU0000010", Routing: "TO_CONTROL"},
		{Row: 8, MRN: "23NO00000000000005", DocumentNumber: "HC004", Type: "N714", ContainerID: "JARU0000026", Routing: "TO_ENTRY"},
	}
	if !reflect.DeepEqual(creds.ICS2.PlaygroundRows, want) {
		t.Fatalf("rows read from the table:\n%+v\nwant\n%+v", creds.ICS2.PlaygroundRows, want)
	}
	if got := strings.Join(creds.ICS2.TransportDocumentTypes, " "); got != "C624 C625 C664 C665 N703 N704 N705 N714 N720 N722 N730 N740 N741 N750 N760" {
		t.Fatalf("CL754 as the seed lists it: %s", got)
	}
	if creds.ICS2.Scope != "toll:movement/entry" || creds.ICS2.CustomsOfficesOfPresentation[0] != "NO351001" {
		t.Fatalf("credentials %+v", creds.ICS2)
	}
}

func TestCredentialsNameTheTestClientAndItsKey(t *testing.T) {
	h := newHarness(t)
	var creds struct {
		MP ics2no.MPCredentials `json:"maskinporten"`
	}
	h.control("GET", "/credentials", nil).json(t, &creds)
	if len(creds.MP.Clients) != 1 {
		t.Fatalf("credentials %+v", creds.MP)
	}
	c := creds.MP.Clients[0]
	keyPEM, _ := fs.ReadFile(fixtures.FS, "ics2no/client/test-client-key.pem")
	if c.ClientID != clientID || c.Kid != kid || c.PrivateKeyFile != "fixtures/ics2no/client/test-client-key.pem" ||
		c.PrivateKeyPEM != string(keyPEM) || !strings.Contains(c.CertificatePEM, "BEGIN CERTIFICATE") ||
		!reflect.DeepEqual(c.Scopes, []string{"toll:movement/entry", "toll:movement/road"}) {
		t.Fatalf("client %+v", c)
	}
}

func TestStateRoundTripAndOrgs(t *testing.T) {
	h := newHarness(t)
	token := h.customsToken()
	body := h.hc("HC004", "N714", "JARU0000010")
	h.presentAndProcess(token, pathHC, body)
	var state ics2no.State
	h.control("GET", "/state/ics2no", nil).json(t, &state)
	if len(state.Requests) != 1 || state.Requests[0].Outcome == nil || !reflect.DeepEqual(state.Requests[0].Outcome.Rows, []int{7}) ||
		len(state.Signals) != 1 || state.Signals[0].Org != orgNo {
		t.Fatalf("state %+v", state)
	}
	// Another organisation's requests and signals are not this client's.
	state.Requests[0].Org, state.Signals[0].Org = "999999999", "999999999"
	expectStatus(t, h.control("PUT", "/state/ics2no", state), 204)
	expectStatus(t, h.api("GET", pathStatus+"?requestId="+body["requestId"].(string), token, nil), 404)
	if got := h.routing(token, ""); len(got) != 0 {
		t.Fatalf("another org's signals: %+v", got)
	}
	// Its goods are presented all the same.
	expectFailure(t, h.presentAndProcess(token, pathENS, h.ens("23NO00000000000005")), verr("Sendingen er allerede fremlagt", "mrn"))

	bad := map[string]any{"requests": []any{}, "signals": []any{map[string]any{"id": "x", "org": orgNo, "row": 3}}}
	expectStatus(t, h.control("PUT", "/state/ics2no", bad), 400)

	expectStatus(t, h.control("POST", "/reset?api=ics2no", nil), 204)
	h.control("GET", "/state/ics2no", nil).json(t, &state)
	if len(state.Requests)+len(state.Signals) != 0 {
		t.Fatalf("state after reset %+v", state)
	}
}

func TestUnroutedAndFaults(t *testing.T) {
	h := newHarness(t)
	res := h.do("GET", h.srv.URL()+"/ics2no/api/movement/presentation/v2/nothing", "", nil)
	expectStatus(t, res, 404)
	var e ics2no.HTTPError
	res.json(t, &e)
	if e.Path != "/api/movement/presentation/v2/nothing" || e.Error != "Not Found" {
		t.Fatalf("404 body %s", res.body)
	}
	expectStatus(t, h.do("DELETE", h.srv.URL()+"/ics2no"+pathRouting, "", nil), 405)
	expectStatus(t, h.do("GET", h.srv.URL()+"/maskinporten/.well-known/nothing", "", nil), 404)

	if _, err := h.sess.AddFault(core.Fault{API: "ics2no", Path: "/api/movement/*", Status: 503}); err != nil {
		t.Fatal(err)
	}
	res = h.api("GET", pathRouting, "x", nil)
	if res.status != 503 || string(res.body) != "no healthy upstream" {
		t.Fatalf("503 fault: %d %s", res.status, res.body)
	}
	if _, err := h.sess.AddFault(core.Fault{API: "maskinporten", Status: 500}); err != nil {
		t.Fatal(err)
	}
	res = h.postToken(grantForm(h.goodGrant()))
	var oe ics2no.OAuthError
	res.json(t, &oe)
	if res.status != 500 || oe.Error != "server_error" {
		t.Fatalf("500 fault: %d %s", res.status, res.body)
	}
}

func TestSettingsAreChecked(t *testing.T) {
	h := newHarness(t)
	for _, bad := range []map[string]any{{"routingPageSize": 0}, {"processingDelay": "-1s"}, {"customsTokenTTL": "1s"}, {"unknown": true}} {
		expectStatus(t, h.control("PATCH", "/settings/ics2no", bad), 400)
	}
	var s ics2no.Settings
	h.control("GET", "/settings/ics2no", nil).json(t, &s)
	raw, _ := json.Marshal(s)
	if string(raw) != `{"processingDelay":"2s","routingDelay":"0s","routingPageSize":100,"customsTokenTTL":"1h0m0s","bearerClockSkew":"1m0s"}` {
		t.Fatalf("settings %s", raw)
	}
	expectStatus(t, h.control("PATCH", "/settings/ics2no", map[string]any{"customsTokenTTL": "5m"}), 200)
	res := h.postExchange(exchangeForm(h.maskinportenToken()))
	var tr ics2no.CustomsTokenResponse
	res.json(t, &tr)
	if tr.ExpiresIn != 299 {
		t.Fatalf("expires_in %d after customsTokenTTL 5m", tr.ExpiresIn)
	}
}
