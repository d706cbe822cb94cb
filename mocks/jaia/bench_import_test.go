package jaia_test

// A 10,000-row CSV import (the manual's largest file) through the whole stack: multipart,
// CSV parsing, every row's checks, the all-or-nothing store. Target: answered in < 1 s. One
// op is one import into a fresh server; `make bench` runs a few.

import (
	"fmt"
	"strings"
	"testing"
)

func BenchmarkImport10000Rows(b *testing.B) {
	if b.N > 20 {
		b.Skip("one op is a 10,000-row import; run with -benchtime 5x (make bench does)")
	}
	var csv strings.Builder
	csv.WriteString("\ufeff" + storeHeader + "\n")
	for i := 1; i <= 10000; i++ {
		fmt.Fprintf(&csv, "%s\n", storeRow(fmt.Sprintf("1001%014d", i), "店"))
	}
	file := csv.String()
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		h := newHarness(b)
		tok := h.login(adminMail, adminPass)
		b.StartTimer()
		r := h.importCSV("POST", "/stores/import", tok, adminID, "STORE_IMPORT_CREATE", file)
		b.StopTimer()
		expect(b, r, 200)
		if m := r.env["metadata"].(map[string]any); m["success"] != 10000.0 {
			b.Fatalf("imported %v of 10000", m["success"])
		}
		_ = h.srv.Close()
		b.StartTimer()
	}
}
