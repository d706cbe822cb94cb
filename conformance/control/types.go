package control

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Health is the answer of GET /__upmock/health.
type Health struct {
	Status  string   `json:"status"`
	Session string   `json:"session"`
	APIs    []string `json:"apis"`
}

// Serves reports whether the health answer lists api.
func (h Health) Serves(api string) bool {
	for _, a := range h.APIs {
		if a == api {
			return true
		}
	}
	return false
}

// Credentials is the answer of GET /__upmock/credentials: each API's seeded credentials,
// in that API's own shape. Atlas is decoded here; other APIs decode theirs with Decode.
type Credentials struct {
	Atlas AtlasCredentials           `json:"atlas"`
	Raw   map[string]json.RawMessage `json:"-"`
}

// UnmarshalJSON keeps every API's block, so a spec file for a new API needs no change here.
func (c *Credentials) UnmarshalJSON(b []byte) error {
	if err := json.Unmarshal(b, &c.Raw); err != nil {
		return err
	}
	if raw, ok := c.Raw["atlas"]; ok {
		return json.Unmarshal(raw, &c.Atlas)
	}
	return nil
}

// Decode decodes api's credentials into v.
func (c Credentials) Decode(api string, v any) error {
	raw, ok := c.Raw[api]
	if !ok {
		return fmt.Errorf("upmock seeded no credentials for %q", api)
	}
	return json.Unmarshal(raw, v)
}

// AtlasCredentials are ATLAS-Things' seeded API keys. The first two belong to bases of
// the same tenant that ship to each other.
type AtlasCredentials struct {
	APIKeys []AtlasKey `json:"apiKeys"`
}

// AtlasKey is one ATLAS-Things client: an API key, its secret and the base it stands for.
type AtlasKey struct {
	APIKey    string `json:"apiKey"`
	APISecret string `json:"apiSecret"`
	TenantID  string `json:"tenantId"`
	BaseID    string `json:"baseId"`
	BaseName  string `json:"baseName"`
}

// Entry is one journaled request.
type Entry struct {
	Seq            int64             `json:"seq"`
	Time           time.Time         `json:"time"` // the mock clock's time
	API            string            `json:"api"`
	Operation      string            `json:"operation"` // OpenAPI operationId, or "download"
	Method         string            `json:"method"`
	Path           string            `json:"path"`
	Query          string            `json:"query"` // the raw query string
	Headers        http.Header       `json:"headers"`
	Body           string            `json:"body"` // the first 64 KiB
	BodyTruncated  bool              `json:"bodyTruncated,omitempty"`
	Status         int               `json:"status"`
	ResponseBody   string            `json:"responseBody"`
	Fault          string            `json:"fault,omitempty"` // the fault applied, if any
	SpecViolations []string          `json:"specViolations,omitempty"`
	Annotations    map[string]string `json:"annotations,omitempty"`
	DurationMs     float64           `json:"durationMs"`
}

// QueryValues decodes the entry's query string.
func (e Entry) QueryValues() url.Values {
	v, _ := url.ParseQuery(strings.TrimPrefix(e.Query, "?"))
	return v
}

// Fault makes the next Count matching requests fail the way the upstream fails.
type Fault struct {
	ID        int     `json:"id,omitempty"`
	API       string  `json:"api"`
	Method    string  `json:"method,omitempty"`
	Path      string  `json:"path,omitempty"` // below the API's base path; "*" matches any run
	Operation string  `json:"operation,omitempty"`
	Count     int     `json:"count,omitempty"`
	Status    int     `json:"status,omitempty"`
	Body      *string `json:"body,omitempty"` // replaces the upstream's own body for Status
	DelayMs   int     `json:"delayMs,omitempty"`
	Drop      bool    `json:"drop,omitempty"`
	Phase     string  `json:"phase,omitempty"` // "before" (default) or "after"
	Remaining *int    `json:"remaining,omitempty"`
}

// Clock is the answer of GET and POST /__upmock/clock.
type Clock struct {
	Now    time.Time `json:"now"`
	Offset string    `json:"offset"`
	Frozen bool      `json:"frozen"`
}
