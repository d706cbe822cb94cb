package jaia

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"strings"
	"sync"

	"github.com/upmock/upmock/fixtures"
)

// Field is one dataset item of a create/update API (a row of the manual's request table).
type Field struct {
	Key      string `json:"key"`
	Label    string `json:"label"`
	Required bool   `json:"required"`
	Attr     string `json:"attr"`
	Min      *int   `json:"min"`
	Max      *int   `json:"max"`
	Desc     string `json:"desc"`
	Decimal  []int  `json:"decimal,omitempty"`
	Column   string `json:"column,omitempty"`
	CodeID   string `json:"codeId,omitempty"`
	Ref      string `json:"ref,omitempty"`
	Multi    *int   `json:"multi,omitempty"`
}

// Column is one column of a search API's searchConditions/datasetList/sortList table.
type Column struct {
	Name     string `json:"name"`
	Label    string `json:"label"`
	Search   string `json:"search"` // no, yes (○) or fuzzy (◎)
	Operator bool   `json:"operator"`
	Select   bool   `json:"select"`
	Sort     bool   `json:"sort"`
	Format   string `json:"format,omitempty"`
	CodeID   string `json:"codeId,omitempty"`
}

// Master is one of the eight masters.
type Master struct {
	Name          string   `json:"name"`
	Prefix        string   `json:"prefix"`
	Label         string   `json:"label"`
	Single        string   `json:"single"`
	Plural        string   `json:"plural"`
	Key           string   `json:"key"`
	Fields        []Field  `json:"fields"`
	UpdateFields  []Field  `json:"updateFields"`
	Columns       []Column `json:"columns"`
	ExportColumns []Column `json:"exportColumns,omitempty"`

	columns map[string]*Column
	export  map[string]*Column
}

// APIDef is one row of the manual's API list (§2).
type APIDef struct {
	APIID  string `json:"apiId"`
	Name   string `json:"name"`
	Path   string `json:"path"`
	Method string `json:"method"`
	Master string `json:"master"`
	Action string `json:"action"`
}

// Code is one code master list.
type Code struct {
	CodeName string      `json:"codeName"`
	Values   [][2]string `json:"values"`
}

// Catalogue is the whole upstream definition.
type Catalogue struct {
	Masters  []*Master `json:"masters"`
	APIs     []APIDef  `json:"apis"`
	Codes    map[string]Code
	CodeIDs  []string
	Messages map[string]string

	byName map[string]*Master
}

// Master returns the master called name.
func (c *Catalogue) Master(name string) *Master { return c.byName[name] }

// HasCode reports whether key is registered under codeID.
func (c *Catalogue) HasCode(codeID, key string) bool {
	for _, v := range c.Codes[codeID].Values {
		if v[0] == key {
			return true
		}
	}
	return false
}

// publishes reports whether the master has publish settings and info-open dates (§1-12).
func (m *Master) publishes() bool { return m.Name != "company" && m.Name != "user" }

// Column returns the search column called name.
func (m *Master) Column(name string) *Column { return m.columns[name] }

// keyLabel is the label {0} of the master's key in messages.
func (m *Master) keyLabel() string {
	switch m.Key {
	case "jaiaCompanyCode":
		return "JAIA 事業者コード"
	case "userId":
		return "ユーザーID"
	}
	return "JAIA コード"
}

// keyColumn is the snake_case column of the key.
func (m *Master) keyColumn() string { return snake(m.Key) }

// catalogueFiles are the files that define the upstream, read from the API's fixture
// directory (fixtures/jaia/, or DIR/jaia/ with serve --fixtures DIR).
var catalogueFiles = [...]string{"catalogue.json", "codes.json", "messages.json"}

// catalogues caches parsed catalogues by the SHA-256 of their files, so sessions parse the
// catalogue once per distinct content, not once each.
var catalogues sync.Map // string → *Catalogue

// loadCatalogue is the embedded catalogue.
func loadCatalogue() (*Catalogue, error) {
	sub, err := fs.Sub(fixtures.FS, Name)
	if err != nil {
		return nil, err
	}
	return catalogueFor(sub)
}

// catalogueFor is the catalogue of a fixture directory; a missing or broken file is an error,
// so a server given --fixtures refuses to start rather than serve another catalogue.
func catalogueFor(fsys fs.FS) (*Catalogue, error) {
	if fsys == nil {
		return nil, fmt.Errorf("jaia fixtures: no fixture directory")
	}
	var raw [len(catalogueFiles)][]byte
	h := sha256.New()
	for i, name := range catalogueFiles {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("jaia fixtures: %w", err)
		}
		raw[i] = b
		fmt.Fprintf(h, "%d:", len(b))
		h.Write(b)
	}
	key := hex.EncodeToString(h.Sum(nil))
	if c, ok := catalogues.Load(key); ok {
		return c.(*Catalogue), nil
	}
	c, err := parseCatalogue(raw[0], raw[1], raw[2])
	if err != nil {
		return nil, err
	}
	actual, _ := catalogues.LoadOrStore(key, c)
	return actual.(*Catalogue), nil
}

func parseCatalogue(catalogueJSON, codesJSON, messagesJSON []byte) (*Catalogue, error) {
	c := &Catalogue{}
	if err := json.Unmarshal(catalogueJSON, c); err != nil {
		return nil, fmt.Errorf("jaia catalogue: catalogue.json: %w", err)
	}
	var err error
	// codes.json keeps the order of the manual; json.Decoder tokens preserve it.
	if c.Codes, c.CodeIDs, err = decodeCodes(codesJSON); err != nil {
		return nil, fmt.Errorf("jaia catalogue: codes.json: %w", err)
	}
	if err := json.Unmarshal(messagesJSON, &c.Messages); err != nil {
		return nil, fmt.Errorf("jaia catalogue: messages.json: %w", err)
	}
	c.byName = map[string]*Master{}
	for _, m := range c.Masters {
		c.byName[m.Name] = m
		m.columns, m.export = map[string]*Column{}, map[string]*Column{}
		for i := range m.Columns {
			m.columns[m.Columns[i].Name] = &m.Columns[i]
		}
		for i := range m.ExportColumns {
			col := m.ExportColumns[i]
			if full := m.columns[col.Name]; full != nil {
				col.Format, col.CodeID, col.Label = full.Format, full.CodeID, full.Label
			}
			m.export[col.Name] = &col
		}
	}
	if len(c.APIs) != 58 || len(c.Masters) != 8 {
		return nil, fmt.Errorf("jaia catalogue: %d APIs and %d masters, want 58 and 8", len(c.APIs), len(c.Masters))
	}
	return c, nil
}

func decodeCodes(raw []byte) (map[string]Code, []string, error) {
	var m map[string]Code
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, nil, err
	}
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	var ids []string
	depth := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch t := tok.(type) {
		case json.Delim:
			if t == '{' || t == '[' {
				depth++
			} else {
				depth--
			}
		case string:
			if depth == 1 {
				ids = append(ids, t)
				var skip json.RawMessage
				if err := dec.Decode(&skip); err != nil {
					return nil, nil, err
				}
			}
		}
	}
	return m, ids, nil
}

// snake turns a dataset key into its column name: headquartersAddress1 → headquarters_address_1.
func snake(key string) string {
	var b strings.Builder
	for i, r := range key {
		switch {
		case r >= 'A' && r <= 'Z':
			if i > 0 {
				b.WriteByte('_')
			}
			b.WriteRune(r + 32)
		case r >= '0' && r <= '9':
			if i > 0 && !(key[i-1] >= '0' && key[i-1] <= '9') {
				b.WriteByte('_')
			}
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
