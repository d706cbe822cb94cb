package core_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/upmock/upmock/mocks/core"
)

// BenchmarkStateDir is what --state-dir costs an accepted write (one synced log record, or a
// snapshot every 500) against the same write in memory; run with `make bench`.
func BenchmarkStateDir(b *testing.B) {
	for _, mode := range []string{"memory", "state-dir"} {
		b.Run(mode, func(b *testing.B) {
			opts := core.Options{APIs: []core.API{newFakeAPI(b, "fake", "/fake/v1")}}
			if mode == "state-dir" {
				opts.StateDir = b.TempDir()
			}
			srv, err := core.NewServer(opts)
			if err != nil {
				b.Fatal(err)
			}
			defer srv.Close()
			b.ReportAllocs()
			for b.Loop() {
				req := httptest.NewRequest(http.MethodPost, "/fake/v1/things", strings.NewReader(`{"name":"b"}`))
				req.Header.Set("Content-Type", "application/json")
				rec := httptest.NewRecorder()
				srv.ServeHTTP(rec, req)
				if rec.Code != http.StatusCreated {
					b.Fatalf("status %d: %s", rec.Code, rec.Body)
				}
			}
		})
	}
}
