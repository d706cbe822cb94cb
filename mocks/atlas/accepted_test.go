package atlas

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"log/slog"
	"math/rand/v2"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/upmock/upmock/fixtures"
	"github.com/upmock/upmock/mocks/core"
)

var _ core.Closer = (*Mock)(nil) // a deleted session gives its accepted logs back

// storeTest is a fixtures store on a frozen clock, driven directly.
type storeTest struct {
	t     *testing.T
	clock *core.Clock
	mock  *Mock
	key   keyInfo
	// queue is the reference model of the pending queue: a plain slice in arrival order,
	// stably sorted by due when read (ties stay in arrival order); applied is what it
	// applied.
	queue   []Pending
	applied []Pending
}

func newStoreTest(t *testing.T) *storeTest {
	t.Helper()
	clock := core.NewClock(func() time.Time { return time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC) })
	clock.Freeze()
	sub, _ := fs.Sub(fixtures.FS, Name)
	inst, err := API{}.New(&core.Env{Session: "t", Clock: clock, IDs: core.NewIDs(1), Logger: slog.New(slog.DiscardHandler), Fixtures: sub})
	if err != nil {
		t.Fatal(err)
	}
	m := inst.(*Mock)
	t.Cleanup(m.Close)
	key, _ := m.store.lookupKey("atlas-key-tokyo-0001")
	return &storeTest{t: t, clock: clock, mock: m, key: key}
}

// variant is a registration from Tokyo; v picks what differs from variant 0.
func (st *storeTest) variant(id string, v int) RegistrationRequest {
	path := "/P1/"
	one := int64(1)
	req := RegistrationRequest{
		TransactionID: id, MovementSlipNo: "78964456306232651242", BaseID: st.key.BaseID,
		CounterBaseID: "458435f8-2e5c-444b-b828-6f25f35f3a40",
		Items:         []Item{{TrackingID: "T-1", UID: "U-1", AutoIDType: "RFID", Path: "/P1/T-1/", ItemCount: &one, MovedDateTime: "2026-11-25T01:02:03.000004Z"}},
	}
	switch v {
	case 1:
		req.MovementSlipNo = "78964456306232651243"
	case 2:
		req.CounterBaseID = "7c1e2f4a-3b5d-4e6f-8a9b-0c1d2e3f4a5b"
	case 3:
		req.TargetPath = &path
	case 4:
		req.Items[0].ItemCount = nil // null, not 1
	case 5:
		req.Items[0].Detail = &ItemDetail{}
	case 6:
		req.Items = append(req.Items, req.Items[0])
	}
	return req
}

func (st *storeTest) accept(kind string, req RegistrationRequest) {
	st.t.Helper()
	if e := st.mock.store.accept(kind, st.key, req); e != nil {
		st.t.Fatalf("%s refused: %d %s", req.TransactionID, e.code, e.detail)
	}
	st.refApply()
	now := st.clock.Now()
	st.queue = append(st.queue, Pending{Kind: kind, Due: now.Add(st.mock.store.currentSettings().RegistrationDelay.D()), Accepted: now, Request: req})
}

// refApply applies what is due in the reference, as every store operation first does.
func (st *storeTest) refApply() {
	now := st.clock.Now()
	if !slices.ContainsFunc(st.queue, func(p Pending) bool { return !p.Due.After(now) }) {
		return
	}
	st.sortQueue()
	for len(st.queue) > 0 && !st.queue[0].Due.After(now) {
		st.applied = append(st.applied, st.queue[0])
		st.queue = st.queue[1:]
	}
}

func (st *storeTest) apply() {
	st.mock.store.mu.Lock()
	st.mock.store.applyDueLocked()
	st.mock.store.mu.Unlock()
	st.refApply()
}

func (st *storeTest) setDelay(d time.Duration) {
	s := st.mock.store.currentSettings()
	s.RegistrationDelay = Duration(d)
	st.mock.store.setSettings(s)
}

func (st *storeTest) log() *acceptedLog {
	st.mock.store.mu.Lock()
	defer st.mock.store.mu.Unlock()
	return st.mock.store.accepted[st.key.tenant]
}

