package core_test

import (
	"testing"
	"time"

	"github.com/upmock/upmock/mocks/core"
)

func TestClock(t *testing.T) {
	set := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	type step struct {
		real   time.Duration // how far real time moves before the action
		action func(c *core.Clock)
		now    time.Time // Now() after the action
		offset string
		frozen bool
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"a new clock reads real time", []step{
			{0, nil, epoch, "0s", false},
			{time.Minute, nil, epoch.Add(time.Minute), "0s", false},
		}},
		{"advance adds an offset that keeps ticking", []step{
			{0, func(c *core.Clock) { c.Advance(61 * time.Second) }, epoch.Add(61 * time.Second), "1m1s", false},
			{time.Second, nil, epoch.Add(62 * time.Second), "1m1s", false},
			{0, func(c *core.Clock) { c.Advance(-2 * time.Minute) }, epoch.Add(-58 * time.Second), "-59s", false},
		}},
		{"set jumps to an instant that keeps ticking", []step{
			{0, func(c *core.Clock) { c.Set(set) }, set, set.Sub(epoch).String(), false},
			{time.Hour, nil, set.Add(time.Hour), set.Sub(epoch).String(), false},
		}},
		{"freeze stops the clock until unfreeze", []step{
			{0, func(c *core.Clock) { c.Advance(time.Hour) }, epoch.Add(time.Hour), "1h0m0s", false},
			{0, func(c *core.Clock) { c.Freeze() }, epoch.Add(time.Hour), "1h0m0s", true},
			{10 * time.Minute, nil, epoch.Add(time.Hour), "50m0s", true},
			{0, func(c *core.Clock) { c.Advance(time.Minute) }, epoch.Add(61 * time.Minute), "51m0s", true},
			{0, func(c *core.Clock) { c.Set(set) }, set, set.Sub(epoch.Add(10 * time.Minute)).String(), true},
			{time.Minute, nil, set, set.Sub(epoch.Add(11 * time.Minute)).String(), true},
			{0, func(c *core.Clock) { c.Unfreeze() }, set, set.Sub(epoch.Add(11 * time.Minute)).String(), false},
			{time.Minute, nil, set.Add(time.Minute), set.Sub(epoch.Add(11 * time.Minute)).String(), false},
		}},
		{"unfreeze of a running clock changes nothing", []step{
			{0, func(c *core.Clock) { c.Advance(time.Second) }, epoch.Add(time.Second), "1s", false},
			{0, func(c *core.Clock) { c.Unfreeze() }, epoch.Add(time.Second), "1s", false},
		}},
		{"reset returns to real time and thaws", []step{
			{0, func(c *core.Clock) { c.Advance(48 * time.Hour); c.Freeze() }, epoch.Add(48 * time.Hour), "48h0m0s", true},
			{time.Minute, func(c *core.Clock) { c.Reset() }, epoch.Add(time.Minute), "0s", false},
			{time.Minute, nil, epoch.Add(2 * time.Minute), "0s", false},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			real := newFakeNow()
			c := core.NewClock(real.Now)
			for i, s := range tt.steps {
				real.Add(s.real)
				if s.action != nil {
					s.action(c)
				}
				if got := c.Now(); !got.Equal(s.now) {
					t.Errorf("step %d: Now() = %s, want %s", i, got, s.now)
				}
				st := c.State()
				if !st.Now.Equal(s.now) || st.Offset != s.offset || st.Frozen != s.frozen {
					t.Errorf("step %d: State() = %+v, want now %s offset %s frozen %v", i, st, s.now, s.offset, s.frozen)
				}
			}
		})
	}
}

func TestClockDefaultsToRealTime(t *testing.T) {
	c := core.NewClock(nil)
	before := time.Now()
	now := c.Now()
	if now.Before(before.Add(-time.Second)) || now.After(time.Now().Add(time.Second)) {
		t.Fatalf("NewClock(nil).Now() = %s, want about %s", now, before)
	}
	c.Advance(time.Hour)
	if d := c.Now().Sub(time.Now()); d < 59*time.Minute || d > 61*time.Minute {
		t.Fatalf("after Advance(1h) the clock is %s ahead, want 1h", d)
	}
}
