package core

import (
	"strings"
	"testing"
)

func TestJournalByteBudgetDropsOldest(t *testing.T) {
	j := NewJournal(1000)
	j.maxBytes = 10_000
	body := strings.Repeat("x", 3_000)
	for i := 0; i < 10; i++ {
		j.Add(Entry{API: "a", Body: body})
	}
	got := j.List("", 0)
	if len(got) != 3 || got[0].Seq != 8 || got[2].Seq != 10 {
		t.Fatalf("kept %d entries from seq %d; want the newest 3 (8..10) under a 10000-byte budget", len(got), got[0].Seq)
	}
	if j.bytes != 9_000 {
		t.Fatalf("accounted %d bytes, want 9000", j.bytes)
	}
	j.Add(Entry{API: "a", Body: strings.Repeat("y", 20_000)})
	if got := j.List("", 0); len(got) != 1 || got[0].Seq != 11 {
		t.Fatalf("an entry larger than the budget must still be kept alone, got %d entries", len(got))
	}
	j.Clear("")
	if j.bytes != 0 || len(j.List("", 0)) != 0 {
		t.Fatal("Clear left entries or bytes")
	}
}
