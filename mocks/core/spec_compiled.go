package core

import (
	"math"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
)

// compiledOp is an operation's request prepared at LoadSpec for the fast path of Check:
// its application/json body schema compiled for jsonScanner, and its parameters as rules
// (spec_params.go) when they are all simple enough.
type compiledOp struct {
	body *schemaNode // nil: the operation takes no JSON body
	// params are judged by paramsValid when paramsCompiled; otherwise kin-openapi validates
	// the parameters (with ExcludeRequestBody and no security requirements, Spec.checked).
	params         []paramRule
	paramsCompiled bool
}

func compileOps(s *Spec) map[string]*compiledOp {
	c := newSchemaCompiler()
	out := map[string]*compiledOp{}
	for opID, route := range s.checked {
		op := &compiledOp{}
		op.params, op.paramsCompiled = compileParams(c, route)
		if s.hasJSONBody(opID) {
			op.body = c.compile(route.Operation.RequestBody.Value.Content.Get("application/json").Schema)
		}
		out[opID] = op
	}
	return out
}

// validJSON reports whether body is one JSON value that kin-openapi's VisitJSON (as
// ValidateJSONBody calls it) finds no fault with once encoding/json has decoded it. false
// means invalid or not sure: the caller must then take the full path.
func (n *schemaNode) validJSON(body []byte) bool {
	s := jsonScanner{data: body} // scratch grows only for a string with escapes
	return n.check(&s) && s.next() == 0 && s.pos == len(body)
}

// check consumes the value at the scanner and judges it against the node, mirroring
// openapi3.Schema.visitJSON: null against nullable first, then enum, then the type's keywords.
func (n *schemaNode) check(s *jsonScanner) bool {
	c := s.next()
	if n.unsupported != "" {
		return false
	}
	if c == 'n' && n.nullable {
		return s.literal("null")
	}
	if len(n.allOf) > 0 {
		start := s.pos
		for _, sub := range n.allOf {
			if s.pos = start; !sub.check(s) {
				return false
			}
		}
		s.pos = start
		if c == 'n' {
			// Every allOf schema took the null: kin-openapi judges nothing more.
			return s.literal("null")
		}
	}
	if c == 'n' {
		return false
	}
	if n.anyValue {
		return s.skipValue()
	}
	switch c {
	case '"':
		str, ok := s.str()
		return ok && n.checkString(str)
	case 't', 'f':
		// An enum of strings never equals a boolean, an array or an object.
		return n.enum == nil && n.types&typeBoolean != 0 && (s.literal("true") || s.literal("false"))
	case '[':
		return n.enum == nil && n.types&typeArray != 0 && n.checkArray(s)
	case '{':
		return n.enum == nil && n.types&typeObject != 0 && n.checkObject(s)
	}
	v, ok := s.number()
	return ok && n.enum == nil && n.checkNumber(v)
}

func (n *schemaNode) checkString(b []byte) bool {
	if n.enum != nil && !n.inEnum(b) {
		return false
	}
	if n.types&typeString == 0 {
		return false
	}
	if n.minLength != 0 || n.maxLength >= 0 {
		// kin-openapi counts UTF-16 units of the runes ranged over, but ranging over a Go
		// string never yields a surrogate, so that is the rune count.
		length := int64(utf8.RuneCount(b))
		if length < int64(n.minLength) || (n.maxLength >= 0 && length > n.maxLength) {
			return false
		}
	}
	if n.pattern != nil && !n.pattern.match(b) {
		return false
	}
	if n.format != "" {
		if f, ok := openapi3.SchemaStringFormats[n.format]; ok && f.Validate(string(b)) != nil {
			return false
		}
	}
	return true
}

func (n *schemaNode) inEnum(b []byte) bool {
	for _, e := range n.enum {
		if e == string(b) {
			return true
		}
	}
	return false
}

func (n *schemaNode) checkNumber(v float64) bool {
	switch {
	case n.integer:
		if v != math.Trunc(v) { // big.NewFloat(v).IsInt() for a finite v
			return false
		}
	case n.types&(typeNumber|typeInteger) == 0:
		return false
	}
	if n.format != "" && !n.numberFormatOK(v) {
		return false
	}
	return (n.minimum == nil || *n.minimum <= v) && (n.maximum == nil || *n.maximum >= v)
}

// numberFormatOK applies kin-openapi's global integer or number format validator, as
// visitJSONNumber does; a format it does not know is no constraint.
func (n *schemaNode) numberFormatOK(v float64) bool {
	if !n.integer {
		f, ok := openapi3.SchemaNumberFormats[n.format]
		return !ok || f.Validate(v) == nil
	}
	f, ok := openapi3.SchemaIntegerFormats[n.format]
	if !ok {
		return true
	}
	// As kin-openapi's validateIntegerFormat: a float64 outside int64 wraps on conversion.
	switch {
	case v == float64(math.MaxInt64):
		return f.Validate(math.MaxInt64) == nil
	case v >= float64(math.MinInt64) && v < float64(math.MaxInt64):
		return f.Validate(int64(v)) == nil
	}
	return false
}

func (n *schemaNode) checkArray(s *jsonScanner) bool {
	count := int64(0)
	ok := s.array(func() bool {
		count++
		if n.items == nil {
			return s.skipValue()
		}
		return n.items.check(s)
	})
	return ok && count >= int64(n.minItems) && (n.maxItems < 0 || count <= n.maxItems)
}

// checkObject judges each member against its property's schema or additionalProperties. A
// repeated property is "not sure": encoding/json keeps only its last value.
func (n *schemaNode) checkObject(s *jsonScanner) bool {
	var seen propSet
	ok := s.object(func(key []byte) bool {
		if i, known := n.propIndex[string(key)]; known {
			if seen.has(i) {
				return false
			}
			seen.add(i)
			return n.props[i].check(s)
		}
		switch n.additional {
		case additionalNone:
			return false
		case additionalSchema:
			return n.addSchema.check(s)
		}
		return s.skipValue()
	})
	return ok && seen.covers(n.required)
}
