package driver

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer collects the driver's stderr, which the exec package writes from its own
// goroutine.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func startHelper(t *testing.T, mode string, stderr *syncBuffer) Driver {
	t.Helper()
	d, err := Start(context.Background(), helperCommand(t, mode), stderr)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestStartDoesOpsOverStdio(t *testing.T) {
	var stderr syncBuffer
	d := startHelper(t, "serve", &stderr)

	got, err := d.Do(context.Background(), "echo", map[string]string{"x": "y"})
	if err != nil || string(got) != `{"x":"y"}` {
		t.Fatalf("echo = %s, %v", got, err)
	}
	_, err = d.Do(context.Background(), "upstream-error", nil)
	var de *Error
	if !errors.As(err, &de) || de.Status != 400 || de.Code != "100" {
		t.Fatalf("upstream-error = %v", err)
	}
	_, err = d.Do(context.Background(), "no-such-op", nil)
	if !errors.As(err, &de) || de.Code != CodeUnsupported {
		t.Fatalf("no-such-op = %v", err)
	}
	if _, err := d.Do(context.Background(), "log", nil); err != nil {
		t.Fatal(err)
	}
	if err := d.Close(); err != nil {
		t.Fatalf("Close = %v", err)
	}
	if !strings.Contains(stderr.String(), "hello from the driver") {
		t.Fatalf("stderr not copied: %q", stderr.String())
	}
	if _, err := d.Do(context.Background(), "echo", nil); err == nil {
		t.Fatal("Do after Close succeeded")
	}
}

func TestStartEnvSetsTheDriversZone(t *testing.T) {
	t.Setenv("TZ", "UTC") // the suite's own value is replaced, not kept beside the new one
	d, err := StartEnv(context.Background(), helperCommand(t, "serve"), []string{"TZ=Asia/Tokyo"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	got, err := d.Do(context.Background(), "zone", nil)
	if err != nil || string(got) != `{"TZ":"Asia/Tokyo","local":"Asia/Tokyo"}` {
		t.Fatalf("zone = %s, %v", got, err)
	}
}

func TestStartTimesOutAndSkipsTheLateAnswer(t *testing.T) {
	d := startHelper(t, "serve", nil)
	defer d.Close()
	d.(*process).opTimeout = 100 * time.Millisecond

	_, err := d.Do(context.Background(), "sleep", map[string]int{"ms": 300})
	if err == nil || !strings.Contains(err.Error(), "no response") {
		t.Fatalf("err = %v, want a timeout", err)
	}
	d.(*process).opTimeout = 5 * time.Second
	got, err := d.Do(context.Background(), "echo", map[string]int{"after": 1})
	if err != nil || string(got) != `{"after":1}` {
		t.Fatalf("echo after timeout = %s, %v", got, err)
	}
}

func TestStartReportsStrayStdout(t *testing.T) {
	d := startHelper(t, "serve", nil)
	defer d.Close()
	_, err := d.Do(context.Background(), "stray-stdout", nil)
	if err == nil || !strings.Contains(err.Error(), "not a protocol response") {
		t.Fatalf("err = %v", err)
	}
}

func TestStartReportsADriverThatExits(t *testing.T) {
	d := startHelper(t, "serve", nil)
	_, err := d.Do(context.Background(), "exit", nil)
	if err == nil || !strings.Contains(err.Error(), "exit status 3") {
		t.Fatalf("err = %v", err)
	}
	if err := d.Close(); err == nil {
		t.Fatal("Close of a crashed driver returned nil")
	}
}

func TestCloseKillsADriverThatIgnoresEOF(t *testing.T) {
	d := startHelper(t, "ignore-stdin", nil)
	d.(*process).exitGrace = 100 * time.Millisecond
	start := time.Now()
	err := d.Close()
	if err == nil || !strings.Contains(err.Error(), "killed") {
		t.Fatalf("Close = %v, want killed", err)
	}
	if time.Since(start) > 3*time.Second {
		t.Fatalf("Close took %s", time.Since(start))
	}
}

func TestStartRejectsAnEmptyCommand(t *testing.T) {
	if _, err := Start(context.Background(), nil, nil); err == nil {
		t.Fatal("want an error")
	}
}
