package jaiadriver

import (
	"errors"
	"net/http"
	"time"

	"github.com/upmock/upmock/conformance/clients/jaiaclient"
)

// Settings is the `jaia` block of the configure op.
type Settings struct {
	BaseURL   string `json:"baseUrl"`
	UserMail  string `json:"userMail"`
	Password  string `json:"password"`
	RateLimit struct {
		Requests int `json:"requests"`
		WindowMs int `json:"windowMs"`
	} `json:"rateLimit"`
}

// exchangeTimeout bounds one HTTP exchange inside the suite's 30 s per op.
const exchangeTimeout = 25 * time.Second

// newClient builds the reference client for s, with the handler's options applied.
func newClient(s Settings, o options) (*jaiaclient.Client, error) {
	if s.BaseURL == "" {
		return nil, errors.New("configure: jaia.baseUrl is required")
	}
	var transport http.RoundTripper = http.DefaultTransport.(*http.Transport).Clone()
	for _, wrap := range o.wrapTransport {
		transport = wrap(s, transport)
	}
	cfg := jaiaclient.Config{
		BaseURL:    s.BaseURL,
		UserMail:   s.UserMail,
		Password:   s.Password,
		HTTPClient: &http.Client{Transport: transport, Timeout: exchangeTimeout},
		RateLimit: jaiaclient.RateLimit{
			Requests: s.RateLimit.Requests,
			Per:      time.Duration(s.RateLimit.WindowMs) * time.Millisecond,
		},
		Logger: o.logger,
	}
	for _, tweak := range o.tweakConfig {
		tweak(&cfg)
	}
	return jaiaclient.New(cfg)
}
