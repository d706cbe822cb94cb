package jaia

import (
	"flag"
	"os"
	"testing"

	"github.com/upmock/upmock/specs"
)

var update = flag.Bool("update", false, "rewrite specs/jaia/openapi.yaml from the catalogue")

// TestOpenAPIIsGenerated: the committed document is exactly the generator's output.
func TestOpenAPIIsGenerated(t *testing.T) {
	cat, err := loadCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	want := GenerateOpenAPI(cat)
	if *update {
		if err := os.WriteFile("../../specs/jaia/openapi.yaml", []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if got := string(specs.Read(Name)); got != want {
		t.Fatal("specs/jaia/openapi.yaml differs from GenerateOpenAPI: run go test ./mocks/jaia -run TestOpenAPIIsGenerated -update")
	}
}
