package core_test

// Micro-benchmarks of the pieces every upstream request goes through in core.Server.serveAPI:
// routing (Spec.Find), validation against the document (Spec.ValidateRequest and the mocks'
// Spec.ValidateJSONBody), the journal (Journal.Add, RedactHeaders) and the session clock.
// Run them with `make bench`; speed targets live here, never as timing asserts in tests.

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/routers"
	"github.com/upmock/upmock/mocks/atlas"
	"github.com/upmock/upmock/mocks/core"
	"github.com/upmock/upmock/specs"
)

// benchShippingBody is a valid ATLAS registration (shared with the differential test).
var benchShippingBody = strings.TrimSpace(string(must(os.ReadFile("testdata/atlas_registration.json"))))

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

var (
	benchSpecOnce sync.Once
	benchSpecVal  *core.Spec
	benchSpecErr  error
)

// benchAtlasSpec parses the atlas document once per test binary, as atlas.API.Spec does once
// per process; parsing is start-up cost, not per-request cost.
func benchAtlasSpec(b *testing.B) *core.Spec {
	b.Helper()
	benchSpecOnce.Do(func() { benchSpecVal, benchSpecErr = core.LoadSpec(specs.Read("atlas")) })
	if benchSpecErr != nil {
		b.Fatalf("LoadSpec(atlas): %v", benchSpecErr)
	}
	return benchSpecVal
}

func benchShippingRoute(b *testing.B) (*core.Spec, *routers.Route, map[string]string) {
	b.Helper()
	spec := benchAtlasSpec(b)
	route, params, ok := spec.Find(http.MethodPost, "/shipping/item")
	if !ok {
		b.Fatal("no route for POST /shipping/item")
	}
	return spec, route, params
}

func benchShippingRequest(b *testing.B) *http.Request {
	b.Helper()
	r, err := http.NewRequest(http.MethodPost, "http://127.0.0.1/atlas/v1/shipping/item", strings.NewReader(benchShippingBody))
	if err != nil {
		b.Fatal(err)
	}
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("X-ATLAS-API-Key", "atlas-key-tokyo-0001")
	r.Header.Set("Authorization", "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyZXF1ZXN0RGF0ZSI6IjIwMjYtMTEtMjVUMTA6MDA6MDBaIn0.c2lnbmF0dXJl")
	// As on a server-side request: with GetBody set, kin-openapi's security step would put the
	// client-side body back instead of the body handed to Spec.ValidateRequest.
	r.GetBody = nil
	return r
}

func BenchmarkSpecFind(b *testing.B) {
	spec := benchAtlasSpec(b)
	cases := []struct {
		name, method, path, op string
		param                  string
	}{
		{"static", http.MethodPost, "/shipping/item", "postShippingItem", ""},
		{"param", http.MethodGet, "/master/products", "", "products"},
		{"miss", http.MethodPost, "/no/such/path", "", ""},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				route, params, ok := spec.Find(c.method, c.path)
				switch {
				case c.name == "miss":
					if ok {
						b.Fatalf("Find(%s %s) routed to %s, want no route", c.method, c.path, route.Operation.OperationID)
					}
				case !ok:
					b.Fatalf("Find(%s %s): no route", c.method, c.path)
				case c.op != "" && route.Operation.OperationID != c.op:
					b.Fatalf("Find(%s %s) = %s, want %s", c.method, c.path, route.Operation.OperationID, c.op)
				case c.param != "" && params["masterName"] != c.param:
					b.Fatalf("Find(%s %s) params %v, want masterName=%s", c.method, c.path, params, c.param)
				}
			}
		})
	}
}

func BenchmarkSpecValidateRequest(b *testing.B) {
	spec, route, params := benchShippingRoute(b)
	ctx := context.Background()
	b.Run("valid", func(b *testing.B) {
		r, body := benchShippingRequest(b), []byte(benchShippingBody)
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			if v := spec.ValidateRequest(ctx, r, body, route, params); len(v) != 0 {
				b.Fatalf("valid body: %d violations, first %s", len(v), v[0])
			}
		}
	})
	b.Run("invalid", func(b *testing.B) {
		// A wrong transactionId pattern and a missing field: the error path builds violations.
		body := []byte(strings.Replace(strings.Replace(benchShippingBody, `"bf7d0aa8-537c-4e4c-80a0-6b6451f59abb"`, `"bf7d0aa8_537c_4e4c_80a0_6b6451f59abb"`, 1),
			`"movementSlipNo":"78964456306232651242",`, "", 1))
		r := benchShippingRequest(b)
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			if v := spec.ValidateRequest(ctx, r, body, route, params); len(v) < 2 {
				b.Fatalf("invalid body: %d violations %v, want at least 2", len(v), v)
			}
		}
	})
}

