package core

import (
	"net/http"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
)

// paramRule is a parameter the compiler judges without kin-openapi: a header (simple style)
// or an optional query parameter (form style) whose schema is a string with no constraint,
// no default and no content. Whatever string it carries passes VisitJSON, so the only
// findings left are openapi3filter's presence rules (ValidateParameter).
type paramRule struct {
	header   string // canonical header name; "" for a query parameter
	required bool
}

// compileParams returns the rules of the route's parameters as openapi3filter.ValidateRequest
// walks them (the path's, unless the operation redeclares one, then the operation's), or false
// when one of them is beyond paramRule.
func compileParams(c *schemaCompiler, route *routers.Route) ([]paramRule, bool) {
	var params []*openapi3.Parameter
	for _, ref := range route.PathItem.Parameters {
		if ref == nil || ref.Value == nil {
			return nil, false
		}
		if route.Operation.Parameters.GetByInAndName(ref.Value.In, ref.Value.Name) == nil {
			params = append(params, ref.Value)
		}
	}
	for _, ref := range route.Operation.Parameters {
		if ref == nil || ref.Value == nil {
			return nil, false
		}
		params = append(params, ref.Value)
	}
	rules := make([]paramRule, 0, len(params))
	for _, p := range params {
		if p.Content != nil || p.Schema == nil || p.Schema.Value == nil || p.AllowEmptyValue ||
			p.Schema.Value.Default != nil || !unconstrainedString(c.compile(p.Schema)) {
			return nil, false
		}
		switch {
		case p.In == openapi3.ParameterInHeader && (p.Style == "" || p.Style == openapi3.SerializationSimple) && (p.Explode == nil || !*p.Explode):
			rules = append(rules, paramRule{header: http.CanonicalHeaderKey(p.Name), required: p.Required})
		case p.In == openapi3.ParameterInQuery && !p.Required && (p.Style == "" || p.Style == openapi3.SerializationForm) && (p.Explode == nil || *p.Explode):
			// url.Values never holds a key without a value, so an optional one always passes.
			rules = append(rules, paramRule{})
		default:
			return nil, false
		}
	}
	return rules, true
}

func unconstrainedString(n *schemaNode) bool {
	return n.unsupported == "" && !n.anyValue && len(n.allOf) == 0 && n.types == typeString && n.enum == nil &&
		n.format == "" && n.minLength == 0 && n.maxLength < 0 && n.pattern == nil
}

// paramsValid reports whether kin-openapi finds nothing wrong with the request's parameters.
func paramsValid(rules []paramRule, h http.Header) bool {
	for _, rule := range rules {
		if rule.header == "" {
			continue
		}
		values, present := h[rule.header]
		// A header sent without a value is "empty value is not allowed"; a missing one is
		// only wrong when required.
		if (present && len(values) == 0) || (!present && rule.required) {
			return false
		}
	}
	return true
}
