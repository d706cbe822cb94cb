package atlas

// Estimated bytes per element of the state that grows with traffic, for the server's memory
// budget (core.MemoryReporter). An accepted registration that waits for its due time costs a
// pending entry and a transactionId: 265 B together when only the transactionId differs from
// the previous registration, 650 B for a new slip and item (bench_memory_test.go measures
// both); an applied item costs a record.
const (
	pendingBytes      = 400
	transactionBytes  = 90
	recordBytes       = 600
	inactivationBytes = 100
)

// MemoryBytes estimates what the session's model holds beyond its fixtures.
func (m *Mock) MemoryBytes() int64 { return m.store.memoryBytes() }

func (s *store) memoryBytes() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	var n int64
	for _, t := range s.state.Tenants {
		n += int64(len(t.Pending))*pendingBytes + int64(len(t.TransactionIDs))*transactionBytes +
			int64(len(t.Records))*recordBytes + int64(len(t.Inactivations)+len(t.Scheduled))*inactivationBytes
	}
	return n
}
