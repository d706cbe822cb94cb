package core

import (
	"crypto/subtle"
	"fmt"
	"mime"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
)

// ControlTokenEnv is the environment variable `serve` (and the conformance control client)
// read the control token from when no flag gives it.
const ControlTokenEnv = "UPMOCK_CONTROL_TOKEN"

// controlGuard protects /__upmock/ from everyone but the user: from other machines (a bearer
// token, required whenever one is configured), and from web pages the user visits (JSON
// bodies only, no cross-origin requests, and, without a token, a Host that names this
// server, against DNS rebinding). The mocked APIs themselves are not guarded: a client may reach them under any
// name (an /etc/hosts entry for the real host, say) and they hold only test data.
type controlGuard struct {
	token    string
	anyHost  bool
	hostname string // the machine's name, which a client on the network may use

	mu    sync.RWMutex
	names map[string]bool // lower-case host names besides loopback: --allow-host and listen addresses
}

func newControlGuard(token string, allowHosts []string) *controlGuard {
	g := &controlGuard{token: token, names: map[string]bool{}}
	for _, h := range allowHosts {
		if h = strings.TrimSpace(h); h == "*" {
			g.anyHost = true
		} else if h != "" {
			g.allowName(h)
		}
	}
	if name, err := os.Hostname(); err == nil {
		g.hostname = strings.ToLower(name)
	}
	return g
}

// allowName accepts host (a name or IP, no port) in the Host header from now on.
func (g *controlGuard) allowName(host string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.names[strings.ToLower(strings.Trim(host, "[]"))] = true
}

// middleware refuses a control request that fails a check, with a message saying which.
func (g *controlGuard) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if status, err := g.check(r); err != nil {
			if status == http.StatusUnauthorized {
				w.Header().Set("WWW-Authenticate", `Bearer realm="upmock control API"`)
			}
			writeControlError(w, status, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (g *controlGuard) check(r *http.Request) (int, error) {
	// With a token, the token is the check (a rebinding page cannot know it), and a client
	// may use any name (http://upmock:8080 in a CI network); without one, the server is
	// loopback-only and Host must name it.
	if host := hostOnly(r.Host); g.token == "" && !g.hostAllowed(r, host) {
		return http.StatusForbidden, fmt.Errorf("Host %q is not a name of this upmock (loopback, its listen address or machine name); "+
			"if you reach it under another name, start it with --allow-host %s", r.Host, host)
	}
	if err := sameOrigin(r); err != nil {
		return http.StatusForbidden, err
	}
	if g.token != "" && !isConsoleAsset(r) {
		scheme, given, _ := strings.Cut(r.Header.Get("Authorization"), " ")
		if !strings.EqualFold(scheme, "Bearer") || subtle.ConstantTimeCompare([]byte(strings.TrimSpace(given)), []byte(g.token)) != 1 {
			return http.StatusUnauthorized, fmt.Errorf("the control API needs this server's control token: send Authorization: Bearer TOKEN (the token given to serve by --control-token or %s)", ControlTokenEnv)
		}
	}
	if hasBody(r) {
		mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if err != nil || mt != "application/json" {
			return http.StatusUnsupportedMediaType, fmt.Errorf("control request bodies must be sent as Content-Type: application/json, got %q", r.Header.Get("Content-Type"))
		}
	}
	return 0, nil
}

// hostAllowed accepts loopback names and addresses, the address the connection arrived at,
// the machine's name, listen addresses, --allow-host names, and any name on a request that
// came through no socket (a handler called in-process). A DNS rebinding attack
// arrives with the attacker's own domain name in Host, which none of these is.
func (g *controlGuard) hostAllowed(r *http.Request, host string) bool {
	if g.anyHost || host == "localhost" || strings.HasSuffix(host, ".localhost") || host == g.hostname {
		return true
	}
	local, overNetwork := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
	if !overNetwork {
		return true // served in-process (httptest.NewRequest): no browser, no rebinding
	}
	if ip := net.ParseIP(host); ip != nil {
		if ip.IsLoopback() {
			return true
		}
		if tcp, ok := local.(*net.TCPAddr); ok && tcp.IP.Equal(ip) {
			return true
		}
	}
	g.mu.RLock()
	defer g.mu.RUnlock()
	return g.names[host]
}

// sameOrigin refuses what a browser marks as coming from another origin: an Origin header
// naming another scheme, host or port than the request's own, and Sec-Fetch-Site other
// than same-origin or none (the user typed the URL).
func sameOrigin(r *http.Request) error {
	switch site := r.Header.Get("Sec-Fetch-Site"); site {
	case "", "same-origin", "none":
	default:
		return fmt.Errorf("cross-origin control requests are refused (Sec-Fetch-Site: %s): a web page may not drive upmock", site)
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return nil
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	u, err := url.Parse(origin)
	if err != nil || u.Scheme != scheme || !strings.EqualFold(u.Host, r.Host) {
		return fmt.Errorf("cross-origin control requests are refused (Origin %q is not %s://%s): a web page may not drive upmock", origin, scheme, r.Host)
	}
	return nil
}

// isConsoleAsset: the web console's static files hold no data, so they load without the
// token; the page then asks for it and sends it with every data request.
func isConsoleAsset(r *http.Request) bool {
	return r.Method == http.MethodGet && (r.URL.Path == "/__upmock/ui" || strings.HasPrefix(r.URL.Path, "/__upmock/ui/"))
}

// hostOnly is the lower-case host name of a Host header, without port or IPv6 brackets.
func hostOnly(hostport string) string {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	return strings.ToLower(strings.TrimSuffix(strings.Trim(host, "[]"), "."))
}

// hasBody reports whether r carries (or may carry, when chunked) a body.
func hasBody(r *http.Request) bool {
	return r.ContentLength > 0 || (r.ContentLength < 0 && r.Body != nil && r.Body != http.NoBody)
}

// IsLoopbackListen reports whether addr ("host:port") only accepts connections from this
// machine: a loopback IP or "localhost". An empty host (":8080") or 0.0.0.0 listens on every
// interface.
func IsLoopbackListen(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// checkExposure refuses to listen beyond loopback without a control token, saying how to
// proceed.
func (s *Server) checkExposure(addr string) error {
	if IsLoopbackListen(addr) || s.opts.ControlToken != "" {
		return nil
	}
	return fmt.Errorf("refusing to listen on %s without a control token: anyone who can reach it could read "+
		"the test credentials and drive /__upmock/. Set a token (--control-token TOKEN or %s=TOKEN; "+
		"control requests then send Authorization: Bearer TOKEN), or listen on loopback (--listen 127.0.0.1:PORT)", addr, ControlTokenEnv)
}
