package atlas

import (
	"sort"
	"time"
)

// pendingQueue is a tenant's accepted registrations not yet applied, in due order with ties
// in arrival order, as runs: consecutive registrations of one kind, due and acceptance time
// whose requests differ only in transactionId share one run, which holds the request once
// and its transactionIds as consecutive entries of an idArena. Runs sit in blocks of at most
// runBlockMax, so accepting appends to the last block or extends its last run (O(1), nothing
// large copied), and inserting in the middle (the clock moved back, the delay shortened)
// copies one block and the block list.
type pendingQueue struct {
	blocks [][]pendingRun
	count  int // registrations
	runs   int
}

// pendingRun is count registrations; the first not yet applied has its id at next.
type pendingRun struct {
	kind     string
	due      time.Time
	accepted time.Time
	req      *RegistrationRequest // TransactionID empty; never changed
	ids      *idArena
	next     idRef
	last     idRef
	count    int
}

const runBlockMax = 256

func (q *pendingQueue) head() *pendingRun {
	if q.count == 0 {
		return nil
	}
	return &q.blocks[0][0]
}

// pop removes the first registration and returns it with its own transactionId.
func (q *pendingQueue) pop() Pending {
	run := &q.blocks[0][0]
	req := *run.req
	req.TransactionID = string(run.ids.at(run.next))
	p := Pending{Kind: run.kind, Due: run.due, Accepted: run.accepted, Request: req}
	q.count--
	if run.count--; run.count > 0 {
		run.next = run.ids.next(run.next)
		return p
	}
	q.blocks[0][0] = pendingRun{}
	q.runs--
	if q.blocks[0] = q.blocks[0][1:]; len(q.blocks[0]) == 0 {
		q.blocks[0] = nil
		q.blocks = q.blocks[1:]
	}
	return p
}

// push queues a registration whose transactionId is the entry r of ids (the newest entry
// when accepting); req's own TransactionID is ignored.
func (q *pendingQueue) push(kind string, due, accepted time.Time, req *RegistrationRequest, ids *idArena, r idRef) {
	q.count++
	bi, ri := q.position(due)
	if prev := q.before(bi, ri); prev != nil && prev.extends(kind, due, accepted, req, ids, r) {
		prev.last = r
		prev.count++
		return
	}
	shared := *req
	shared.TransactionID = ""
	q.runs++
	run := pendingRun{kind: kind, due: due, accepted: accepted, req: &shared, ids: ids, next: r, last: r, count: 1}
	if ri == 0 && bi > 0 && len(q.blocks[bi-1]) < runBlockMax {
		bi, ri = bi-1, len(q.blocks[bi-1]) // the end of the previous block, the same place
	}
	if bi == len(q.blocks) {
		q.blocks = append(q.blocks, make([]pendingRun, 0, 4))
	}
	if len(q.blocks[bi]) == runBlockMax {
		q.split(bi)
		if ri > runBlockMax/2 {
			bi, ri = bi+1, ri-runBlockMax/2
		}
	}
	b := append(q.blocks[bi], pendingRun{})
	copy(b[ri+1:], b[ri:])
	b[ri] = run
	q.blocks[bi] = b
}

// position is where a registration due at due goes: after every run due no later.
func (q *pendingQueue) position(due time.Time) (block, run int) {
	n := len(q.blocks)
	if n == 0 {
		return 0, 0
	}
	if last := q.blocks[n-1]; !last[len(last)-1].due.After(due) {
		return n, 0
	}
	bi := sort.Search(n, func(i int) bool { b := q.blocks[i]; return b[len(b)-1].due.After(due) })
	b := q.blocks[bi]
	return bi, sort.Search(len(b), func(i int) bool { return b[i].due.After(due) })
}

// before is the run just before a position, or nil at the front.
func (q *pendingQueue) before(bi, ri int) *pendingRun {
	switch {
	case ri > 0:
		return &q.blocks[bi][ri-1]
	case bi > 0:
		return &q.blocks[bi-1][len(q.blocks[bi-1])-1]
	}
	return nil
}

// split halves a full block.
func (q *pendingQueue) split(bi int) {
	b := q.blocks[bi]
	tail := append(make([]pendingRun, 0, runBlockMax), b[runBlockMax/2:]...)
	clear(b[runBlockMax/2:])
	q.blocks[bi] = b[:runBlockMax/2]
	q.blocks = append(q.blocks, nil)
	copy(q.blocks[bi+2:], q.blocks[bi+1:])
	q.blocks[bi+1] = tail
}

// extends reports whether the registration continues the run: the same kind, times and
// request but the transactionId, and its id the arena entry right after the run's last.
func (run *pendingRun) extends(kind string, due, accepted time.Time, req *RegistrationRequest, ids *idArena, r idRef) bool {
	if run.kind != kind || run.ids != ids || !sameInstantAndOffset(run.due, due) ||
		!sameInstantAndOffset(run.accepted, accepted) || ids.next(run.last) != r {
		return false
	}
	return sameRequestButTransactionID(req, run.req)
}

// sameInstantAndOffset: two times that JSON writes alike and that order alike.
func sameInstantAndOffset(a, b time.Time) bool {
	_, ao := a.Zone()
	_, bo := b.Zone()
	return a.Equal(b) && ao == bo
}

// each calls f with every pending registration in order (for the state's export).
func (q *pendingQueue) each(f func(p Pending)) {
	for _, b := range q.blocks {
		for i := range b {
			run := &b[i]
			r := run.next
			for k := 0; k < run.count; k++ {
				req := *run.req
				req.TransactionID = string(run.ids.at(r))
				f(Pending{Kind: run.kind, Due: run.due, Accepted: run.accepted, Request: req})
				if k+1 < run.count {
					r = run.ids.next(r)
				}
			}
		}
	}
}
