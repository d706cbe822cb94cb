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

// reuseFailedRequestID sends the requestId of a presentation whose validation failed again
// with the next new presentation, as a client that takes a failed call's requestId for unused
// would. The upstream refuses it ("requestId er allerede brukt").
func reuseFailedRequestID(s ics2nodriver.Settings, next http.RoundTripper) http.RoundTripper {
	var (
		mu     sync.Mutex
		failed string              // a requestId whose validation status was FAILURE, not yet reused
		seen   = map[string]bool{} // requestIds the client made
	)
	return sabotage.RoundTripFunc(func(r *http.Request) (*http.Response, error) {
		if r.Method == http.MethodPost && isAPICall(r, s) && strings.Contains(r.URL.Path, "/presentation/") {
			edited, err := sabotage.EditJSONBody(r, func(doc map[string]any) {
				id, _ := doc["requestId"].(string)
				mu.Lock()
				defer mu.Unlock()
				if !seen[id] && failed != "" { // a new presentation, not a retry
					doc["requestId"], failed = failed, ""
				}
				seen[id] = true
			})
			if err != nil {
				return nil, err
			}
			return next.RoundTrip(edited)
		}
		resp, err := next.RoundTrip(r)
		if err != nil || resp.StatusCode != http.StatusOK || !strings.HasSuffix(r.URL.Path, "/validation-status") {
			return resp, err
		}
		return sabotage.EditJSONResponse(resp, func(doc map[string]any) {
			if doc["status"] == "FAILURE" {
				mu.Lock()
				failed, _ = doc["requestId"].(string)
				mu.Unlock()
			}
		})
	})
}

// readPrefix reads at most 64 KiB of every answer of the API, as a client that reads into a
// fixed buffer would.
func readPrefix(s ics2nodriver.Settings, next http.RoundTripper) http.RoundTripper {
	return sabotage.ReadPrefix(next, func(r *http.Request) bool { return isAPICall(r, s) })
}

// reusedAsAccepted answers a presentation refused for a used requestId ("requestId er
// allerede brukt") as if it had been taken (202), as a client that reads the refusal as "sent
// before, so presented" would. With a constant requestId the client then reports goods the
// upstream never took as presented (it reads the status of the earlier request).
func reusedAsAccepted(s ics2nodriver.Settings, next http.RoundTripper) http.RoundTripper {
	return sabotage.RoundTripFunc(func(r *http.Request) (*http.Response, error) {
		resp, err := next.RoundTrip(r)
		if err != nil || resp.StatusCode != http.StatusBadRequest || r.Method != http.MethodPost || !strings.Contains(r.URL.Path, "/presentation/") {
			return resp, err
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return nil, err
		}
		resp.Body = io.NopCloser(bytes.NewReader(body))
		if !bytes.Contains(body, []byte("requestId er allerede brukt")) {
			return resp, nil
		}
		var refused struct {
			RequestID string `json:"requestId"`
		}
		_ = json.Unmarshal(body, &refused)
		accepted, _ := json.Marshal(map[string]string{"requestId": refused.RequestID})
		resp.StatusCode, resp.Status = http.StatusAccepted, "202 Accepted"
		resp.Body = io.NopCloser(bytes.NewReader(accepted))
		resp.ContentLength = int64(len(accepted))
		resp.Header.Del("Content-Length")
		return resp, nil
	})
}
