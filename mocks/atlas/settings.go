package atlas

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Settings are the tunables the document leaves to the service, settable per session through
// PATCH /__upmock/settings/atlas. Defaults come from fixtures/atlas/settings.json.
type Settings struct {
	// RegistrationDelay is how long after a 204 a registration becomes visible.
	RegistrationDelay Duration `json:"registrationDelay"`
	// RateLimitPerMinute throttles each API key (429 / 803); 0 means no limit.
	RateLimitPerMinute int `json:"rateLimitPerMinute"`
	// RecordsPerFile bounds the records in one download file; URLsPerPage the URLs in one
	// listing answer (more makes hasNext true).
	RecordsPerFile int `json:"recordsPerFile"`
	URLsPerPage    int `json:"urlsPerPage"`
	// DownloadURLTTL is a presigned download URL's validity (the document: one hour).
	DownloadURLTTL Duration `json:"downloadURLTTL"`
	// JWTValidity is how old a JWT's requestDate may be (the document: one minute).
	JWTValidity Duration `json:"jwtValidity"`
	// RequestDateSkew is how far a requestDate may lie ahead of the mock clock (a client's
	// clock running fast); further ahead is 804 (NOTES.md).
	RequestDateSkew Duration `json:"requestDateSkew"`
	// InactiveLookback is what a first inactive-ID download covers (the document: 90 days).
	InactiveLookback Duration `json:"inactiveLookback"`
	// MaxRequestBytes is the body size above which errorCode 205 answers (the document: 10MB).
	MaxRequestBytes int `json:"maxRequestBytes"`
}

func (s Settings) validate() error {
	switch {
	case s.RegistrationDelay < 0:
		return errors.New("registrationDelay must not be negative")
	case s.RateLimitPerMinute < 0:
		return errors.New("rateLimitPerMinute must not be negative")
	case s.RecordsPerFile < 1 || s.URLsPerPage < 1:
		return errors.New("recordsPerFile and urlsPerPage must be at least 1")
	case s.DownloadURLTTL <= 0 || s.JWTValidity <= 0 || s.InactiveLookback <= 0:
		return errors.New("downloadURLTTL, jwtValidity and inactiveLookback must be positive")
	case s.RequestDateSkew < 0:
		return errors.New("requestDateSkew must not be negative")
	case s.MaxRequestBytes < 1:
		return errors.New("maxRequestBytes must be positive")
	}
	return nil
}

// patched applies a partial JSON document to a copy of s, refusing unknown fields.
func (s Settings) patched(raw []byte) (Settings, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return s, fmt.Errorf("settings: %w", err)
	}
	return s, s.validate()
}

// Duration is a time.Duration written as a Go duration string ("3s", "1h").
type Duration time.Duration

// D is the value as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// MarshalJSON writes "3s".
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

// UnmarshalJSON reads "3s".
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("duration: want a string like \"3s\": %w", err)
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	*d = Duration(v)
	return nil
}
