package atlasclient

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"time"
)

// HeaderAPIKey carries the API key on every API call.
const HeaderAPIKey = "X-ATLAS-API-Key"

// exchange is what one HTTP attempt got back.
type exchange struct {
	status int
	body   []byte
}

func (e exchange) ok() bool { return e.status >= 200 && e.status < 300 }

// outgoing describes one logical request. Every attempt re-sends it byte for byte; only an
// API call's JWT is minted anew.
type outgoing struct {
	method string
	url    string
	body   []byte // nil for GET
	// signed requests carry the ATLAS headers; download URLs must not.
	signed bool
}

// send performs req, retrying transient failures. It returns the last exchange whatever
// its status, the number of attempts made, and an error only when no response came back.
func (c *Client) send(ctx context.Context, req outgoing) (exchange, int, error) {
	for attempt := 1; ; attempt++ {
		ex, err := c.attempt(ctx, req)
		if ctx.Err() != nil {
			return exchange{}, attempt, ctx.Err()
		}
		transient := err != nil || retryableStatus(ex.status)
		if !transient || attempt >= c.cfg.MaxAttempts {
			return ex, attempt, err
		}
		wait := backoff(c.cfg.BaseDelay, c.cfg.MaxDelay, attempt-1)
		if outlivesDeadline(ctx, wait) {
			return ex, attempt, err
		}
		c.logRetry(req, attempt, ex, err, wait)
		if err := sleep(ctx, wait); err != nil {
			return exchange{}, attempt, err
		}
	}
}

// attempt is a single HTTP exchange. A connection dropped while reading the body counts as
// a transport error, like one dropped before the status line.
func (c *Client) attempt(ctx context.Context, req outgoing) (exchange, error) {
	var body io.Reader
	if req.body != nil {
		body = bytes.NewReader(req.body)
	}
	httpReq, err := http.NewRequestWithContext(ctx, req.method, req.url, body)
	if err != nil {
		return exchange{}, err
	}
	if req.body != nil {
		httpReq.Header.Set("Content-Type", "application/json")
	}
	if req.signed {
		if err := c.sign(httpReq); err != nil {
			return exchange{}, err
		}
		httpReq.Header.Set("Accept", "application/json")
	}
	resp, err := c.cfg.HTTPClient.Do(httpReq)
	if err != nil {
		return exchange{}, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return exchange{}, fmt.Errorf("%s %s: reading response: %w", req.method, redactQuery(req.url), err)
	}
	return exchange{status: resp.StatusCode, body: data}, nil
}

// sign adds the API key and a JWT minted for this very attempt.
func (c *Client) sign(r *http.Request) error {
	token, err := MintJWT(c.cfg.APISecret, c.cfg.Now())
	if err != nil {
		return fmt.Errorf("atlasclient: minting JWT: %w", err)
	}
	r.Header.Set(HeaderAPIKey, c.cfg.APIKey)
	r.Header.Set("Authorization", token)
	return nil
}

func (c *Client) logRetry(req outgoing, attempt int, ex exchange, err error, wait time.Duration) {
	reason := fmt.Sprintf("status %d", ex.status)
	if err != nil {
		reason = err.Error()
	}
	c.cfg.Logger.Info("atlasclient: retrying",
		"method", req.method, "url", redactQuery(req.url), "attempt", attempt,
		"of", c.cfg.MaxAttempts, "reason", reason, "wait", wait.String())
}
