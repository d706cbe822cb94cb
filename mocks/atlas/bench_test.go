package atlas_test

// Throughput of POST /atlas/v1/shipping/item through the whole stack (loopback TCP, keep-alive
// client, JWT checking, OpenAPI validation, store, journal), next to a bare net/http handler
// that does the minimum comparable work. Run with `make bench`; the product checks speed here,
// never with timing asserts in tests.
//
// Every request carries a freshly signed HS256 JWT and a new transactionId and must be answered
// 204, or the benchmark fails: a broken mock cannot look fast. The client does exactly the same
// work for both servers, so ns/req-upmock − ns/req-bare is the mock's own cost.
//
// State: the mock keeps every accepted transactionId and pending registration. Each round of a
// benchmark (each value of b.N) uses a session of its own, /s/bench-<n>/, which is reset when
// the round ends, so state never grows across rounds.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/upmock/upmock/mocks"
	"github.com/upmock/upmock/mocks/core"
)

// The embedded fixtures' Tokyo key (fixtures/atlas/tenants.json).
const (
	benchAPIKey        = "atlas-key-tokyo-0001"
	benchAPISecret     = "atlas-secret-tokyo-0001-change-me"
	benchBaseID        = "2114dbec-a137-11e8-9a80-ec21e50b3736"
	benchCounterBaseID = "458435f8-2e5c-444b-b828-6f25f35f3a40"
	benchOperation     = "postShippingItem"
	// benchMaxProcs keeps client and server within two cores whatever the machine.
	benchMaxProcs = 2
	// benchWarmup requests per round open the keep-alive connections before the timer starts.
	benchWarmup = 4
)

// The request body around the transactionId (36 characters of [0-9A-Za-z-]).
var (
	benchBodyHead = []byte(`{"transactionId":"`)
	benchBodyTail = []byte(`","movementSlipNo":"78964456306232651242","baseId":"` + benchBaseID + `","counterBaseId":"` + benchCounterBaseID + `",` +
		`"targetPath":null,"items":[{"trackingId":"000901000000000000040000-001","uid":"000901000000000000040000",` +
		`"autoIdType":"exampleType","path":"/Ship001/Cont001/Pallet001/000901000000000000040000-001/","itemCount":1,` +
		`"movedDateTime":"2026-11-25T10:00:00.000000Z","individualRecognitionCode":null,"largeClassAggregationKey":"",` +
		`"middleClassAggregationKey":"","smallClassAggregationKey":"","isInactivated":false,"autoInactive":null}]}`)
	benchSecret = []byte(benchAPISecret)

	benchTxCounter      atomic.Int64 // transactionIds, unique in the process
	benchSessionCounter atomic.Int64 // session names, one per round
)

// benchTransactionID is "bench-" and 30 digits: 36 characters matching ^[0-9A-Za-z\-]+$.
func benchTransactionID() string { return fmt.Sprintf("bench-%030d", benchTxCounter.Add(1)) }

// benchPost sends one shipping-item registration the way a client of the upstream does and
// insists on 204. The bare server gets exactly the same request.
func benchPost(client *http.Client, url string) error {
	tx := benchTransactionID()
	body := make([]byte, 0, len(benchBodyHead)+len(tx)+len(benchBodyTail))
	body = append(append(append(body, benchBodyHead...), tx...), benchBodyTail...)
	token, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"requestDate": time.Now().UTC().Format("2006-01-02T15:04:05Z"),
	}).SignedString(benchSecret)
	if err != nil {
		return err
	}
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("X-ATLAS-API-Key", benchAPIKey)
	req.Header.Set("Authorization", token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	answer, err := io.ReadAll(resp.Body) // read to the end so the connection is reused
	resp.Body.Close()
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusNoContent {
		return fmt.Errorf("POST %s (transactionId %s): status %d, want 204; body %s", url, tx, resp.StatusCode, answer)
	}
	return nil
}

// benchClient is a keep-alive client of its own, so the two servers never share a pool.
func benchClient(b *testing.B) *http.Client {
	tr := &http.Transport{
		Proxy:               nil,
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        64,
		MaxIdleConnsPerHost: 64,
		IdleConnTimeout:     time.Minute,
		DisableCompression:  true,
	}
	b.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: 30 * time.Second}
}

