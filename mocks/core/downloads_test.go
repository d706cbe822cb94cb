package core_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/upmock/upmock/mocks/core"
)

// exportURL asks the fake's exportThing for a presigned URL of thing id in session.
func exportURL(t *testing.T, run *core.Running, session, id string) string {
	t.Helper()
	res := call(t, nil, "GET", sessionURL(run, session)+"/fake/v1/things/"+id+"/export", "")
	expect(t, res, http.StatusOK)
	return decode[struct{ URL string }](t, res).URL
}

// s3Error checks an S3-style XML error answer.
func s3Error(t *testing.T, res response, status int, code, message string) {
	t.Helper()
	body := string(res.body)
	if res.status != status || res.header.Get("Content-Type") != "application/xml" ||
		!strings.Contains(body, "<Code>"+code+"</Code>") || !strings.Contains(body, message) {
		t.Errorf("%s (%s), want %d <Code>%s</Code> %q", res, res.header.Get("Content-Type"), status, code, message)
	}
}

func TestDownloadURL(t *testing.T) {
	run := startServer(t, core.Options{})
	for _, session := range []string{"", "dl"} {
		u := exportURL(t, run, session, "1")
		if prefix := sessionURL(run, session) + "/s3/fake/things/1.txt?"; !strings.HasPrefix(u, prefix) {
			t.Errorf("URL %s, want it under %s", u, prefix)
		}
		parsed, err := url.Parse(u)
		if err != nil {
			t.Fatal(err)
		}
		q := parsed.Query()
		for k, want := range map[string]string{"X-Amz-Algorithm": "AWS4-HMAC-SHA256", "X-Amz-Expires": "60", "X-Amz-SignedHeaders": "host"} {
			if q.Get(k) != want {
				t.Errorf("%s = %q, want %q", k, q.Get(k), want)
			}
		}
		for _, k := range []string{"X-Amz-Credential", "X-Amz-Date", "X-Amz-Signature"} {
			if q.Get(k) == "" {
				t.Errorf("URL has no %s", k)
			}
		}
	}
}

func TestDownloadFetch(t *testing.T) {
	now := newFakeNow()
	run := startServer(t, core.Options{RealNow: now.Now})
	u := exportURL(t, run, "dl", "1")

	// A plain GET, no headers, in session dl.
	res := call(t, nil, "GET", u, "")
	if res.status != 200 || string(res.body) != "thing 1: one" || res.header.Get("Content-Type") != "text/plain" {
		t.Fatalf("%s (%s)", res, res.header.Get("Content-Type"))
	}
	head := call(t, nil, "HEAD", u, "")
	if head.status != 200 || len(head.body) != 0 || head.header.Get("Content-Length") != "12" {
		t.Errorf("HEAD: %s, Content-Length %q", head, head.header.Get("Content-Length"))
	}
	e := journal(t, run, "dl", "?limit=1")[0]
	if e.API != "fake" || e.Operation != "download" || e.Method != "HEAD" || e.Path != "/s3/fake/things/1.txt" || e.Status != 200 {
		t.Errorf("journal: %s %s %s %s %d", e.API, e.Operation, e.Method, e.Path, e.Status)
	}
	if got := journal(t, run, "dl", "?api=fake"); len(got) != 3 || got[1].Operation != "download" || got[1].ResponseBody != "thing 1: one" {
		t.Errorf("journal of fake: %+v", got)
	}
	// The URL is the session's own: the default session has no such file.
	other := strings.Replace(u, "/s/dl/", "/", 1)
	s3Error(t, call(t, nil, "GET", other, ""), 404, "NoSuchKey", "The specified key does not exist.")

	tests := []struct {
		name, url     string
		method        string
		status        int
		code, message string
	}{
		{"tampered signature", withSignature(t, u, func(s string) string { return strings.Repeat("0", len(s)) }), "GET", 403, "SignatureDoesNotMatch", "does not match"},
		{"other key, same signature", strings.Replace(u, "/things/1.txt", "/things/2.txt", 1), "GET", 403, "SignatureDoesNotMatch", "does not match"},
		{"longer validity, same signature", strings.Replace(u, "X-Amz-Expires=60", "X-Amz-Expires=6000", 1), "GET", 403, "SignatureDoesNotMatch", "does not match"},
		{"no query", strings.Split(u, "?")[0], "GET", 403, "AccessDenied", "requires"},
		{"not a GET", u, "PUT", 405, "MethodNotAllowed", "not allowed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s3Error(t, call(t, nil, tt.method, tt.url, ""), tt.status, tt.code, tt.message)
		})
	}
}

