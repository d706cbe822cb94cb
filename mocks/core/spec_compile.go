package core

import (
	"fmt"
	"regexp"
	"sort"

	"github.com/getkin/kin-openapi/openapi3"
)

// schemaNode is one schema of a request body compiled for jsonScanner (spec_compiled.go).
// It covers the OpenAPI 3.0 keywords kin-openapi's Schema.VisitJSON judges in ways the
// compiler reproduces exactly; a schema using anything else is unsupported, and a value
// reaching it sends the whole request down kin-openapi's path.
type schemaNode struct {
	unsupported string // why this schema is not compiled; "" when it is
	anyValue    bool   // the empty schema: every value but null
	nullable    bool
	allOf       []*schemaNode // each judges the same value first, as visitXOFOperations does
	types       jsonTypes
	integer     bool     // type integer (not number): a number must be whole
	enum        []string // nil, or the allowed strings (enums of other values are unsupported)
	format      string   // looked up in kin-openapi's global format table when checked, as it does

	minLength uint64
	maxLength int64 // -1: none
	pattern   *bodyPattern

	minimum, maximum *float64

	minItems uint64
	maxItems int64       // -1: none
	items    *schemaNode // nil: any item

	props      []*schemaNode  // by index
	propIndex  map[string]int // property name → index into props
	required   propSet
	additional additionalRule
	addSchema  *schemaNode
}

// jsonTypes is the set of JSON types a schema's type keyword permits.
type jsonTypes uint8

const (
	typeString jsonTypes = 1 << iota
	typeNumber
	typeInteger
	typeBoolean
	typeArray
	typeObject
	allTypes = typeString | typeNumber | typeInteger | typeBoolean | typeArray | typeObject
)

var typeNames = map[string]jsonTypes{
	openapi3.TypeString: typeString, openapi3.TypeNumber: typeNumber, openapi3.TypeInteger: typeInteger,
	openapi3.TypeBoolean: typeBoolean, openapi3.TypeArray: typeArray, openapi3.TypeObject: typeObject,
}

type additionalRule uint8

const (
	additionalAny additionalRule = iota
	additionalNone
	additionalSchema
)

// maxCompiledProps bounds an object's properties so the ones seen fit a fixed bit set.
const maxCompiledProps = 256

type propSet [maxCompiledProps / 64]uint64

func (p *propSet) add(i int)      { p[i/64] |= 1 << (i % 64) }
func (p *propSet) has(i int) bool { return p[i/64]&(1<<(i%64)) != 0 }
func (p *propSet) covers(q propSet) bool {
	for i := range p {
		if p[i]&q[i] != q[i] {
			return false
		}
	}
	return true
}

// schemaCompiler compiles a document's schemas once each, so shared and recursive schemas
// become shared and recursive nodes.
type schemaCompiler struct {
	nodes map[*openapi3.Schema]*schemaNode
}

func newSchemaCompiler() *schemaCompiler {
	return &schemaCompiler{nodes: map[*openapi3.Schema]*schemaNode{}}
}

var unresolvedNode = &schemaNode{unsupported: "unresolved $ref"}

func (c *schemaCompiler) compile(ref *openapi3.SchemaRef) *schemaNode {
	if ref == nil || ref.Value == nil {
		return unresolvedNode
	}
	schema := ref.Value
	if n, ok := c.nodes[schema]; ok {
		return n
	}
	n := &schemaNode{nullable: schema.PermitsNull(), maxLength: -1, maxItems: -1}
	c.nodes[schema] = n // before the children, which may lead back here
	if n.unsupported = unsupportedKeywords(schema); n.unsupported != "" {
		return n
	}
	if schema.IsEmpty() {
		n.anyValue = true
		return n
	}
	if len(schema.AllOf) > 0 {
		if allOfCycle(schema, schema, nil) {
			// kin-openapi passes a schema met again on its own allOf path without judging it.
			n.unsupported = "allOf cycle"
			return n
		}
		for _, sub := range schema.AllOf {
			n.allOf = append(n.allOf, c.compile(sub))
		}
	}
	if n.unsupported = c.fill(n, schema); n.unsupported != "" {
		*n = schemaNode{unsupported: n.unsupported}
	}
	return n
}

// fill compiles the keywords unsupportedKeywords let through; it returns why it cannot.
func (c *schemaCompiler) fill(n *schemaNode, schema *openapi3.Schema) string {
	n.types = allTypes
	if schema.Type != nil {
		n.types = 0
		for _, t := range schema.Type.Slice() {
			bit, ok := typeNames[t]
			if !ok {
				return fmt.Sprintf("type %q", t)
			}
			n.types |= bit
		}
	}
	// As visitJSONNumber: integer only when number is not permitted too.
	n.integer = n.types&typeInteger != 0 && n.types&typeNumber == 0
	for _, v := range schema.Enum {
		s, ok := v.(string)
		if !ok {
			return fmt.Sprintf("enum value %v (not a string)", v)
		}
		n.enum = append(n.enum, s)
	}
	n.format = schema.Format
	n.minLength = schema.MinLength
	if schema.MaxLength != nil {
		if *schema.MaxLength > 1<<62 {
			return "maxLength too large"
		}
		n.maxLength = int64(*schema.MaxLength)
	}
	if schema.Pattern != "" {
		p, err := newBodyPattern(schema.Pattern)
		if err != nil {
			return fmt.Sprintf("pattern %q: %v", schema.Pattern, err)
		}
		n.pattern = p
	}
	n.minimum, n.maximum = schema.Min, schema.Max
	n.minItems = schema.MinItems
	if schema.MaxItems != nil {
		if *schema.MaxItems > 1<<62 {
			return "maxItems too large"
		}
		n.maxItems = int64(*schema.MaxItems)
	}
	if schema.Items != nil {
		n.items = c.compile(schema.Items)
	}
	return c.fillObject(n, schema)
}

