package atlas

import "time"

// acceptedLog is what a tenant's accepted registrations leave behind: every transactionId
// in acceptance order (State.TransactionIDs), the set that finds a reused one (errorCode
// 200), and the registrations not yet applied (State.Pending). The State keeps neither
// array while the store holds it; they are rebuilt at the boundary (load, export).
type acceptedLog struct {
	ids   *idArena
	seen  *idSet
	queue pendingQueue
	// loose holds the ids of pending registrations loaded from a state that does not list
	// them, in order, among its transactionIds.
	loose *idArena
	// The loaded state had null rather than [] (nothing accepted or pending since), which
	// an export repeats.
	idsNull, pendingNull bool
}

func newAcceptedLog(mem *bufPool) *acceptedLog {
	return &acceptedLog{ids: newIDArena(mem), seen: newIDSet(mem), loose: newIDArena(mem)}
}

// loadFrom takes the tenant's transactionIds and pending registrations (sorted by due).
func (l *acceptedLog) loadFrom(t *Tenant) {
	l.idsNull, l.pendingNull = t.TransactionIDs == nil, t.Pending == nil
	for _, id := range t.TransactionIDs {
		r := l.ids.add(id)
		if h := l.seen.hash(id); !l.seenAs(h, id) {
			l.seen.add(h, r)
		}
	}
	for i := range t.Pending {
		p := &t.Pending[i]
		ids, r := l.loose, idRef(0)
		// An id the transactionIds list holds is referenced there, so a saved state loaded
		// back costs what it did before it was saved.
		if found, ok := l.seen.find(l.ids, l.seen.hash(p.Request.TransactionID), p.Request.TransactionID); ok {
			ids, r = l.ids, found
		} else {
			r = l.loose.add(p.Request.TransactionID)
		}
		l.queue.push(p.Kind, p.Due, p.Accepted, &p.Request, ids, r)
	}
}

func (l *acceptedLog) seenAs(h idHash, id string) bool {
	_, ok := l.seen.find(l.ids, h, id)
	return ok
}

// seenBefore reports whether id was accepted before; its hash serves accept.
func (l *acceptedLog) seenBefore(id string) (idHash, bool) {
	h := l.seen.hash(id)
	return h, l.seenAs(h, id)
}

// accept records id (hashed h, not seen before) and queues the registration.
func (l *acceptedLog) accept(h idHash, kind string, due, accepted time.Time, req *RegistrationRequest) {
	r := l.ids.add(req.TransactionID)
	l.seen.add(h, r)
	l.queue.push(kind, due, accepted, req, l.ids, r)
	l.idsNull, l.pendingNull = false, false
}

// exportTo fills the tenant copy's transactionIds and pending as the wire shows them.
func (l *acceptedLog) exportTo(t *Tenant) {
	t.TransactionIDs, t.Pending = nil, nil
	if !l.idsNull {
		t.TransactionIDs = make([]string, 0, l.ids.count)
		l.ids.each(func(b []byte) { t.TransactionIDs = append(t.TransactionIDs, string(b)) })
	}
	if !l.pendingNull {
		t.Pending = make([]Pending, 0, l.queue.count)
		l.queue.each(func(p Pending) { t.Pending = append(t.Pending, p) })
	}
}

// free returns the log's buffers; it is empty afterwards.
func (l *acceptedLog) free() {
	l.ids.free()
	l.loose.free()
	l.seen.free()
	l.queue = pendingQueue{}
}
