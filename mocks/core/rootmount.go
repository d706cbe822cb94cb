package core

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
)

// SessionHeader picks the session on a root listener, as the /s/{name}/ prefix does; it lets
// a client that takes only a host (and drops any base path) use a session.
const SessionHeader = "X-Upmock-Session"

// rootMountKey marks a request that arrived on an API's root listener.
type rootMountKey struct{}

// RootHandler serves one API at the root of a listener of its own (serve --port api=PORT), so a
// client that posts absolute upstream paths needs only the host changed: /path is the API's
// BasePath()+/path on the main listener. A session is picked by the /s/{name}/ prefix or the
// X-Upmock-Session header; /__upmock/ and download URLs work as on the main listener.
func (s *Server) RootHandler(api string) (http.Handler, error) {
	a, ok := s.apis[api]
	if !ok {
		return nil, fmt.Errorf("no API %q is served; served: %s", api, strings.Join(s.names(), ", "))
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		prefix, rest := "", r.URL.Path
		if tail, ok := strings.CutPrefix(rest, "/s/"); ok {
			name, after, _ := strings.Cut(tail, "/")
			prefix, rest = "/s/"+name, "/"+after
		} else if name := r.Header.Get(SessionHeader); name != "" {
			prefix = "/s/" + name
		}
		if !strings.HasPrefix(rest, "/__upmock/") && rest != "/__upmock" && !strings.HasPrefix(rest, DownloadsPrefix) {
			rest = a.BasePath() + rest
		}
		r = r.Clone(context.WithValue(r.Context(), rootMountKey{}, true))
		r.URL.Path, r.URL.RawPath = prefix+rest, ""
		s.ServeHTTP(w, r)
	}), nil
}

func (s *Server) names() []string {
	out := make([]string, 0, len(s.order))
	for _, a := range s.order {
		out = append(out, a.Name())
	}
	return out
}

// APIBase is the base URL the client used for the API whose base path is basePath: the
// listener's root (with its session prefix) on the API's own root listener, else
// PublicBase(r)+basePath.
func APIBase(r *http.Request, basePath string) string {
	if infoOf(r).rootMounted {
		return PublicBase(r)
	}
	return PublicBase(r) + basePath
}

// rootListener is one API served at the root of its own socket.
type rootListener struct {
	api      string
	url      string
	listener net.Listener
	http     *http.Server
	done     chan error
}

// ListenAtRoot serves api at the root of another socket on addr ("127.0.0.1:0" picks a free
// port), with the same sessions, journal and control API as r; it stops with r. It returns
// the listener's URL.
func (r *Running) ListenAtRoot(api, addr string, tlsConfig *tls.Config) (string, error) {
	h, err := r.Server.RootHandler(api)
	if err != nil {
		return "", err
	}
	r.rootsMu.Lock()
	defer r.rootsMu.Unlock()
	if _, dup := r.roots[api]; dup {
		return "", fmt.Errorf("%s is already served at the root of %s", api, r.roots[api].url)
	}
	ln, _, scheme, err := r.Server.listen(addr, tlsConfig)
	if err != nil {
		return "", err
	}
	rl := &rootListener{api: api, url: scheme + "://" + ln.Addr().String(), listener: ln, done: make(chan error, 1),
		http: r.Server.httpServer(h)}
	go func() {
		err := rl.http.Serve(ln)
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
		rl.done <- err
	}()
	if r.roots == nil {
		r.roots = map[string]*rootListener{}
	}
	r.roots[api] = rl
	return rl.url, nil
}

// RootURL is the URL of the listener serving api at its root, or "" when there is none.
func (r *Running) RootURL(api string) string {
	r.rootsMu.Lock()
	defer r.rootsMu.Unlock()
	if rl := r.roots[api]; rl != nil {
		return rl.url
	}
	return ""
}

// takeRoots hands the root listeners over to Shutdown, which stops them with the main one.
func (r *Running) takeRoots() map[string]*rootListener {
	r.rootsMu.Lock()
	defer r.rootsMu.Unlock()
	roots := r.roots
	r.roots = nil
	return roots
}
