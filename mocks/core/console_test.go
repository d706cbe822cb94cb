package core_test

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/upmock/upmock/mocks/core"
)

func TestConsolePageIsServedPerSession(t *testing.T) {
	run := startServer(t, core.Options{})
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, session := range []string{"", "dev"} {
		base := sessionURL(run, session) + "/__upmock/ui"
		res := call(t, noRedirect, "GET", base, "")
		if res.status != http.StatusMovedPermanently || res.header.Get("Location") != "ui/" {
			t.Fatalf("GET %s: %d Location %q, want 301 to ui/", base, res.status, res.header.Get("Location"))
		}
		for file, ctype := range map[string]string{"/": "text/html", "/index.html": "text/html", "/console.js": "text/javascript", "/console.css": "text/css"} {
			res := call(t, nil, "GET", base+file, "")
			expect(t, res, http.StatusOK)
			if !strings.HasPrefix(res.header.Get("Content-Type"), ctype) {
				t.Errorf("%s: Content-Type %q, want %s", file, res.header.Get("Content-Type"), ctype)
			}
		}
		for _, missing := range []string{"/nope.js", "/../control.go", "/%2e%2e/control.go"} {
			if res := call(t, nil, "GET", base+missing, ""); res.status != http.StatusNotFound {
				t.Errorf("GET %s%s: %d, want 404", base, missing, res.status)
			}
		}
	}
}

func TestConsoleSessionsList(t *testing.T) {
	run := startServer(t, core.Options{})
	for range 3 {
		call(t, nil, "GET", sessionURL(run, "busy")+"/fake/v1/things/1", "")
	}
	call(t, nil, "GET", sessionURL(run, "quiet")+"/fake/v1/things/1", "")
	res := call(t, nil, "GET", run.URL()+"/__upmock/sessions", "")
	expect(t, res, http.StatusOK)
	got := map[string]core.SessionSummary{}
	for _, s := range decode[struct{ Sessions []core.SessionSummary }](t, res).Sessions {
		got[s.Name] = s
	}
	if b := got["busy"]; b.Requests != 3 || b.LastSeq != 3 || b.JournalBytes == 0 || b.LastActivity.IsZero() {
		t.Errorf("busy session: %+v, want 3 requests, last seq 3, bodies counted, an activity time", b)
	}
	if q := got["quiet"]; q.Requests != 1 {
		t.Errorf("quiet session: %+v, want 1 request", q)
	}
	if _, ok := got[core.DefaultSession]; !ok {
		t.Errorf("sessions %v: the default session is missing", got)
	}
}

func TestConsoleRequestsSince(t *testing.T) {
	run := startServer(t, core.Options{})
	for i := 1; i <= 4; i++ {
		call(t, nil, "GET", fmt.Sprintf("%s/fake/v1/things/%d", run.URL(), i), "")
	}
	var seqs []int64
	for _, e := range journal(t, run, "", "?since=2") {
		seqs = append(seqs, e.Seq)
	}
	if fmt.Sprint(seqs) != "[3 4]" {
		t.Errorf("since=2 gave %v, want [3 4]", seqs)
	}
	if got := journal(t, run, "", "?since=4"); len(got) != 0 {
		t.Errorf("since=4 gave %d entries, want none", len(got))
	}
	controlError(t, call(t, nil, "GET", run.URL()+"/__upmock/requests?since=x", ""), http.StatusBadRequest, "since")
}

