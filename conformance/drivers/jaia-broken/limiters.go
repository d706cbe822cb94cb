package main

import (
	"context"
	"sync"
	"time"

	"github.com/upmock/upmock/conformance/clients/jaiaclient"
)

// unlimited never waits: a client without a rate limiter.
type unlimited struct{}

func (unlimited) Wait(context.Context) (func(), error) { return func() {}, nil }

// departureWindow keeps at most max requests in any window of per counted from when each
// request left, as most token-bucket and sliding-log limiters do. On the wire that is not
// the upstream's count: a request that left early but was answered late (a slow answer, a
// loaded machine) opens the client's window before the upstream's.
type departureWindow struct {
	mu   sync.Mutex
	max  int
	per  time.Duration
	sent []time.Time
}

func newDepartureWindow(r jaiaclient.RateLimit) *departureWindow {
	return &departureWindow{max: r.Requests, per: r.Per}
}

func (l *departureWindow) Wait(ctx context.Context) (func(), error) {
	for {
		l.mu.Lock()
		now := time.Now()
		if len(l.sent) < l.max || !now.Before(l.sent[0].Add(l.per)) {
			if len(l.sent) == l.max {
				l.sent = l.sent[1:]
			}
			l.sent = append(l.sent, now)
			l.mu.Unlock()
			return func() {}, nil
		}
		wait := l.sent[0].Add(l.per).Sub(now)
		l.mu.Unlock()
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		}
	}
}
