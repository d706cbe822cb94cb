package core

import (
	"context"
	"net/http"
	"sync"
)

type ctxKey struct{}

// requestInfo travels in the request context from the core to a mock's handler.
type requestInfo struct {
	session     *Session
	publicBase  string // scheme://host[/s/session], what URLs handed to clients start with
	rootMounted bool   // arrived on the API's own root listener (rootmount.go)
	body        []byte
	operation   string
	violations  []Violation
	json        jsonBody

	mu          sync.Mutex
	annotations map[string]string
}

func withInfo(r *http.Request, info *requestInfo) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), ctxKey{}, info))
}

func infoOf(r *http.Request) *requestInfo {
	if info, ok := r.Context().Value(ctxKey{}).(*requestInfo); ok {
		return info
	}
	return &requestInfo{}
}

// PublicBase is the scheme, host and session prefix the client used, so URLs a mock hands
// out (download links, webhooks) lead back to the same process and session.
func PublicBase(r *http.Request) string { return infoOf(r).publicBase }

// Body is the request body, read once by the core.
func Body(r *http.Request) []byte { return infoOf(r).body }

// Operation is the operationId the request was routed to.
func Operation(r *http.Request) string { return infoOf(r).operation }

// Violations are the ways the request breaks the API's OpenAPI document.
func Violations(r *http.Request) []Violation { return infoOf(r).violations }

// JSONBody is the request's JSON body as the core decoded it for validation, or the decoding
// error (the body is not JSON, or the operation takes no JSON body). A body the core validated
// without decoding is decoded on the first call.
func JSONBody(r *http.Request) (any, error) { return infoOf(r).json.get() }

// JSONBodyError is JSONBody's error without decoding the body, for a mock that decodes it into
// its own types anyway.
func JSONBodyError(r *http.Request) error { return infoOf(r).json.decodeErr() }

// Annotate records what the mock concluded about the request (e.g. "auth" → "801") in its
// journal entry, for conformance specs to read.
func Annotate(r *http.Request, key, value string) {
	info := infoOf(r)
	info.mu.Lock()
	defer info.mu.Unlock()
	if info.annotations == nil {
		info.annotations = map[string]string{}
	}
	info.annotations[key] = value
}

// takeAnnotations hands the annotations to the journal entry; one a handler adds later (it
// should not) starts a new map instead of changing the journaled one.
func (info *requestInfo) takeAnnotations() map[string]string {
	info.mu.Lock()
	defer info.mu.Unlock()
	out := info.annotations
	info.annotations = nil
	if len(out) == 0 {
		return nil
	}
	return out
}
