package core

import (
	"context"
	"crypto/tls"
	"errors"
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
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	scheme := "http"
	if tlsConfig != nil {
		ln = tls.NewListener(ln, tlsConfig)
		scheme = "https"
	}
	hs := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		// The standard library logs aborted handlers (dropped-connection faults) as noise.
		ErrorLog: nil,
	}
	r := &Running{Server: s, url: scheme + "://" + ln.Addr().String(), listener: ln, http: hs, done: make(chan error, 1)}
	go func() {
		err := hs.Serve(ln)
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
		r.done <- err
	}()
	return r, nil
}

// URL is the server's root, e.g. http://127.0.0.1:41234; APIs live below their base paths.
func (r *Running) URL() string { return r.url }

// Addr is the listening address.
func (r *Running) Addr() net.Addr { return r.listener.Addr() }

// Shutdown stops accepting and waits for requests in flight, up to ctx. Later calls (a test's
// explicit Close and its cleanup, say) return the first call's result.
func (r *Running) Shutdown(ctx context.Context) error {
	r.stopOnce.Do(func() {
		rootsErr := r.shutdownRoots(ctx)
		r.stopErr = r.http.Shutdown(ctx)
		if r.stopErr == nil {
			r.stopErr = rootsErr
		}
		if serveErr := <-r.done; r.stopErr == nil {
			r.stopErr = serveErr
		}
		r.Server.Close()
	})
	return r.stopErr
}

// Close stops the server, giving requests in flight five seconds.
func (r *Running) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return r.Shutdown(ctx)
}
