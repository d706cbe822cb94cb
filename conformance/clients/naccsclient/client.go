package naccsclient

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Client calls the CyberPort API as one organisation user.
type Client struct {
	cfg Config

	mu      sync.Mutex
	token   string
	expires time.Time
}

// New returns a Client.
func New(cfg Config) (*Client, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	return &Client{cfg: cfg}, nil
}

// Config is the client's configuration, defaults filled in.
func (c *Client) Config() Config { return c.cfg }

// APIError is an answer other than 2xx: the status and CyberPort's message (ASP.NET's
// Message, OAuth's error or API Management's message) with any ModelState.
type APIError struct {
	Status     int
	Message    string
	ModelState map[string][]string
	Body       string
}

func (e *APIError) Error() string {
	if len(e.ModelState) > 0 {
		return fmt.Sprintf("naccs: %d %s %v", e.Status, e.Message, e.ModelState)
	}
	return fmt.Sprintf("naccs: %d %s", e.Status, e.Message)
}

// IsStatus reports whether err is an APIError with that status.
func IsStatus(err error, status int) bool {
	var e *APIError
	return errors.As(err, &e) && e.Status == status
}

func apiError(status int, body []byte) *APIError {
	e := &APIError{Status: status, Body: string(body)}
	var v struct {
		Message    string              `json:"Message"`
		ModelState map[string][]string `json:"ModelState"`
		Error      string              `json:"error"`
		Lower      string              `json:"message"`
	}
	_ = json.Unmarshal(body, &v)
	e.Message, e.ModelState = v.Message+v.Error+v.Lower, v.ModelState
	if e.Message == "" {
		e.Message = http.StatusText(status)
	}
	return e
}

// bearer returns a live token, asking the token endpoint when the cached one is about to
// expire.
func (c *Client) bearer(ctx context.Context, renew bool) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !renew && c.token != "" && c.cfg.Now().Add(30*time.Second).Before(c.expires) {
		return c.token, nil
	}
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {c.cfg.ClientID}, "client_secret": {c.cfg.ClientSecret}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.cfg.BaseURL+"/Token", strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.cfg.HTTPClient.Do(req)
	if err != nil {
		return "", fmt.Errorf("naccs: token: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode != http.StatusOK {
		return "", apiError(resp.StatusCode, body)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int64  `json:"expires_in"`
	}
	if err := json.Unmarshal(body, &tok); err != nil || tok.AccessToken == "" {
		return "", fmt.Errorf("naccs: token answer %q", body)
	}
	c.token, c.expires = tok.AccessToken, c.cfg.Now().Add(time.Duration(tok.ExpiresIn)*time.Second)
	return c.token, nil
}

// do sends one API call with a bearer token (renewed once on 401) and decodes a 2xx JSON
// answer into out.
func (c *Client) do(ctx context.Context, method, path string, in, out any) (int, error) {
	var raw []byte
	if in != nil {
		var err error
		if raw, err = json.Marshal(in); err != nil {
			return 0, err
		}
	}
	for attempt := 0; ; attempt++ {
		tok, err := c.bearer(ctx, attempt > 0)
		if err != nil {
			return 0, err
		}
		req, err := http.NewRequestWithContext(ctx, method, c.cfg.BaseURL+path, bytes.NewReader(raw))
		if err != nil {
			return 0, err
		}
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Accept", "application/json")
		if in != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := c.cfg.HTTPClient.Do(req)
		if err != nil {
			return 0, fmt.Errorf("naccs: %s %s: %w", method, path, err)
		}
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
		resp.Body.Close()
		if resp.StatusCode == http.StatusUnauthorized && attempt == 0 {
			continue
		}
		if resp.StatusCode < 200 || resp.StatusCode > 299 {
			return resp.StatusCode, apiError(resp.StatusCode, body)
		}
		if out != nil && len(body) > 0 {
			if err := json.Unmarshal(body, out); err != nil {
				return resp.StatusCode, fmt.Errorf("naccs: %s %s: decoding %q: %w", method, path, body, err)
			}
		}
		return resp.StatusCode, nil
	}
}
