package core

import (
	"sync"
	"sync/atomic"
)

// DefaultMemoryBudget bounds, server-wide, what the journals of all sessions hold together
// with the state the mocks report (MemoryReporter): a laptop's worth, whatever the number of
// sessions.
const DefaultMemoryBudget = 256 << 20

// entryOverhead is what an entry costs beyond the bytes of its strings: the Entry itself,
// its header and annotation maps, slice and string headers (measured: ~0.6 KiB for a
// typical request's headers; rounded up).
const entryOverhead = 768

// MemoryReporter is implemented by instances whose state grows with traffic (accepted
// registrations, imported rows): an estimate of the bytes that state holds, charged to the
// server's memory budget and shown by GET /__upmock/health.
type MemoryReporter interface {
	MemoryBytes() int64
}

// memoryBudget is the server-wide bound on journal memory. Every journal charges its entries
// here; when the total passes the limit, the oldest entries of the whole server are dropped
// first, whichever session holds them, down to 15/16 of the limit so eviction runs in
// batches rather than on every request.
type memoryBudget struct {
	limit   int64
	used    atomic.Int64  // bytes the journals hold
	state   atomic.Int64  // bytes the mocks' state holds, as last measured
	charges atomic.Int64  // entries added, to re-measure the state now and then
	stamp   atomic.Uint64 // orders entries across sessions
	evicted atomic.Int64  // entries dropped for the budget

	// measureState sums what the sessions' MemoryReporters report.
	measureState func() int64

	mu       sync.Mutex // one eviction at a time; guards journals
	journals map[*Journal]struct{}
}

// stateEvery is how many journal entries pass between two measurements of the state.
const stateEvery = 1024

func newMemoryBudget(limit int64, measureState func() int64) *memoryBudget {
	if limit <= 0 {
		limit = DefaultMemoryBudget
	}
	return &memoryBudget{limit: limit, measureState: measureState, journals: map[*Journal]struct{}{}}
}

func (b *memoryBudget) register(j *Journal) {
	b.mu.Lock()
	defer b.mu.Unlock()
	j.budget = b
	b.journals[j] = struct{}{}
}

// release forgets a closed session's journal and what it held.
func (b *memoryBudget) release(j *Journal) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.journals, j)
	j.Clear("")
	j.mu.Lock()
	j.budget = nil
	j.mu.Unlock()
}

// releaseBudget hands a closed session's journal back to its budget.
func (j *Journal) releaseBudget() {
	j.mu.Lock()
	b := j.budget
	j.mu.Unlock()
	if b != nil {
		b.release(j)
	}
}

// journalLimit is how much of the budget the journals may use: the limit less the state
// the mocks hold (accepted data is never dropped for the journal's sake), and at least a
// sixteenth of it, so the newest requests stay visible.
func (b *memoryBudget) journalLimit() int64 {
	return max(b.limit-b.state.Load(), b.limit/16)
}

// charged runs after a journal added an entry: it evicts while the journals are over their
// share of the budget.
func (b *memoryBudget) charged() {
	if b.charges.Add(1)%stateEvery == 0 {
		b.refreshState()
	}
	if limit := b.journalLimit(); b.used.Load() > limit {
		b.evict(limit - limit/16)
	}
}

func (b *memoryBudget) refreshState() int64 {
	if b.measureState == nil {
		return 0
	}
	n := b.measureState()
	b.state.Store(n)
	return n
}

// use measures the state afresh and reports the budget.
func (b *memoryBudget) use() MemoryUse {
	state := b.refreshState()
	return MemoryUse{BudgetBytes: b.limit, JournalBytes: b.used.Load(), StateBytes: state, EvictedEntries: b.evicted.Load()}
}

// evict drops the server's oldest journal entries until the journals hold at most target.
func (b *memoryBudget) evict(target int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for b.used.Load() > target {
		var oldest *Journal
		var oldestStamp uint64
		for j := range b.journals {
			if s, ok := j.oldestStamp(); ok && (oldest == nil || s < oldestStamp) {
				oldest, oldestStamp = j, s
			}
		}
		if oldest == nil || !oldest.dropIfOldest(oldestStamp) {
			return
		}
		b.evicted.Add(1)
	}
}

// MemoryUse is the budget as GET /__upmock/health reports it.
type MemoryUse struct {
	BudgetBytes    int64 `json:"budgetBytes"`
	JournalBytes   int64 `json:"journalBytes"`
	StateBytes     int64 `json:"stateBytes"`
	EvictedEntries int64 `json:"evictedEntries"`
}
