package jaiaclient

import (
	"context"
	"sync"
	"time"
)

// Limiter delays a request until the rate allows it.
type Limiter interface {
	// Wait blocks until one more request may be sent, or ctx ends.
	Wait(ctx context.Context) error
}

// NewLimiter keeps to at most r.Requests requests in any window of r.Per: a sliding log of
// the last r.Requests send times, with a margin of a hundredth of the window so that the
// upstream, which sees the requests a little later than they leave, counts no more either.
func NewLimiter(r RateLimit) Limiter {
	return &windowLimiter{max: r.Requests, per: r.Per, margin: r.Per / 100, now: time.Now}
}

type windowLimiter struct {
	mu     sync.Mutex
	max    int
	per    time.Duration
	margin time.Duration
	sent   []time.Time // oldest first, at most max
	now    func() time.Time
}

func (l *windowLimiter) Wait(ctx context.Context) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		wait := l.reserve()
		if wait <= 0 {
			return nil
		}
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		}
	}
}

// reserve takes a slot now and returns 0, or returns how long to wait for one.
func (l *windowLimiter) reserve() time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if len(l.sent) < l.max {
		l.sent = append(l.sent, now)
		return 0
	}
	if free := l.sent[0].Add(l.per + l.margin); now.Before(free) {
		return free.Sub(now)
	}
	l.sent = append(l.sent[1:], now)
	return 0
}