// benchCapProcs keeps the benchmark (client and server together) within benchMaxProcs cores.
func benchCapProcs(b *testing.B) {
	if prev := runtime.GOMAXPROCS(0); prev > benchMaxProcs {
		runtime.GOMAXPROCS(benchMaxProcs)
		b.Cleanup(func() { runtime.GOMAXPROCS(prev) })
	}
}

// benchBare is the comparable minimum: read the body, decode it into a map, answer 204.
func benchBare(b *testing.B) (url string, client *http.Client) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		var doc map[string]any
		if err := json.Unmarshal(body, &doc); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	b.Cleanup(srv.Close)
	return srv.URL + "/atlas/v1/shipping/item", benchClient(b)
}

// benchUpmock is the full server, as mocks.Start (and so the upmock binary) builds it.
func benchUpmock(b *testing.B) (*mocks.Server, *http.Client) {
	srv, err := mocks.Start(mocks.Options{Listen: "127.0.0.1:0"})
	if err != nil {
		b.Fatalf("mocks.Start: %v", err)
	}
	b.Cleanup(func() {
		if err := srv.Close(); err != nil {
			b.Errorf("Close: %v", err)
		}
	})
	return srv, benchClient(b)
}

// benchSession is one round's session of the full server.
type benchSession struct {
	b      *testing.B
	client *http.Client
	root   string // http://HOST/s/bench-N
	url    string // the shipping-item URL in the session
	before int    // transactionIds the session held when the round started
}

// newBenchSession creates the round's session (outside the timer) and opens connections.
func newBenchSession(b *testing.B, srv *mocks.Server, client *http.Client) *benchSession {
	b.Helper()
	root := fmt.Sprintf("%s/s/bench-%d", srv.URL(), benchSessionCounter.Add(1))
	s := &benchSession{b: b, client: client, root: root, url: root + "/atlas/v1/shipping/item"}
	s.expect(http.MethodGet, "/__upmock/health", http.StatusOK, nil)
	s.before = s.transactions()
	for range benchWarmup {
		if err := benchPost(client, s.url); err != nil {
			b.Fatal(err)
		}
	}
	return s
}

func (s *benchSession) expect(method, path string, status int, into any) {
	s.b.Helper()
	req, err := http.NewRequest(method, s.root+path, nil)
	if err != nil {
		s.b.Fatal(err)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		s.b.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		s.b.Fatalf("%s %s: %v", method, path, err)
	}
	if resp.StatusCode != status {
		s.b.Fatalf("%s %s: status %d, want %d; body %s", method, path, resp.StatusCode, status, raw)
	}
	if into != nil {
		if err := json.Unmarshal(raw, into); err != nil {
			s.b.Fatalf("%s %s: %v", method, path, err)
		}
	}
}

// transactions counts the benchmark's transactionIds in the session's state.
func (s *benchSession) transactions() int {
	s.b.Helper()
	var state struct {
		Tenants []struct {
			TransactionIDs []string `json:"transactionIds"`
		} `json:"tenants"`
	}
	s.expect(http.MethodGet, "/__upmock/state/atlas", http.StatusOK, &state)
	n := 0
	for _, t := range state.Tenants {
		for _, id := range t.TransactionIDs {
			if strings.HasPrefix(id, "bench-") {
				n++
			}
		}
	}
	return n
}

// finish checks (outside the timer) that the mock did what it answered: sent requests were
// accepted into the state, and the journal shows a clean, authenticated registration. Then
// it resets the session so the next round starts from the fixtures.
func (s *benchSession) finish(sent int) {
	s.b.Helper()
	if got, want := s.transactions()-s.before, benchWarmup+sent; got != want {
		s.b.Fatalf("session holds %d new transactionIds, want %d: some 204s were not accepted", got, want)
	}
	var journal struct {
		Requests []core.Entry `json:"requests"`
	}
	s.expect(http.MethodGet, "/__upmock/requests?api=atlas&limit=1", http.StatusOK, &journal)
	if len(journal.Requests) != 1 {
		s.b.Fatalf("journal: %d entries, want 1", len(journal.Requests))
	}
	e := journal.Requests[0]
	if e.Operation != benchOperation || e.Status != http.StatusNoContent || len(e.SpecViolations) > 0 ||
		!strings.HasPrefix(e.Annotations["auth"], "ok") || !strings.HasPrefix(e.Annotations["accepted"], "bench-") {
		s.b.Fatalf("journal's last entry is not a clean accepted registration: %+v", e)
	}
	s.expect(http.MethodPost, "/__upmock/reset", http.StatusNoContent, nil)
}

