package atlasclient

import (
	"context"
	"errors"
	"fmt"
	"net/http"
)

// ErrURLExpired marks a download URL that answered 403: an S3 presigned URL past its one
// hour ("AccessDenied"). The remedy is a fresh listing, which the download methods do once.
var ErrURLExpired = errors.New("atlasclient: download URL expired")

// fetch GETs a download URL. It deliberately sends no ATLAS headers: the upstream forbids
// them there, and S3 rejects a request carrying a second authorization.
func (c *Client) fetch(ctx context.Context, rawURL string) ([]byte, error) {
	abs, err := c.resolve(rawURL)
	if err != nil {
		return nil, fmt.Errorf("atlasclient: download URL %q: %w", rawURL, err)
	}
	ex, _, err := c.send(ctx, outgoing{method: "GET", url: abs, signed: false})
	if err != nil {
		return nil, fmt.Errorf("atlasclient: downloading %s: %w", redactQuery(abs), err)
	}
	if ex.status == http.StatusForbidden {
		return nil, fmt.Errorf("%w: %w", ErrURLExpired, newAPIError(ex.status, ex.body))
	}
	if !ex.ok() {
		return nil, newAPIError(ex.status, ex.body)
	}
	return ex.body, nil
}

// withFreshURLs runs work against a listing, and once more against a new listing if a
// download URL had expired in between.
func withFreshURLs[L any](ctx context.Context, c *Client, list func() (L, error), work func(L) error) (L, error) {
	for refreshed := false; ; refreshed = true {
		listing, err := list()
		if err != nil {
			return listing, err
		}
		err = work(listing)
		if errors.Is(err, ErrURLExpired) && !refreshed {
			c.cfg.Logger.Info("atlasclient: download URL expired; requesting a new listing")
			continue
		}
		return listing, err
	}
}
