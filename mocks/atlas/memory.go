package atlas

// What the state that grows with traffic costs, for the server's memory budget
// (core.MemoryReporter). An accepted registration that waits for its due time costs its
// transactionId in the id arena (its bytes and one of length) and a slot of the duplicate
// set, both counted as allocated, plus its share of a pending run: registrations that differ
// only in their transactionId share one run, so that share is nearly nothing (48 B per
// registration in all at 1.5 million, 58 B at 50,000), while a registration with a new slip
// or item is a run of its own with its request, pendingRunBytes (571 B per registration in
// all; bench_memory_test.go measures both). An applied item costs a record.
const (
	pendingRunBytes   = 540
	recordBytes       = 600
	inactivationBytes = 100
)

// MemoryBytes estimates what the session's model holds beyond its fixtures.
func (m *Mock) MemoryBytes() int64 { return m.store.memoryBytes() }

func (s *store) memoryBytes() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	var n int64
	for t, l := range s.accepted {
		n += l.bytes() + int64(len(t.Records))*recordBytes + int64(len(t.Inactivations)+len(t.Scheduled))*inactivationBytes
	}
	return n
}

// bytes is what the log holds: its buffers as they are, its runs as estimated.
func (l *acceptedLog) bytes() int64 {
	return l.ids.bytes() + l.loose.bytes() + l.seen.bytes() + int64(l.queue.runs)*pendingRunBytes
}
