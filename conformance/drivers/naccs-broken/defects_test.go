package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/upmock/upmock/conformance/clients/naccsclient"
	"github.com/upmock/upmock/conformance/drivers/naccsdriver"
)

func TestEveryDefectBreaksSomething(t *testing.T) {
	if len(defects) < 4 {
		t.Fatalf("%d defects", len(defects))
	}
	for name, d := range defects {
		if d.breaks == "" || len(d.options) == 0 {
			t.Errorf("%s: no description or options", name)
		}
	}
}

// verifying answers 204 to a delivery that verifies and 401 otherwise, recording IDs.
func verifying(secret string, ids *[]string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		*ids = append(*ids, r.Header.Get(naccsclient.HeaderDelivery))
		body := make([]byte, r.ContentLength)
		_, _ = r.Body.Read(body)
		if naccsclient.Verify(secret, r.Header.Get(naccsclient.HeaderSignature), body, time.Now(), time.Minute) != nil {
			w.WriteHeader(401)
			return
		}
		w.WriteHeader(204)
	})
}

func TestReceiverMiddlewares(t *testing.T) {
	s := naccsdriver.Settings{SigningSecret: "k"}
	var ids []string
	post := func(h http.Handler, id string) int {
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{"data":{}}`))
		req.Header.Set(naccsclient.HeaderDelivery, id)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code
	}
	if got := post(acceptForged(s, verifying("k", &ids)), "d1"); got != 204 {
		t.Fatalf("acceptForged let the receiver refuse an unsigned delivery: %d", got)
	}
	ids = nil
	double := doubleProcess(s, verifying("k", &ids))
	post(double, "same")
	post(double, "same")
	if len(ids) != 2 || ids[0] == ids[1] || ids[0] == "same" {
		t.Fatalf("doubleProcess delivery IDs %v", ids)
	}
}
