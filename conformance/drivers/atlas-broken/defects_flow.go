package main

import (
	"context"
	"io"
	"net/http"
	"time"

	"github.com/upmock/upmock/conformance/clients/atlasclient"
	"github.com/upmock/upmock/conformance/drivers/atlasdriver"
	"github.com/upmock/upmock/conformance/drivers/sabotage"
)

// multiItemSingle sends a single-mode registration's items all in one call to the
// single-item endpoint, as a client that ignores the endpoint's one-item limit would.
func multiItemSingle(ctx context.Context, c *atlasclient.Client, flow atlasdriver.Flow, mode atlasclient.Mode, reg atlasclient.Registration) error {
	if mode != atlasclient.ModeSingle {
		return atlasdriver.DefaultRegistrar(ctx, c, flow, mode, reg)
	}
	endpoint := atlasclient.ShippingItem
	if flow == atlasdriver.Receiving {
		endpoint = atlasclient.ReceivingItem
	}
	return c.SendRegistration(ctx, endpoint, reg)
}

// firstPageOnly hides hasNext from the client, as one that reads a single page would.
func firstPageOnly(s atlasdriver.Settings, next http.RoundTripper) http.RoundTripper {
	return sabotage.RoundTripFunc(func(r *http.Request) (*http.Response, error) {
		resp, err := next.RoundTrip(r)
		if err != nil || resp.StatusCode != http.StatusOK || !isListing(r, s.BaseURL) {
			return resp, err
		}
		return sabotage.EditJSONResponse(resp, func(doc map[string]any) { doc["hasNext"] = false })
	})
}

// noRetry makes one attempt only, as a client without retries would.
func noRetry(cfg *atlasclient.Config) { cfg.MaxAttempts = 1 }

// retryOn400 re-sends an API call that got 400, with the configured back-off and a fresh
// JWT, as a client that treats every failure as transient would. The client then sees the
// last answer as the outcome of its single attempt.
func retryOn400(s atlasdriver.Settings, next http.RoundTripper) http.RoundTripper {
	attempts, delay := s.Retry.MaxAttempts, time.Duration(s.Retry.BaseDelayMs)*time.Millisecond
	if attempts <= 0 {
		attempts = atlasclient.DefaultMaxAttempts
	}
	if delay <= 0 {
		delay = atlasclient.DefaultBaseDelay
	}
	return sabotage.RoundTripFunc(func(r *http.Request) (*http.Response, error) {
		resp, err := next.RoundTrip(r)
		for n := 1; n < attempts && err == nil && resp.StatusCode == http.StatusBadRequest && isAPICall(r, s.BaseURL); n++ {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			select {
			case <-time.After(delay << (n - 1)):
			case <-r.Context().Done():
				return nil, r.Context().Err()
			}
			var again *http.Request
			if again, err = resend(r, s.APISecret); err != nil {
				return nil, err
			}
			resp, err = next.RoundTrip(again)
		}
		return resp, err
	})
}

// resend copies r with a rewound body and a newly minted JWT.
func resend(r *http.Request, apiSecret string) (*http.Request, error) {
	again := r.Clone(r.Context())
	if r.GetBody != nil {
		body, err := r.GetBody()
		if err != nil {
			return nil, err
		}
		again.Body = body
	}
	token, err := atlasclient.MintJWT(apiSecret, time.Now())
	if err != nil {
		return nil, err
	}
	again.Header.Set("Authorization", token)
	return again, nil
}
