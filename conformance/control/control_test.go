package control_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/upmock/upmock/conformance/control"
	"github.com/upmock/upmock/mocks"
)

func TestClientSendsTheControlToken(t *testing.T) {
	srv, err := mocks.Start(mocks.Options{APIs: []string{"atlas"}, ControlToken: "tok"})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	ctx := context.Background()
	t.Setenv(control.TokenEnv, "")
	var ce *control.Error
	if _, err := control.New(srv.URL(), "x").Health(ctx); !errors.As(err, &ce) || ce.Status != http.StatusUnauthorized {
		t.Fatalf("without a token: %v, want 401", err)
	}
	if _, err := control.New(srv.URL(), "x").WithToken("tok").Health(ctx); err != nil {
		t.Fatalf("WithToken: %v", err)
	}
	t.Setenv(control.TokenEnv, "tok")
	c := control.New(srv.URL(), "x")
	if _, err := c.Health(ctx); err != nil {
		t.Fatalf("token from $%s: %v", control.TokenEnv, err)
	}
	// Bodies go as JSON, which the control API demands.
	if _, err := c.AdvanceClock(ctx, 1); err != nil {
		t.Fatalf("POST with a body: %v", err)
	}
}
