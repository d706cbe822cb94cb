package jaiaclient

import (
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// The upstream's fixed values.
const (
	// AppID is the common item appId: 「固定文字列 EXTERNAL を指定」 (§1-4).
	AppID = "EXTERNAL"
	// MaxImportRows is the most CSV data rows one import may carry (§1-17).
	MaxImportRows = 10000
	// MaxDisplayNumber is the largest page a search returns, and its default (§1-8).
	MaxDisplayNumber = 200
	// RequestsPerMinute is the call rate the upstream allows (§1-17).
	RequestsPerMinute = 100
	// IdleExpiry is how long a token lives without a call (§1-3).
	IdleExpiry = 2 * time.Hour
)

// DefaultHTTPTimeout bounds one HTTP exchange; a 10,000-row import may take a while.
const DefaultHTTPTimeout = 2 * time.Minute

// Config configures a Client.
type Config struct {
	// BaseURL is the API root, e.g. https://api.jaiadb.com.
	BaseURL string
	// UserMail and Password are the login of the user set up for API use (§1-1: not a user
	// of the screens).
	UserMail string
	Password string
	// HTTPClient sends every request; the default has DefaultHTTPTimeout.
	HTTPClient *http.Client
	// RateLimit is the call rate the client keeps to; zero means the upstream's 100 a minute.
	RateLimit RateLimit
	// Limiter, when set, replaces the limiter New builds from RateLimit. The upstream counts
	// per user: clients of the same user in one process should share one.
	Limiter Limiter
	// Logger receives re-logins and similar recoveries; nil discards them.
	Logger *slog.Logger
}

// RateLimit is at most Requests requests in any window of Per.
type RateLimit struct {
	Requests int
	Per      time.Duration
}

// withDefaults validates c and fills in its zero fields.
func (c Config) withDefaults() (Config, error) {
	if c.BaseURL == "" {
		return c, errors.New("jaiaclient: BaseURL is required")
	}
	base, err := url.Parse(c.BaseURL)
	if err != nil || base.Scheme == "" || base.Host == "" {
		return c, errors.New("jaiaclient: BaseURL must be an absolute URL")
	}
	c.BaseURL = strings.TrimSuffix(c.BaseURL, "/")
	if c.UserMail == "" || c.Password == "" {
		return c, errors.New("jaiaclient: UserMail and Password are required")
	}
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{Timeout: DefaultHTTPTimeout}
	}
	if c.RateLimit.Requests <= 0 || c.RateLimit.Per <= 0 {
		c.RateLimit = RateLimit{Requests: RequestsPerMinute, Per: time.Minute}
	}
	if c.Limiter == nil {
		c.Limiter = NewLimiter(c.RateLimit)
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c, nil
}
