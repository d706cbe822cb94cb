package core

import (
	"context"
	"net/http"

	"github.com/getkin/kin-openapi/routers"
)

// ServerCheck is Check as serveAPI calls it, leaving a body the compiled fast path passed
// undecoded; full takes today's path with nothing compiled, for benchmarks to compare.
func ServerCheck(s *Spec, full bool) func(ctx context.Context, r *http.Request, body []byte, route *routers.Route, params map[string]string) []Violation {
	if full {
		cp := *s
		cp.compiled = nil
		s = &cp
	}
	return func(ctx context.Context, r *http.Request, body []byte, route *routers.Route, params map[string]string) []Violation {
		var decoded jsonBody
		return s.check(ctx, r, body, route, params, &decoded)
	}
}
