package naccs

import (
	"fmt"
	"io/fs"
	"regexp"
	"strings"

	"github.com/upmock/upmock/mocks/core"
)

// Job kinds of the seed's table (業務): each is used differently through the API.
const (
	kindRegister = "登録" // register: NACCS records the form
	kindCallUp   = "呼出" // call up: NACCS returns an earlier declaration to fill a form with
	kindInquiry  = "照会" // inquiry: NACCS returns what it holds
)

// Field types of fields.json.
const (
	typeAN   = "an"   // NACCS usable half-width characters
	typeN    = "n"    // digits
	typeDate = "date" // YYYYMMDD
	typeCode = "code" // one of Values
	typeText = "text" // free text, 全角 allowed
)

// FieldDef is one NACCS form item: its NACCS name and abbreviation, and what NACCS checks.
type FieldDef struct {
	Name      string   `json:"name"`
	Item      string   `json:"item"`
	Abbr      string   `json:"abbr"`
	Type      string   `json:"type"`
	Length    int      `json:"length,omitempty"`
	MaxLength int      `json:"maxLength,omitempty"`
	Values    []string `json:"values,omitempty"`
	Pattern   string   `json:"pattern,omitempty"`

	pattern *regexp.Regexp
}

// maxChars is what CyberPort saves at most (an exact NACCS length is also the maximum).
func (f *FieldDef) maxChars() int {
	if f.Length > 0 {
		return f.Length
	}
	return f.MaxLength
}

// Effect is what the simulated NACCS does with a sent form of a business.
type Effect struct {
	// Op: register, transition, amend, applyAmendment, delete, callup, inquiry, list.
	Op       string `json:"op"`
	Registry string `json:"registry"`
	// Key is the form field naming the record (for list: the field records are filtered by).
	Key string `json:"key"`
	// Assign numbers a new record when Key is blank (prefix + counter, digits wide); a
	// given Key is then a correction of an existing record.
	Assign        *Assign   `json:"assign,omitempty"`
	RequireStatus []string  `json:"requireStatus,omitempty"`
	SetStatus     string    `json:"setStatus,omitempty"`
	Stamp         string    `json:"stamp,omitempty"` // a field set to the processing date
	Merge         bool      `json:"merge,omitempty"`
	Base          string    `json:"base,omitempty"`  // amend/applyAmendment: the amended registry
	Fills         string    `json:"fills,omitempty"` // callup: the business whose form the output fills
	Requires      []Require `json:"requires,omitempty"`
}

// Assign is a registry's numbering: prefix then the counter, zero-padded to Digits.
type Assign struct {
	Prefix string `json:"prefix"`
	Digits int    `json:"digits"`
}

// Require is a form field that must name a record of another registry (E0002 otherwise).
type Require struct {
	Field    string `json:"field"`
	Registry string `json:"registry"`
}

// OutputDef is the 出力情報 a business produces: its name and the fields it lists (empty:
// every field of the record, or of the filled form for a call-up).
type OutputDef struct {
	Name   string   `json:"name"`
	Fields []string `json:"fields,omitempty"`
}

// Business is one row of the seed's table of first-release business codes.
type Business struct {
	No       int       `json:"no"`
	ID       string    `json:"id"`
	Code     string    `json:"code"`
	Aliases  []string  `json:"aliases,omitempty"`
	Name     string    `json:"name"`
	Kind     string    `json:"kind"`
	Required []string  `json:"required"`
	Optional []string  `json:"optional"`
	Effect   Effect    `json:"effect"`
	Output   OutputDef `json:"output"`

	fields   []*FieldDef // Required then Optional, in the order NACCS checks them
	required map[string]bool
	byName   map[string]*FieldDef
}

// Fields are the form fields of the business, in checking order.
func (b *Business) Fields() []*FieldDef { return b.fields }

// Has reports whether name is a form field of the business.
func (b *Business) Has(name string) bool { return b.byName[name] != nil }

// IsRequired reports whether NACCS requires the field.
func (b *Business) IsRequired(name string) bool { return b.required[name] }

// Catalogue is the business codes the mock serves, by code and alias.
type Catalogue struct {
	list   []*Business
	byCode map[string]*Business
	fields map[string]*FieldDef
}

// Lookup finds a business by its code or an alias (ICGOW is ICG's).
func (c *Catalogue) Lookup(code string) (*Business, bool) {
	b, ok := c.byCode[code]
	return b, ok
}

// List is every business, in the seed's order.
func (c *Catalogue) List() []*Business { return c.list }

// Codes are every code and alias the routes accept.
func (c *Catalogue) Codes() []string {
	var out []string
	for _, b := range c.list {
		out = append(out, b.Code)
		out = append(out, b.Aliases...)
	}
	return out
}

