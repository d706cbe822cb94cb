package core

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"
)

// Connection defaults: generous for a test's legitimate traffic, short enough that one
// misbehaving client cannot hold a shared server's connections for long.
const (
	DefaultReadHeaderTimeout = 10 * time.Second
	DefaultReadTimeout       = time.Minute
	DefaultWriteTimeout      = 30 * time.Second
	DefaultIdleTimeout       = time.Minute
	DefaultMaxConns          = 1024
	// slowStartGrace is how long a new connection may go without a complete request header
	// before it counts as hoarding, to be closed when the server is at its connection cap.
	slowStartGrace = time.Second
)

// ConnLimits bound what one client can hold of the server. Zero fields take the defaults.
type ConnLimits struct {
	// ReadHeaderTimeout and ReadTimeout bound reading a request's header and the whole
	// request (body included); a slow body is cut there.
	ReadHeaderTimeout time.Duration
	ReadTimeout       time.Duration
	// WriteTimeout bounds one write that makes no progress (the client stopped reading). It
	// is not a limit on the whole answer, so an injected delayMs fault or a long download
	// that keeps flowing is never cut.
	WriteTimeout time.Duration
	// IdleTimeout closes a keep-alive connection no request arrives on.
	IdleTimeout time.Duration
	// MaxConns caps open connections. At the cap a new connection first takes the place of
	// the longest-idle keep-alive connection (or of one that has not sent a request header
	// within a second); when every connection is busy it is answered 503 and closed.
	MaxConns int
}

func (l ConnLimits) withDefaults() ConnLimits {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&l.ReadHeaderTimeout, DefaultReadHeaderTimeout)
	def(&l.ReadTimeout, DefaultReadTimeout)
	def(&l.WriteTimeout, DefaultWriteTimeout)
	def(&l.IdleTimeout, DefaultIdleTimeout)
	if l.MaxConns <= 0 {
		l.MaxConns = DefaultMaxConns
	}
	return l
}

// connTracker counts the server's connections across its listeners and makes room at the cap.
type connTracker struct {
	limits ConnLimits
	mu     sync.Mutex
	conns  map[*trackedConn]struct{}
}

func newConnTracker(limits ConnLimits) *connTracker {
	return &connTracker{limits: limits.withDefaults(), conns: map[*trackedConn]struct{}{}}
}

// trackedConn is an accepted connection: its HTTP state for eviction, a write deadline
// renewed on every write, and whether it arrived over the cap.
type trackedConn struct {
	net.Conn
	tracker      *connTracker
	writeTimeout time.Duration
	overCap      bool

	// guarded by tracker.mu
	state     http.ConnState
	since     time.Time
	closeOnce sync.Once
}

func (c *trackedConn) Write(b []byte) (int, error) {
	_ = c.Conn.SetWriteDeadline(time.Now().Add(c.writeTimeout))
	return c.Conn.Write(b)
}

func (c *trackedConn) Close() error {
	c.closeOnce.Do(func() {
		c.tracker.mu.Lock()
		delete(c.tracker.conns, c)
		c.tracker.mu.Unlock()
	})
	return c.Conn.Close()
}

// trackingListener admits connections through a connTracker.
type trackingListener struct {
	net.Listener
	tracker *connTracker
}

func (l *trackingListener) Accept() (net.Conn, error) {
	raw, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return l.tracker.admit(raw), nil
}

// admit registers raw, closing a hoarded connection to make room when at the cap.
func (t *connTracker) admit(raw net.Conn) *trackedConn {
	now := time.Now()
	c := &trackedConn{Conn: raw, tracker: t, writeTimeout: t.limits.WriteTimeout, state: http.StateNew, since: now}
	t.mu.Lock()
	var victim *trackedConn
	if len(t.conns) >= t.limits.MaxConns {
		victim = t.victimLocked(now)
		if victim == nil {
			c.overCap = true
		} else {
			delete(t.conns, victim)
		}
	}
	t.conns[c] = struct{}{}
	t.mu.Unlock()
	if victim != nil {
		_ = victim.Close()
	}
	return c
}

// victimLocked picks the connection to give up for a new one: the longest-idle keep-alive
// connection, else the oldest that has not sent a request header within slowStartGrace.
// Connections serving a request are never picked.
func (t *connTracker) victimLocked(now time.Time) *trackedConn {
	var idle, slow *trackedConn
	for c := range t.conns {
		switch {
		case c.state == http.StateIdle && (idle == nil || c.since.Before(idle.since)):
			idle = c
		case c.state == http.StateNew && now.Sub(c.since) > slowStartGrace && (slow == nil || c.since.Before(slow.since)):
			slow = c
		}
	}
	if idle != nil {
		return idle
	}
	return slow
}

// connStateHook is http.Server.ConnState: it follows each connection's state.
func (t *connTracker) connStateHook(nc net.Conn, state http.ConnState) {
	c := unwrapTracked(nc)
	if c == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if state == http.StateClosed || state == http.StateHijacked {
		delete(t.conns, c)
		return
	}
	c.state, c.since = state, time.Now()
}

// active counts the connections serving a request.
func (t *connTracker) active() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := 0
	for c := range t.conns {
		if c.state == http.StateActive {
			n++
		}
	}
	return n
}

func unwrapTracked(nc net.Conn) *trackedConn {
	if tc, ok := nc.(*tls.Conn); ok {
		nc = tc.NetConn()
	}
	c, _ := nc.(*trackedConn)
	return c
}

type overCapKey struct{}

// connContext marks the requests of a connection admitted over the cap.
func connContext(ctx context.Context, nc net.Conn) context.Context {
	if c := unwrapTracked(nc); c != nil && c.overCap {
		return context.WithValue(ctx, overCapKey{}, true)
	}
	return ctx
}

// refuseOverCap answers a connection admitted over the cap with 503 and closes it, so a
// client learns at once that the server is full instead of waiting in the accept queue.
func (t *connTracker) refuseOverCap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Context().Value(overCapKey{}) == nil {
			next.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Connection", "close")
		w.Header().Set("Retry-After", "1")
		writeControlError(w, http.StatusServiceUnavailable, fmt.Errorf("upmock is serving its maximum of %d connections, all busy (--max-conns); retry shortly", t.limits.MaxConns))
	})
}

// httpServer is the http.Server serving h on one listener of s, sharing s's connection limits.
func (s *Server) httpServer(h http.Handler) *http.Server {
	l := s.conns.limits
	return &http.Server{
		Handler:           s.conns.refuseOverCap(h),
		ReadHeaderTimeout: l.ReadHeaderTimeout,
		ReadTimeout:       l.ReadTimeout,
		IdleTimeout:       l.IdleTimeout,
		ConnState:         s.conns.connStateHook,
		ConnContext:       connContext,
		// The standard library logs aborted handlers (dropped-connection faults) as noise.
		ErrorLog: nil,
	}
}
