package atlasdriver

import (
	"errors"
	"net/http"
	"time"

	"github.com/upmock/upmock/conformance/clients/atlasclient"
)

// Settings is the `atlas` block of the configure op.
type Settings struct {
	BaseURL   string `json:"baseUrl"`
	APIKey    string `json:"apiKey"`
	APISecret string `json:"apiSecret"`
	Retry     struct {
		MaxAttempts int `json:"maxAttempts"`
		BaseDelayMs int `json:"baseDelayMs"`
	} `json:"retry"`
}

// attemptTimeout bounds one HTTP attempt well inside the suite's 30 s per op, so a hung
// request fails with the client's own error rather than the suite's timeout.
const attemptTimeout = 20 * time.Second

// newClient builds the reference client for s, with the handler's options applied.
func newClient(s Settings, o options) (*atlasclient.Client, error) {
	if s.BaseURL == "" {
		return nil, errors.New("configure: atlas.baseUrl is required")
	}
	var transport http.RoundTripper = atlasclient.NewTransport()
	for _, wrap := range o.wrapTransport {
		transport = wrap(s, transport)
	}
	cfg := atlasclient.Config{
		BaseURL:     s.BaseURL,
		APIKey:      s.APIKey,
		APISecret:   s.APISecret,
		HTTPClient:  &http.Client{Transport: transport, Timeout: attemptTimeout},
		MaxAttempts: s.Retry.MaxAttempts,
		BaseDelay:   time.Duration(s.Retry.BaseDelayMs) * time.Millisecond,
		Logger:      o.logger,
	}
	for _, tweak := range o.tweakConfig {
		tweak(&cfg)
	}
	return atlasclient.New(cfg)
}
