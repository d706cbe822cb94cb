package core_test

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/upmock/upmock/mocks/core"
)

// closingAPI counts the Close calls its instances receive.
type closingAPI struct {
	*fakeAPI
	closed *atomic.Int32
}

type closingInstance struct {
	core.Instance
	closed *atomic.Int32
}

func (c closingInstance) Close() { c.closed.Add(1) }

func (a closingAPI) New(env *core.Env) (core.Instance, error) {
	inst, err := a.fakeAPI.New(env)
	return closingInstance{inst, a.closed}, err
}

func TestInstancesAreClosedOnEvictionAndShutdown(t *testing.T) {
	closed := &atomic.Int32{}
	now := time.Now()
	srv, err := core.NewServer(core.Options{
		APIs:        []core.API{closingAPI{newFakeAPI(t, "fake", "/fake/v1"), closed}},
		MaxSessions: 2, SessionIdle: time.Hour,
		RealNow: func() time.Time { return now },
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Session("a"); err != nil {
		t.Fatal(err)
	}
	now = now.Add(time.Minute)
	if _, err := srv.Session("b"); err != nil { // the bound (2, default included) evicts a
		t.Fatal(err)
	}
	if got := closed.Load(); got != 1 {
		t.Fatalf("%d instances closed after one eviction, want 1", got)
	}
	srv.Close()
	if got := closed.Load(); got != 3 {
		t.Fatalf("%d instances closed after shutdown, want 3 (a, then default and b)", got)
	}
}
