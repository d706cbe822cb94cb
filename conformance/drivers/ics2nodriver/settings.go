package ics2nodriver

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/upmock/upmock/conformance/clients/ics2noclient"
)

// Settings is the `ics2no` block of the configure op.
type Settings struct {
	MaskinportenURL string `json:"maskinportenUrl"`
	BaseURL         string `json:"baseUrl"`
	ClientID        string `json:"clientId"`
	Kid             string `json:"kid"`
	PrivateKeyPEM   string `json:"privateKeyPem"`
	PrivateKeyFile  string `json:"privateKeyFile"`
	CertificatePEM  string `json:"certificatePem"`
	Scope           string `json:"scope"`
	Audience        string `json:"audience"`
	Retry           struct {
		MaxAttempts int `json:"maxAttempts"`
		BaseDelayMs int `json:"baseDelayMs"`
	} `json:"retry"`
	Poll struct {
		IntervalMs int `json:"intervalMs"`
		TimeoutMs  int `json:"timeoutMs"`
	} `json:"poll"`
}

// attemptTimeout bounds one HTTP attempt well inside the suite's 30 s per op.
const attemptTimeout = 15 * time.Second

// newClient builds the reference client for s, with the handler's options applied.
func newClient(s Settings, o options) (*ics2noclient.Client, error) {
	if s.MaskinportenURL == "" || s.BaseURL == "" || s.ClientID == "" {
		return nil, errors.New("configure: ics2no.maskinportenUrl, baseUrl and clientId are required")
	}
	keyPEM := []byte(s.PrivateKeyPEM)
	if len(keyPEM) == 0 && s.PrivateKeyFile != "" {
		var err error
		if keyPEM, err = os.ReadFile(s.PrivateKeyFile); err != nil {
			return nil, fmt.Errorf("configure: ics2no.privateKeyFile: %w", err)
		}
	}
	key, err := ics2noclient.ParsePrivateKey(keyPEM)
	if err != nil {
		return nil, fmt.Errorf("configure: ics2no private key: %w", err)
	}
	cfg := ics2noclient.Config{
		MaskinportenURL: s.MaskinportenURL, BaseURL: s.BaseURL, ClientID: s.ClientID, Key: key, KID: s.Kid,
		Scope: s.Scope, Audience: s.Audience,
		MaxAttempts:  s.Retry.MaxAttempts,
		BaseDelay:    time.Duration(s.Retry.BaseDelayMs) * time.Millisecond,
		PollInterval: time.Duration(s.Poll.IntervalMs) * time.Millisecond,
		PollTimeout:  time.Duration(s.Poll.TimeoutMs) * time.Millisecond,
		Logger:       o.logger,
	}
	if s.CertificatePEM != "" {
		block, _ := pem.Decode([]byte(s.CertificatePEM))
		if block == nil {
			return nil, errors.New("configure: ics2no.certificatePem is not PEM")
		}
		if cfg.Certificate, err = x509.ParseCertificate(block.Bytes); err != nil {
			return nil, fmt.Errorf("configure: ics2no.certificatePem: %w", err)
		}
	}
	var transport http.RoundTripper = http.DefaultTransport.(*http.Transport).Clone()
	for _, wrap := range o.wrapTransport {
		transport = wrap(s, transport)
	}
	cfg.HTTPClient = &http.Client{Transport: transport, Timeout: attemptTimeout}
	for _, tweak := range o.tweakConfig {
		tweak(&cfg)
	}
	return ics2noclient.New(cfg)
}
