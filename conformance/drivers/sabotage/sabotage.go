// Package sabotage holds what the broken drivers share. A broken driver breaks exactly one
// upstream rule by wrapping the reference client's transport, never by switches inside the
// reference client; these are the tools for that: a RoundTripper made from a function, and
// edits of JSON request and response bodies.
package sabotage

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"
)

// RoundTripFunc is an http.RoundTripper made from a function.
type RoundTripFunc func(*http.Request) (*http.Response, error)

// RoundTrip calls f.
func (f RoundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// EditJSONBody returns a copy of r whose JSON object body went through edit. Keys come out
// sorted; JSON gives key order no meaning, and no rule is about it.
func EditJSONBody(r *http.Request, edit func(map[string]any)) (*http.Request, error) {
	doc, err := ReadJSONObject(r.Body)
	if err != nil {
		return nil, fmt.Errorf("sabotage: reading request body: %w", err)
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

// EditJSONResponse replaces resp's JSON object body with its edited copy.
func EditJSONResponse(resp *http.Response, edit func(map[string]any)) (*http.Response, error) {
	doc, err := ReadJSONObject(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("sabotage: reading response body: %w", err)
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

// ReadJSONObject decodes and closes body; numbers stay exact literals (json.Number).
func ReadJSONObject(body io.ReadCloser) (map[string]any, error) {
	defer body.Close()
	dec := json.NewDecoder(body)
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		return nil, err
	}
	return doc, nil
}

// TruncateBody keeps at most n bytes of resp's body, as a client that reads an answer into a
// fixed-size buffer would.
func TruncateBody(resp *http.Response, n int64) (*http.Response, error) {
	body, err := io.ReadAll(io.LimitReader(resp.Body, n))
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	resp.Header.Del("Content-Length")
	return resp, nil
}

// LocalWallClockAsUTC is the time a client reads at t when it takes the wall clock of zone
// (its local zone, time.Local) for UTC: t plus the zone's offset. In UTC it is right; in
// Asia/Tokyo nine hours ahead, in Europe/Oslo one or two.
func LocalWallClockAsUTC(t time.Time, zone *time.Location) time.Time {
	_, offset := t.In(zone).Zone()
	return t.Add(time.Duration(offset) * time.Second)
}

// PrefixBytes is what ReadPrefix keeps of an answer: a 64 KiB buffer.
const PrefixBytes = 64 << 10

// ReadPrefix keeps at most PrefixBytes of every answer to a request that applies (all when
// applies is nil), as a client that reads into a fixed-size buffer once would.
func ReadPrefix(next http.RoundTripper, applies func(*http.Request) bool) http.RoundTripper {
	return RoundTripFunc(func(r *http.Request) (*http.Response, error) {
		resp, err := next.RoundTrip(r)
		if err != nil || (applies != nil && !applies(r)) {
			return resp, err
		}
		return TruncateBody(resp, PrefixBytes)
	})
}
