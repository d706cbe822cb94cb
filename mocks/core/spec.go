package core

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/gorilla/mux"
)

// Spec is one upstream's OpenAPI document, parsed and validated once at start-up, with a
// gorilla/mux route per operation so requests are matched without re-reading the document.
type Spec struct {
	Raw    []byte
	Doc    *openapi3.T
	router *mux.Router
	routes map[string]*routers.Route // by operationId
	// checked are the routes validation uses: the same operations without security
	// requirements, since each mock authenticates in its upstream's own words and kin-openapi
	// would otherwise read the body once more for a no-op check.
	checked map[string]*routers.Route
	static  staticRoutes
	// compiled is each operation's request prepared for Check's fast path (spec_compiled.go).
	compiled map[string]*compiledOp
}

// LoadSpec parses and validates an OpenAPI 3 document and builds its routes.
func LoadSpec(raw []byte) (*Spec, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(raw)
	if err != nil {
		return nil, fmt.Errorf("openapi: %w", err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		return nil, fmt.Errorf("openapi: %w", err)
	}
	s := &Spec{Raw: raw, Doc: doc, router: mux.NewRouter(), routes: map[string]*routers.Route{}, checked: map[string]*routers.Route{}}
	paths := doc.Paths.InMatchingOrder()
	for _, path := range paths {
		item := doc.Paths.Value(path)
		for method, op := range item.Operations() {
			if op.OperationID == "" {
				return nil, fmt.Errorf("openapi: %s %s has no operationId", method, path)
			}
			s.routes[op.OperationID] = &routers.Route{Spec: doc, Path: path, PathItem: item, Method: method, Operation: op}
			unsecured := *op
			unsecured.Security = &openapi3.SecurityRequirements{}
			s.checked[op.OperationID] = &routers.Route{Spec: doc, Path: path, PathItem: item, Method: method, Operation: &unsecured}
			s.router.Methods(method).Path(path).Name(op.OperationID)
		}
	}
	s.indexStaticRoutes()
	s.compiled = compileOps(s)
	return s, nil
}

// MustLoadSpec is LoadSpec for embedded documents, which the project's tests keep valid.
func MustLoadSpec(raw []byte) *Spec {
	s, err := LoadSpec(raw)
	if err != nil {
		panic(err)
	}
	return s
}

// OperationIDs lists the document's operations, sorted.
func (s *Spec) OperationIDs() []string {
	ids := make([]string, 0, len(s.routes))
	for id := range s.routes {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// Route returns the operation's route.
func (s *Spec) Route(operationID string) *routers.Route { return s.routes[operationID] }

// Find matches a method and a path below the base path to an operation.
func (s *Spec) Find(method, path string) (*routers.Route, map[string]string, bool) {
	if route, ok := s.static[method][path]; ok {
		return route, nil, true
	}
	return s.route(method, path)
}

func (s *Spec) route(method, path string) (*routers.Route, map[string]string, bool) {
	req := &http.Request{Method: method, URL: &url.URL{Path: path}}
	var match mux.RouteMatch
	if !s.router.Match(req, &match) || match.Route == nil || match.MatchErr != nil {
		return nil, nil, false
	}
	return s.routes[match.Route.GetName()], match.Vars, true
}

var (
	validationOptions = &openapi3filter.Options{MultiError: true, AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}
	// paramOptions validate everything but the body, which Check decodes and validates once.
	paramOptions = &openapi3filter.Options{MultiError: true, ExcludeRequestBody: true, AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}
)

// Check validates a request against its operation once. A JSON body is decoded here (whatever
// the Content-Type) and the decoded value returned, so a mock need not parse it again; other
// bodies (multipart, forms) go through kin-openapi's own decoders.
func (s *Spec) Check(ctx context.Context, r *http.Request, body []byte, route *routers.Route, params map[string]string) ([]Violation, any, error) {
	var decoded jsonBody
	violations := s.check(ctx, r, body, route, params, &decoded)
	value, err := decoded.get()
	return violations, value, err
}

// check is Check for the server, which hands the body to mocks lazily: when the operation's
// compiled validator passes the raw body, nothing is decoded until a mock asks (JSONBody).
// Otherwise the full path runs, so every violation reads as kin-openapi words it.
func (s *Spec) check(ctx context.Context, r *http.Request, body []byte, route *routers.Route, params map[string]string, decoded *jsonBody) []Violation {
	opID := route.Operation.OperationID
	if !s.hasJSONBody(opID) {
		decoded.set(nil, errNoJSONBody)
		return s.validate(ctx, r, body, opID, params, validationOptions)
	}
	if op := s.compiled[opID]; op != nil && len(body) > 0 && op.body.validJSON(body) {
		decoded.later(body)
		if op.paramsCompiled && paramsValid(op.params, r.Header) {
			return nil
		}
		return s.validate(ctx, r, body, opID, params, paramOptions)
	}
	violations := s.validate(ctx, r, body, opID, params, paramOptions)
	if len(body) == 0 {
		err := errors.New("request body is empty")
		decoded.set(nil, err)
		return append(violations, Violation{In: "body", Keyword: "parse", Message: err.Error()})
	}
	var value any
	if err := json.Unmarshal(body, &value); err != nil {
		decoded.set(nil, err)
		return append(violations, Violation{In: "body", Keyword: "parse", Message: err.Error()})
	}
	decoded.set(value, nil)
	return append(violations, s.ValidateJSONBody(opID, value)...)
}

var errNoJSONBody = errors.New("the operation takes no JSON body")

func (s *Spec) hasJSONBody(opID string) bool {
	rb := s.routes[opID].Operation.RequestBody
	return rb != nil && rb.Value != nil && rb.Value.Content.Get("application/json") != nil
}

// ValidateRequest checks r (whose body the core has read into body) against its route.
func (s *Spec) ValidateRequest(ctx context.Context, r *http.Request, body []byte, route *routers.Route, params map[string]string) []Violation {
	return s.validate(ctx, r, body, route.Operation.OperationID, params, validationOptions)
}

func (s *Spec) validate(ctx context.Context, r *http.Request, body []byte, opID string, params map[string]string, opts *openapi3filter.Options) []Violation {
	// A shallow copy: validation only reads the request, so its header map need not be copied.
	req := r.WithContext(ctx)
	req.Body, req.GetBody = io.NopCloser(bytes.NewReader(body)), nil
	err := openapi3filter.ValidateRequest(ctx, &openapi3filter.RequestValidationInput{
		Request: req, PathParams: params, Route: s.checked[opID], Options: opts,
	})
	return flatten(err, "request")
}

// ValidateJSONBody checks a decoded JSON request body against the operation's application/json
// schema, whatever Content-Type the client sent, so a mock can answer schema errors in its
// upstream's words at the point of its pipeline where the upstream checks them.
func (s *Spec) ValidateJSONBody(operationID string, value any) []Violation {
	route := s.routes[operationID]
	if route == nil || route.Operation.RequestBody == nil || route.Operation.RequestBody.Value == nil {
		return nil
	}
	media := route.Operation.RequestBody.Value.Content.Get("application/json")
	if media == nil || media.Schema == nil || media.Schema.Value == nil {
		return nil
	}
	return flatten(media.Schema.Value.VisitJSON(value, openapi3.MultiErrors(), openapi3.VisitAsRequest()), "body")
}

// ValidateResponse checks a response the mock sent against the document.
func (s *Spec) ValidateResponse(ctx context.Context, r *http.Request, route *routers.Route, params map[string]string, status int, header http.Header, body []byte) error {
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: r, PathParams: params, Route: s.checked[route.Operation.OperationID], Options: validationOptions},
		Status:                 status,
		Header:                 header,
		Options:                &openapi3filter.Options{MultiError: true, IncludeResponseStatus: true},
	}
	in.SetBodyBytes(body)
	return openapi3filter.ValidateResponse(ctx, in)
}

// Violation is one way a request breaks the document.
type Violation struct {
	// In is body, query, header, path or request.
	In string
	// Pointer leads to the offending value inside the body or parameter.
	Pointer []string
	// Keyword is the schema keyword that failed (required, nullable, type, pattern,
	// minLength, …), "parse" when the body or a parameter could not be decoded, or "".
	Keyword string
	Schema  *openapi3.Schema
	Value   any
	Message string
}

func (v Violation) String() string {
	where := v.In
	if len(v.Pointer) > 0 {
		where += " /" + strings.Join(v.Pointer, "/")
	}
	return where + ": " + v.Message
}

func flatten(err error, in string) []Violation {
	if err == nil {
		return nil
	}
	var out []Violation
	var walk func(err error, in string, prefix []string)
	walk = func(err error, in string, prefix []string) {
		// Concrete types first: a RequestError unwraps to a MultiError, and errors.As would
		// match that and lose the parameter's location and name.
		switch e := err.(type) {
		case openapi3.MultiError:
			for _, sub := range e {
				walk(sub, in, prefix)
			}
			return
		case *openapi3filter.RequestError:
			in, prefix = "request", nil
			switch {
			case e.Parameter != nil:
				in, prefix = e.Parameter.In, []string{e.Parameter.Name}
			case e.RequestBody != nil:
				in = "body"
			}
			if e.Err == nil {
				out = append(out, Violation{In: in, Pointer: prefix, Message: e.Error()})
				return
			}
			walk(e.Err, in, prefix)
			return
		case *openapi3.SchemaError:
			out = append(out, Violation{
				In: in, Pointer: append(append([]string{}, prefix...), e.JSONPointer()...),
				Keyword: e.SchemaField, Schema: e.Schema, Value: e.Value, Message: e.Reason,
			})
			return
		}
		var parseErr *openapi3filter.ParseError
		if errors.As(err, &parseErr) {
			out = append(out, Violation{In: in, Pointer: prefix, Keyword: "parse", Message: parseErr.Error()})
			return
		}
		var schemaErr *openapi3.SchemaError
		if errors.As(err, &schemaErr) {
			walk(schemaErr, in, prefix)
			return
		}
		out = append(out, Violation{In: in, Pointer: prefix, Message: err.Error()})
	}
	walk(err, in, nil)
	return out
}
