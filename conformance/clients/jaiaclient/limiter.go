package jaiaclient

import (
	"context"
	"sync"
	"time"
)

// Limiter delays a request until the rate allows it.
type Limiter interface {
	// Wait blocks until one more request may be sent, or ctx ends. The caller calls done
	// once the request's answer has arrived (or the exchange failed).
	Wait(ctx context.Context) (done func(), err error)
}

// NewLimiter keeps to at most r.Requests requests in any window of r.Per, counting each
// request from when its answer arrived: a request in flight holds its slot, and an answered
// one holds it for r.Per more. The upstream counts arrivals; an answer arrives after its
// request did, so a window that starts at the answer can never hold more requests than the
// upstream counts, however long the request waited on the network or a loaded machine.
// A limiter counting departures can: a request that left early but arrived late makes the
// upstream's window start later than the client's.
func NewLimiter(r RateLimit) Limiter {
	return &answerWindow{max: r.Requests, per: r.Per, now: time.Now}
}

type answerWindow struct {
	mu       sync.Mutex
	max      int
	per      time.Duration
	inFlight int
	answered []time.Time // oldest first, within the last per
	now      func() time.Time
}

// pollWhileInFlight is how often a waiter looks again when every slot is held by a request
// still in flight (its answer time, which frees the slot later, is not known yet).
const pollWhileInFlight = 5 * time.Millisecond

func (l *answerWindow) Wait(ctx context.Context) (func(), error) {
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		wait, ok := l.reserve()
		if ok {
			return l.release, nil
		}
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		}
	}
}

// reserve takes a slot now, or says how long to wait before looking again.
func (l *answerWindow) reserve() (time.Duration, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	for len(l.answered) > 0 && !now.Before(l.answered[0].Add(l.per)) {
		l.answered = l.answered[1:]
	}
	if l.inFlight+len(l.answered) < l.max {
		l.inFlight++
		return 0, true
	}
	if len(l.answered) == 0 {
		return pollWhileInFlight, false
	}
	return l.answered[0].Add(l.per).Sub(now), false
}

// release marks a request answered: its slot stays taken for one window from now.
func (l *answerWindow) release() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.inFlight--
	l.answered = append(l.answered, l.now())
}
