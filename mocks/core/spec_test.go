package core_test

import (
	"context"
	"maps"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/upmock/upmock/mocks/core"
)

func TestLoadSpecErrors(t *testing.T) {
	tests := []struct {
		name, doc, wantErr string
	}{
		{"not YAML", "openapi: [", "openapi"},
		{"not a valid document", "openapi: 3.0.3\npaths: {}\n", "openapi"},
		{"an operation without operationId", `openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /x:
    get:
      responses:
        "200": {description: ok}
`, "GET /x has no operationId"},
	}
	for _, tt := range tests {
		if _, err := core.LoadSpec([]byte(tt.doc)); err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("%s: error %v, want one containing %q", tt.name, err, tt.wantErr)
		}
	}
}

func TestSpecRoutes(t *testing.T) {
	spec := loadFakeSpec(t)
	if got, want := spec.OperationIDs(), []string{"exportThing", "getThing", "postThing"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("OperationIDs %v, want %v", got, want)
	}
	tests := []struct {
		method, path string
		op           string // "" when nothing matches
		params       map[string]string
	}{
		{"GET", "/things/42", "getThing", map[string]string{"id": "42"}},
		{"GET", "/things/42/export", "exportThing", map[string]string{"id": "42"}},
		{"POST", "/things", "postThing", map[string]string{}},
		{"DELETE", "/things/42", "", nil},
		{"GET", "/things", "", nil},
		{"GET", "/things/42/", "", nil},
		{"GET", "/", "", nil},
	}
	for _, tt := range tests {
		route, params, ok := spec.Find(tt.method, tt.path)
		if tt.op == "" {
			if ok {
				t.Errorf("%s %s matched %s", tt.method, tt.path, route.Operation.OperationID)
			}
			continue
		}
		if !ok || route.Operation.OperationID != tt.op || !maps.Equal(params, tt.params) {
			t.Errorf("%s %s: ok %v params %v", tt.method, tt.path, ok, params)
			continue
		}
		if spec.Route(tt.op) != route {
			t.Errorf("Route(%s) is not what Find returned", tt.op)
		}
	}
}

func TestValidateJSONBody(t *testing.T) {
	spec := loadFakeSpec(t)
	tests := []struct {
		op    string
		value any
		want  string // the violations as "in /pointer keyword", joined by "; "
	}{
		{"postThing", map[string]any{"name": "ok"}, ""},
		{"postThing", map[string]any{"name": "toolong"}, "body /name maxLength"},
		{"postThing", map[string]any{}, "body /name required"},
		{"postThing", map[string]any{"name": 5.0}, "body /name type"},
		{"getThing", map[string]any{"anything": true}, ""}, // no request body
		{"noSuchOperation", map[string]any{}, ""},
	}
	for _, tt := range tests {
		var got []string
		for _, v := range spec.ValidateJSONBody(tt.op, tt.value) {
			got = append(got, v.In+" /"+strings.Join(v.Pointer, "/")+" "+v.Keyword)
			if !strings.HasPrefix(v.String(), v.In+" /"+strings.Join(v.Pointer, "/")+": ") {
				t.Errorf("String() %q", v.String())
			}
		}
		if strings.Join(got, "; ") != tt.want {
			t.Errorf("%s %v: %q, want %q", tt.op, tt.value, strings.Join(got, "; "), tt.want)
		}
	}
}

func TestValidateRequestParameters(t *testing.T) {
	spec := loadFakeSpec(t)
	tests := []struct {
		query string
		want  string // the violations as "in /pointer keyword", joined by "; "
	}{
		{"", ""},
		{"?limit=5", ""},
		{"?limit=many", "query /limit parse"},
		{"?limit=99", "query /limit maximum"},
		{"?limit=0", "query /limit minimum"},
	}
	for _, tt := range tests {
		req := httptest.NewRequest("GET", "/fake/v1/things/1"+tt.query, nil)
		route, params, ok := spec.Find("GET", "/things/1")
		if !ok {
			t.Fatal("GET /things/1 not found")
		}
		var got []string
		for _, v := range spec.ValidateRequest(context.Background(), req, nil, route, params) {
			got = append(got, v.In+" /"+strings.Join(v.Pointer, "/")+" "+v.Keyword)
		}
		if strings.Join(got, "; ") != tt.want {
			t.Errorf("%s: %q, want %q", tt.query, strings.Join(got, "; "), tt.want)
		}
	}
}
