package atlas

// How long one accepted registration holds the store's lock while the pending queue grows
// past a million (the clock frozen, as in `make bench-peers`): the mean hides a rare O(n)
// step (a slice of every pending registration or a map of every transactionId growing
// under the lock), so the benchmark reports the slowest accept and the 99.9th percentile.
// `make bench` runs 1,500,000; one op is one request decoded from JSON (as the handler does,
// so the items compare by value) and accepted; the accept alone is timed for the metrics.

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"
)

func BenchmarkAcceptWhilePendingGrows(b *testing.B) {
	for _, tc := range []struct {
		name string
		body func(i int) string
	}{
		{"same-item", func(i int) string { return memoryBody(i, 0) }},
		{"distinct-items", func(i int) string { return memoryBody(i, i) }},
	} {
		b.Run(tc.name, func(b *testing.B) {
			m := frozenBenchMock(b)
			defer m.Close()
			key, _ := m.store.lookupKey("atlas-key-tokyo-0001")
			took := make([]time.Duration, b.N)
			b.ResetTimer()
			for i := range b.N {
				var req RegistrationRequest
				if err := json.Unmarshal([]byte(tc.body(i)), &req); err != nil {
					b.Fatal(err)
				}
				start := time.Now()
				e := m.store.accept(kindShipping, key, req)
				took[i] = time.Since(start)
				if e != nil {
					b.Fatalf("registration %d refused: %s", i, e.detail)
				}
			}
			b.StopTimer()
			var total time.Duration
			for _, d := range took {
				total += d
			}
			b.ReportMetric(float64(total)/float64(b.N), "accept-ns")
			slices.Sort(took)
			b.ReportMetric(float64(took[len(took)-1])/float64(time.Microsecond), "max-µs")
			b.ReportMetric(float64(took[len(took)*999/1000])/float64(time.Microsecond), "p99.9-µs")
			b.ReportMetric(float64(took[len(took)*9999/10000])/float64(time.Microsecond), "p99.99-µs")
			b.ReportMetric(float64(m.store.accepted[key.tenant].queue.count), "pending")
			if n := m.store.accepted[key.tenant].queue.count; n != b.N {
				b.Fatal(fmt.Sprintf("%d pending, want %d", n, b.N))
			}
		})
	}
}
