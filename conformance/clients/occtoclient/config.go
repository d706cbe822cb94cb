package occtoclient

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

// Defaults applied by New to zero Config fields.
const (
	DefaultHTTPTimeout  = 60 * time.Second
	DefaultPollInterval = 2 * time.Second
	DefaultPollTimeout  = 5 * time.Minute
)

// Config configures a Client.
type Config struct {
	// BaseURL is the host root, e.g. https://occtonet.occto.or.jp (upmock: …/occto); the
	// API paths (/service/RP12/OCCTO/api/…) are appended to it.
	BaseURL  string
	UserID   string
	Password string
	// CACert, ClientCert and ClientKey are PEM files: the CA the server's certificate is
	// checked against (empty: the system's roots) and the client certificate and key the
	// upstream's SSL client authentication demands.
	CACert     string
	ClientCert string
	ClientKey  string
	// HTTPClient sends every request; the default is built from the TLS files above.
	HTTPClient *http.Client
	// PollInterval and PollTimeout pace Submit's reading of a file's status while it is
	// still 処理中.
	PollInterval time.Duration
	PollTimeout  time.Duration
	// Now is the clock the daily limit's day (JST) is read from.
	Now func() time.Time
}

// withDefaults validates c and fills in its zero fields.
func (c Config) withDefaults() (Config, error) {
	base, err := url.Parse(c.BaseURL)
	if err != nil || base.Scheme == "" || base.Host == "" {
		return c, errors.New("occtoclient: BaseURL must be an absolute URL")
	}
	c.BaseURL = strings.TrimSuffix(c.BaseURL, "/")
	if c.UserID == "" || c.Password == "" {
		return c, errors.New("occtoclient: UserID and Password are required")
	}
	if c.HTTPClient == nil {
		transport, err := NewTransport(c.CACert, c.ClientCert, c.ClientKey)
		if err != nil {
			return c, err
		}
		c.HTTPClient = &http.Client{Timeout: DefaultHTTPTimeout, Transport: transport}
	}
	if c.PollInterval <= 0 {
		c.PollInterval = DefaultPollInterval
	}
	if c.PollTimeout <= 0 {
		c.PollTimeout = DefaultPollTimeout
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c, nil
}

// NewTransport is an HTTP transport trusting caCert (when given) and presenting the client
// certificate (when given).
func NewTransport(caCert, clientCert, clientKey string) (*http.Transport, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if caCert != "" {
		pem, err := os.ReadFile(caCert)
		if err != nil {
			return nil, fmt.Errorf("occtoclient: CA certificate: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("occtoclient: no certificate in %s", caCert)
		}
		cfg.RootCAs = pool
	}
	if (clientCert == "") != (clientKey == "") {
		return nil, errors.New("occtoclient: give both ClientCert and ClientKey, or neither")
	}
	if clientCert != "" {
		cert, err := tls.LoadX509KeyPair(clientCert, clientKey)
		if err != nil {
			return nil, fmt.Errorf("occtoclient: client certificate: %w", err)
		}
		cfg.Certificates = []tls.Certificate{cert}
	}
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.TLSClientConfig = cfg
	return t, nil
}
