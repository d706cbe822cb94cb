package main

import (
	"net/http"
	"sync"

	"github.com/upmock/upmock/conformance/drivers/atlasdriver"
	"github.com/upmock/upmock/conformance/drivers/sabotage"
)

// constantTransactionID is a well-formed UUID v4, so only its reuse breaks a rule.
const constantTransactionID = "3f2a6c1e-8b4d-4e7a-9c10-5d6e7f8a9b0c"

// fixedTransactionID gives every registration the same transactionId, as a client with a
// hard-coded sample value would.
func fixedTransactionID(s atlasdriver.Settings, next http.RoundTripper) http.RoundTripper {
	return sabotage.RoundTripFunc(func(r *http.Request) (*http.Response, error) {
		if !isRegistration(r, s.BaseURL) {
			return next.RoundTrip(r)
		}
		edited, err := sabotage.EditJSONBody(r, func(doc map[string]any) { doc["transactionId"] = constantTransactionID })
		if err != nil {
			return nil, err
		}
		return next.RoundTrip(edited)
	})
}

// omitNullFields drops null-valued keys from registrations, as a client serialising with
// omitempty would.
func omitNullFields(s atlasdriver.Settings, next http.RoundTripper) http.RoundTripper {
	return sabotage.RoundTripFunc(func(r *http.Request) (*http.Response, error) {
		if !isRegistration(r, s.BaseURL) {
			return next.RoundTrip(r)
		}
		edited, err := sabotage.EditJSONBody(r, func(doc map[string]any) { dropNulls(doc) })
		if err != nil {
			return nil, err
		}
		return next.RoundTrip(edited)
	})
}

// dropNulls removes null-valued keys from v and everything nested in it.
func dropNulls(v any) {
	switch v := v.(type) {
	case map[string]any:
		for k, child := range v {
			if child == nil {
				delete(v, k)
				continue
			}
			dropNulls(child)
		}
	case []any:
		for _, child := range v {
			dropNulls(child)
		}
	}
}

// newTransactionIDOnRetry gives a re-sent registration a new transactionId, as a client
// that builds the body afresh per attempt would; a retry after a committed attempt then
// registers the data twice.
func newTransactionIDOnRetry(s atlasdriver.Settings, next http.RoundTripper) http.RoundTripper {
	var (
		mu   sync.Mutex
		sent = map[string]bool{}
	)
	return sabotage.RoundTripFunc(func(r *http.Request) (*http.Response, error) {
		if !isRegistration(r, s.BaseURL) {
			return next.RoundTrip(r)
		}
		edited, err := sabotage.EditJSONBody(r, func(doc map[string]any) {
			id, _ := doc["transactionId"].(string)
			mu.Lock()
			defer mu.Unlock()
			if sent[id] {
				doc["transactionId"] = newUUID()
			}
			sent[id] = true
		})
		if err != nil {
			return nil, err
		}
		return next.RoundTrip(edited)
	})
}
