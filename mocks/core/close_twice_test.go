package core_test

import (
	"testing"
	"time"

	"github.com/upmock/upmock/mocks/core"
)

func TestRunningCloseTwiceReturns(t *testing.T) {
	s, err := core.NewServer(core.Options{APIs: []core.API{newFakeAPI(t, "fake", "/fake/v1")}})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := core.Listen(s, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Close() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("second Close: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a second Close hangs")
	}
}
