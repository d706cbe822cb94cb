package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/upmock/upmock/conformance/clients/atlasclient"
	"github.com/upmock/upmock/conformance/drivers/atlasdriver"
	"github.com/upmock/upmock/conformance/drivers/sabotage"
)

// requestDateAhead dates every JWT 30 s into the future, as a client that post-dates its
// tokens to make them last longer would. The upstream accepts such a date; ATLAS-AUTH-3
// does not.
func requestDateAhead(cfg *atlasclient.Config) {
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	cfg.Now = func() time.Time { return now().Add(30 * time.Second) }
}

// retryAtOnce keeps the client's retries but not its waits, as a client whose back-off
// is configured in the wrong unit (nanoseconds for milliseconds) would.
func retryAtOnce(cfg *atlasclient.Config) {
	cfg.BaseDelay = time.Nanosecond
	cfg.MaxDelay = time.Nanosecond
}

// oneTransactionIDPerRegistration gives every single-item request of one registration the
// transactionId of its first, and reads the upstream's "already registered" (400 errorCode
// 200) as success: a client that makes one transactionId per logical registration and takes
// a duplicate for "done". Only the first item is registered.
func oneTransactionIDPerRegistration(s atlasdriver.Settings, next http.RoundTripper) http.RoundTripper {
	var (
		mu    sync.Mutex
		first = map[string]string{} // movementSlipNo → the transactionId of its first single-item request
	)
	return sabotage.RoundTripFunc(func(r *http.Request) (*http.Response, error) {
		if !isRegistration(r, s.BaseURL) || !strings.HasSuffix(r.URL.Path, "/item") {
			return next.RoundTrip(r)
		}
		edited, err := sabotage.EditJSONBody(r, func(doc map[string]any) {
			slip, _ := doc["movementSlipNo"].(string)
			mu.Lock()
			defer mu.Unlock()
			if id, ok := first[slip]; ok {
				doc["transactionId"] = id
				return
			}
			first[slip], _ = doc["transactionId"].(string)
		})
		if err != nil {
			return nil, err
		}
		resp, err := next.RoundTrip(edited)
		if err != nil || resp.StatusCode != http.StatusBadRequest {
			return resp, err
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return nil, err
		}
		if errorCodeOf(body) == atlasclient.CodeTransactionRegistered {
			return emptyAnswer(r, http.StatusNoContent), nil
		}
		resp.Body = io.NopCloser(bytes.NewReader(body))
		return resp, nil
	})
}

// returnSentCursor makes the client keep the cursor it sent for the last page rather than
// the one that page's answer gave, as a client that returns its loop variable would.
func returnSentCursor(s atlasdriver.Settings, next http.RoundTripper) http.RoundTripper {
	return sabotage.RoundTripFunc(func(r *http.Request) (*http.Response, error) {
		resp, err := next.RoundTrip(r)
		sent := r.URL.Query().Get("cursor")
		if err != nil || resp.StatusCode != http.StatusOK || !isListing(r, s.BaseURL) || sent == "" {
			return resp, err
		}
		return sabotage.EditJSONResponse(resp, func(doc map[string]any) {
			if doc["hasNext"] == false {
				doc["cursor"] = sent
			}
		})
	})
}

// reuseMasterURL answers every master-data request after the first from a cache, as a
// client that keeps the URL it was given would: once the URL expires, asking "again" gets
// the same expired URL.
func reuseMasterURL(s atlasdriver.Settings, next http.RoundTripper) http.RoundTripper {
	var (
		mu     sync.Mutex
		cached = map[string][]byte{}
	)
	return sabotage.RoundTripFunc(func(r *http.Request) (*http.Response, error) {
		if r.Method != http.MethodGet || !isAPICall(r, s.BaseURL) || !strings.Contains(r.URL.Path, "/master/") {
			return next.RoundTrip(r)
		}
		mu.Lock()
		body, ok := cached[r.URL.String()]
		mu.Unlock()
		if ok {
			resp := emptyAnswer(r, http.StatusOK)
			resp.Body = io.NopCloser(bytes.NewReader(body))
			resp.ContentLength = int64(len(body))
			return resp, nil
		}
		resp, err := next.RoundTrip(r)
		if err != nil || resp.StatusCode != http.StatusOK {
			return resp, err
		}
		body, err = io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return nil, err
		}
		mu.Lock()
		cached[r.URL.String()] = body
		mu.Unlock()
		resp.Body = io.NopCloser(bytes.NewReader(body))
		return resp, nil
	})
}

// readPrefix reads at most 64 KiB of every download file, as a client that reads into a
// fixed buffer would.
func readPrefix(s atlasdriver.Settings, next http.RoundTripper) http.RoundTripper {
	return sabotage.ReadPrefix(next, func(r *http.Request) bool { return !isAPICall(r, s.BaseURL) })
}

// localTimeAsUTC writes the local wall-clock time as requestDate, "Z" and all, as a client
// formatting DateTime.Now instead of DateTime.UtcNow would. It shows only where the driver
// runs outside UTC: the suite runs ATLAS drivers in Asia/Tokyo, nine hours ahead, which the
// upstream refuses (804) on every call.
func localTimeAsUTC(cfg *atlasclient.Config) {
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	cfg.Now = func() time.Time { return sabotage.LocalWallClockAsUTC(now(), localZone()) }
}

// localZone is the driver process's zone (TZ); tests set another.
var localZone = func() *time.Location { return time.Local }

// errorCodeOf reads a ProblemDetails' errorCode, a number or a string.
func errorCodeOf(body []byte) string {
	var p struct {
		ErrorCode json.RawMessage `json:"errorCode"`
	}
	if json.Unmarshal(body, &p) != nil {
		return ""
	}
	return strings.Trim(string(p.ErrorCode), `"`)
}

// emptyAnswer is a response to r with status and no body.
func emptyAnswer(r *http.Request, status int) *http.Response {
	return &http.Response{
		Status: http.StatusText(status), StatusCode: status, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(nil)), Request: r,
	}
}