var effectOps = map[string]bool{
	"register": true, "transition": true, "amend": true, "applyAmendment": true,
	"delete": true, "callup": true, "inquiry": true, "list": true,
}

// loadCatalogue reads fields.json and businesses.json and checks that they agree.
func loadCatalogue(fsys fs.FS) (*Catalogue, error) {
	var fieldsDoc struct {
		Comment string               `json:"_comment"`
		Fields  map[string]*FieldDef `json:"fields"`
	}
	if err := core.DecodeFixture(fsys, "fields.json", &fieldsDoc); err != nil {
		return nil, err
	}
	var bizDoc struct {
		Comment    string      `json:"_comment"`
		Businesses []*Business `json:"businesses"`
	}
	if err := core.DecodeFixture(fsys, "businesses.json", &bizDoc); err != nil {
		return nil, err
	}
	c := &Catalogue{byCode: map[string]*Business{}, fields: fieldsDoc.Fields}
	for name, f := range fieldsDoc.Fields {
		f.Name = name
		if err := checkField(f); err != nil {
			return nil, fmt.Errorf("naccs fixtures: fields.json %s: %w", name, err)
		}
	}
	for _, b := range bizDoc.Businesses {
		if err := c.add(b); err != nil {
			return nil, fmt.Errorf("naccs fixtures: businesses.json %s: %w", b.Code, err)
		}
	}
	for _, b := range c.list {
		if f := b.Effect.Fills; f != "" {
			if _, ok := c.byCode[f]; !ok {
				return nil, fmt.Errorf("naccs fixtures: %s fills unknown business %s", b.Code, f)
			}
		}
	}
	return c, nil
}

func checkField(f *FieldDef) error {
	switch f.Type {
	case typeAN, typeN, typeDate, typeText:
	case typeCode:
		if len(f.Values) == 0 {
			return fmt.Errorf("a code field needs values")
		}
		for _, v := range f.Values {
			f.MaxLength = max(f.MaxLength, len(v))
		}
	default:
		return fmt.Errorf("unknown type %q", f.Type)
	}
	if f.maxChars() == 0 || f.Item == "" || len(f.Abbr) != 3 {
		return fmt.Errorf("needs item, a 3-letter abbr and length or maxLength")
	}
	if f.Pattern != "" {
		re, err := regexp.Compile(f.Pattern)
		if err != nil {
			return err
		}
		f.pattern = re
	}
	return nil
}

func (c *Catalogue) add(b *Business) error {
	switch b.Kind {
	case kindRegister, kindCallUp, kindInquiry:
	default:
		return fmt.Errorf("unknown kind %q", b.Kind)
	}
	if !effectOps[b.Effect.Op] || b.Effect.Registry == "" || b.Effect.Key == "" {
		return fmt.Errorf("effect needs a known op, a registry and a key")
	}
	if len(b.Code) > 5 || b.ID == "" || b.Name == "" || b.Output.Name == "" {
		return fmt.Errorf("needs an id, a code of at most 5 characters, a name and an output name")
	}
	b.required, b.byName = map[string]bool{}, map[string]*FieldDef{}
	for i, names := range [][]string{b.Required, b.Optional} {
		for _, n := range names {
			f, ok := c.fields[n]
			if !ok {
				return fmt.Errorf("field %s is not in fields.json", n)
			}
			if b.byName[n] != nil {
				return fmt.Errorf("field %s listed twice", n)
			}
			b.byName[n] = f
			b.required[n] = i == 0
			b.fields = append(b.fields, f)
		}
	}
	if b.Effect.Op != "list" && !b.Has(b.Effect.Key) {
		return fmt.Errorf("effect key %s is not a field of the business", b.Effect.Key)
	}
	for _, code := range append([]string{b.Code}, b.Aliases...) {
		if _, dup := c.byCode[code]; dup {
			return fmt.Errorf("code %s appears twice", code)
		}
		c.byCode[code] = b
	}
	c.list = append(c.list, b)
	return nil
}

// outputCode is NACCS's 出力情報コード of a 処理結果通知: "*", the system ("S": 海上) and
// the 5-character business code, space-padded (EDI仕様書 付録6 付表6-1, e.g. *SNVC01).
func resultOutputCode(code string) string { return "*S" + padCode(code) }

// infoOutputCode is the mock's 出力情報コード of the 出力情報 itself: "S", the padded
// business code and a 2-digit serial (NOTES.md: NACCS's own table is not public).
func infoOutputCode(code string) string { return "S" + padCode(code) + "01" }

func padCode(code string) string { return code + strings.Repeat(" ", max(0, 5-len(code))) }
