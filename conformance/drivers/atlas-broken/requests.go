package main

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// roundTripFunc lets a function be a transport.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// isAPICall reports whether r goes below the configured baseUrl; anything else is a
// download URL.
func isAPICall(r *http.Request, baseURL string) bool {
	return strings.HasPrefix(r.URL.String(), strings.TrimSuffix(baseURL, "/")+"/")
}

// isRegistration reports whether r posts to one of the four registration endpoints.
func isRegistration(r *http.Request, baseURL string) bool {
	if r.Method != http.MethodPost || !isAPICall(r, baseURL) {
		return false
	}
	for _, suffix := range []string{"/shipping/item", "/shipping/items", "/receiving/item", "/receiving/items"} {
		if strings.HasSuffix(r.URL.Path, suffix) {
			return true
		}
	}
	return false
}

// isListing reports whether r asks for a page of download URLs.
func isListing(r *http.Request, baseURL string) bool {
	return r.Method == http.MethodGet && isAPICall(r, baseURL) &&
		(strings.HasSuffix(r.URL.Path, "/items/download") || strings.HasSuffix(r.URL.Path, "/inactivetrackingids/download"))
}

// editJSONBody returns a copy of r whose JSON object body went through edit. Keys come
// out sorted; JSON gives key order no meaning, and no rule is about it.
func editJSONBody(r *http.Request, edit func(map[string]any)) (*http.Request, error) {
	doc, err := readJSONObject(r.Body)
	if err != nil {
		return nil, fmt.Errorf("atlas-broken: reading request body: %w", err)
	}
	edit(doc)
	data, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	clone := r.Clone(r.Context())
	clone.Body = io.NopCloser(bytes.NewReader(data))
	clone.ContentLength = int64(len(data))
	clone.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
	return clone, nil
}

// editJSONResponse replaces resp's JSON object body with its edited copy.
func editJSONResponse(resp *http.Response, edit func(map[string]any)) (*http.Response, error) {
	doc, err := readJSONObject(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("atlas-broken: reading response body: %w", err)
	}
	edit(doc)
	data, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(data))
	resp.ContentLength = int64(len(data))
	resp.Header.Del("Content-Length")
	return resp, nil
}

// readJSONObject decodes and closes body; numbers stay exact literals.
func readJSONObject(body io.ReadCloser) (map[string]any, error) {
	defer body.Close()
	dec := json.NewDecoder(body)
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		return nil, err
	}
	return doc, nil
}

// newUUID returns a random UUID v4, shaped like the reference client's transactionIds.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
