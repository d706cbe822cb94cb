package core

// SetCompactAfterRecords lowers the log's compaction bound for a test; the returned func
// restores it.
func SetCompactAfterRecords(n int) (restore func()) {
	old := compactAfterRecords
	compactAfterRecords = n
	return func() { compactAfterRecords = old }
}
