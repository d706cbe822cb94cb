package core

import (
	"os"
	"path/filepath"
	"testing"
)

// Every document's parameterless paths are answered from the index exactly as the router
// answers them, and everything else still reaches the router.
func TestStaticRoutesAnswerAsTheRouter(t *testing.T) {
	docs, err := filepath.Glob("../../specs/*/openapi.yaml")
	if err != nil || len(docs) < 6 {
		t.Fatalf("documents: %v, %v", docs, err)
	}
	for _, doc := range docs {
		raw, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		s := MustLoadSpec(raw)
		if len(s.static) == 0 {
			t.Errorf("%s: no parameterless path indexed", doc)
		}
		for _, id := range s.OperationIDs() {
			op := s.Route(id)
			for _, method := range []string{op.Method, "PATCH", "TRACE"} {
				for _, path := range []string{op.Path, op.Path + "/", op.Path + "x"} {
					route, params, ok := s.Find(method, path)
					want, _, wantOK := s.route(method, path)
					if ok != wantOK || route != want {
						t.Errorf("%s: Find(%s %s) = %v, %v; the router says %v, %v", doc, method, path, route, ok, want, wantOK)
					}
					if ok && len(params) > 0 && s.static[method][path] != nil {
						t.Errorf("%s: Find(%s %s) gave parameters %v for a parameterless path", doc, method, path, params)
					}
				}
			}
		}
	}
}
