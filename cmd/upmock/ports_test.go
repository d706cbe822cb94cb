package main

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var rootURL = regexp.MustCompile(`(https?://\S+)/  \(at the root of its own listener\)`)

// TestServeAPIsAtTheRootOfTheirOwnListeners: `serve --port occto=0,atlas=0` serves each API at
// "/" of its own listener, so a client that posts absolute upstream paths needs only the host
// changed; the main listener keeps serving every API under its base path; sessions are
// reachable by prefix or header on the root listener.
func TestServeAPIsAtTheRootOfTheirOwnListeners(t *testing.T) {
	main, out, stop := startServe(t, "--port", "occto=0,atlas=0")
	defer stop()
	roots := rootURL.FindAllStringSubmatch(out.String(), -1)
	if len(roots) != 2 {
		t.Fatalf("banner names %d root listeners, want 2:\n%s", len(roots), out.String())
	}
	atlasRoot, occtoRoot := roots[0][1], roots[1][1] // the banner's order: atlas, then occto

	// OCCTO's absolute upstream path on its own listener, answered as on the main listener.
	form := url.Values{"userid": {"UPM9A00101"}, "password": {"occto-pass-9A001-01"}}
	const list = "/service/RP12/OCCTO/api/listDownload/getBA13B006FileList"
	atRoot := post(t, occtoRoot+list, form, nil)
	onMain := post(t, main+"/occto"+list, form, nil)
	if atRoot.StatusCode != 200 || atRoot.Header.Get("resultcode") != onMain.Header.Get("resultcode") || atRoot.Header.Get("resultcode") == "" {
		t.Fatalf("OCCTO at the root: %d resultcode %q; on main %d %q", atRoot.StatusCode, atRoot.Header.Get("resultcode"), onMain.StatusCode, onMain.Header.Get("resultcode"))
	}
	// ATLAS at the root: its own 403 for an unknown path, not upmock's.
	if res := get(t, atlasRoot+"/nothing-here", nil); res.StatusCode != 403 {
		t.Fatalf("ATLAS unknown path at the root: %d, want ATLAS's 403", res.StatusCode)
	}
	// Another API's base path is not served on ATLAS's root listener.
	if res := post(t, atlasRoot+"/occto"+list, form, nil); res.StatusCode != 403 {
		t.Fatalf("OCCTO path on ATLAS's listener: %d, want ATLAS's 403", res.StatusCode)
	}

	// Sessions: by prefix and by header, journaled in that session.
	post(t, occtoRoot+"/s/by-prefix"+list, form, nil)
	post(t, occtoRoot+list, form, map[string]string{"X-Upmock-Session": "by-header"})
	for _, session := range []string{"by-prefix", "by-header"} {
		body := readAll(t, get(t, main+"/s/"+session+"/__upmock/requests?api=occto", nil))
		if !strings.Contains(body, "getBA13B006FileList") {
			t.Fatalf("session %s journal lacks the call: %s", session, body)
		}
	}
	// The control API answers on the root listener too.
	if res := get(t, occtoRoot+"/__upmock/health", nil); res.StatusCode != 200 {
		t.Fatalf("health on the root listener: %d", res.StatusCode)
	}
}

func post(t *testing.T, u string, form url.Values, headers map[string]string) *http.Response {
	t.Helper()
	req, err := http.NewRequest("POST", u, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return do(t, req, headers)
}

func get(t *testing.T, u string, headers map[string]string) *http.Response {
	t.Helper()
	req, err := http.NewRequest("GET", u, nil)
	if err != nil {
		t.Fatal(err)
	}
	return do(t, req, headers)
}

func do(t *testing.T, req *http.Request, headers map[string]string) *http.Response {
	t.Helper()
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	return res
}

func readAll(t *testing.T, res *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