func (c *schemaCompiler) fillObject(n *schemaNode, schema *openapi3.Schema) string {
	if len(schema.Properties) > maxCompiledProps {
		return fmt.Sprintf("%d properties", len(schema.Properties))
	}
	names := make([]string, 0, len(schema.Properties))
	for name := range schema.Properties {
		names = append(names, name)
	}
	sort.Strings(names)
	n.propIndex = make(map[string]int, len(names))
	for i, name := range names {
		ref := schema.Properties[name]
		if ref != nil && ref.Value != nil && ref.Value.ReadOnly {
			// VisitAsRequest rejects a readOnly property's value and forgives its absence.
			return fmt.Sprintf("readOnly property %q", name)
		}
		n.propIndex[name] = i
		n.props = append(n.props, c.compile(ref))
	}
	for _, name := range schema.Required {
		i, ok := n.propIndex[name]
		if !ok {
			return fmt.Sprintf("required %q is not a property", name)
		}
		n.required.add(i)
	}
	switch ap := schema.AdditionalProperties; {
	case ap.Has != nil && !*ap.Has:
		n.additional = additionalNone
	case ap.Schema != nil:
		n.additional, n.addSchema = additionalSchema, c.compile(ap.Schema)
	}
	return ""
}

// unsupportedKeywords names the first keyword of schema the compiler does not reproduce.
// Keywords with no effect on VisitJSON (title, description, example, default without
// kin-openapi's DefaultsSet option, writeOnly in requests, deprecated, xml, extensions) pass.
func unsupportedKeywords(s *openapi3.Schema) string {
	checks := []struct {
		set  bool
		name string
	}{
		{len(s.OneOf) > 0, "oneOf"}, {len(s.AnyOf) > 0, "anyOf"},
		{s.Not != nil, "not"}, {s.Discriminator != nil, "discriminator"},
		{s.UniqueItems, "uniqueItems"}, {s.MultipleOf != nil, "multipleOf"},
		{s.ExclusiveMin.IsSet(), "exclusiveMinimum"}, {s.ExclusiveMax.IsSet(), "exclusiveMaximum"},
		{s.MinProps != 0, "minProperties"}, {s.MaxProps != nil, "maxProperties"},
		{s.Const != nil, "const"}, {len(s.PrefixItems) > 0, "prefixItems"}, {s.Contains != nil, "contains"},
		{s.MinContains != nil || s.MaxContains != nil, "min/maxContains"},
		{len(s.PatternProperties) > 0, "patternProperties"}, {len(s.DependentSchemas) > 0, "dependentSchemas"},
		{s.PropertyNames != nil, "propertyNames"},
		{s.UnevaluatedItems.Has != nil || s.UnevaluatedItems.Schema != nil, "unevaluatedItems"},
		{s.UnevaluatedProperties.Has != nil || s.UnevaluatedProperties.Schema != nil, "unevaluatedProperties"},
		{s.If != nil || s.Then != nil || s.Else != nil, "if/then/else"},
		{len(s.DependentRequired) > 0, "dependentRequired"}, {s.Always != nil, "boolean schema"},
		{s.Type.IncludesNull(), "type null"},
	}
	for _, c := range checks {
		if c.set {
			return c.name
		}
	}
	return ""
}

// allOfCycle reports whether following allOf from s leads back to target.
func allOfCycle(target, s *openapi3.Schema, seen map[*openapi3.Schema]bool) bool {
	if seen == nil {
		seen = map[*openapi3.Schema]bool{}
	}
	for _, sub := range s.AllOf {
		if sub == nil || sub.Value == nil {
			continue // compiled as unresolved
		}
		if sub.Value == target {
			return true
		}
		if !seen[sub.Value] {
			seen[sub.Value] = true
			if allOfCycle(target, sub.Value, seen) {
				return true
			}
		}
	}
	return false
}

// kinPatternEscape and compileKinPattern compile a pattern as kin-openapi's compilePattern
// does (openapi3/schema_pattern.go: \uXXXX rewritten to Go's \x{XXXX}, then regexp.Compile),
// so a pattern matches here exactly what it matches there.
var kinPatternEscape = regexp.MustCompile(`(?P<replaced_with_slash_x>\\u)(?P<code>[0-9A-F]{4})`)

func compileKinPattern(pattern string) (*regexp.Regexp, error) {
	return regexp.Compile(kinPatternEscape.ReplaceAllString(pattern, `\x{${code}}`))
}
