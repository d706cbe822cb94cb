package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/upmock/upmock/conformance/drivers/jaiadriver"
	"github.com/upmock/upmock/conformance/drivers/sabotage"
)

// is reports whether r calls method on path below the configured baseUrl.
func is(r *http.Request, s jaiadriver.Settings, method, path string) bool {
	return r.Method == method && r.URL.String() == strings.TrimSuffix(s.BaseURL, "/")+path
}

// cachedLogin sends the first login upstream and answers every later one with a copy of that
// first answer, as a client that caches its login result would: its "new" token is the old one.
func cachedLogin(s jaiadriver.Settings, next http.RoundTripper) http.RoundTripper {
	var (
		mu     sync.Mutex
		cached []byte
	)
	return sabotage.RoundTripFunc(func(r *http.Request) (*http.Response, error) {
		if !is(r, s, http.MethodPost, "/auth") {
			return next.RoundTrip(r)
		}
		mu.Lock()
		body := cached
		mu.Unlock()
		if body != nil {
			return answer(r, http.StatusOK, body), nil
		}
		resp, err := next.RoundTrip(r)
		if err != nil || resp.StatusCode != http.StatusOK {
			return resp, err
		}
		data, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return nil, err
		}
		mu.Lock()
		cached = data
		mu.Unlock()
		return answer(r, resp.StatusCode, data), nil
	})
}

// noLogout answers DELETE /auth itself, as a client that never logs out (and tells its
// caller it did).
func noLogout(s jaiadriver.Settings, next http.RoundTripper) http.RoundTripper {
	return sabotage.RoundTripFunc(func(r *http.Request) (*http.Response, error) {
		if !is(r, s, http.MethodDelete, "/auth") {
			return next.RoundTrip(r)
		}
		return answer(r, http.StatusOK, []byte(`{"result":0,"code":200,"errorMessageList":null,"metadata":{}}`)), nil
	})
}

// createAPIIDOnUpdate sends STORE_UPDATE with apiId STORE_CREATE, as a client whose update
// was copied from its create.
func createAPIIDOnUpdate(s jaiadriver.Settings, next http.RoundTripper) http.RoundTripper {
	return sabotage.RoundTripFunc(func(r *http.Request) (*http.Response, error) {
		if !is(r, s, http.MethodPut, "/store") {
			return next.RoundTrip(r)
		}
		edited, err := sabotage.EditJSONBody(r, func(doc map[string]any) { doc["apiId"] = "STORE_CREATE" })
		if err != nil {
			return nil, err
		}
		return next.RoundTrip(edited)
	})
}

// oneBasedPages numbers store search pages from 1, as a client that reads "1 ページ目" as
// pageNumber 1; the answer's pageNumber is numbered back, so the client sees no difference.
func oneBasedPages(s jaiadriver.Settings, next http.RoundTripper) http.RoundTripper {
	return sabotage.RoundTripFunc(func(r *http.Request) (*http.Response, error) {
		if !is(r, s, http.MethodPost, "/stores") {
			return next.RoundTrip(r)
		}
		edited, err := sabotage.EditJSONBody(r, func(doc map[string]any) { shift(doc, "pageNumber", 1) })
		if err != nil {
			return nil, err
		}
		resp, err := next.RoundTrip(edited)
		if err != nil || resp.StatusCode != http.StatusOK {
			return resp, err
		}
		return sabotage.EditJSONResponse(resp, func(doc map[string]any) { shift(doc, "pageNumber", -1) })
	})
}

// httpStatusOnly turns every 2xx answer with a result other than 0 into the success such a
// client assumes: result 0, no messages, and for a search no rows.
func httpStatusOnly(s jaiadriver.Settings, next http.RoundTripper) http.RoundTripper {
	return sabotage.RoundTripFunc(func(r *http.Request) (*http.Response, error) {
		resp, err := next.RoundTrip(r)
		if err != nil || resp.StatusCode < 200 || resp.StatusCode > 299 || !strings.Contains(resp.Header.Get("Content-Type"), "json") {
			return resp, err
		}
		return sabotage.EditJSONResponse(resp, func(doc map[string]any) {
			if fmt.Sprint(doc["result"]) == "0" {
				return
			}
			doc["result"], doc["code"], doc["errorMessageList"] = 0, 200, nil
			if _, ok := doc["total"]; !ok && is(r, s, http.MethodPost, "/stores") {
				doc["total"], doc["metadataList"] = 0, []any{}
			}
		})
	})
}

// shift adds by to a number item (absent counts as 0).
func shift(doc map[string]any, key string, by int64) {
	n := int64(0)
	if v, ok := doc[key].(json.Number); ok {
		n, _ = v.Int64()
	}
	doc[key] = json.Number(strconv.FormatInt(n+by, 10))
}

// answer is a response made here, as if it came from upstream.
func answer(r *http.Request, status int, body []byte) *http.Response {
	return &http.Response{
		Status: fmt.Sprintf("%d %s", status, http.StatusText(status)), StatusCode: status,
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:        http.Header{"Content-Type": {"application/json; charset=UTF-8"}},
		Body:          io.NopCloser(bytes.NewReader(body)),
		ContentLength: int64(len(body)), Request: r,
	}
}
