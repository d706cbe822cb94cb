package core_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"github.com/upmock/upmock/mocks/core"
)

// Many busy sessions share one memory budget: the journals together stay under it, the
// oldest entries of the whole server go first, the heap stays under the budget plus a fixed
// overhead, and GET /__upmock/health reports the use.
func TestMemoryBudgetBoundsAllSessionsTogether(t *testing.T) {
	const budget = 4 << 20
	srv, err := core.NewServer(core.Options{APIs: []core.API{newFakeAPI(t, "fake", "/fake/v1")}, MemoryBudget: budget})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	heapBefore := liveHeap()
	body := strings.Repeat("x", 4<<10)
	const sessions, perSession = 64, 200 // 52 MB of bodies pushed through a 4 MiB budget
	var all []*core.Session
	for i := range sessions {
		sess, err := srv.Session(fmt.Sprintf("busy-%02d", i))
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, sess)
		for n := range perSession {
			sess.Journal.Add(core.Entry{API: "fake", Path: fmt.Sprintf("/fake/v1/things/%d", n), Body: body, ResponseBody: body,
				Headers: map[string][]string{"Content-Type": {"application/json"}}})
		}
		if use := srv.MemoryUse(); use.JournalBytes > budget {
			t.Fatalf("after session %d the journals hold %d bytes, over the %d budget", i, use.JournalBytes, budget)
		}
	}
	use := srv.MemoryUse()
	if use.EvictedEntries == 0 || use.JournalBytes < budget/2 {
		t.Fatalf("use %+v: want evictions and the journals kept near the budget", use)
	}
	// Oldest first across sessions: the first sessions are empty, the last one is whole.
	if n := len(all[0].Journal.List("", 0)); n != 0 {
		t.Errorf("the oldest session still holds %d entries", n)
	}
	if n := len(all[sessions-1].Journal.List("", 0)); n != perSession {
		t.Errorf("the newest session holds %d entries, want all %d", n, perSession)
	}
	// Accounted bytes are an estimate; the heap is the fact. A fixed 8 MiB covers sessions,
	// instances and the runtime's own growth.
	if grown := int64(liveHeap()) - int64(heapBefore); grown > budget+8<<20 {
		t.Errorf("live heap grew by %d bytes, over budget %d + 8 MiB", grown, budget)
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/__upmock/health", nil))
	var health struct {
		Memory core.MemoryUse `json:"memory"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &health); err != nil || health.Memory.BudgetBytes != budget || health.Memory.JournalBytes != use.JournalBytes {
		t.Fatalf("health %s (%v): want memory with budgetBytes %d and journalBytes %d", rec.Body, err, budget, use.JournalBytes)
	}
	runtime.KeepAlive(all)
}

// A closed (evicted) session hands its journal's bytes back.
func TestMemoryBudgetReleasesEvictedSessions(t *testing.T) {
	srv, err := core.NewServer(core.Options{APIs: []core.API{newFakeAPI(t, "fake", "/fake/v1")}, MaxSessions: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	sess, _ := srv.Session("first")
	sess.Journal.Add(core.Entry{API: "fake", Body: strings.Repeat("x", 1<<20)})
	if use := srv.MemoryUse(); use.JournalBytes < 1<<20 {
		t.Fatalf("journal bytes %d after a 1 MiB entry", use.JournalBytes)
	}
	if _, err := srv.Session("second"); err != nil { // the bound of 2 (with default) evicts "first"
		t.Fatal(err)
	}
	if use := srv.MemoryUse(); use.JournalBytes != 0 {
		t.Fatalf("journal bytes %d after the only busy session was evicted, want 0", use.JournalBytes)
	}
}

func liveHeap() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}
