package core

import (
	"testing"
	"time"
)

func TestClockChangedWakesWaiters(t *testing.T) {
	c := NewClock(nil)
	for name, move := range map[string]func(){
		"advance":  func() { c.Advance(time.Second) },
		"set":      func() { c.Set(time.Unix(0, 0)) },
		"freeze":   c.Freeze,
		"unfreeze": c.Unfreeze,
		"reset":    c.Reset,
	} {
		changed := c.Changed()
		select {
		case <-changed:
			t.Fatalf("%s: Changed fired before the clock moved", name)
		default:
		}
		move()
		select {
		case <-changed:
		default:
			t.Fatalf("%s did not wake a waiter on Changed", name)
		}
	}
}
