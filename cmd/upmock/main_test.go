package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/upmock/upmock/mocks/core"
)

// syncBuffer lets the test read what serve prints while serve runs.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var readyURL = regexp.MustCompile(`ready in \S+ on (\S+)`)

// startServe runs `upmock serve args...` until the returned stop is called.
func startServe(t *testing.T, args ...string) (url string, out *syncBuffer, stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out = &syncBuffer{}
	errc := make(chan error, 1)
	go func() {
		errc <- run(ctx, append([]string{"serve", "--listen", "127.0.0.1:0"}, args...), out, io.Discard)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if m := readyURL.FindStringSubmatch(out.String()); m != nil {
			return m[1], out, func() error { cancel(); return <-errc }
		}
		select {
		case err := <-errc:
			cancel()
			t.Fatalf("serve ended early: %v\n%s", err, out.String())
		case <-time.After(5 * time.Millisecond):
		}
	}
	cancel()
	t.Fatalf("serve did not become ready:\n%s", out.String())
	return "", nil, nil
}

func TestServePrintsBaseURLsAndWhereTheCredentialsAreAndShutsDown(t *testing.T) {
	url, out, stop := startServe(t)
	for _, want := range []string{"/atlas/v1", "/naccs", url + "/__upmock/credentials", "/__upmock/",
		"apiKey=atlas-key-tokyo-0001", "clientId=cp-tokyo-admin", "privateKeyFile=fixtures/ics2no/client/test-client-key.pem"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("banner lacks %q:\n%s", want, out.String())
		}
	}
	// Short: no PEM blocks; they are served at /__upmock/credentials.
	for _, long := range []string{"PRIVATE KEY", "CERTIFICATE"} {
		if strings.Contains(out.String(), long) {
			t.Errorf("banner prints %q:\n%s", long, out.String())
		}
	}
	if n := strings.Count(out.String(), "\n"); n > 20 {
		t.Errorf("banner has %d lines; keep it short:\n%s", n, out.String())
	}
	res, err := http.Get(url + "/__upmock/health")
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("health: %v %v", res, err)
	}
	res.Body.Close()
	if err := stop(); err != nil {
		t.Fatalf("graceful shutdown: %v", err)
	}
	if _, err := http.Get(url + "/__upmock/health"); err == nil {
		t.Fatal("still serving after shutdown")
	}
}

func TestServeTLSDemandsNothingOfAtlasAndWritesCerts(t *testing.T) {
	dir := t.TempDir()
	url, out, stop := startServe(t, "--tls", "--cert-dir", dir)
	defer stop()
	if !strings.HasPrefix(url, "https://") || !strings.Contains(out.String(), filepath.Join(dir, "client.pem")) {
		t.Fatalf("TLS banner:\n%s", out.String())
	}
	cfg, err := core.ClientTLSConfig(core.CertFilesIn(dir), false)
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}}
	res, err := client.Get(url + "/__upmock/health")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if _, err := http.Get(url + "/__upmock/health"); err == nil {
		t.Fatal("a client that does not trust the generated CA connected")
	}
	creds, err := client.Get(url + "/__upmock/credentials")
	if err != nil {
		t.Fatal(err)
	}
	defer creds.Body.Close()
	body, _ := io.ReadAll(creds.Body)
	if !strings.Contains(string(body), `"clientCert": "`+filepath.Join(dir, "client.pem")+`"`) {
		t.Fatalf("credentials lack the client certificate's path: %s", body)
	}
}

func TestServeRefusesBadFlags(t *testing.T) {
	cases := map[string][]string{
		"unknown api":        {"serve", "--apis", "nope"},
		"unknown log format": {"serve", "--log-format", "xml"},
		"missing fixtures":   {"serve", "--fixtures", "/does/not/exist"},
		"stray argument":     {"serve", "extra"},
		"port without api":   {"serve", "--port", "8443"},
		"port of no api":     {"serve", "--port", "nope=0"},
		"port not a number":  {"serve", "--port", "occto=https"},
		"unknown command":    {"launch"},
		"no command":         {},
	}
	for name, args := range cases {
		t.Run(name, func(t *testing.T) {
			var stderr bytes.Buffer
			if err := run(context.Background(), append(args, "--listen", "127.0.0.1:0"), io.Discard, &stderr); err == nil {
				t.Fatalf("upmock %v succeeded", args)
			}
		})
	}
}
