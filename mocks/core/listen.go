package core

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"
)

// Running is a Server listening on a real socket, the way httptest.Server is: URL to reach
// it, Close to stop it. It serves the same Handler the binary serves.
type Running struct {
	*Server
	url      string
	listener net.Listener
	tracking *trackingListener
	http     *http.Server
	done     chan error

	stopOnce sync.Once
	stopErr  error

	rootsMu sync.Mutex
	roots   map[string]*rootListener // API name → its root listener (rootmount.go)
}

// Listen starts s on addr ("127.0.0.1:0" picks a free port). With tlsConfig set it serves
// HTTPS.
func Listen(s *Server, addr string, tlsConfig *tls.Config) (*Running, error) {
	ln, tracking, scheme, err := s.listen(addr, tlsConfig)
	if err != nil {
		return nil, err
	}
	hs := s.httpServer(s)
	r := &Running{Server: s, url: scheme + "://" + ln.Addr().String(), listener: ln, tracking: tracking, http: hs, done: make(chan error, 1)}
	go func() {
		err := hs.Serve(ln)
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
		r.done <- err
	}()
	return r, nil
}

// listen opens a socket for s on addr: refused beyond loopback without a control token, its
// connections counted against s's cap, TLS on top when tlsConfig is set.
func (s *Server) listen(addr string, tlsConfig *tls.Config) (ln net.Listener, tracking *trackingListener, scheme string, err error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	if err := s.checkExposure(addr); err != nil {
		return nil, nil, "", err
	}
	if host, _, err := net.SplitHostPort(addr); err == nil && host != "" {
		s.guard.allowName(host)
	}
	if ln, err = net.Listen("tcp", addr); err != nil {
		return nil, nil, "", err
	}
	tracking = &trackingListener{Listener: ln, tracker: s.conns}
	ln, scheme = tracking, "http"
	if tlsConfig != nil {
		ln, scheme = tls.NewListener(ln, tlsConfig), "https"
	}
	return ln, tracking, scheme, nil
}

// URL is the server's root, e.g. http://127.0.0.1:41234; APIs live below their base paths.
func (r *Running) URL() string { return r.url }

// Addr is the listening address.
func (r *Running) Addr() net.Addr { return r.listener.Addr() }

// Shutdown stops accepting and waits for requests in flight, up to ctx. Later calls (a test's
// explicit Close and its cleanup, say) return the first call's result.
func (r *Running) Shutdown(ctx context.Context) error {
	r.stopOnce.Do(func() {
		roots := r.takeRoots()
		var errs []error
		for _, rl := range roots {
			errs = append(errs, rl.http.Shutdown(ctx))
		}
		errs = append(errs, r.http.Shutdown(ctx))
		r.stopErr = errors.Join(errs...)
		if r.stopErr != nil && ctx.Err() != nil {
			// The grace period is over: cut what is still running and say so.
			cut := r.Server.conns.active()
			for _, rl := range roots {
				_ = rl.http.Close()
			}
			_ = r.http.Close()
			r.stopErr = &CutRequestsError{Requests: cut, Cause: ctx.Err()}
		}
		for _, rl := range roots {
			if err := <-rl.done; r.stopErr == nil {
				r.stopErr = err
			}
		}
		if serveErr := <-r.done; r.stopErr == nil {
			r.stopErr = serveErr
		}
		r.Server.Close()
	})
	return r.stopErr
}

// CutRequestsError is Shutdown's answer when requests were still running at the end of the
// grace period (a long injected delay, say) and had to be cut.
type CutRequestsError struct {
	Requests int
	Cause    error // the context's error
}

func (e *CutRequestsError) Error() string {
	noun := "requests"
	if e.Requests == 1 {
		noun = "request"
	}
	return fmt.Sprintf("the shutdown grace period ended with %d %s in flight; cut them (their clients saw the connection close)", e.Requests, noun)
}

func (e *CutRequestsError) Unwrap() error { return e.Cause }

// Close stops the server, giving requests in flight five seconds.
func (r *Running) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return r.Shutdown(ctx)
}
