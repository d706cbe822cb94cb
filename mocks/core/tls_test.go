package core_test

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/upmock/upmock/mocks/core"
)

func readCerts(t *testing.T, files core.CertFiles) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, p := range []string{files.CACert, files.ServerCert, files.ServerKey, files.ClientCert, files.ClientKey} {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatalf("EnsureCerts did not write %s: %v", p, err)
		}
		out[p] = b
	}
	return out
}

func TestEnsureCerts(t *testing.T) {
	dir := t.TempDir() + "/certs"
	files, err := core.EnsureCerts(dir)
	if err != nil {
		t.Fatal(err)
	}
	if files != core.CertFilesIn(dir) {
		t.Fatalf("files %+v, want %+v", files, core.CertFilesIn(dir))
	}
	first := readCerts(t, files)
	if info, err := os.Stat(files.ServerKey); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("server key mode %v (%v), want 0600", info.Mode().Perm(), err)
	}

	// The server certificate is for the loopback names and chains to the CA.
	ca := x509.NewCertPool()
	ca.AppendCertsFromPEM(first[files.CACert])
	block, _ := pem.Decode(first[files.ServerCert])
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"localhost", "127.0.0.1", "::1"} {
		if _, err := cert.Verify(x509.VerifyOptions{DNSName: name, Roots: ca}); err != nil {
			t.Errorf("server certificate for %s: %v", name, err)
		}
	}

	again, err := core.EnsureCerts(dir)
	if err != nil || again != files {
		t.Fatalf("second call: %+v, %v", again, err)
	}
	for p, b := range readCerts(t, again) {
		if !bytes.Equal(b, first[p]) {
			t.Errorf("second call rewrote %s", p)
		}
	}

	// A broken pair is regenerated.
	if err := os.WriteFile(files.ClientKey, []byte("garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := core.EnsureCerts(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := tls.LoadX509KeyPair(files.ClientCert, files.ClientKey); err != nil {
		t.Errorf("the broken client pair was not regenerated: %v", err)
	}
}

func TestTLSClientCertificates(t *testing.T) {
	files, err := core.EnsureCerts(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	serverTLS, err := core.ServerTLSConfig(files)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := core.NewServer(core.Options{
		APIs:           []core.API{newFakeAPI(t, "fake", "/fake/v1"), newFakeAPI(t, "other", "/other/v2")},
		ClientCertAPIs: []string{"fake"},
	})
	if err != nil {
		t.Fatal(err)
	}
	run, err := core.Listen(srv, "127.0.0.1:0", serverTLS)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = run.Close() })
	if !strings.HasPrefix(run.URL(), "https://127.0.0.1:") {
		t.Fatalf("URL %s", run.URL())
	}

	client := func(withCert bool) *http.Client {
		cfg, err := core.ClientTLSConfig(files, withCert)
		if err != nil {
			t.Fatal(err)
		}
		return &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}}
	}
	withCert, withoutCert := client(true), client(false)
	tests := []struct {
		name   string
		client *http.Client
		path   string
		status int
		has    string
	}{
		{"demanding api without a certificate", withoutCert, "/fake/v1/things/1", 403, "client certificate required"},
		{"demanding api with the certificate", withCert, "/fake/v1/things/1", 200, `"name":"one"`},
		{"other api without a certificate", withoutCert, "/other/v2/things/1", 200, `"name":"one"`},
		{"control api without a certificate", withoutCert, "/__upmock/health", 200, `"status": "ok"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := call(t, tt.client, "GET", run.URL()+tt.path, "")
			if res.status != tt.status || !strings.Contains(string(res.body), tt.has) {
				t.Fatalf("%s, want %d with %s", res, tt.status, tt.has)
			}
		})
	}
	res := call(t, withCert, "GET", run.URL()+"/s/tls/fake/v1/things/1", "")
	if got := res.header.Get("X-Public-Base"); got != run.URL()+"/s/tls" {
		t.Errorf("PublicBase over TLS %q, want %q", got, run.URL()+"/s/tls")
	}

	// A client that does not trust the CA fails the handshake.
	stranger := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: x509.NewCertPool()}}}
	_, err = try(stranger, "GET", run.URL()+"/__upmock/health", "")
	var unknown x509.UnknownAuthorityError
	if err == nil || !errors.As(err, &unknown) {
		t.Errorf("untrusting client: %v, want an unknown-authority error", err)
	}
	// Nor does a plain HTTP client get anything useful.
	if res, err := try(nil, "GET", strings.Replace(run.URL(), "https", "http", 1)+"/__upmock/health", ""); err == nil && res.status == 200 {
		t.Errorf("plain HTTP got %s", res)
	}
}

func TestTLSConfigErrors(t *testing.T) {
	missing := core.CertFilesIn(t.TempDir())
	if _, err := core.ServerTLSConfig(missing); err == nil {
		t.Error("ServerTLSConfig without files succeeded")
	}
	if _, err := core.ClientTLSConfig(missing, false); err == nil {
		t.Error("ClientTLSConfig without a CA succeeded")
	}
	files, err := core.EnsureCerts(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := core.ClientTLSConfig(files, false)
	if err != nil || len(cfg.Certificates) != 0 || cfg.RootCAs == nil {
		t.Errorf("ClientTLSConfig(files, false) = %+v, %v", cfg, err)
	}
	cfg, err = core.ClientTLSConfig(files, true)
	if err != nil || len(cfg.Certificates) != 1 {
		t.Errorf("ClientTLSConfig(files, true) = %+v, %v", cfg, err)
	}
}
