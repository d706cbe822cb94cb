package main

import (
	"crypto/rand"
	"fmt"
	"net/http"
	"strings"
)

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

// newUUID returns a random UUID v4, shaped like the reference client's transactionIds.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
