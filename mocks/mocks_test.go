package mocks_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/upmock/upmock/mocks"
)

func TestStartServesEveryAPI(t *testing.T) {
	srv, err := mocks.Start(mocks.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	res, err := http.Get(srv.URL() + "/__upmock/health")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var health struct{ APIs []string }
	if err := json.NewDecoder(res.Body).Decode(&health); err != nil {
		t.Fatal(err)
	}
	if len(health.APIs) != len(mocks.All()) {
		t.Fatalf("health lists %v, want all %d APIs", health.APIs, len(mocks.All()))
	}
}

func TestSelect(t *testing.T) {
	if _, err := mocks.Select([]string{"atlas", "nope"}); err == nil || !strings.Contains(err.Error(), `"nope"`) {
		t.Fatalf("unknown api: %v", err)
	}
	apis, err := mocks.Select([]string{" atlas"})
	if err != nil || len(apis) != 1 || apis[0].Name() != "atlas" {
		t.Fatalf("Select(atlas) = %v, %v", apis, err)
	}
}
