package core

import (
	"strings"

	"github.com/getkin/kin-openapi/routers"
)

// staticRoutes are the answers Find gives for the document's own paths without parameters,
// worked out once by the router at load: most requests take one of these paths, and asking
// the router builds a request value per call.
type staticRoutes map[string]map[string]*routers.Route // method → path → route

func (s *Spec) indexStaticRoutes() {
	s.static = staticRoutes{}
	for _, route := range s.routes {
		if strings.Contains(route.Path, "{") {
			continue
		}
		matched, _, ok := s.route(route.Method, route.Path)
		if !ok {
			continue
		}
		if s.static[route.Method] == nil {
			s.static[route.Method] = map[string]*routers.Route{}
		}
		s.static[route.Method][route.Path] = matched
	}
}
