package jaiaclient

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
)

// Client is one API user's connection to JAIA. It is safe for concurrent use; calls share
// one login.
type Client struct {
	cfg Config

	mu   sync.Mutex
	sess *Session // nil until the first call logs in, and after Logout
	// loginMu makes concurrent callers that need a login wait for one login.
	loginMu sync.Mutex
}

// Session is what AUTH_LOGIN answered (its metadata).
type Session struct {
	UserID             string `json:"userId"`
	CompanyCategory    string `json:"companyCategory"`
	UserClassification string `json:"userClassification"`
	Token              string `json:"criptToken"`
	JAIACompanyCode    string `json:"jaiaCompanyCode"`
}

// New returns a Client for cfg, with defaults for its zero fields. It does not log in: the
// first call does.
func New(cfg Config) (*Client, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	return &Client{cfg: cfg}, nil
}

// Session returns the current login, logging in when there is none.
func (c *Client) Session(ctx context.Context) (Session, error) {
	s, err := c.session(ctx, nil)
	if err != nil {
		return Session{}, err
	}
	return *s, nil
}

// Login logs in now, replacing any current login (the upstream too keeps only the newest
// token of a user). Calls log in by themselves; Login is for a caller that wants to fail
// early on bad credentials.
func (c *Client) Login(ctx context.Context) (Session, error) {
	c.loginMu.Lock()
	defer c.loginMu.Unlock()
	s, err := c.login(ctx)
	if err != nil {
		return Session{}, err
	}
	return *s, nil
}

// session returns the current login, or logs in when there is none or when the current one
// is stale (the one a call was just refused with).
func (c *Client) session(ctx context.Context, stale *Session) (*Session, error) {
	c.mu.Lock()
	s := c.sess
	c.mu.Unlock()
	if s != nil && s != stale {
		return s, nil
	}
	c.loginMu.Lock()
	defer c.loginMu.Unlock()
	c.mu.Lock()
	s = c.sess
	c.mu.Unlock()
	if s != nil && s != stale { // another caller logged in meanwhile
		return s, nil
	}
	return c.login(ctx)
}

// login is AUTH_LOGIN; the caller holds loginMu.
func (c *Client) login(ctx context.Context) (*Session, error) {
	body, err := json.Marshal(map[string]string{"appId": AppID, "userMail": c.cfg.UserMail, "password": c.cfg.Password})
	if err != nil {
		return nil, err
	}
	env, err := c.exchange(ctx, AuthLogin, "", "application/json", body)
	if err != nil {
		return nil, err
	}
	var s Session
	if err := json.Unmarshal(env.Metadata, &s); err != nil || s.Token == "" || s.UserID == "" {
		return nil, fmt.Errorf("jaia %s: the answer has no metadata.userId and metadata.criptToken", AuthLogin.APIID)
	}
	c.mu.Lock()
	c.sess = &s
	c.mu.Unlock()
	return &s, nil
}

// Logout is AUTH_LOGOUT: the caller is done with the API. Without a login it sends nothing.
// A token the upstream no longer knows (expired) counts as logged out.
func (c *Client) Logout(ctx context.Context) error {
	c.loginMu.Lock()
	defer c.loginMu.Unlock()
	c.mu.Lock()
	s := c.sess
	c.sess = nil
	c.mu.Unlock()
	if s == nil {
		return nil
	}
	body, err := json.Marshal(map[string]string{"userId": s.UserID, "appId": AppID})
	if err != nil {
		return err
	}
	_, err = c.exchange(ctx, AuthLogout, s.Token, "application/json", body)
	if IsAuthFailure(err) {
		c.cfg.Logger.Info("jaia: logout found the session already ended", "err", err)
		return nil
	}
	return err
}

// requestBody builds one request's body for a login; it is built again for a re-sent call.
type requestBody func(s *Session) (contentType string, body []byte, err error)

// jsonBody is a JSON request: the common items of §1-4 and fields.
func jsonBody(op Operation, fields map[string]any) requestBody {
	return func(s *Session) (string, []byte, error) {
		doc := make(map[string]any, len(fields)+3)
		for k, v := range fields {
			doc[k] = v
		}
		doc["apiId"], doc["userId"], doc["appId"] = op.APIID, s.UserID, AppID
		b, err := json.Marshal(doc)
		return "application/json", b, err
	}
}

// call sends op with the current login and decodes the JAIA envelope.
func (c *Client) call(ctx context.Context, op Operation, build requestBody) (*envelope, error) {
	var env *envelope
	err := c.invoke(ctx, op, build, func(status int, _ http.Header, body []byte) error {
		var err error
		env, err = decodeEnvelope(op.APIID, status, body)
		return err
	})
	return env, err
}

// decoder reads one answer; it returns an *APIError for a failure.
type decoder func(status int, header http.Header, body []byte) error

// invoke sends op with the current login. An answer of the auth error makes the client log
// in again and send the call once more (§1-3 ③): the upstream checks the token before
// anything else, so the refused call changed nothing.
func (c *Client) invoke(ctx context.Context, op Operation, build requestBody, decode decoder) error {
	s, err := c.session(ctx, nil)
	if err != nil {
		return err
	}
	err = c.invokeAs(ctx, op, s, build, decode)
	if !IsAuthFailure(err) {
		return err
	}
	c.cfg.Logger.Info("jaia: the upstream refused the token; logging in again", "api", op.APIID, "err", err)
	fresh, lerr := c.session(ctx, s)
	if lerr != nil {
		return fmt.Errorf("%w; logging in again: %w", err, lerr)
	}
	return c.invokeAs(ctx, op, fresh, build, decode)
}

func (c *Client) invokeAs(ctx context.Context, op Operation, s *Session, build requestBody, decode decoder) error {
	ct, body, err := build(s)
	if err != nil {
		return err
	}
	status, header, data, err := c.do(ctx, op, s.Token, ct, body)
	if err != nil {
		return err
	}
	return decode(status, header, data)
}

// exchange sends one request once the limiter allows and decodes the envelope.
func (c *Client) exchange(ctx context.Context, op Operation, token, contentType string, body []byte) (*envelope, error) {
	status, _, data, err := c.do(ctx, op, token, contentType, body)
	if err != nil {
		return nil, err
	}
	return decodeEnvelope(op.APIID, status, data)
}

// do is one HTTP exchange, after the rate limiter.
func (c *Client) do(ctx context.Context, op Operation, token, contentType string, body []byte) (int, http.Header, []byte, error) {
	answered, err := c.cfg.Limiter.Wait(ctx)
	if err != nil {
		return 0, nil, nil, err
	}
	// The window of this request counts from when its whole answer arrived (Limiter).
	defer answered()
	req, err := http.NewRequestWithContext(ctx, op.Method, c.cfg.BaseURL+op.Path, bytes.NewReader(body))
	if err != nil {
		return 0, nil, nil, err
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Accept", "application/json, text/csv")
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	resp, err := c.cfg.HTTPClient.Do(req)
	if err != nil {
		return 0, nil, nil, fmt.Errorf("jaia %s: %w", op.APIID, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, nil, nil, fmt.Errorf("jaia %s: reading the answer: %w", op.APIID, err)
	}
	return resp.StatusCode, resp.Header, data, nil
}

// errNoPayload is an answer whose result says success but which lacks what the API returns.
var errNoPayload = errors.New("the success answer lacks its payload")
