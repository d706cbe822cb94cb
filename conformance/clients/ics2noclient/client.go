package ics2noclient

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Client presents goods to Tolletaten's ICS2 API and follows their routing. It is safe for
// concurrent use.
type Client struct {
	cfg Config

	tokenMu sync.Mutex
	token   string    // the Customs token
	expires time.Time // when it must be renewed, on the client's clock

	routingMu sync.Mutex
	marker    string          // routingResult.id of the last signal read
	signals   []RoutingEntry  // every signal read, in order
	seen      map[string]bool // their ids
	goods     []Goods         // house consignments presented (for decisions)
	goodsKeys map[string]bool
}

// New returns a Client for cfg.
func New(cfg Config) (*Client, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	return &Client{cfg: cfg, seen: map[string]bool{}, goodsKeys: map[string]bool{}}, nil
}

// APIError is a refusal by Maskinporten, the token exchange or the API.
type APIError struct {
	Op     string // "maskinporten", "exchange", or the API call
	Status int
	// Code is the OAuth error ("invalid_grant"…) or, for a 401/403 of the API, the
	// WWW-Authenticate error ("invalid_token"); "" otherwise.
	Code        string
	Description string
	Body        string
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "ics2no %s: %d", e.Op, e.Status)
	if e.Code != "" {
		b.WriteString(" " + e.Code)
	}
	if e.Description != "" {
		b.WriteString(": " + e.Description)
	} else if e.Body != "" {
		b.WriteString(": " + clip(e.Body, 300))
	}
	return b.String()
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// response is an HTTP answer read whole.
type response struct {
	status int
	header http.Header
	body   []byte
}

// transient reports whether an answer is worth retrying unchanged: a 5xx (the service or
// its proxy failed). A 4xx describes the request itself.
func transient(status int) bool { return status >= 500 }

// send performs one HTTP exchange, retrying transient failures with back-off; the request
// is rebuilt for every attempt by build (attempt counts from 1).
func (c *Client) send(ctx context.Context, op string, build func(attempt int) (*http.Request, error)) (response, int, error) {
	var last error
	for attempt := 1; attempt <= c.cfg.MaxAttempts; attempt++ {
		if attempt > 1 {
			d := c.backoff(attempt - 2)
			c.cfg.Logger.Info("ics2no: retrying", "op", op, "attempt", attempt, "after", d, "cause", last)
			if err := sleep(ctx, d); err != nil {
				return response{}, attempt, last
			}
		}
		req, err := build(attempt)
		if err != nil {
			return response{}, attempt, err
		}
		res, err := c.cfg.HTTPClient.Do(req)
		if err != nil {
			if ctx.Err() != nil {
				return response{}, attempt, err
			}
			last = err
			continue
		}
		body, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil {
			last = err
			continue
		}
		r := response{status: res.StatusCode, header: res.Header, body: body}
		if transient(r.status) && attempt < c.cfg.MaxAttempts {
			last = &APIError{Op: op, Status: r.status, Body: string(body)}
			continue
		}
		return r, attempt, nil
	}
	return response{}, c.cfg.MaxAttempts, last
}

func (c *Client) backoff(n int) time.Duration {
	d := c.cfg.MaxDelay
	if n < 32 {
		if exp := c.cfg.BaseDelay << n; exp > 0 && exp < d {
			d = exp
		}
	}
	if tenth := int64(d / 10); tenth > 0 {
		d += time.Duration(rand.Int64N(tenth + 1))
	}
	return d
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// postForm posts an application/x-www-form-urlencoded body.
func (c *Client) postForm(ctx context.Context, op, endpoint string, form url.Values) (response, error) {
	encoded := form.Encode()
	res, _, err := c.send(ctx, op, func(int) (*http.Request, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(encoded))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept", "application/json")
		return req, nil
	})
	return res, err
}

// call performs an API call with the Customs token. A 401 means the token is no longer good
// (it expired on the service's clock, which may run ahead of ours): the client drops it,
// gets a new one through both hops and sends the call once more. Transient failures are
// retried with the same body, so a presentation keeps its requestId.
func (c *Client) call(ctx context.Context, op, method, path string, query url.Values, body any) (response, int, error) {
	var raw []byte
	if body != nil {
		var err error
		if raw, err = json.Marshal(body); err != nil {
			return response{}, 0, err
		}
	}
	endpoint := c.cfg.BaseURL + path
	if len(query) > 0 {
		endpoint += "?" + query.Encode()
	}
	attempts := 0
	for renewed := false; ; renewed = true {
		token, err := c.customsToken(ctx)
		if err != nil {
			return response{}, attempts, err
		}
		res, n, err := c.send(ctx, op, func(int) (*http.Request, error) {
			var rd io.Reader
			if raw != nil {
				rd = bytes.NewReader(raw)
			}
			req, err := http.NewRequestWithContext(ctx, method, endpoint, rd)
			if err != nil {
				return nil, err
			}
			req.Header.Set("Authorization", "Bearer "+token)
			req.Header.Set("Accept", "application/json")
			if raw != nil {
				req.Header.Set("Content-Type", "application/json")
			}
			return req, nil
		})
		attempts += n
		if err != nil {
			return res, attempts, err
		}
		if res.status == http.StatusUnauthorized && !renewed {
			c.cfg.Logger.Info("ics2no: token refused; renewing", "op", op, "challenge", res.header.Get("WWW-Authenticate"))
			c.dropToken(token)
			continue
		}
		return res, attempts, nil
	}
}

// apiError reads a refusal of the API.
func apiError(op string, res response) *APIError {
	e := &APIError{Op: op, Status: res.status, Body: string(res.body)}
	if ch := res.header.Get("WWW-Authenticate"); ch != "" {
		e.Code, e.Description = challengeParam(ch, "error"), challengeParam(ch, "error_description")
	}
	return e
}

// challengeParam reads a quoted parameter of a WWW-Authenticate challenge.
func challengeParam(challenge, name string) string {
	_, rest, ok := strings.Cut(challenge, name+`="`)
	if !ok {
		return ""
	}
	value, _, _ := strings.Cut(rest, `"`)
	return value
}
