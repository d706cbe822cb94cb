package core_test

// The control API answers the user only: not other machines without the token, not web pages.

import (
	"net/http"
	"strings"
	"testing"

	"github.com/upmock/upmock/mocks/core"
)

func TestControlToken(t *testing.T) {
	run := startServer(t, core.Options{ControlToken: "s3cret"})
	url := run.URL() + "/__upmock/credentials"
	res := call(t, nil, "GET", url, "")
	controlError(t, res, http.StatusUnauthorized, "Authorization: Bearer")
	if res.header.Get("WWW-Authenticate") == "" {
		t.Fatal("401 without WWW-Authenticate")
	}
	controlError(t, call(t, nil, "GET", url, "", "Authorization", "Bearer wrong"), http.StatusUnauthorized, "control token")
	controlError(t, call(t, nil, "GET", url, "", "Authorization", "Basic s3cret"), http.StatusUnauthorized, "control token")
	expect(t, call(t, nil, "GET", url, "", "Authorization", "Bearer s3cret"), http.StatusOK)
	// Every control endpoint and every session's, but not the mocked APIs.
	controlError(t, call(t, nil, "POST", run.URL()+"/s/x/__upmock/reset", ""), http.StatusUnauthorized, "control token")
	expect(t, call(t, nil, "POST", run.URL()+"/s/x/__upmock/reset", "", "Authorization", "Bearer s3cret"), http.StatusNoContent)
	expect(t, call(t, nil, "GET", run.URL()+"/fake/v1/things/1", ""), http.StatusOK)
	// With a token any name reaches the control API (http://upmock:8080 in a CI network):
	// a rebinding page cannot know the token. Web pages are refused all the same.
	expect(t, call(t, nil, "GET", url, "", "Authorization", "Bearer s3cret", "Host", "upmock:8080"), http.StatusOK)
	controlError(t, call(t, nil, "GET", url, "", "Authorization", "Bearer s3cret", "Origin", "http://evil.example"), http.StatusForbidden, "cross-origin")
	// The console's page loads without it (it holds no data, and asks for the token).
	expect(t, call(t, nil, "GET", run.URL()+"/s/x/__upmock/ui/", ""), http.StatusOK)
	controlError(t, call(t, nil, "GET", run.URL()+"/__upmock/sessions", ""), http.StatusUnauthorized, "control token")
}

func TestListenBeyondLoopbackNeedsAToken(t *testing.T) {
	srv, err := core.NewServer(core.Options{APIs: []core.API{newFakeAPI(t, "fake", "/fake/v1")}})
	if err != nil {
		t.Fatal(err)
	}
	for _, addr := range []string{"0.0.0.0:0", ":0", "[::]:0"} {
		_, err := core.Listen(srv, addr, nil)
		if err == nil || !strings.Contains(err.Error(), "--control-token") || !strings.Contains(err.Error(), core.ControlTokenEnv) {
			t.Fatalf("Listen(%s) without a token: %v, want a refusal saying how to set one", addr, err)
		}
	}
	for _, addr := range []string{"127.0.0.1:0", "localhost:0", "127.0.0.2:0"} {
		if !core.IsLoopbackListen(addr) {
			t.Fatalf("%s counted as beyond loopback", addr)
		}
	}
	srv, err = core.NewServer(core.Options{APIs: []core.API{newFakeAPI(t, "fake", "/fake/v1")}, ControlToken: "t"})
	if err != nil {
		t.Fatal(err)
	}
	run, err := core.Listen(srv, "0.0.0.0:0", nil)
	if err != nil {
		t.Fatalf("Listen(0.0.0.0) with a token: %v", err)
	}
	_ = run.Close()
}

func TestControlRefusesWebPages(t *testing.T) {
	run := startServer(t, core.Options{AllowHosts: []string{"upmock.internal"}})
	host := run.Addr().String()
	maintenance := run.URL() + "/__upmock/maintenance"
	body := `{"api":"fake","enabled":false}`
	tests := []struct {
		name    string
		headers []string
		status  int
		has     string
	}{
		{"a form's text/plain body", []string{"Content-Type", "text/plain"}, 415, "application/json"},
		{"no content type", []string{"Content-Type", ""}, 415, "application/json"},
		{"another origin", []string{"Origin", "http://evil.example"}, 403, "cross-origin"},
		{"another port of loopback", []string{"Origin", "http://127.0.0.1:1"}, 403, "cross-origin"},
		{"a sandboxed page", []string{"Origin", "null"}, 403, "cross-origin"},
		{"fetch metadata", []string{"Sec-Fetch-Site", "cross-site"}, 403, "cross-origin"},
		{"a rebound DNS name", []string{"Host", "evil.example:" + strings.Split(host, ":")[1]}, 403, "--allow-host"},
		{"same origin", []string{"Origin", "http://" + host, "Sec-Fetch-Site", "same-origin"}, 200, ""},
		{"JSON with a charset", []string{"Content-Type", "application/json; charset=utf-8"}, 200, ""},
		{"localhost", []string{"Host", "localhost:1"}, 200, ""},
		{"an allowed name", []string{"Host", "UPMOCK.internal:80"}, 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := call(t, nil, "POST", maintenance, body, tt.headers...)
			if tt.status == 200 {
				expect(t, res, 200)
				return
			}
			controlError(t, res, tt.status, tt.has)
		})
	}
	// A page's empty cross-origin POST is refused too, and the mocked APIs take any Host.
	controlError(t, call(t, nil, "POST", run.URL()+"/__upmock/reset", "", "Origin", "http://evil.example"), 403, "cross-origin")
	expect(t, call(t, nil, "GET", run.URL()+"/fake/v1/things/1", "", "Host", "api.example.com"), http.StatusOK)
}
