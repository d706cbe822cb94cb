package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/upmock/upmock/conformance/clients/ics2noclient"
	"github.com/upmock/upmock/conformance/drivers/ics2nodriver"
	"github.com/upmock/upmock/conformance/drivers/sabotage"
)

// isAPICall reports whether r is an API call (below baseUrl, not the token exchange).
func isAPICall(r *http.Request, s ics2nodriver.Settings) bool {
	return strings.HasPrefix(r.URL.String(), strings.TrimSuffix(s.BaseURL, "/")+"/api/movement/")
}

// staleToken replays the first Authorization header on every later API call, as a client
// that fetches its token once at start-up would.
func staleToken(s ics2nodriver.Settings, next http.RoundTripper) http.RoundTripper {
	var (
		mu    sync.Mutex
		first string
	)
	return sabotage.RoundTripFunc(func(r *http.Request) (*http.Response, error) {
		if !isAPICall(r, s) {
			return next.RoundTrip(r)
		}
		mu.Lock()
		if first == "" {
			first = r.Header.Get("Authorization")
		}
		stale := first
		mu.Unlock()
		r = r.Clone(r.Context())
		r.Header.Set("Authorization", stale)
		return next.RoundTrip(r)
	})
}

// newRequestIDOnRetry gives a presentation whose goods were sent before a new requestId, as a
// client that makes the requestId per attempt would.
func newRequestIDOnRetry(s ics2nodriver.Settings, next http.RoundTripper) http.RoundTripper {
	var (
		mu   sync.Mutex
		sent = map[string]bool{}
	)
	return sabotage.RoundTripFunc(func(r *http.Request) (*http.Response, error) {
		if r.Method != http.MethodPost || !isAPICall(r, s) || r.Body == nil {
			return next.RoundTrip(r)
		}
		raw, err := io.ReadAll(r.Body)
		r.Body.Close()
		if err != nil {
			return nil, err
		}
		var body map[string]any
		if err := json.Unmarshal(raw, &body); err == nil {
			delete(body, "requestId")
			key, _ := json.Marshal(body)
			mu.Lock()
			again := sent[r.URL.Path+string(key)]
			sent[r.URL.Path+string(key)] = true
			mu.Unlock()
			if again {
				body["requestId"] = ics2noclient.NewUUID()
				raw, _ = json.Marshal(body)
			}
		}
		clone := r.Clone(r.Context())
		clone.Body = io.NopCloser(bytes.NewReader(raw))
		clone.ContentLength = int64(len(raw))
		return next.RoundTrip(clone)
	})
}

// noStatusCheck answers validation-status itself, SUCCESS for whatever requestId, without
// asking the upstream.
func noStatusCheck(s ics2nodriver.Settings, next http.RoundTripper) http.RoundTripper {
	return sabotage.RoundTripFunc(func(r *http.Request) (*http.Response, error) {
		if r.Method != http.MethodGet || !isAPICall(r, s) || !strings.HasSuffix(r.URL.Path, "/validation-status") {
			return next.RoundTrip(r)
		}
		body, _ := json.Marshal(map[string]any{
			"status": "SUCCESS", "requestId": r.URL.Query().Get("requestId"),
			"notificationDate": time.Now().UTC().Format("2006-01-02T15:04:05Z"), "validationErrorList": []any{},
		})
		return &http.Response{
			StatusCode: http.StatusOK, Status: "200 OK", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
			Header: http.Header{"Content-Type": {"application/json"}}, Body: io.NopCloser(bytes.NewReader(body)),
			ContentLength: int64(len(body)), Request: r,
		}, nil
	})
}

// noMarker drops the marker from routing reads.
func noMarker(s ics2nodriver.Settings, next http.RoundTripper) http.RoundTripper {
	return sabotage.RoundTripFunc(func(r *http.Request) (*http.Response, error) {
		if r.Method != http.MethodGet || !isAPICall(r, s) || !strings.Contains(r.URL.Path, "/routing/") {
			return next.RoundTrip(r)
		}
		r = r.Clone(r.Context())
		q := r.URL.Query()
		q.Del("marker")
		r.URL.RawQuery = q.Encode()
		return next.RoundTrip(r)
	})
}
