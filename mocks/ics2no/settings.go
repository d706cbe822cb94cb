package ics2no

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Settings are the ICS2 mock's tunables (PATCH /__upmock/settings/ics2no); defaults come from
// fixtures/ics2no/settings.json.
type Settings struct {
	// ProcessingDelay is how long after the 202 a presentation's outcome appears in
	// validation-status (404 before). Tolletaten: "usually 1–2 s, can take longer".
	ProcessingDelay Duration `json:"processingDelay"`
	// RoutingDelay is how long after processing a presented house consignment's routing
	// signal is issued (the playground's list is static: 0 issues it at once).
	RoutingDelay Duration `json:"routingDelay"`
	// RoutingPageSize bounds the entries of one routing answer.
	RoutingPageSize int `json:"routingPageSize"`
	// CustomsTokenTTL is the Customs token's life (exp - iat; expires_in is one second less).
	CustomsTokenTTL Duration `json:"customsTokenTTL"`
	// BearerClockSkew is how long after its exp a Customs token is still accepted (the
	// resource server's default clock skew, 60 s).
	BearerClockSkew Duration `json:"bearerClockSkew"`
}

func (s Settings) validate() error {
	switch {
	case s.ProcessingDelay < 0 || s.RoutingDelay < 0 || s.BearerClockSkew < 0:
		return errors.New("processingDelay, routingDelay and bearerClockSkew must not be negative")
	case s.RoutingPageSize < 1:
		return errors.New("routingPageSize must be at least 1")
	case s.CustomsTokenTTL < 2*Duration(time.Second):
		return errors.New("customsTokenTTL must be at least 2s")
	}
	return nil
}

// MaskinportenSettings are Maskinporten's tunables (PATCH /__upmock/settings/maskinporten);
// defaults come from fixtures/ics2no/maskinporten/settings.json.
type MaskinportenSettings struct {
	// AccessTokenTTL is the access token's life (exp - iat; expires_in is one second less).
	AccessTokenTTL Duration `json:"accessTokenTTL"`
	// MaxGrantLifetime bounds exp - iat of a grant (the document says 120 s; the real
	// server takes 180 s, see specs/ics2no/NOTES.md).
	MaxGrantLifetime Duration `json:"maxGrantLifetime"`
	// GrantClockSkew is how far a grant's iat may lie ahead of Maskinporten's clock (the
	// server: 10 s), and how long after its exp a grant is still taken.
	GrantClockSkew Duration `json:"grantClockSkew"`
}

func (s MaskinportenSettings) validate() error {
	switch {
	case s.AccessTokenTTL < 2*Duration(time.Second):
		return errors.New("accessTokenTTL must be at least 2s")
	case s.MaxGrantLifetime <= 0:
		return errors.New("maxGrantLifetime must be positive")
	case s.GrantClockSkew < 0:
		return errors.New("grantClockSkew must not be negative")
	}
	return nil
}

// patch applies a partial JSON document to a copy of current, refusing unknown fields.
func patch[T interface{ validate() error }](current T, raw []byte) (T, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&current); err != nil {
		return current, fmt.Errorf("settings: %w", err)
	}
	return current, current.validate()
}

// Duration is a time.Duration written as a Go duration string ("2s", "1h").
type Duration time.Duration

// D is the value as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// MarshalJSON writes "2s".
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

// UnmarshalJSON reads "2s".
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("duration: want a string like \"2s\": %w", err)
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	*d = Duration(v)
	return nil
}

// expiresIn is what a token answer says for a token living ttl: one second less, as the
// real services answer 3599 for a 3600 s token.
func expiresIn(ttl time.Duration) int64 { return int64(ttl/time.Second) - 1 }
