// Package control is a small client of upmock's control API (/__upmock/), as the
// project README documents it: credentials, the request journal, faults, the mock clock,
// settings and reset, each scoped to one session.
//
// It knows nothing about any particular mock: the conformance suite uses it to arrange
// an upstream's rarer behaviour and to read back what a client sent.
package control

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

// Client talks to the control API of one session of a running upmock.
type Client struct {
	base  string // ".../s/{session}/__upmock" or ".../__upmock"
	http  *http.Client
	token string
}

// TokenEnv names the environment variable holding the upmock's control token (the one
// `upmock serve` reads too); New sends it when set.
const TokenEnv = "UPMOCK_CONTROL_TOKEN"

// New returns a client of session on the upmock at serverURL (e.g. "http://127.0.0.1:8080").
// An empty session means the default one (no /s/ prefix). It authenticates with the token in
// $UPMOCK_CONTROL_TOKEN, if any; WithToken sets another.
func New(serverURL, session string) *Client {
	base := strings.TrimRight(serverURL, "/")
	if session != "" {
		base += "/s/" + url.PathEscape(session)
	}
	return &Client{base: base + "/__upmock", http: &http.Client{Timeout: 30 * time.Second}, token: os.Getenv(TokenEnv)}
}

// WithToken makes c send token as Authorization: Bearer (an empty token keeps the current one).
func (c *Client) WithToken(token string) *Client {
	if token != "" {
		c.token = token
	}
	return c
}

// Base is the control API's base URL, e.g. "http://127.0.0.1:8080/s/x/__upmock".
func (c *Client) Base() string { return c.base }

// Health is GET /__upmock/health.
func (c *Client) Health(ctx context.Context) (Health, error) {
	var h Health
	return h, c.do(ctx, http.MethodGet, "/health", nil, &h)
}

// Credentials is GET /__upmock/credentials: the seeded test credentials.
func (c *Client) Credentials(ctx context.Context) (Credentials, error) {
	var cr Credentials
	return cr, c.do(ctx, http.MethodGet, "/credentials", nil, &cr)
}

// Requests is GET /__upmock/requests?api=NAME: the journal, oldest first.
// An empty api lists every API's requests.
func (c *Client) Requests(ctx context.Context, api string) ([]Entry, error) {
	path := "/requests"
	if api != "" {
		path += "?api=" + url.QueryEscape(api)
	}
	var out struct {
		Requests []Entry `json:"requests"`
	}
	return out.Requests, c.do(ctx, http.MethodGet, path, nil, &out)
}

// DeleteSession is DELETE /__upmock/sessions/{name}: the named session is dropped with its
// state (call it on a client of the default session). A session that no longer exists is not
// an error: the point is that it is gone.
func (c *Client) DeleteSession(ctx context.Context, name string) error {
	err := c.do(ctx, http.MethodDelete, "/sessions/"+url.PathEscape(name), nil, nil)
	if e, ok := err.(*Error); ok && e.Status == http.StatusNotFound && strings.HasPrefix(e.Message, "no session") {
		return nil
	}
	return err
}

// ClearRequests is DELETE /__upmock/requests.
func (c *Client) ClearRequests(ctx context.Context) error {
	return c.do(ctx, http.MethodDelete, "/requests", nil, nil)
}

// Reset is POST /__upmock/reset: state, journal, faults, maintenance, settings and clock
// back to start. An empty api resets every API.
func (c *Client) Reset(ctx context.Context, api string) error {
	path := "/reset"
	if api != "" {
		path += "?api=" + url.QueryEscape(api)
	}
	return c.do(ctx, http.MethodPost, path, nil, nil)
}

// AddFault is POST /__upmock/faults; it returns the stored fault.
func (c *Client) AddFault(ctx context.Context, f Fault) (Fault, error) {
	var out Fault
	return out, c.do(ctx, http.MethodPost, "/faults", f, &out)
}

// Faults is GET /__upmock/faults, with the remaining counts.
func (c *Client) Faults(ctx context.Context) ([]Fault, error) {
	var out struct {
		Faults []Fault `json:"faults"`
	}
	return out.Faults, c.do(ctx, http.MethodGet, "/faults", nil, &out)
}

// ClearFaults is DELETE /__upmock/faults.
func (c *Client) ClearFaults(ctx context.Context) error {
	return c.do(ctx, http.MethodDelete, "/faults", nil, nil)
}

// Clock is GET /__upmock/clock.
func (c *Client) Clock(ctx context.Context) (Clock, error) {
	var out Clock
	return out, c.do(ctx, http.MethodGet, "/clock", nil, &out)
}

// AdvanceClock moves the session's clock on by d (POST /__upmock/clock {"advance": d}).
func (c *Client) AdvanceClock(ctx context.Context, d time.Duration) (Clock, error) {
	var out Clock
	return out, c.do(ctx, http.MethodPost, "/clock", map[string]string{"advance": d.String()}, &out)
}

// Settings is GET /__upmock/settings/{api}, decoded into v.
func (c *Client) Settings(ctx context.Context, api string, v any) error {
	return c.do(ctx, http.MethodGet, "/settings/"+url.PathEscape(api), nil, v)
}

// PatchSettings is PATCH /__upmock/settings/{api}; the new settings are decoded into v
// unless v is nil.
func (c *Client) PatchSettings(ctx context.Context, api string, patch, v any) error {
	return c.do(ctx, http.MethodPatch, "/settings/"+url.PathEscape(api), patch, v)
}

// State is GET /__upmock/state/{api}, decoded into v.
func (c *Client) State(ctx context.Context, api string, v any) error {
	return c.do(ctx, http.MethodGet, "/state/"+url.PathEscape(api), nil, v)
}

// PutState is PUT /__upmock/state/{api}: replaces the API's state (test data a spec needs
// without going through the client under test).
func (c *Client) PutState(ctx context.Context, api string, state any) error {
	return c.do(ctx, http.MethodPut, "/state/"+url.PathEscape(api), state, nil)
}

// PutConformanceReport is PUT /__upmock/conformance: the session keeps report as its last
// conformance run, which the web console shows.
func (c *Client) PutConformanceReport(ctx context.Context, report any) error {
	return c.do(ctx, http.MethodPut, "/conformance", report, nil)
}

// SetMaintenance is POST /__upmock/maintenance.
func (c *Client) SetMaintenance(ctx context.Context, api string, enabled bool) error {
	body := map[string]any{"api": api, "enabled": enabled}
	return c.do(ctx, http.MethodPost, "/maintenance", body, nil)
}

// Error is a control API call that did not succeed.
type Error struct {
	Method, URL string
	Status      int
	Message     string // the answer's "error" field, or its body
}

func (e *Error) Error() string {
	return fmt.Sprintf("upmock control API: %s %s: %d %s", e.Method, e.URL, e.Status, e.Message)
}

func (c *Client) do(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return err
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("upmock control API: %s %s: %w", method, req.URL, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("upmock control API: %s %s: reading answer: %w", method, req.URL, err)
	}
	if resp.StatusCode >= 300 {
		var e struct {
			Error string `json:"error"`
		}
		msg := strings.TrimSpace(string(data))
		if json.Unmarshal(data, &e) == nil && e.Error != "" {
			msg = e.Error
		}
		return &Error{Method: method, URL: req.URL.String(), Status: resp.StatusCode, Message: msg}
	}
	if out == nil || len(bytes.TrimSpace(data)) == 0 {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("upmock control API: %s %s: decoding answer: %w", method, req.URL, err)
	}
	return nil
}
