package atlas_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/upmock/upmock/mocks/atlas"
)

func TestGatewayAndMaintenanceAnswers(t *testing.T) {
	h := newHarness(t)
	t.Run("unknown endpoint is 403 message-only", func(t *testing.T) {
		for _, path := range []string{"/nope", "/shipping/item/extra"} {
			r := h.call("GET", path, nil)
			if r.status != 403 || string(r.body) != `{"message":"Forbidden"}` {
				t.Fatalf("%s: %d %s", path, r.status, r.body)
			}
		}
		if r := h.call("DELETE", "/shipping/item", nil); r.status != 403 {
			t.Fatalf("wrong method: %d %s", r.status, r.body)
		}
	})
	t.Run("maintenance answers 503 / 901 on every operation", func(t *testing.T) {
		expectStatus(t, h.control("POST", "/maintenance", map[string]any{"api": "atlas", "enabled": true}), 200)
		r := h.call("GET", "/log/credentials", nil, "X-ATLAS-API-Key", "") // even unauthenticated
		want := `{"title":"ServiceUnavailable","errorCode":901,"detail":"system maintenance.","traceId":"","invalidParams":[]}`
		if r.status != 503 || string(r.body) != want {
			t.Fatalf("maintenance: %d %s", r.status, r.body)
		}
		expectStatus(t, h.control("POST", "/maintenance", map[string]any{"api": "atlas", "enabled": false}), 200)
		expectStatus(t, h.call("GET", "/log/credentials", nil), 200)
	})
	for _, c := range []struct {
		status int
		body   string
	}{
		{500, `{"message":"Internal Server Error"}`},
		{504, `{"message":"Endpoint request timed out"}`},
	} {
		t.Run("fault "+http.StatusText(c.status), func(t *testing.T) {
			expectStatus(t, h.control("POST", "/faults", map[string]any{"api": "atlas", "path": "/log/*", "status": c.status}), 201)
			r := h.call("GET", "/log/credentials", nil)
			if r.status != c.status || string(r.body) != c.body {
				t.Fatalf("fault %d: %d %s", c.status, r.status, r.body)
			}
			expectStatus(t, h.call("GET", "/log/credentials", nil), 200) // count 1: used up
		})
	}
}

func TestAfterPhaseFaultCommitsThenFails(t *testing.T) {
	h := newHarness(t)
	expectStatus(t, h.control("POST", "/faults", map[string]any{"api": "atlas", "method": "POST", "path": "/shipping/*", "status": 504, "phase": "after"}), 201)
	body := h.registration(slipA, nil, item("T-1", "AB01", "/P1/"))
	if r := h.call("POST", "/shipping/item", body); r.status != 504 {
		t.Fatalf("after-phase fault: %d %s", r.status, r.body)
	}
	// The request was committed: the same transactionId is now a duplicate, and the data arrives.
	expectProblem(t, h.call("POST", "/shipping/item", body), 400, 200, "the transactionId="+body["transactionId"].(string)+" has already been registered.")
	h.advance(delay)
	if items, _, _ := h.shipped(""); len(items) != 1 {
		t.Fatalf("committed registration not visible: %v", keys(items))
	}
	entries := h.sess.Journal.List("atlas", 0)
	if !strings.Contains(entries[0].Fault, "504") || entries[0].Status != 504 {
		t.Fatalf("journal of the faulted request: %+v", entries[0])
	}
}

func TestSessionsAreIsolated(t *testing.T) {
	h := newHarness(t)
	sessionURL := func(name string) string { return h.srv.URL() + "/s/" + name + atlas.BasePath }
	post := func(name string) response {
		return h.raw("POST", sessionURL(name)+"/shipping/item", h.registration(slipA, nil, item("T-1", "AB01", "/P1/")),
			map[string]string{"X-ATLAS-API-Key": tokyoKey, "Authorization": h.freshJWT(), "Content-Type": "application/json"})
	}
	expectStatus(t, post("one"), 204)
	one, err := h.srv.Session("one")
	if err != nil {
		t.Fatal(err)
	}
	if n := len(one.Journal.List("atlas", 0)); n != 1 {
		t.Fatalf("session one journal has %d entries", n)
	}
	if n := len(h.sess.Journal.List("atlas", 0)); n != 0 {
		t.Fatalf("default session saw %d requests of session one", n)
	}
	one.Clock.Advance(delay)
	two, _ := h.srv.Session("two")
	if two.Clock.Now().Sub(h.sess.Clock.Now()) > delay/2 {
		t.Fatal("advancing session one's clock moved session two's")
	}
	state := h.raw("GET", h.srv.URL()+"/s/one/__upmock/state/atlas", nil, nil)
	if !strings.Contains(string(state.body), `"T-1"`) {
		t.Fatalf("session one state lacks its registration: %s", state.body)
	}
	if other := h.control("GET", "/state/atlas", nil); strings.Contains(string(other.body), `"T-1"`) {
		t.Fatal("the default session holds session one's registration")
	}
}

func TestStateRoundTripAndReset(t *testing.T) {
	h := newHarness(t)
	expectStatus(t, h.call("POST", "/shipping/item", h.registration(slipA, nil, item("T-1", "AB01", "/P1/"))), 204)
	h.advance(delay)
	saved := h.control("GET", "/state/atlas", nil)
	expectStatus(t, h.control("POST", "/reset", nil), 204)
	if items, _, _ := h.shipped(""); len(items) != 0 {
		t.Fatal("reset kept registrations")
	}
	expectStatus(t, h.control("PUT", "/state/atlas", saved.body), 204)
	if items, _, _ := h.shipped(""); len(items) != 1 {
		t.Fatal("PUT state did not restore the registration")
	}
	expectStatus(t, h.control("PUT", "/state/atlas", `{"tenants":[{"tenantId":"x","apiKeys":[{"apiKey":"k","apiSecret":"s","baseId":"missing"}]}]}`), 400)
	expectStatus(t, h.control("PATCH", "/settings/atlas", `{"recordsPerFile":0}`), 400)
	expectStatus(t, h.control("PATCH", "/settings/atlas", `{"noSuchSetting":1}`), 400)
}
