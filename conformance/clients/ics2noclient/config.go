package ics2noclient

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// Scope is the Maskinporten scope of the presentation and routing APIs.
const Scope = "toll:movement/entry"

// Config configures a Client. The zero values of the optional fields get the defaults
// New documents.
type Config struct {
	// MaskinportenURL is Maskinporten's base URL (https://test.maskinporten.no, or the mock's
	// http://HOST/maskinporten); the client posts grants to MaskinportenURL + "/token".
	MaskinportenURL string
	// BaseURL is the Customs API's base URL (https://api-test.toll.no, or http://HOST/ics2no).
	BaseURL string
	// ClientID is the Maskinporten client_id (the grant's iss).
	ClientID string
	// Key signs the JWT grants (RS256).
	Key *rsa.PrivateKey
	// KID names a key registered for the client; without it the grant carries Certificate
	// in x5c.
	KID         string
	Certificate *x509.Certificate
	// Scope defaults to toll:movement/entry.
	Scope string
	// Audience is Maskinporten's issuer, the grant's aud; default MaskinportenURL + "/".
	Audience string

	HTTPClient *http.Client
	// MaxAttempts bounds the attempts of one call on a transient failure (5xx, a dropped
	// connection); default 4. BaseDelay is the first back-off (default 500 ms), doubling.
	MaxAttempts int
	BaseDelay   time.Duration
	MaxDelay    time.Duration
	// PollInterval is the wait between validation-status queries while a presentation is
	// processed (404); default 1 s. PollTimeout bounds the wait; default 30 s.
	PollInterval time.Duration
	PollTimeout  time.Duration
	// TokenMargin renews the Customs token this long before expires_in says it ends;
	// default 30 s.
	TokenMargin time.Duration
	// GrantLifetime is exp - iat of a grant; default 100 s (the protocol allows 120).
	GrantLifetime time.Duration

	// Now is the client's clock (time.Now).
	Now func() time.Time
	// NewJTI and NewRequestID make the grant IDs and the presentation requestIds; default
	// random UUIDs.
	NewJTI       func() string
	NewRequestID func() string
	// Presented remembers presented goods (default: in memory, for the client's life).
	Presented Registry
	Logger    *slog.Logger
}

func (c Config) withDefaults() (Config, error) {
	switch {
	case c.MaskinportenURL == "" || c.BaseURL == "":
		return c, errors.New("ics2noclient: MaskinportenURL and BaseURL are required")
	case c.ClientID == "" || c.Key == nil:
		return c, errors.New("ics2noclient: ClientID and Key are required")
	case c.KID == "" && c.Certificate == nil:
		return c, errors.New("ics2noclient: KID or Certificate is required")
	}
	c.MaskinportenURL = strings.TrimSuffix(c.MaskinportenURL, "/")
	c.BaseURL = strings.TrimSuffix(c.BaseURL, "/")
	if c.Scope == "" {
		c.Scope = Scope
	}
	if c.Audience == "" {
		c.Audience = c.MaskinportenURL + "/"
	}
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	defaults := []struct {
		d   *time.Duration
		def time.Duration
	}{
		{&c.BaseDelay, 500 * time.Millisecond}, {&c.MaxDelay, 10 * time.Second},
		{&c.PollInterval, time.Second}, {&c.PollTimeout, 30 * time.Second},
		{&c.TokenMargin, 30 * time.Second}, {&c.GrantLifetime, 100 * time.Second},
	}
	for _, d := range defaults {
		if *d.d <= 0 {
			*d.d = d.def
		}
	}
	if c.GrantLifetime > 120*time.Second {
		return c, fmt.Errorf("ics2noclient: GrantLifetime %s is over Maskinporten's 120 s", c.GrantLifetime)
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = 4
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.NewJTI == nil {
		c.NewJTI = NewUUID
	}
	if c.NewRequestID == nil {
		c.NewRequestID = NewUUID
	}
	if c.Presented == nil {
		c.Presented = NewMemoryRegistry()
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c, nil
}

// NewUUID returns a random version-4 UUID.
func NewUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// ParsePrivateKey reads an RSA private key from PEM (PKCS #8 or PKCS #1).
func ParsePrivateKey(raw []byte) (*rsa.PrivateKey, error) {
	block, _ := pem.Decode(raw)
	if block == nil {
		return nil, errors.New("ics2noclient: no PEM block in the private key")
	}
	if k, err := x509.ParsePKCS1PrivateKey(block.Bytes); err == nil {
		return k, nil
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, err
	}
	rk, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("ics2noclient: %T is not an RSA key", k)
	}
	return rk, nil
}
