package naccsclient

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
	DefaultHTTPTimeout      = 30 * time.Second
	DefaultWebhookWait      = 2 * time.Minute
	DefaultPollDelay        = 2 * time.Second
	DefaultMaxPollDelay     = 30 * time.Second
	DefaultWebhookTolerance = 5 * time.Minute
	DefaultSaveAttempts     = 3
)

// Config configures a Client and its webhook handling.
type Config struct {
	// BaseURL is the API root, e.g. https://api-sandbox.cyber-port.net.
	BaseURL string
	// ClientID and ClientSecret are the organisation user's API credential.
	ClientID     string
	ClientSecret string
	// OrganizationID and BusinessTypeID are who the client acts as in deals.
	OrganizationID string
	BusinessTypeID string
	// SigningSecret verifies webhooks posted to the organisation.
	SigningSecret string
	HTTPClient    *http.Client
	// WebhookWait is how long a job waits for NaccsReceive before it polls the output.
	WebhookWait time.Duration
	// PollDelay is the first wait between output polls after WebhookWait; it doubles up to
	// MaxPollDelay.
	PollDelay    time.Duration
	MaxPollDelay time.Duration
	// WebhookTolerance is how old a webhook's signed timestamp may be.
	WebhookTolerance time.Duration
	// SaveAttempts bounds the re-reads of a form whose Update met a newer version (412).
	SaveAttempts int
	// Now is the clock tokens and webhook timestamps are judged by.
	Now    func() time.Time
	Logger *slog.Logger
}

func (c Config) withDefaults() (Config, error) {
	base, err := url.Parse(c.BaseURL)
	if c.BaseURL == "" || err != nil || base.Scheme == "" || base.Host == "" {
		return c, errors.New("naccsclient: BaseURL must be an absolute URL")
	}
	c.BaseURL = strings.TrimSuffix(c.BaseURL, "/")
	if c.ClientID == "" || c.ClientSecret == "" || c.OrganizationID == "" || c.BusinessTypeID == "" {
		return c, errors.New("naccsclient: ClientID, ClientSecret, OrganizationID and BusinessTypeID are required")
	}
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{Timeout: DefaultHTTPTimeout}
	}
	if c.WebhookWait <= 0 {
		c.WebhookWait = DefaultWebhookWait
	}
	if c.PollDelay <= 0 {
		c.PollDelay = DefaultPollDelay
	}
	if c.MaxPollDelay < c.PollDelay {
		c.MaxPollDelay = max(DefaultMaxPollDelay, c.PollDelay)
	}
	if c.WebhookTolerance <= 0 {
		c.WebhookTolerance = DefaultWebhookTolerance
	}
	if c.SaveAttempts <= 0 {
		c.SaveAttempts = DefaultSaveAttempts
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c, nil
}
