package ics2noclient

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// GrantType is the JWT-bearer grant (RFC 7523) Maskinporten takes.
const GrantType = "urn:ietf:params:oauth:grant-type:jwt-bearer"

// ExchangePath is the token exchange below BaseURL.
const ExchangePath = "/api/access/external/oauth/token"

// customsToken returns the Customs token, getting a new one through both hops when there is
// none or when it is within TokenMargin of its end. Concurrent callers share one renewal.
func (c *Client) customsToken(ctx context.Context) (string, error) {
	c.tokenMu.Lock()
	defer c.tokenMu.Unlock()
	if c.token != "" && c.cfg.Now().Add(c.cfg.TokenMargin).Before(c.expires) {
		return c.token, nil
	}
	mp, err := c.maskinportenToken(ctx)
	if err != nil {
		return "", err
	}
	token, ttl, err := c.exchange(ctx, mp)
	if err != nil {
		return "", err
	}
	c.token, c.expires = token, c.cfg.Now().Add(ttl)
	c.cfg.Logger.Info("ics2no: new Customs token", "expires_in", ttl)
	return token, nil
}

// dropToken forgets token (if it is still the current one), so the next call renews it.
func (c *Client) dropToken(token string) {
	c.tokenMu.Lock()
	defer c.tokenMu.Unlock()
	if c.token == token {
		c.token = ""
	}
}

// Grant builds and signs a fresh JWT grant: a new jti, iat now, exp GrantLifetime later.
func (c *Client) Grant() (string, error) {
	now := c.cfg.Now()
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{
		"aud":   c.cfg.Audience,
		"iss":   c.cfg.ClientID,
		"scope": c.cfg.Scope,
		"iat":   now.Unix(),
		"exp":   now.Add(c.cfg.GrantLifetime).Unix(),
		"jti":   c.cfg.NewJTI(),
	})
	if c.cfg.KID != "" {
		tok.Header["kid"] = c.cfg.KID
	} else {
		tok.Header["x5c"] = []string{base64.StdEncoding.EncodeToString(c.cfg.Certificate.Raw)}
	}
	return tok.SignedString(c.cfg.Key)
}

// maskinportenToken is the first hop: a grant for an access token.
func (c *Client) maskinportenToken(ctx context.Context) (string, error) {
	grant, err := c.Grant()
	if err != nil {
		return "", err
	}
	res, err := c.postForm(ctx, "maskinporten", c.cfg.MaskinportenURL+"/token", url.Values{"grant_type": {GrantType}, "assertion": {grant}})
	if err != nil {
		return "", err
	}
	var body struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int64  `json:"expires_in"`
	}
	if res.status != http.StatusOK || json.Unmarshal(res.body, &body) != nil || body.AccessToken == "" {
		return "", oauthError("maskinporten", res)
	}
	return body.AccessToken, nil
}

// exchange is the second hop: the Maskinporten token for a Customs token, with the form
// values the service expects (not RFC 8693's URNs).
func (c *Client) exchange(ctx context.Context, maskinporten string) (string, time.Duration, error) {
	res, err := c.postForm(ctx, "exchange", c.cfg.BaseURL+ExchangePath, url.Values{
		"grant_type": {"token-exchange"}, "subject_token_type": {"access_token"}, "subject_token": {maskinporten},
	})
	if err != nil {
		return "", 0, err
	}
	var body struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int64  `json:"expires_in"`
	}
	if res.status != http.StatusOK || json.Unmarshal(res.body, &body) != nil || body.AccessToken == "" {
		return "", 0, oauthError("exchange", res)
	}
	return body.AccessToken, time.Duration(body.ExpiresIn) * time.Second, nil
}

// oauthError reads an OAuth error response.
func oauthError(op string, res response) *APIError {
	e := &APIError{Op: op, Status: res.status, Body: string(res.body)}
	var body struct {
		Error            string `json:"error"`
		ErrorDescription string `json:"error_description"`
	}
	if json.Unmarshal(res.body, &body) == nil {
		e.Code, e.Description = body.Error, body.ErrorDescription
	}
	return e
}