// BenchmarkSpecValidateJSONBody is the second schema pass the atlas handlers make on the
// already decoded body (so they can answer in the upstream's words).
func BenchmarkSpecValidateJSONBody(b *testing.B) {
	spec := benchAtlasSpec(b)
	var doc any
	if err := json.Unmarshal([]byte(benchShippingBody), &doc); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if v := spec.ValidateJSONBody("postShippingItem", doc); len(v) != 0 {
			b.Fatalf("valid body: %d violations, first %s", len(v), v[0])
		}
	}
}

// BenchmarkJournalAdd adds to a ring that is already full: memory stays bounded (the ring
// never grows past its size) and an Add allocates nothing.
func BenchmarkJournalAdd(b *testing.B) {
	const size = core.DefaultJournalSize
	j := core.NewJournal(size)
	r := benchShippingRequest(b)
	body, _ := core.Truncate([]byte(benchShippingBody))
	e := core.Entry{
		Time: time.Now(), API: "atlas", Operation: "postShippingItem", Method: r.Method,
		Path: r.URL.Path, Headers: core.RedactHeaders(r.Header), Body: body, Status: http.StatusNoContent,
		Annotations: map[string]string{"auth": "ok", "accepted": "bf7d0aa8-537c-4e4c-80a0-6b6451f59abb"},
	}
	for range size {
		j.Add(e)
	}
	if n := len(j.List("", 0)); n != size {
		b.Fatalf("ring holds %d entries after filling, want %d", n, size)
	}
	b.ReportAllocs()
	for b.Loop() {
		j.Add(e)
	}
	b.StopTimer()
	list := j.List("", 0)
	if len(list) != size {
		b.Fatalf("ring holds %d entries after %d more adds, want %d", len(list), b.N, size)
	}
	if first, last := list[0].Seq, list[len(list)-1].Seq; last-first != size-1 || last < int64(size) {
		b.Fatalf("ring seq %d..%d is not the newest %d entries", first, last, size)
	}
}

// BenchmarkRedactHeaders is the header copy every journaled request makes.
func BenchmarkRedactHeaders(b *testing.B) {
	r := benchShippingRequest(b)
	b.ReportAllocs()
	for b.Loop() {
		h := core.RedactHeaders(r.Header)
		if v := h["Authorization"]; len(v) != 1 || !strings.HasSuffix(v[0], ".REDACTED") {
			b.Fatalf("Authorization not redacted: %v", v)
		}
	}
}

func BenchmarkClockNow(b *testing.B) {
	b.Run("ticking", func(b *testing.B) {
		c := core.NewClock(nil)
		c.Advance(time.Minute)
		b.ReportAllocs()
		prev := c.Now()
		for b.Loop() {
			now := c.Now()
			if now.Before(prev) {
				b.Fatalf("clock went back: %v after %v", now, prev)
			}
			prev = now
		}
	})
	b.Run("frozen", func(b *testing.B) {
		c := core.NewClock(nil)
		c.Freeze()
		want := c.Now()
		b.ReportAllocs()
		for b.Loop() {
			if now := c.Now(); !now.Equal(want) {
				b.Fatalf("frozen clock moved: %v, want %v", now, want)
			}
		}
	})
	b.Run("parallel", func(b *testing.B) {
		// Every request of a session reads its clock, often several times: RWMutex contention.
		c := core.NewClock(nil)
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if c.Now().IsZero() {
					panic("zero clock") // b.Fatal must not be called from RunParallel's goroutines
				}
			}
		})
	})
}

// BenchmarkSpecCheckRegistration is what serveAPI and the atlas mock do with a valid ATLAS
// registration: Check, through the compiled fast path or the full one (kin-openapi's
// parameter validation, decode to any and VisitJSON), then the mock's own typed decode.
func BenchmarkSpecCheckRegistration(b *testing.B) {
	spec, route, params := benchShippingRoute(b)
	ctx := context.Background()
	body := []byte(benchShippingBody)
	for _, path := range []string{"fast", "full"} {
		check := core.ServerCheck(spec, path == "full")
		for _, typed := range []bool{false, true} {
			name := path
			if typed {
				name += "+typed-decode"
			}
			b.Run(name, func(b *testing.B) {
				r := benchShippingRequest(b)
				b.ReportAllocs()
				for b.Loop() {
					if v := check(ctx, r, body, route, params); len(v) != 0 {
						b.Fatalf("valid body: %v", v)
					}
					if !typed {
						continue
					}
					var req atlas.RegistrationRequest
					if err := json.Unmarshal(body, &req); err != nil || len(req.Items) != 1 {
						b.Fatalf("typed decode: %v", err)
					}
				}
			})
		}
	}
}