// zipBase64 builds a ZIP holding files (name, text pairs) and returns it Base64-encoded.
func zipBase64(t *testing.T, files ...string) string {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i+1 < len(files); i += 2 {
		w, err := zw.Create(files[i])
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write([]byte(files[i+1]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(buf.Bytes())
}

func TestConsoleDecodesZIPPayloads(t *testing.T) {
	srv, err := core.NewServer(core.Options{APIs: []core.API{newFakeAPI(t, "fake", "/fake/v1")}})
	if err != nil {
		t.Fatal(err)
	}
	run, err := core.Listen(srv, "127.0.0.1:0", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = run.Close() })
	// A Base64 ZIP inside a JSON request (refused by the document, journaled all the same),
	// and a raw ZIP as an answer body.
	payload := zipBase64(t, "plan.xml", "<PLAN><NO>0000000001</NO></PLAN>", "note.txt", "hello")
	expect(t, call(t, nil, "POST", run.URL()+"/fake/v1/things", `{"name":"`+payload+`"}`), http.StatusBadRequest)
	raw, _ := base64.StdEncoding.DecodeString(zipBase64(t, "BA13_B103.xml", "<ROOT/>"))
	sess, err := srv.Session(core.DefaultSession)
	if err != nil {
		t.Fatal(err)
	}
	sess.Journal.Add(core.Entry{API: "fake", Method: "GET", Path: "/fake/v1/zip", Status: 200, ResponseBody: string(raw)})

	decoded := func(seq int64) []core.DecodedPart {
		res := call(t, nil, "GET", fmt.Sprintf("%s/__upmock/requests/%d/decoded", run.URL(), seq), "")
		expect(t, res, http.StatusOK)
		return decode[struct{ Parts []core.DecodedPart }](t, res).Parts
	}
	parts := decoded(1)
	if len(parts) != 1 || parts[0].Where != "request" || len(parts[0].Entries) != 2 ||
		parts[0].Entries[0].Name != "plan.xml" || parts[0].Entries[0].Text != "<PLAN><NO>0000000001</NO></PLAN>" || parts[0].Entries[1].Text != "hello" {
		t.Errorf("request with a Base64 ZIP: %+v", parts)
	}
	parts = decoded(2)
	if len(parts) != 1 || parts[0].Where != "response" || len(parts[0].Entries) != 1 || parts[0].Entries[0].Text != "<ROOT/>" {
		t.Errorf("raw ZIP answer: %+v", parts)
	}
	controlError(t, call(t, nil, "GET", run.URL()+"/__upmock/requests/999/decoded", ""), http.StatusNotFound, "no journal entry 999")
}

func TestConsoleDeletesOneFault(t *testing.T) {
	run := startServer(t, core.Options{})
	faults := run.URL() + "/__upmock/faults"
	first := decode[core.Fault](t, call(t, nil, "POST", faults, `{"api":"fake","status":503}`))
	second := decode[core.Fault](t, call(t, nil, "POST", faults, `{"api":"other","status":500}`))
	expect(t, call(t, nil, "DELETE", fmt.Sprintf("%s/%d", faults, first.ID), ""), http.StatusNoContent)
	left := decode[struct{ Faults []core.Fault }](t, call(t, nil, "GET", faults, "")).Faults
	if len(left) != 1 || left[0].ID != second.ID {
		t.Errorf("faults after deleting %d: %+v, want only %d", first.ID, left, second.ID)
	}
	controlError(t, call(t, nil, "DELETE", fmt.Sprintf("%s/%d", faults, first.ID), ""), http.StatusNotFound, "no armed fault")
}

func TestConsoleConformanceReport(t *testing.T) {
	run := startServer(t, core.Options{})
	url := sessionURL(run, "ci") + "/__upmock/conformance"
	controlError(t, call(t, nil, "GET", url, ""), http.StatusNotFound, "no conformance report")
	controlError(t, call(t, nil, "PUT", url, `{"verdicts":1}`), http.StatusBadRequest, "unknown field")
	expect(t, call(t, nil, "PUT", url, `{"summary":{"passed":1,"failed":1},"rules":[{"id":"ATLAS-AUTH-1","verdict":"passed"},{"id":"ATLAS-DL-1","verdict":"failed","message":"sent X-ATLAS-API-Key"}],"html":"<p>report</p>"}`), http.StatusNoContent)
	rep := decode[core.ConformanceReport](t, call(t, nil, "GET", url, ""))
	if len(rep.Rules) != 2 || rep.Rules[1].Message != "sent X-ATLAS-API-Key" || rep.HTML != "<p>report</p>" || rep.Received.IsZero() {
		t.Errorf("report read back: %+v", rep)
	}
	// Reports are per session.
	controlError(t, call(t, nil, "GET", run.URL()+"/__upmock/conformance", ""), http.StatusNotFound, "no conformance report")
}
