package main

import (
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
)

func TestPprofRefusesNonLoopback(t *testing.T) {
	if _, err := startPprof("0.0.0.0:0", slog.New(slog.DiscardHandler)); err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Fatalf("--pprof 0.0.0.0:0: err %v, want a refusal naming loopback", err)
	}
}

func TestPprofServesProfilesOnLoopback(t *testing.T) {
	var logged strings.Builder
	stop, err := startPprof("127.0.0.1:0", slog.New(slog.NewTextHandler(&logged, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	_, url, ok := strings.Cut(logged.String(), "url=")
	if !ok {
		t.Fatalf("no url logged: %s", logged.String())
	}
	resp, err := http.Get(strings.TrimSpace(url) + "goroutine?debug=1")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "goroutine profile") {
		t.Fatalf("status %d, body %.200s", resp.StatusCode, body)
	}
}
