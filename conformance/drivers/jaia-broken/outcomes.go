package main

import (
	"net/http"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/upmock/upmock/conformance/drivers/jaiadriver"
	"github.com/upmock/upmock/conformance/drivers/sabotage"
)

// firstErrorOnly keeps the first entry of every errorMessageList, as a client that reports
// errorMessageList[0].
func firstErrorOnly(_ jaiadriver.Settings, next http.RoundTripper) http.RoundTripper {
	return sabotage.RoundTripFunc(func(r *http.Request) (*http.Response, error) {
		resp, err := next.RoundTrip(r)
		if err != nil || !strings.Contains(resp.Header.Get("Content-Type"), "json") {
			return resp, err
		}
		return sabotage.EditJSONResponse(resp, func(doc map[string]any) {
			if list, ok := doc["errorMessageList"].([]any); ok && len(list) > 1 {
				doc["errorMessageList"] = list[:1]
			}
		})
	})
}

// exportAny200 takes any 200 answer of an export for the file, as a client that checks the
// status only: an abnormal end in the envelope becomes a "CSV" of JSON.
func exportAny200(s jaiadriver.Settings, next http.RoundTripper) http.RoundTripper {
	return sabotage.RoundTripFunc(func(r *http.Request) (*http.Response, error) {
		resp, err := next.RoundTrip(r)
		if err != nil || resp.StatusCode != http.StatusOK || !strings.HasSuffix(r.URL.Path, "/export/deleted") {
			return resp, err
		}
		resp.Header.Set("Content-Type", "text/csv; charset=UTF-8")
		return resp, nil
	})
}

// storeNameMaxBytes is the manual's 「最大 100 桁」 of storeName, misread as bytes.
const storeNameMaxBytes = 100

// byteLengthNames clips an update's storeName to 100 bytes (at a character boundary), as a
// client that counts the manual's 桁 in bytes of UTF-8: a 100-character Japanese name is cut
// to 33 characters, and the upstream stores what it was sent.
func byteLengthNames(s jaiadriver.Settings, next http.RoundTripper) http.RoundTripper {
	return sabotage.RoundTripFunc(func(r *http.Request) (*http.Response, error) {
		if !is(r, s, http.MethodPut, "/store") {
			return next.RoundTrip(r)
		}
		edited, err := sabotage.EditJSONBody(r, func(doc map[string]any) {
			if ds, ok := doc["dataset"].(map[string]any); ok {
				if name, ok := ds["storeName"].(string); ok {
					ds["storeName"] = clipBytes(name, storeNameMaxBytes)
				}
			}
		})
		if err != nil {
			return nil, err
		}
		return next.RoundTrip(edited)
	})
}

func clipBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[:n]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}

// readPrefix reads at most 64 KiB of every answer, as a client with a fixed-size buffer.
func readPrefix(_ jaiadriver.Settings, next http.RoundTripper) http.RoundTripper {
	return sabotage.ReadPrefix(next, nil)
}

// reloginWithoutAppID sends every login after the first without appId, as a client whose
// re-login path builds its own body.
func reloginWithoutAppID(s jaiadriver.Settings, next http.RoundTripper) http.RoundTripper {
	var (
		mu     sync.Mutex
		logins int
	)
	return sabotage.RoundTripFunc(func(r *http.Request) (*http.Response, error) {
		if !is(r, s, http.MethodPost, "/auth") {
			return next.RoundTrip(r)
		}
		mu.Lock()
		logins++
		first := logins == 1
		mu.Unlock()
		if first {
			return next.RoundTrip(r)
		}
		edited, err := sabotage.EditJSONBody(r, func(doc map[string]any) { delete(doc, "appId") })
		if err != nil {
			return nil, err
		}
		return next.RoundTrip(edited)
	})
}
