package core

import (
	"sync"
	"time"
)

// Clock is the mocks' notion of now: real time plus an offset that tests set or advance, or
// a frozen instant. Every expiry, limit window and asynchronous step reads it, so tests move
// time instead of sleeping.
type Clock struct {
	mu      sync.RWMutex
	real    func() time.Time
	offset  time.Duration
	frozen  *time.Time
	changed chan struct{} // closed and replaced whenever the clock is moved
}

// NewClock returns a clock reading real time through realNow (time.Now when nil).
func NewClock(realNow func() time.Time) *Clock {
	if realNow == nil {
		realNow = time.Now
	}
	return &Clock{real: realNow, changed: make(chan struct{})}
}

// Changed returns a channel closed the next time the clock is moved (advanced, set, frozen,
// unfrozen or reset). A mock that must act at a mock time — deliver a webhook, say — waits on
// it next to a real-time timer, so advancing the clock wakes it at once.
func (c *Clock) Changed() <-chan struct{} {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.changed
}

// notifyLocked wakes everyone waiting on Changed.
func (c *Clock) notifyLocked() {
	close(c.changed)
	c.changed = make(chan struct{})
}

// Now is the mock time.
func (c *Clock) Now() time.Time {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.frozen != nil {
		return *c.frozen
	}
	return c.real().Add(c.offset)
}

// Advance moves the clock forward (or back, for a negative d).
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	defer c.notifyLocked()
	if c.frozen != nil {
		t := c.frozen.Add(d)
		c.frozen = &t
		return
	}
	c.offset += d
}

// Set makes Now return t from here on (then t keeps ticking unless the clock is frozen).
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	defer c.notifyLocked()
	if c.frozen != nil {
		c.frozen = &t
		return
	}
	c.offset = t.Sub(c.real())
}

// Freeze stops the clock at its current time; Unfreeze lets it tick again from there.
func (c *Clock) Freeze() {
	now := c.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	defer c.notifyLocked()
	c.frozen = &now
}

// Unfreeze lets a frozen clock tick again from where it stood.
func (c *Clock) Unfreeze() {
	c.mu.Lock()
	defer c.mu.Unlock()
	defer c.notifyLocked()
	if c.frozen == nil {
		return
	}
	c.offset = c.frozen.Sub(c.real())
	c.frozen = nil
}

// Reset returns to real time.
func (c *Clock) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	defer c.notifyLocked()
	c.offset, c.frozen = 0, nil
}

// ClockState is the clock as the control API shows it.
type ClockState struct {
	Now    time.Time `json:"now"`
	Offset string    `json:"offset"`
	Frozen bool      `json:"frozen"`
}

// State reports the clock for the control API.
func (c *Clock) State() ClockState {
	now := c.Now()
	c.mu.RLock()
	defer c.mu.RUnlock()
	offset := c.offset
	if c.frozen != nil {
		offset = c.frozen.Sub(c.real())
	}
	return ClockState{Now: now, Offset: offset.Round(time.Millisecond).String(), Frozen: c.frozen != nil}
}
