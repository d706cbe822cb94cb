package atlasclient

import (
	"net/url"
	"strings"
)

// Client talks to one ATLAS-Things tenant. It is safe for concurrent use.
type Client struct {
	cfg  Config
	base *url.URL
}

// New returns a Client for cfg, with defaults for its zero fields.
func New(cfg Config) (*Client, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	base, err := url.Parse(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	return &Client{cfg: cfg, base: base}, nil
}

// endpoint is the absolute URL of an API path ("/shipping/item") below BaseURL.
func (c *Client) endpoint(path string, query url.Values) string {
	u := c.cfg.BaseURL + "/" + strings.TrimPrefix(path, "/")
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	return u
}

// resolve makes a download URL absolute; the upstream hands out absolute URLs, but a
// relative one is read against BaseURL rather than rejected.
func (c *Client) resolve(raw string) (string, error) {
	u, err := c.base.Parse(raw)
	if err != nil {
		return "", err
	}
	return u.String(), nil
}
