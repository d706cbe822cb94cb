package main

import (
	"net/http"
	"sync"
	"time"

	"github.com/upmock/upmock/conformance/clients/atlasclient"
	"github.com/upmock/upmock/conformance/drivers/atlasdriver"
	"github.com/upmock/upmock/conformance/drivers/sabotage"
)

// staleJWT replays the first Authorization header on every later API call, as a client
// that mints its token once at start-up would.
func staleJWT(s atlasdriver.Settings, next http.RoundTripper) http.RoundTripper {
	var (
		mu    sync.Mutex
		first string
	)
	return sabotage.RoundTripFunc(func(r *http.Request) (*http.Response, error) {
		token := r.Header.Get("Authorization")
		if token == "" || !isAPICall(r, s.BaseURL) {
			return next.RoundTrip(r)
		}
		mu.Lock()
		if first == "" {
			first = token
		}
		stale := first
		mu.Unlock()
		r = r.Clone(r.Context())
		r.Header.Set("Authorization", stale)
		return next.RoundTrip(r)
	})
}

// authOnDownload sends the ATLAS headers to download URLs too, as a client that sets them
// on its HTTP client for every request would.
func authOnDownload(s atlasdriver.Settings, next http.RoundTripper) http.RoundTripper {
	return sabotage.RoundTripFunc(func(r *http.Request) (*http.Response, error) {
		if isAPICall(r, s.BaseURL) {
			return next.RoundTrip(r)
		}
		token, err := atlasclient.MintJWT(s.APISecret, time.Now())
		if err != nil {
			return nil, err
		}
		r = r.Clone(r.Context())
		r.Header.Set(atlasclient.HeaderAPIKey, s.APIKey)
		r.Header.Set("Authorization", token)
		return next.RoundTrip(r)
	})
}