// withSignature replaces the URL's X-Amz-Signature by what replace makes of it.
func withSignature(t *testing.T, u string, replace func(string) string) string {
	t.Helper()
	p, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	q := p.Query()
	q.Set("X-Amz-Signature", replace(q.Get("X-Amz-Signature")))
	p.RawQuery = q.Encode()
	return p.String()
}

func TestDownloadExpiresOnTheSessionClock(t *testing.T) {
	now := newFakeNow()
	run := startServer(t, core.Options{RealNow: now.Now})
	u := exportURL(t, run, "dl", "1")
	steps := []struct {
		advance string
		status  int
	}{
		{"59s", 200},
		{"1s", 200}, // exactly at the expiry instant it is still valid
		{"1s", 403},
	}
	for _, s := range steps {
		expect(t, call(t, nil, "POST", sessionURL(run, "dl")+"/__upmock/clock", `{"advance":"`+s.advance+`"}`), http.StatusOK)
		res := call(t, nil, "GET", u, "")
		if s.status == 200 {
			expect(t, res, 200)
			continue
		}
		s3Error(t, res, 403, "AccessDenied", "Request has expired")
	}
	if e := journal(t, run, "dl", "?limit=1")[0]; e.Operation != "download" || e.Status != 403 || !strings.Contains(e.ResponseBody, "Request has expired") {
		t.Errorf("journal: %+v", e)
	}
	// Another session's clock does not expire it.
	if got := call(t, nil, "GET", sessionURL(run, "")+"/__upmock/clock", ""); !strings.Contains(string(got.body), `"offset": "0s"`) {
		t.Errorf("default clock moved: %s", got)
	}
}

func TestDownloadIsJournaledUnderTheKeysAPI(t *testing.T) {
	run := startServer(t, core.Options{})
	res := call(t, nil, "GET", run.URL()+"/other/v2/things/1/export", "")
	expect(t, res, http.StatusOK)
	u := decode[struct{ URL string }](t, res).URL
	if !strings.HasPrefix(u, run.URL()+"/s3/other/things/1.txt?") {
		t.Fatalf("URL %s", u)
	}
	expect(t, call(t, nil, "GET", u, ""), http.StatusOK)
	if got := journal(t, run, "", "?api=fake"); len(got) != 0 {
		t.Errorf("journaled under fake: %+v", got)
	}
	got := journal(t, run, "", "?api=other")
	if len(got) != 2 || got[1].Operation != "download" || got[1].Path != "/s3/other/things/1.txt" || got[1].Query == "" {
		t.Errorf("journal of other: %+v", got)
	}
}

func TestDownloadUnknownKeyAfterReset(t *testing.T) {
	run := startServer(t, core.Options{})
	u := exportURL(t, run, "dl", "1")
	expect(t, call(t, nil, "GET", u, ""), 200)
	expect(t, call(t, nil, "POST", sessionURL(run, "dl")+"/__upmock/reset", ""), http.StatusNoContent)
	s3Error(t, call(t, nil, "GET", u, ""), 404, "NoSuchKey", "The specified key does not exist.")
	if e := journal(t, run, "dl", "")[0]; e.API != "fake" || e.Operation != "download" || e.Status != 404 {
		t.Errorf("journal: %+v", e)
	}
}

func TestDownloadsPut(t *testing.T) {
	now := newFakeNow()
	clock := core.NewClock(now.Now)
	d := core.NewDownloads(clock, []byte("secret"))
	u := d.Put("http://host/s/x", "api", "a b/c&d.json", "application/json", []byte("{}"), 90*time.Second)
	if !strings.HasPrefix(u, "http://host/s/x/s3/api/a%20b/c&d.json?") {
		t.Errorf("URL %s does not escape the key's segments", u)
	}
	p, _ := url.Parse(u)
	if got := p.Query().Get("X-Amz-Date"); got != "20261125T100000Z" {
		t.Errorf("X-Amz-Date %s, want the clock's 20261125T100000Z", got)
	}
	if got := p.Query().Get("X-Amz-Credential"); got != "UPMOCKACCESSKEY/20261125/ap-northeast-1/s3/aws4_request" {
		t.Errorf("X-Amz-Credential %s", got)
	}
	other := core.NewDownloads(clock, []byte("other secret")).Put("http://host", "api", "a b/c&d.json", "application/json", nil, 90*time.Second)
	if q1, q2 := p.Query().Get("X-Amz-Signature"), mustQuery(t, other).Get("X-Amz-Signature"); q1 == q2 {
		t.Error("two secrets sign alike")
	}
}

func mustQuery(t *testing.T, u string) url.Values {
	t.Helper()
	p, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	return p.Query()
}
