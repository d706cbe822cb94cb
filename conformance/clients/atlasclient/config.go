package atlasclient

import (
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Defaults applied by New to zero Config fields.
const (
	DefaultMaxAttempts = 4
	DefaultBaseDelay   = 500 * time.Millisecond
	DefaultMaxDelay    = 30 * time.Second
	// DefaultHTTPTimeout is above API Gateway's ~29 s integration timeout, so the upstream's
	// own 504 arrives before the client gives up.
	DefaultHTTPTimeout = 60 * time.Second
)

// Config configures a Client.
type Config struct {
	// BaseURL is the API root, e.g. https://api.atlas-things.io/v1.
	BaseURL string
	// APIKey goes into X-ATLAS-API-Key; APISecret signs the JWTs.
	APIKey    string
	APISecret string
	// HTTPClient sends every request, API calls and downloads alike. The default uses
	// NewTransport; a custom one should too, or keep its retry schedule in mind.
	HTTPClient *http.Client
	// MaxAttempts bounds the attempts of one call, the first included.
	MaxAttempts int
	// BaseDelay is the wait before the first retry; each later retry waits twice as long,
	// up to MaxDelay.
	BaseDelay time.Duration
	MaxDelay  time.Duration
	// Now is the clock the JWT's requestDate is read from.
	Now func() time.Time
	// Logger receives retries and other recoveries; nil discards them.
	Logger *slog.Logger
}

// withDefaults validates c and fills in its zero fields.
func (c Config) withDefaults() (Config, error) {
	if c.BaseURL == "" {
		return c, errors.New("atlasclient: BaseURL is required")
	}
	base, err := url.Parse(c.BaseURL)
	if err != nil || base.Scheme == "" || base.Host == "" {
		return c, errors.New("atlasclient: BaseURL must be an absolute URL")
	}
	c.BaseURL = strings.TrimSuffix(c.BaseURL, "/")
	if c.APIKey == "" || c.APISecret == "" {
		return c, errors.New("atlasclient: APIKey and APISecret are required")
	}
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{Timeout: DefaultHTTPTimeout, Transport: NewTransport()}
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = DefaultMaxAttempts
	}
	if c.BaseDelay <= 0 {
		c.BaseDelay = DefaultBaseDelay
	}
	if c.MaxDelay <= 0 {
		c.MaxDelay = DefaultMaxDelay
	}
	if c.MaxDelay < c.BaseDelay {
		c.MaxDelay = c.BaseDelay
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c, nil
}

// NewTransport is the transport the default HTTPClient uses. It opens a connection per
// request: on a reused connection that the server drops, net/http silently re-sends a GET
// with the same JWT and no back-off, an attempt the retry schedule would not account for.
// ATLAS calls are few, so the extra handshakes cost little.
func NewTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DisableKeepAlives = true
	return t
}
