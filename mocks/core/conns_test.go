package core_test

// One client misbehaving with its connections must not lock others out of a shared server.

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/upmock/upmock/mocks/core"
)

// idleConn opens a connection, completes one keep-alive request on it and leaves it idle.
func idleConn(t *testing.T, run *core.Running) net.Conn {
	t.Helper()
	c := dial(t, run)
	if _, err := io.WriteString(c, "GET /__upmock/health HTTP/1.1\r\nHost: "+run.Addr().String()+"\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	res, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("keep-alive request: %v", err)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return c
}

// slowConn opens a connection and sends half a request header.
func slowConn(t *testing.T, run *core.Running) net.Conn {
	t.Helper()
	c := dial(t, run)
	if _, err := io.WriteString(c, "GET /__upmock/health HTTP/1.1\r\nHost: "); err != nil {
		t.Fatal(err)
	}
	return c
}

func dial(t *testing.T, run *core.Running) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", run.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// closedByServer reports whether the server closed c within wait.
func closedByServer(c net.Conn, wait time.Duration) bool {
	_ = c.SetReadDeadline(time.Now().Add(wait))
	_, err := c.Read(make([]byte, 1))
	var ne net.Error
	return err != nil && !(errors.As(err, &ne) && ne.Timeout())
}

// freshGet is a new client's request on a new connection.
func freshGet(t *testing.T, run *core.Running) response {
	t.Helper()
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 10 * time.Second}
	return call(t, client, "GET", run.URL()+"/__upmock/health", "")
}

func TestConnCapMakesRoomFromIdleAndSlowConnections(t *testing.T) {
	const maxConns = 12
	run := startServer(t, core.Options{Conns: core.ConnLimits{MaxConns: maxConns, IdleTimeout: time.Minute, ReadHeaderTimeout: time.Minute}})
	var idle, slow []net.Conn
	for range maxConns / 2 {
		idle = append(idle, idleConn(t, run))
		slow = append(slow, slowConn(t, run))
	}
	// The server is full; a fresh client still gets its answer, in place of an idle connection.
	expect(t, freshGet(t, run), http.StatusOK)
	closed := 0
	for _, c := range idle {
		if closedByServer(c, 50*time.Millisecond) {
			closed++
		}
	}
	if closed == 0 {
		t.Fatal("at the cap no idle keep-alive connection was closed for the fresh client")
	}
	for _, c := range slow {
		if closedByServer(c, time.Millisecond) {
			t.Fatal("a connection was closed while idle ones were left to close")
		}
	}

	// Once no idle one is left, a connection that sat on half a header for over a second gives way.
	for _, c := range idle {
		_ = c.Close()
	}
	for range maxConns - len(slow) {
		slow = append(slow, slowConn(t, run))
	}
	time.Sleep(1200 * time.Millisecond) // past the server's one-second grace for a request header
	expect(t, freshGet(t, run), http.StatusOK)
	closed = 0
	for _, c := range slow {
		if closedByServer(c, 50*time.Millisecond) {
			closed++
		}
	}
	if closed == 0 {
		t.Fatal("at the cap no slow connection was closed for the fresh client")
	}
}

func TestConnCapRefusesWhenEveryConnectionIsBusy(t *testing.T) {
	const maxConns = 4
	run := startServer(t, core.Options{Conns: core.ConnLimits{MaxConns: maxConns}})
	sess, _ := run.Session(core.DefaultSession)
	// Armed in-process: a control request's connection would count against the cap.
	if _, err := sess.AddFault(core.Fault{API: "fake", Operation: "getThing", DelayMs: 60000, Count: 100}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for range maxConns {
		wg.Go(func() {
			req, _ := http.NewRequestWithContext(ctx, "GET", run.URL()+"/fake/v1/things/1", nil)
			client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
			if res, err := client.Do(req); err == nil {
				res.Body.Close()
			}
		})
	}
	deadline := time.Now().Add(10 * time.Second)
	for busy(sess) < maxConns {
		if time.Now().After(deadline) {
			t.Fatal("the delayed requests never all arrived")
		}
		time.Sleep(10 * time.Millisecond)
	}
	res := freshGet(t, run)
	cancel() // the delayed requests end as soon as their clients give up
	wg.Wait()
	controlError(t, res, http.StatusServiceUnavailable, "maximum of 4 connections")
	// Once the busy clients are gone (their connections close asynchronously), all is served.
	for deadline := time.Now().Add(5 * time.Second); freshGet(t, run).status != http.StatusOK; {
		if time.Now().After(deadline) {
			t.Fatal("still refused after the busy connections ended")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// busy is how many fake requests the session's one fault is delaying.
func busy(sess *core.Session) int {
	faults := sess.Faults.List()
	return faults[0].Count - faults[0].Remaining
}

func TestIdleConnectionsAreClosed(t *testing.T) {
	run := startServer(t, core.Options{Conns: core.ConnLimits{IdleTimeout: 200 * time.Millisecond}})
	var idle []net.Conn
	for range 5 {
		idle = append(idle, idleConn(t, run))
	}
	for i, c := range idle {
		if !closedByServer(c, 5*time.Second) {
			t.Fatalf("idle connection %d still open after the idle timeout", i)
		}
	}
}

func TestSlowBodyIsCut(t *testing.T) {
	run := startServer(t, core.Options{Conns: core.ConnLimits{ReadTimeout: 300 * time.Millisecond}})
	c := dial(t, run)
	_, _ = io.WriteString(c, "POST /fake/v1/things HTTP/1.1\r\nHost: "+run.Addr().String()+
		"\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"na")
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	rest, err := io.ReadAll(c) // the answer, if any, then the server's close
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatal("a request whose body never completes still holds its connection after the read timeout")
	}
	if len(rest) > 0 && !strings.Contains(string(rest), "408") {
		t.Fatalf("slow body answered %q, want 408 or a closed connection", rest)
	}
}

func TestWriteTimeoutSparesInjectedDelays(t *testing.T) {
	run := startServer(t, core.Options{Conns: core.ConnLimits{WriteTimeout: 100 * time.Millisecond}})
	arm(t, run, `{"api":"fake","operation":"getThing","delayMs":500}`)
	res := call(t, nil, "GET", run.URL()+"/fake/v1/things/1", "")
	expect(t, res, http.StatusOK)
	if e := lastEntry(t, run); e.Fault == "" || e.DurationMs < 500 {
		t.Fatalf("delay not applied: %+v", e)
	}
}