// tenantState is the Tokyo tenant as GET /__upmock/state/atlas shows it.
func (st *storeTest) tenantState() Tenant {
	st.t.Helper()
	state, err := st.mock.store.snapshot()
	if err != nil {
		st.t.Fatal(err)
	}
	for _, t := range state.Tenants {
		if t.TenantID == st.key.tenant.TenantID {
			return *t
		}
	}
	st.t.Fatal("no Tokyo tenant")
	return Tenant{}
}

func (st *storeTest) sortQueue() {
	sort.SliceStable(st.queue, func(i, j int) bool { return st.queue[i].Due.Before(st.queue[j].Due) })
}

// checkPending compares the exported queue with the reference's, as JSON.
func (st *storeTest) checkPending() {
	st.t.Helper()
	got := st.tenantState().Pending
	st.refApply()
	st.sortQueue()
	if g, w := mustJSON(st.t, got), mustJSON(st.t, st.queue); g != w {
		st.t.Fatalf("pending:\n got %.600s\nwant %.600s", g, w)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

// Registrations share a run only when nothing but the transactionId differs: kind, due,
// acceptance time, slip, bases, targetPath and every item field each start a new run.
func TestRunsSplitOnAnythingButTheTransactionID(t *testing.T) {
	st := newStoreTest(t)
	n := 0
	next := func() string { n++; return fmt.Sprintf("txn-%032d", n) }
	st.accept(kindShipping, st.variant(next(), 0))
	st.accept(kindShipping, st.variant(next(), 0)) // same run
	wantRuns := 1
	for v := 1; v <= 6; v++ {
		st.accept(kindShipping, st.variant(next(), v))
		st.accept(kindShipping, st.variant(next(), v)) // same run as the one before
		wantRuns++
	}
	st.accept(kindReceiving, st.variant(next(), 0))
	st.setDelay(5 * time.Second) // another due
	st.accept(kindReceiving, st.variant(next(), 0))
	st.clock.Advance(time.Microsecond) // another acceptance time (and due)
	st.accept(kindReceiving, st.variant(next(), 0))
	st.accept(kindReceiving, st.variant(next(), 0))
	wantRuns += 3
	if runs := st.log().queue.runs; runs != wantRuns {
		t.Errorf("%d runs, want %d", runs, wantRuns)
	}
	st.checkPending()
}

// The queue keeps due order with ties in arrival order whatever the clock and the delay do
// (the clock moved back, the delay shortened: registrations land in the middle, splitting
// blocks), and applying pops them in that order, each with its own transactionId.
func TestPendingOrderFollowsClockMovesAndDelayChanges(t *testing.T) {
	st := newStoreTest(t)
	rng := rand.New(rand.NewPCG(14, 1))
	delays := []time.Duration{0, time.Second, 3 * time.Second, 10 * time.Second}
	for i := range 1200 {
		switch r := rng.IntN(20); {
		case r == 0:
			st.setDelay(delays[rng.IntN(len(delays))])
		case r == 1:
			st.clock.Advance(time.Duration(rng.IntN(9)-6) * time.Second / 2)
		case r == 2:
			st.apply()
		default:
			kind := kindShipping
			if rng.IntN(4) == 0 {
				kind = kindReceiving
			}
			st.accept(kind, st.variant(fmt.Sprintf("ord-%032d", i), rng.IntN(3)))
		}
		if i%300 == 0 {
			st.checkPending()
		}
	}
	if runs := st.log().queue.runs; runs <= runBlockMax {
		t.Fatalf("only %d runs: the test does not split blocks", runs)
	}
	st.checkPending()
	st.clock.Advance(time.Hour)
	st.apply()
	// Records carry their own transactionIds; only the first registration of each (kind,
	// slip, trackingId) makes one (no variant here conflicts with another base).
	var got, want []string
	for _, r := range st.key.tenant.Records {
		got = append(got, r.TransactionID)
	}
	firsts := map[recordKey]bool{}
	for _, p := range st.applied {
		if k := (recordKey{p.Kind, p.Request.MovementSlipNo, p.Request.Items[0].TrackingID}); !firsts[k] {
			firsts[k] = true
			want = append(want, p.Request.TransactionID)
		}
	}
	if len(st.applied) < 800 || !reflect.DeepEqual(got, want) {
		t.Fatalf("%d applied; records %.300v, want %.300v", len(st.applied), got, want)
	}
	if q := st.log().queue; q.count != 0 || q.runs != 0 || len(q.blocks) != 0 {
		t.Fatalf("queue not empty after applying: %d registrations, %d runs", q.count, q.runs)
	}
	st.checkPending()
}

// A transactionId is refused (errorCode 200) while pending in any run, after application and
// after the state went out and came back.
func TestDuplicateTransactionIDsAcrossRunsAndApplication(t *testing.T) {
	st := newStoreTest(t)
	st.accept(kindShipping, st.variant("dup-a-000000000000000000000000000000", 0))
	st.accept(kindShipping, st.variant("dup-b-000000000000000000000000000000", 1))
	st.accept(kindReceiving, st.variant("dup-c-000000000000000000000000000000", 0))
	refused := func(id string, v int) {
		t.Helper()
		if e := st.mock.store.accept(kindShipping, st.key, st.variant(id, v)); e == nil || e.code != 200 {
			t.Fatalf("%s accepted again: %v", id, e)
		}
	}
	refused("dup-a-000000000000000000000000000000", 1)
	refused("dup-c-000000000000000000000000000000", 0)
	st.clock.Advance(time.Hour)
	refused("dup-b-000000000000000000000000000000", 0)
	state, err := st.mock.store.snapshot()
	if err != nil {
		t.Fatal(err)
	}
	if err := st.mock.store.replace(state); err != nil {
		t.Fatal(err)
	}
	st.key, _ = st.mock.store.lookupKey("atlas-key-tokyo-0001")
	refused("dup-a-000000000000000000000000000000", 2)
	// Another tenant's ids are its own.
	other, _ := st.mock.store.lookupKey("atlas-key-other-0004")
	req := st.variant("dup-a-000000000000000000000000000000", 0)
	req.BaseID = other.BaseID
	if e := st.mock.store.accept(kindShipping, other, req); e != nil {
		t.Fatalf("another tenant's transactionId refused: %d", e.code)
	}
	if got := st.tenantState().TransactionIDs; len(got) != 3 {
		t.Fatalf("Tokyo's transactionIds %v, want the three accepted", got)
	}
}

// The state's export and import keep every transactionId and pending registration exactly,
// in order, with many pending in runs; the import references ids where they lie rather
// than copying them, and keeps null apart from [].
func TestStateRoundTripWithManyPending(t *testing.T) {
	st := newStoreTest(t)
	if tt := st.tenantState(); tt.TransactionIDs != nil || tt.Pending != nil {
		t.Fatalf("fixtures' null arrays exported as %v %v", tt.TransactionIDs, tt.Pending)
	}
	for i := range 1200 {
		if i%400 == 399 {
			st.clock.Advance(-time.Second) // some due earlier than others already queued
		}
		st.accept(kindShipping, st.variant(fmt.Sprintf("rt-%033d", i), i/400))
	}
	first, err := st.mock.store.snapshot()
	if err != nil {
		t.Fatal(err)
	}
	runs := st.log().queue.runs
	raw := mustJSON(t, first)
	var back State
	if err := json.Unmarshal([]byte(raw), &back); err != nil {
		t.Fatal(err)
	}
	if err := st.mock.store.replace(back); err != nil {
		t.Fatal(err)
	}
	st.key, _ = st.mock.store.lookupKey("atlas-key-tokyo-0001")
	second, err := st.mock.store.snapshot()
	if err != nil {
		t.Fatal(err)
	}
	if got := mustJSON(t, second); got != raw {
		t.Fatalf("state changed by a round trip: %d bytes, want %d", len(got), len(raw))
	}
	if l := st.log(); l.queue.runs != runs || l.loose.count != 0 || l.ids.count != 1200 {
		t.Fatalf("after import: %d runs (want %d), %d ids copied, %d ids", l.queue.runs, runs, l.loose.count, l.ids.count)
	}
	st.checkPending()
	if e := st.mock.store.accept(kindShipping, st.key, st.variant("rt-000000000000000000000000000000777", 0)); e == nil || e.code != 200 {
		t.Fatalf("an imported transactionId accepted again: %v", e)
	}
	// A hand-written state: pending ids not among transactionIds, out of order, empty arrays.
	hand := fmt.Sprintf(`{"tenants":[{"tenantId":"h","name":"","bases":[{"baseId":"b","name":""}],"apiKeys":[{"apiKey":"hk","apiSecret":"s","baseId":"b"}],`+
		`"masters":null,"transactionIds":[],"pending":[%s,%s,%s],"records":null,"inactivations":null,"scheduled":null,"lastSeq":0}]}`,
		handPending("p-2", "2026-11-25T00:00:09Z"), handPending("p-1", "2026-11-25T09:00:05+09:00"), handPending("p-3", "2026-11-25T00:00:09Z"))
	var hs State
	if err := json.Unmarshal([]byte(hand), &hs); err != nil {
		t.Fatal(err)
	}
	if err := st.mock.store.replace(hs); err != nil {
		t.Fatal(err)
	}
	got, _ := st.mock.store.snapshot()
	want := strings.NewReplacer("%A", handPending("p-1", "2026-11-25T09:00:05+09:00"), "%B", handPending("p-2", "2026-11-25T00:00:09Z"),
		"%C", handPending("p-3", "2026-11-25T00:00:09Z")).Replace(`"transactionIds":[],"pending":[%A,%B,%C]`)
	if js := mustJSON(t, got); !strings.Contains(js, want) {
		t.Fatalf("hand-written state exported as\n%s\nwant it to contain\n%s", js, want)
	}
}

func handPending(id, due string) string {
	return `{"kind":"shipping","due":"` + due + `","accepted":"2026-11-25T00:00:00Z","request":{"transactionId":"` + id +
		`","movementSlipNo":"s","baseId":"b","counterBaseId":"c","targetPath":null,"items":null}}`
}

// Reset and a closed session give back what the accepted logs mapped; a request still in
// flight after the close is served from the heap.
func TestResetAndCloseFreeTheAcceptedLogs(t *testing.T) {
	st := newStoreTest(t)
	accept := func(prefix string) {
		for i := range 3000 { // past the arena's first 64 KiB: its next chunk is mapped
			if e := st.mock.store.accept(kindShipping, st.key, st.variant(fmt.Sprintf("%s-%030d", prefix, i), 0)); e != nil {
				t.Fatalf("refused: %d", e.code)
			}
		}
	}
	accept("fre")
	if st.mock.store.mem.mappedBytes() == 0 {
		t.Fatal("3,000 transactionIds mapped nothing outside the heap")
	}
	before := st.mock.MemoryBytes()
	st.mock.Reset()
	if n := st.mock.store.mem.mappedBytes(); n != 0 {
		t.Fatalf("reset kept %d mapped bytes", n)
	}
	if after := st.mock.MemoryBytes(); after >= before/100 {
		t.Fatalf("reset: the model reports %d bytes, %d before", after, before)
	}
	st.key, _ = st.mock.store.lookupKey("atlas-key-tokyo-0001")
	accept("agn")
	st.mock.Close()
	if n := st.mock.store.mem.mappedBytes(); n != 0 {
		t.Fatalf("close kept %d mapped bytes", n)
	}
	if e := st.mock.store.accept(kindShipping, st.key, st.variant("late-000000000000000000000000000000", 0)); e != nil {
		t.Fatalf("a request after the close: %d", e.code)
	}
	if st.mock.store.mem.mappedBytes() != 0 {
		t.Fatal("mapped memory after the close")
	}
}

// The arena reads back every entry in order across chunk boundaries, including entries
// longer than a chunk, and next walks from one to the following.
func TestIDArenaKeepsEntriesInOrder(t *testing.T) {
	a := newIDArena(newBufPool())
	defer a.free()
	var want []string
	var refs []idRef
	for i := range 30000 {
		s := fmt.Sprintf("id-%d", i)
		switch i {
		case 7, 20000:
			s = strings.Repeat("x", maxChunk+i) // its own chunk
		case 9:
			s = ""
		}
		want = append(want, s)
		refs = append(refs, a.add(s))
	}
	var got []string
	a.each(func(b []byte) { got = append(got, string(b)) })
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("each: %d entries, want %d", len(got), len(want))
	}
	for i, r := range refs {
		if string(a.at(r)) != want[i] {
			t.Fatalf("entry %d reads %.20q", i, a.at(r))
		}
		if i+1 < len(refs) && a.next(r) != refs[i+1] {
			t.Fatalf("next of entry %d is %x, want %x", i, a.next(r), refs[i+1])
		}
	}
}

// The set finds every id added across many shard growths, and no other.
func TestIDSetFindsWhatWasAdded(t *testing.T) {
	mem := newBufPool()
	defer mem.release()
	a, s := newIDArena(mem), newIDSet(mem)
	for i := range 30000 {
		id := fmt.Sprintf("set-%d", i)
		h := s.hash(id)
		if _, ok := s.find(a, h, id); ok {
			t.Fatalf("%s found before it was added", id)
		}
		s.add(h, a.add(id))
	}
	for i := range 30000 {
		id := fmt.Sprintf("set-%d", i)
		if r, ok := s.find(a, s.hash(id), id); !ok || string(a.at(r)) != id {
			t.Fatalf("%s not found", id)
		}
		if other := fmt.Sprintf("set-x%d", i); func() bool { _, ok := s.find(a, s.hash(other), other); return ok }() {
			t.Fatalf("%s found", other)
		}
	}
}

// The hand-written equality (equal.go) names every field of the request types: one added
// without it would let different requests share a run.
func TestEqualityCoversEveryField(t *testing.T) {
	for _, c := range []struct {
		v    any
		want int
	}{{RegistrationRequest{}, 6}, {Item{}, 13}, {AutoInactive{}, 3}, {ItemDetail{}, 18}} {
		if n := reflect.TypeOf(c.v).NumField(); n != c.want {
			t.Errorf("%T has %d fields; equal.go compares %d", c.v, n, c.want)
		}
	}
	if n := len((&ItemDetail{}).fields()); n != 18 {
		t.Errorf("ItemDetail.fields lists %d", n)
	}
	st := newStoreTest(t)
	base := st.variant("eq", 0)
	s := func(v string) *string { return &v }
	for name, change := range map[string]func(r *RegistrationRequest){
		"slip": func(r *RegistrationRequest) { r.MovementSlipNo += "9" }, "targetPath": func(r *RegistrationRequest) { r.TargetPath = s("") },
		"items null": func(r *RegistrationRequest) { r.Items = nil }, "uid": func(r *RegistrationRequest) { r.Items[0].UID = "U-2" },
		"autoInactive": func(r *RegistrationRequest) { r.Items[0].AutoInactive = &AutoInactive{} },
		"elapsedDays": func(r *RegistrationRequest) {
			d := int64(1)
			r.Items[0].AutoInactive = &AutoInactive{ElapsedDays: &d}
		},
		"detail":        func(r *RegistrationRequest) { r.Items[0].Detail = &ItemDetail{Attribute9: s("x")} },
		"isInactivated": func(r *RegistrationRequest) { r.Items[0].IsInactivated = new(bool) },
	} {
		other := st.variant("eq2", 0)
		change(&other)
		if sameRequestButTransactionID(&base, &other) {
			t.Errorf("%s: requests that differ compare equal", name)
		}
	}
	if same := st.variant("eq3", 0); !sameRequestButTransactionID(&base, &same) {
		t.Error("requests differing only in transactionId compare unequal")
	}
}
