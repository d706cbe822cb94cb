package occto

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Settings are the tunables, settable per session through PATCH /__upmock/settings/occto.
// Defaults come from fixtures/occto/settings.json.
type Settings struct {
	// DailyLimit is how many WebAPI calls a company may make per JST day (the seed: 1000).
	DailyLimit int `json:"dailyLimit"`
	// ProcessingDelay is how long a submitted file stays 処理中 before its checks' outcome
	// (受付完了 or 提出エラー) shows and its plans are listed.
	ProcessingDelay Duration `json:"processingDelay"`
	// MaxFindings bounds the errors one 受信確認メッセージ reports.
	MaxFindings int `json:"maxFindings"`
}

func (s Settings) validate() error {
	switch {
	case s.DailyLimit < 1:
		return errors.New("dailyLimit must be at least 1")
	case s.ProcessingDelay < 0:
		return errors.New("processingDelay must not be negative")
	case s.MaxFindings < 1:
		return errors.New("maxFindings must be at least 1")
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

// Duration is a time.Duration written as a Go duration string ("0s", "2s").
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
