package atlas

// What an accepted registration costs in memory until it is applied: its share of a pending
// run, its transactionId and its slot in the duplicate set. The clock is frozen, as in `make
// bench-peers`, so nothing becomes due and everything accepted stays pending. Run with `make
// bench`; B/registration is the live heap after a GC plus what the store maps outside the
// heap (bufPool), also reported apart as heap-B and offheap-B; the figures are documented in
// bench/RESULTS.md. One op is one registration; `make bench` runs 50,000 so growth averages
// out.

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"log/slog"
	"runtime"
	"testing"
	"time"

	"github.com/upmock/upmock/fixtures"
	"github.com/upmock/upmock/mocks/core"
)

func BenchmarkAcceptedRegistrationMemory(b *testing.B) {
	for _, tc := range []struct {
		name string
		body func(i int) string
	}{
		// A client resending one item, or a load test: only the transactionId differs.
		{"same-item", func(i int) string { return memoryBody(i, 0) }},
		// Every registration a new slip and item: the request's own values must be kept.
		{"distinct-items", func(i int) string { return memoryBody(i, i) }},
	} {
		b.Run(tc.name, func(b *testing.B) {
			heap, offHeap := memoryPerRegistration(b, b.N, tc.body)
			b.ReportMetric(heap+offHeap, "B/registration")
			b.ReportMetric(heap, "heap-B/registration")
			b.ReportMetric(offHeap, "offheap-B/registration")
		})
	}
}

func memoryPerRegistration(b *testing.B, n int, body func(i int) string) (heap, offHeap float64) {
	b.Helper()
	m := frozenBenchMock(b)
	defer m.Close()
	key, _ := m.store.lookupKey("atlas-key-tokyo-0001")
	before, mappedBefore := liveHeap(), m.store.mem.mappedBytes()
	b.ResetTimer()
	for i := range n {
		var req RegistrationRequest
		if err := json.Unmarshal([]byte(body(i)), &req); err != nil { // as the handler decodes it
			b.Fatal(err)
		}
		if e := m.store.accept(kindShipping, key, req); e != nil {
			b.Fatalf("registration %d refused: %s", i, e.detail)
		}
	}
	b.StopTimer()
	after, mappedAfter := liveHeap(), m.store.mem.mappedBytes()
	runtime.KeepAlive(m)
	return (float64(after) - float64(before)) / float64(n), float64(mappedAfter-mappedBefore) / float64(n)
}

// frozenBenchMock is a session's ATLAS mock from the embedded fixtures on a frozen clock.
func frozenBenchMock(b *testing.B) *Mock {
	b.Helper()
	clock := core.NewClock(time.Now)
	clock.Freeze()
	sub, _ := fs.Sub(fixtures.FS, Name)
	inst, err := API{}.New(&core.Env{Session: "bench", Clock: clock, IDs: core.NewIDs(1), Logger: slog.New(slog.DiscardHandler), Fixtures: sub})
	if err != nil {
		b.Fatal(err)
	}
	return inst.(*Mock)
}

func liveHeap() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// memoryBody is the document's sample registration with transactionId i and slip/item n.
func memoryBody(i, n int) string {
	return fmt.Sprintf(`{"transactionId":"mem-%032d","movementSlipNo":"%020d","baseId":"2114dbec-a137-11e8-9a80-ec21e50b3736",`+
		`"counterBaseId":"458435f8-2e5c-444b-b828-6f25f35f3a40","targetPath":null,"items":[{"trackingId":"%024d-001",`+
		`"uid":"%024d","autoIdType":"exampleType","path":"/Ship001/Cont001/Pallet001/%024d-001/","itemCount":1,`+
		`"movedDateTime":"2026-11-25T10:00:00.000000Z","individualRecognitionCode":null,"largeClassAggregationKey":"",`+
		`"middleClassAggregationKey":"","smallClassAggregationKey":"","isInactivated":false,"autoInactive":null}]}`, i, n, n, n, n)
}
