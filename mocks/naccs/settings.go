package naccs

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Authentication schemes (NOTES.md: CyberPort does not publish its own).
const (
	// SchemeClientCredentials: POST /Token with grant_type=client_credentials gives a bearer
	// token (the ASP.NET Web API OWIN token endpoint); calls carry Authorization: Bearer.
	SchemeClientCredentials = "clientCredentials"
	// SchemeSubscriptionKey: calls carry Ocp-Apim-Subscription-Key: <clientSecret>, as an
	// API behind Azure API Management would.
	SchemeSubscriptionKey = "subscriptionKey"
)

// Settings are the tunables the public record leaves to the service, per session through
// PATCH /__upmock/settings/naccs. Defaults come from fixtures/naccs/settings.json.
type Settings struct {
	AuthScheme string   `json:"authScheme"`
	TokenTTL   Duration `json:"tokenTTL"`
	// ProcessingDelay is how long after a send (on the session clock) NACCS's result and
	// output arrive back at CyberPort (seed step ③).
	ProcessingDelay Duration `json:"processingDelay"`
	// WebhookTimeout bounds one delivery attempt; a slower receiver counts as failed.
	WebhookTimeout Duration `json:"webhookTimeout"`
	// WebhookRetryDelays are the waits before each retry of a failed delivery, on the
	// session clock; a delivery is given up after 1+len attempts.
	WebhookRetryDelays []Duration `json:"webhookRetryDelays"`
	// WebhookDuplicates delivers each event this many extra times after it succeeded, with
	// the same X-CyberPort-Delivery, as an at-least-once sender may.
	WebhookDuplicates int `json:"webhookDuplicates"`
	// AllowNonLoopbackWebhooks lets a webhook point anywhere; by default only loopback URLs
	// are accepted, so the mock never posts off the machine.
	AllowNonLoopbackWebhooks bool `json:"allowNonLoopbackWebhooks"`
}

func (s Settings) validate() error {
	switch {
	case s.AuthScheme != SchemeClientCredentials && s.AuthScheme != SchemeSubscriptionKey:
		return fmt.Errorf("authScheme must be %q or %q", SchemeClientCredentials, SchemeSubscriptionKey)
	case s.TokenTTL <= 0 || s.WebhookTimeout <= 0:
		return errors.New("tokenTTL and webhookTimeout must be positive")
	case s.ProcessingDelay < 0:
		return errors.New("processingDelay must not be negative")
	case s.WebhookDuplicates < 0 || s.WebhookDuplicates > 5:
		return errors.New("webhookDuplicates must be 0 to 5")
	case len(s.WebhookRetryDelays) > 20:
		return errors.New("at most 20 webhookRetryDelays")
	}
	for _, d := range s.WebhookRetryDelays {
		if d <= 0 {
			return errors.New("webhookRetryDelays must be positive")
		}
	}
	return nil
}

// patched applies a partial JSON document to a copy of s, refusing unknown fields.
func (s Settings) patched(raw []byte) (Settings, error) {
	s.WebhookRetryDelays = append([]Duration(nil), s.WebhookRetryDelays...)
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return s, fmt.Errorf("settings: %w", err)
	}
	return s, s.validate()
}

// Duration is a time.Duration written as a Go duration string ("30s", "1h").
type Duration time.Duration

// D is the value as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// MarshalJSON writes "30s".
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

// UnmarshalJSON reads "30s".
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("duration: want a string like \"30s\": %w", err)
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	*d = Duration(v)
	return nil
}
