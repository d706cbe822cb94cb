package atlasclient

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
)

// callAPI performs a signed call to path below BaseURL. It returns the successful
// exchange, or an *APIError for any other status; attempts says how many tries it took.
func (c *Client) callAPI(ctx context.Context, method, path string, query url.Values, body []byte) (ex exchange, attempts int, err error) {
	ex, attempts, err = c.send(ctx, outgoing{method: method, url: c.endpoint(path, query), body: body, signed: true})
	if err != nil {
		return ex, attempts, fmt.Errorf("atlasclient: %s %s: %w", method, path, err)
	}
	if !ex.ok() {
		return ex, attempts, newAPIError(ex.status, ex.body)
	}
	return ex, attempts, nil
}

// getJSON performs a signed GET and decodes the JSON answer into out.
func (c *Client) getJSON(ctx context.Context, path string, query url.Values, out any) error {
	ex, _, err := c.callAPI(ctx, "GET", path, query, nil)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(ex.body, out); err != nil {
		return fmt.Errorf("atlasclient: GET %s: decoding response: %w", path, err)
	}
	return nil
}

// redactQuery drops a URL's query for logs and errors: a presigned download URL carries
// its signature there.
func redactQuery(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	if u.RawQuery != "" {
		u.RawQuery = "…"
	}
	return u.String()
}
