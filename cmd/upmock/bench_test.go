package main

// Start-up to ready: how long `upmock serve` keeps a CI job waiting. Run with `make bench`; the
// product checks speed here, never with timing asserts in tests.

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/upmock/upmock/mocks"
	"github.com/upmock/upmock/mocks/core"
	"github.com/upmock/upmock/specs"
)

// benchReady starts the full server the way serve does, polls GET /__upmock/health until it
// answers 200 with every API listed, and returns the server and the time that took.
func benchReady(b *testing.B, client *http.Client) (*mocks.Server, time.Duration) {
	b.Helper()
	start := time.Now()
	srv, err := mocks.Start(mocks.Options{Listen: "127.0.0.1:0"})
	if err != nil {
		b.Fatalf("mocks.Start: %v", err)
	}
	deadline := start.Add(5 * time.Second)
	var last string
	for {
		status, body, err := benchGet(client, srv.URL()+"/__upmock/health")
		if err == nil && status == http.StatusOK {
			var health struct {
				Status string   `json:"status"`
				APIs   []string `json:"apis"`
			}
			if err := json.Unmarshal(body, &health); err != nil || health.Status != "ok" || !slices.Contains(health.APIs, "atlas") {
				b.Fatalf("health answered 200 but %s (%v)", body, err)
			}
			return srv, time.Since(start)
		}
		last = fmt.Sprintf("status %d, body %s, err %v", status, body, err)
		if time.Now().After(deadline) {
			_ = srv.Close()
			b.Fatalf("not ready after 5s: last health check: %s", last)
		}
		time.Sleep(100 * time.Microsecond)
	}
}

func benchGet(client *http.Client, url string) (int, []byte, error) {
	resp, err := client.Get(url)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, body, err
}

var (
	benchColdOnce  sync.Once
	benchColdReady time.Duration // the process's first start: the OpenAPI document is parsed in it
	benchSpecParse time.Duration // one parse of the atlas document, what a cold start pays extra
)

// BenchmarkStartupToReady measures mocks.Start → first 200 from /__upmock/health → Close.
//
// The OpenAPI document is parsed once per process (sync.Once in atlas.API.Spec), so only the
// process's first start pays for it; every timed iteration here finds it cached. The first
// start is therefore measured once, before the timer, and reported as ms/first-ready (a true
// cold start as long as nothing earlier in the test binary started a server), with
// ms/spec-parse, one parse of the document, beside it. ms/ready is the warm start-to-ready;
// ns/op adds Close.
func BenchmarkStartupToReady(b *testing.B) {
	// A new connection per check, as a CI job's first curl makes; nothing idles across servers.
	tr := &http.Transport{Proxy: nil, DisableKeepAlives: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 5 * time.Second}

	benchColdOnce.Do(func() {
		srv, took := benchReady(b, client)
		if err := srv.Close(); err != nil {
			b.Fatalf("Close: %v", err)
		}
		benchColdReady = took
		start := time.Now()
		if _, err := core.LoadSpec(specs.Read("atlas")); err != nil {
			b.Fatalf("LoadSpec(atlas): %v", err)
		}
		benchSpecParse = time.Since(start)
	})

	b.ReportAllocs()
	b.ResetTimer()
	var ready time.Duration
	for range b.N {
		srv, took := benchReady(b, client)
		ready += took
		if err := srv.Close(); err != nil {
			b.Fatalf("Close: %v", err)
		}
	}
	b.StopTimer()
	ms := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e6 }
	b.ReportMetric(ms(ready)/float64(b.N), "ms/ready")
	b.ReportMetric(ms(benchColdReady), "ms/first-ready")
	b.ReportMetric(ms(benchSpecParse), "ms/spec-parse")
}