// benchParallel sends b.N requests from GOMAXPROCS goroutines and fails on the first error.
func benchParallel(b *testing.B, client *http.Client, url string) {
	b.Helper()
	var (
		stop     atomic.Bool
		once     sync.Once
		firstErr error
	)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if stop.Load() {
				return
			}
			if err := benchPost(client, url); err != nil {
				once.Do(func() { firstErr = err })
				stop.Store(true)
				return
			}
		}
	})
	if firstErr != nil {
		b.Fatal(firstErr)
	}
}

// benchBareNsPerReq is BenchmarkShippingItem/bare's last result, for /upmock's x-vs-bare.
var benchBareNsPerReq atomic.Uint64

// BenchmarkShippingItem measures throughput with GOMAXPROCS (at most 2) concurrent keep-alive
// clients: ns/op is wall time per request. /upmock also reports x-vs-bare when /bare ran.
func BenchmarkShippingItem(b *testing.B) {
	benchCapProcs(b)
	bareURL, bareClient := benchBare(b)
	srv, client := benchUpmock(b)

	b.Run("bare", func(b *testing.B) {
		for range benchWarmup {
			if err := benchPost(bareClient, bareURL); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportAllocs()
		b.ResetTimer()
		benchParallel(b, bareClient, bareURL)
		b.StopTimer()
		benchBareNsPerReq.Store(uint64(b.Elapsed().Nanoseconds() / int64(b.N)))
	})
	b.Run("upmock", func(b *testing.B) {
		s := newBenchSession(b, srv, client)
		b.ReportAllocs()
		b.ResetTimer()
		benchParallel(b, client, s.url)
		b.StopTimer()
		perReq := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
		if bare := benchBareNsPerReq.Load(); bare > 0 {
			b.ReportMetric(perReq/float64(bare), "x-vs-bare")
		}
		s.finish(b.N)
	})
}

// BenchmarkShippingItemRatio sends b.N requests (2000 under `make bench`) one after another to
// the bare handler, then b.N to upmock, each block timed on its own after a GC, and reports
// per-request latency, allocations and bytes of each, and x-vs-bare = upmock / bare.
// Allocations count the whole process: client and server alike.
func BenchmarkShippingItemRatio(b *testing.B) {
	benchCapProcs(b)
	bareURL, bareClient := benchBare(b)
	srv, client := benchUpmock(b)
	for range benchWarmup {
		if err := benchPost(bareClient, bareURL); err != nil {
			b.Fatal(err)
		}
	}
	s := newBenchSession(b, srv, client)

	block := func(c *http.Client, url string) (ns, allocs, allocBytes float64) {
		b.StopTimer()
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		b.StartTimer()
		start := time.Now()
		for range b.N {
			if err := benchPost(c, url); err != nil {
				b.Fatal(err)
			}
		}
		elapsed := time.Since(start)
		b.StopTimer()
		runtime.ReadMemStats(&after)
		n := float64(b.N)
		return float64(elapsed.Nanoseconds()) / n, float64(after.Mallocs-before.Mallocs) / n, float64(after.TotalAlloc-before.TotalAlloc) / n
	}

	b.ReportAllocs()
	b.ResetTimer()
	bareNs, bareAllocs, bareBytes := block(bareClient, bareURL)
	upNs, upAllocs, upBytes := block(client, s.url)
	b.StopTimer()

	if bareNs <= 0 {
		b.Fatal("bare block took no time")
	}
	b.ReportMetric(upNs, "ns/req-upmock")
	b.ReportMetric(bareNs, "ns/req-bare")
	b.ReportMetric(upNs/bareNs, "x-vs-bare")
	b.ReportMetric(upAllocs, "allocs/req-upmock")
	b.ReportMetric(bareAllocs, "allocs/req-bare")
	b.ReportMetric(upBytes, "B/req-upmock")
	b.ReportMetric(bareBytes, "B/req-bare")
	s.finish(b.N)
}
