package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/upmock/upmock/mocks/core"
)

func TestServeRefusesNonLoopbackWithoutToken(t *testing.T) {
	t.Setenv(core.ControlTokenEnv, "")
	err := run(context.Background(), []string{"serve", "--listen", "0.0.0.0:0"}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "--control-token") || !strings.Contains(err.Error(), core.ControlTokenEnv) || !strings.Contains(err.Error(), "127.0.0.1") {
		t.Fatalf("serve on 0.0.0.0 without a token: %v, want a refusal saying how to proceed", err)
	}
}

func TestServeTakesTheControlTokenFromTheEnvironment(t *testing.T) {
	t.Setenv(core.ControlTokenEnv, "from-env")
	url, _, stop := startServe(t)
	defer stop()
	get := func(auth string) int {
		req, _ := http.NewRequest("GET", url+"/__upmock/credentials", nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if s := get(""); s != http.StatusUnauthorized {
		t.Fatalf("without the token: %d", s)
	}
	if s := get("Bearer from-env"); s != http.StatusOK {
		t.Fatalf("with the token: %d", s)
	}
}

func TestShutdownSaysWhatItCut(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	out, logs := &syncBuffer{}, &syncBuffer{}
	errc := make(chan error, 1)
	go func() {
		errc <- run(ctx, []string{"serve", "--listen", "127.0.0.1:0", "--shutdown-grace", "300ms"}, out, logs)
	}()
	var url string
	for deadline := time.Now().Add(10 * time.Second); url == ""; time.Sleep(5 * time.Millisecond) {
		if m := readyURL.FindStringSubmatch(out.String()); m != nil {
			url = m[1]
		} else if time.Now().After(deadline) {
			cancel()
			t.Fatalf("serve did not become ready: %s", logs.String())
		}
	}
	fault := `{"api":"atlas","delayMs":600000}`
	res, err := http.Post(url+"/__upmock/faults", "application/json", bytes.NewBufferString(fault))
	if err != nil || res.StatusCode != http.StatusCreated {
		t.Fatalf("arming the delay: %v %v", res, err)
	}
	res.Body.Close()
	delayed := make(chan error, 1)
	go func() {
		res, err := http.Get(url + "/atlas/v1/shipping/item")
		if err == nil {
			res.Body.Close()
		}
		delayed <- err
	}()
	for !inFlight(t, url) {
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-errc:
		if err != nil {
			t.Fatalf("serve ended with %v, want a clean end after the grace period", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not end after its grace period")
	}
	if err := <-delayed; err == nil {
		t.Fatal("the delayed request was answered, not cut")
	}
	if log := logs.String(); !strings.Contains(log, "1 request in flight") || strings.Contains(log, "deadline exceeded") {
		t.Fatalf("shutdown log does not say what was cut:\n%s", log)
	}
}

// inFlight reports whether the armed fault has been taken, i.e. the delayed request arrived.
func inFlight(t *testing.T, url string) bool {
	t.Helper()
	res, err := http.Get(url + "/__upmock/faults")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return strings.Contains(string(b), `"faults": []`)
}
