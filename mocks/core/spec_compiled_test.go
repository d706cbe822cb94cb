package core

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/upmock/upmock/specs"
)

// The differential test: for every operation with a JSON body in every document, Check with
// the compiled fast path must return exactly what the full kin-openapi path returns, for the
// documents' examples, a synthesized valid body per operation and systematic mutations of
// each; and the fast path must really be taken for the valid ones it supports.

var diffAPIs = []string{"atlas", "ics2no", "jaia", "maskinporten", "naccs", "occto"}

type diffOp struct {
	api, id string
	spec    *Spec
	slow    *Spec // the same document with nothing compiled: today's full path
}

type diffCase struct {
	op     *diffOp
	name   string
	body   []byte
	exotic bool // a body the fast path may leave to the full path although kin accepts it
}

var (
	diffOnce  sync.Once
	diffOps   []*diffOp
	diffCases []diffCase
)

func diffCorpus(t testing.TB) ([]*diffOp, []diffCase) {
	t.Helper()
	diffOnce.Do(func() {
		for _, api := range diffAPIs {
			spec := MustLoadSpec(specs.Read(api))
			slow := *spec
			slow.compiled = nil
			bodies := map[*openapi3.Schema]bool{} // operations sharing a body schema are tested once
			for _, id := range spec.OperationIDs() {
				if !spec.hasJSONBody(id) {
					continue
				}
				schema := spec.routes[id].Operation.RequestBody.Value.Content.Get("application/json").Schema.Value
				if bodies[schema] {
					continue
				}
				bodies[schema] = true
				op := &diffOp{api: api, id: id, spec: spec, slow: &slow}
				diffOps = append(diffOps, op)
				for name, base := range baseBodies(api, spec, id) {
					diffCases = append(diffCases, mutations(op, name, base)...)
				}
			}
		}
	})
	return diffOps, diffCases
}

// baseBodies are an operation's example bodies: the document's own and one synthesized from
// its schema, each kept only when kin-openapi accepts it.
func baseBodies(api string, spec *Spec, id string) map[string]any {
	media := spec.routes[id].Operation.RequestBody.Value.Content.Get("application/json")
	out := map[string]any{}
	add := func(name string, v any) {
		if v == nil {
			return
		}
		b, err := json.Marshal(v)
		if err != nil {
			return
		}
		var decoded any
		if json.Unmarshal(b, &decoded) == nil && len(spec.ValidateJSONBody(id, decoded)) == 0 {
			out[name] = decoded
		}
	}
	add("example", media.Example)
	for name, ex := range media.Examples {
		if ex != nil && ex.Value != nil {
			add("examples."+name, ex.Value.Value)
		}
	}
	if media.Schema != nil && media.Schema.Value != nil {
		add("schema.example", media.Schema.Value.Example)
		add("synthesized", synthesize(media.Schema, 0))
	}
	if api == "atlas" { // the registration the benchmarks send
		var v any
		raw, _ := os.ReadFile("testdata/atlas_registration.json")
		_ = json.Unmarshal(raw, &v)
		add("bench", v)
	}
	return out
}

// synthesize builds a value the schema accepts, trying a few candidates per string.
func synthesize(ref *openapi3.SchemaRef, depth int) any {
	if ref == nil || ref.Value == nil || depth > 8 {
		return nil
	}
	s := ref.Value
	if s.Example != nil && s.VisitJSON(s.Example, openapi3.VisitAsRequest()) == nil {
		return s.Example
	}
	if len(s.AllOf) > 0 {
		merged := map[string]any{}
		for _, sub := range s.AllOf {
			if m, ok := synthesize(sub, depth+1).(map[string]any); ok {
				for k, v := range m {
					merged[k] = v
				}
			}
		}
		return merged
	}
	if len(s.Enum) > 0 {
		return s.Enum[0]
	}
	switch {
	case s.Type.Is(openapi3.TypeObject) || len(s.Properties) > 0:
		obj := map[string]any{}
		for name, p := range s.Properties {
			if v := synthesize(p, depth+1); v != nil {
				obj[name] = v
			}
		}
		return obj
	case s.Type.Is(openapi3.TypeArray):
		item := synthesize(s.Items, depth+1)
		n := max(int(s.MinItems), 1)
		arr := make([]any, n)
		for i := range arr {
			arr[i] = item
		}
		return arr
	case s.Type.Is(openapi3.TypeInteger):
		if s.Min != nil {
			return *s.Min
		}
		return 1.0
	case s.Type.Is(openapi3.TypeNumber):
		return 1.5
	case s.Type.Is(openapi3.TypeBoolean):
		return true
	case s.Type.Is(openapi3.TypeString):
		for _, c := range []string{"A", "a", "0", "#", "/A/", "bf7d0aa8-537c-4e4c-80a0-6b6451f59abb", "2026-11-25T10:00:00.000000Z", "2026-11-25T10:00:00Z", "2026-11-25", "1", "NO351001", "ABCD", "23NO00000000000003"} {
			v := c
			if n := int(s.MinLength); len(v) < n {
				v += strings.Repeat(c[len(c)-1:], n-len(v))
			}
			if s.VisitJSON(v) == nil {
				return v
			}
		}
	}
	return nil
}

// mutations are base and systematic variations of it: per value (drop, null, wrong types,
// lengths, escapes, non-ASCII, numbers at float64's edges, extra members) and per text
// (truncation, garbage, duplicate keys, invalid UTF-8, surrogate escapes).
func mutations(op *diffOp, name string, base any) []diffCase {
	raw, _ := json.Marshal(base)
	out := []diffCase{{op: op, name: name, body: raw}}
	add := func(what string, v any) {
		b, err := json.Marshal(v)
		if err == nil {
			// encoding/json replaces surrogate escapes; the fast path leaves them to it.
			out = append(out, diffCase{op: op, name: name + " " + what, body: b, exotic: strings.Contains(string(b), `\ud8`)})
		}
	}
	addRaw := func(what string, b []byte, exotic bool) {
		out = append(out, diffCase{op: op, name: name + " " + what, body: b, exotic: exotic})
	}
	walkJSON(base, nil, func(path []any, v any) {
		at := fmt.Sprint(path)
		if len(path) > 0 {
			add(at+" dropped", deleteAt(base, path))
		}
		for _, repl := range valueMutations(v) {
			add(fmt.Sprintf("%s=%s", at, compactJSON(repl)), setAt(base, path, repl))
		}
		if obj, ok := v.(map[string]any); ok && len(obj) > 0 {
			// The first key again: before (the real value wins) and after (null wins).
			members, _ := json.Marshal(obj)
			key := sortedKeys(obj)[0]
			first := []byte(fmt.Sprintf(`{%q:null,`, key))
			add := func(what string, b []byte) {
				addRaw(at+" "+what, replaceAt(raw, base, path, b), true)
			}
			add("dup key first", append(first, members[1:]...))
			add("dup key last", append(append([]byte{}, members[:len(members)-1]...), []byte(fmt.Sprintf(`,%q:null}`, key))...))
		}
	})
	for _, cut := range []int{0, 1, len(raw) / 2, len(raw) - 1} {
		addRaw(fmt.Sprintf("truncated at %d", cut), append([]byte{}, raw[:cut]...), false)
	}
	addRaw("trailing garbage", append(append([]byte{}, raw...), " x"...), false)
	addRaw("trailing space", append(append([]byte("\n "), raw...), " \t\r\n"...), false)
	addRaw("second value", append(append([]byte{}, raw...), raw...), false)
	addRaw("BOM", append([]byte("\xef\xbb\xbf"), raw...), false)
	if i := strings.Index(string(raw), `":"`); i >= 0 {
		bad := append(append(append([]byte{}, raw[:i+3]...), '\xff'), raw[i+3:]...)
		addRaw("invalid UTF-8", bad, true)
		ctl := append(append(append([]byte{}, raw[:i+3]...), '\x01'), raw[i+3:]...)
		addRaw("control character", ctl, false)
		esc := append(append(append([]byte{}, raw[:i+3]...), `\q`...), raw[i+3:]...)
		addRaw("bad escape", esc, false)
	}
	for _, v := range []string{`null`, `[]`, `{}`, `"s"`, `1`, `true`, `[{}]`, `{"a":{"b":[1,2,{"c":null}]}}`, strings.Repeat("[", 300) + strings.Repeat("]", 300)} {
		addRaw("whole body "+v[:min(len(v), 20)], []byte(v), false)
	}
	return out
}

var (
	longString = strings.Repeat("A", 700)
	nonASCII   = "日本語テキスト"
)

func valueMutations(v any) []any {
	out := []any{nil, 12345.0, 1.5, -1.0, 0.0, true, false, "x", "", []any{}, map[string]any{},
		json.RawMessage(`1e400`), json.RawMessage(`-0`), json.RawMessage(`1.0`), json.RawMessage(`9007199254740993`),
		json.RawMessage(`1E2`), json.RawMessage(`12345678901234567890`), "NOT_IN_ENUM", longString, nonASCII}
	switch v := v.(type) {
	case string:
		out = append(out, v+v, v[:len(v)/2], strings.ToLower(v), strings.ToUpper(v), v+"_!", v+"\n", v+"<&>",
			v+"é", v+"😀", strings.Repeat("é", len(v)), strings.Repeat("é", len(v)+1),
			json.RawMessage(`"\u00e9`+strings.Repeat("x", max(len(v)-1, 0))+`"`),
			json.RawMessage(`"`+jsonEscapeAll(v)+`"`),
			json.RawMessage(`"\ud83d\ude00"`), json.RawMessage(`"\ud800"`))
	case float64:
		out = append(out, v+1, v-1, -v, v*1e6, v+0.5)
	case []any:
		if len(v) > 0 {
			out = append(out, append(append([]any{}, v...), v[0]), v[:1], append([]any{nil}, v...), append([]any{"x"}, v...))
		}
	case map[string]any:
		extra := map[string]any{"zzExtra": 1.0}
		for k, x := range v {
			extra[k] = x
		}
		out = append(out, extra)
	}
	return out
}

// jsonEscapeAll writes every character of s as a \u escape.
func jsonEscapeAll(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r > 0xffff {
			b.WriteRune(r)
			continue
		}
		fmt.Fprintf(&b, `\u%04x`, r)
	}
	return b.String()
}

func compactJSON(v any) string {
	b, _ := json.Marshal(v)
	if len(b) > 24 {
		return string(b[:24]) + "…"
	}
	return string(b)
}

func walkJSON(v any, path []any, visit func(path []any, v any)) {
	visit(path, v)
	switch v := v.(type) {
	case map[string]any:
		for _, k := range sortedKeys(v) {
			walkJSON(v[k], append(append([]any{}, path...), k), visit)
		}
	case []any:
		for i, x := range v {
			walkJSON(x, append(append([]any{}, path...), i), visit)
		}
	}
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// setAt returns a deep copy of root with the value at path replaced.
func setAt(root any, path []any, v any) any {
	if len(path) == 0 {
		return v
	}
	switch r := root.(type) {
	case map[string]any:
		cp := make(map[string]any, len(r))
		for k, x := range r {
			cp[k] = x
		}
		key := path[0].(string)
		cp[key] = setAt(r[key], path[1:], v)
		return cp
	case []any:
		cp := append([]any{}, r...)
		i := path[0].(int)
		cp[i] = setAt(r[i], path[1:], v)
		return cp
	}
	return root
}

var dropMarker = new(int)

func deleteAt(root any, path []any) any {
	return prune(setAt(root, path, dropMarker))
}

func prune(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if x == dropMarker {
				delete(v, k)
			} else {
				v[k] = prune(x)
			}
		}
	case []any:
		out := v[:0]
		for _, x := range v {
			if x != dropMarker {
				out = append(out, prune(x))
			}
		}
		return out
	}
	return v
}

// replaceAt marshals root with the value at path written as the raw text b.
func replaceAt(raw []byte, root any, path []any, b []byte) []byte {
	const marker = "\x00replace-me\x00"
	text, _ := json.Marshal(setAt(root, path, marker))
	return []byte(strings.Replace(string(text), `"\u0000replace-me\u0000"`, string(b), 1))
}

// runCheck returns Check's result through spec, the error as text; edit, when not nil, changes
// the request first.
func runCheck(t testing.TB, spec *Spec, op *diffOp, body []byte, edit ...func(*http.Request)) ([]Violation, any, string) {
	t.Helper()
	route := spec.Route(op.id)
	params := map[string]string{}
	path := pathParamPattern.ReplaceAllStringFunc(route.Path, func(m string) string {
		params[m[1:len(m)-1]] = "x"
		return "x"
	})
	r := httptest.NewRequest(route.Method, path, strings.NewReader(string(body)))
	r.Header.Set("Content-Type", "application/json")
	for _, e := range edit {
		e(r)
	}
	violations, value, err := spec.Check(context.Background(), r, body, route, params)
	errText := ""
	if err != nil {
		errText = err.Error()
	}
	return violations, value, errText
}

var pathParamPattern = regexp.MustCompile(`\{[^}]+\}`)

// judge runs one body both ways and reports a difference; it returns whether the fast path
// passed the body and whether kin-openapi found it valid.
func judge(t testing.TB, c diffCase) (fast, kinValid bool) {
	t.Helper()
	fast = c.op.spec.compiled[c.op.id].body.validJSON(c.body)
	gotV, gotVal, gotErr := runCheck(t, c.op.spec, c.op, c.body)
	wantV, wantVal, wantErr := runCheck(t, c.op.slow, c.op, c.body)
	if !reflect.DeepEqual(gotV, wantV) || !reflect.DeepEqual(gotVal, wantVal) || gotErr != wantErr {
		t.Errorf("%s %s %s: body %q\nfast path (taken %v): %v %v %q\nfull path: %v %v %q",
			c.op.api, c.op.id, c.name, c.body, fast, gotV, gotVal, gotErr, wantV, wantVal, wantErr)
	}
	kinValid = wantErr == ""
	for _, v := range wantV {
		kinValid = kinValid && v.In != "body"
	}
	if fast && !kinValid {
		t.Errorf("%s %s %s: fast path passed a body kin-openapi rejects: %q", c.op.api, c.op.id, c.name, c.body)
	}
	return fast, kinValid
}

func TestCompiledMatchesKin(t *testing.T) {
	ops, cases := diffCorpus(t)
	type tally struct{ cases, kinValid, fast, missed int }
	per := map[*diffOp]*tally{}
	for _, op := range ops {
		per[op] = &tally{}
	}
	for _, c := range cases {
		fast, kinValid := judge(t, c)
		n := per[c.op]
		n.cases++
		if kinValid {
			n.kinValid++
		}
		if fast {
			n.fast++
		}
		if kinValid && !fast && !c.exotic && fullyCompiled(c.op.spec.compiled[c.op.id].body) {
			n.missed++
			t.Errorf("%s %s %s: kin accepts %q but the fully compiled fast path did not", c.op.api, c.op.id, c.name, c.body)
		}
	}
	totalFast := 0
	for _, op := range ops {
		n := per[op]
		totalFast += n.fast
		t.Logf("%-13s %-28s compiled %-5v cases %4d kin-valid %4d fast %4d", op.api, op.id, fullyCompiled(op.spec.compiled[op.id].body), n.cases, n.kinValid, n.fast)
		if fullyCompiled(op.spec.compiled[op.id].body) && n.kinValid > 0 && n.fast == 0 {
			t.Errorf("%s %s: compiled, but the fast path never passed any of %d valid bodies", op.api, op.id, n.kinValid)
		}
	}
	if len(cases) < 1000 || totalFast < 100 {
		t.Errorf("corpus too small: %d cases, %d through the fast path", len(cases), totalFast)
	}
}

// fullyCompiled reports whether no schema reachable from n is left to kin-openapi.
func fullyCompiled(n *schemaNode) bool {
	seen := map[*schemaNode]bool{}
	var walk func(n *schemaNode) bool
	walk = func(n *schemaNode) bool {
		if n == nil || seen[n] {
			return true
		}
		seen[n] = true
		if n.unsupported != "" {
			return false
		}
		ok := walk(n.items) && walk(n.addSchema)
		for _, p := range n.props {
			ok = ok && walk(p)
		}
		for _, p := range n.allOf {
			ok = ok && walk(p)
		}
		return ok
	}
	return walk(n)
}

// The hot request must take the fast path: the ATLAS registration the benchmarks send.
func TestCompiledAtlasRegistrationIsFast(t *testing.T) {
	spec := MustLoadSpec(specs.Read("atlas"))
	for _, id := range []string{"postShippingItem", "postShippingItems", "postReceivingItem", "postReceivingItems"} {
		if !fullyCompiled(spec.compiled[id].body) || !spec.compiled[id].paramsCompiled {
			t.Errorf("%s is not fully compiled", id)
		}
	}
	raw, err := os.ReadFile("testdata/atlas_registration.json")
	if err != nil {
		t.Fatal(err)
	}
	if !spec.compiled["postShippingItem"].body.validJSON(bytes.TrimSpace(raw)) {
		t.Fatal("the benchmark's registration body does not pass the fast path")
	}
}

func FuzzCompiledMatchesKin(f *testing.F) {
	ops, cases := diffCorpus(f)
	index := map[*diffOp]int{}
	for i, op := range ops {
		index[op] = i
	}
	for i, c := range cases {
		if i%25 == 0 {
			f.Add(uint16(index[c.op]), c.body)
		}
	}
	f.Fuzz(func(t *testing.T, opIndex uint16, body []byte) {
		op := ops[int(opIndex)%len(ops)]
		judge(t, diffCase{op: op, name: "fuzz", body: body})
	})
}

func TestJSONBodyLazy(t *testing.T) {
	var b jsonBody
	b.later([]byte(`{"a":[1,"x",null]}`))
	if err := b.decodeErr(); err != nil {
		t.Fatalf("decodeErr of a lazy body: %v", err)
	}
	v, err := b.get()
	if err != nil || !reflect.DeepEqual(v, map[string]any{"a": []any{1.0, "x", nil}}) {
		t.Fatalf("get: %v %v", v, err)
	}
	var eager jsonBody
	eager.set(nil, errors.New("bad"))
	if _, err := eager.get(); err == nil || eager.decodeErr() == nil {
		t.Fatal("an eager error was lost")
	}
}

// Compiled parameters: every operation's declared parameters sent, missing, empty and
// valueless must give the same Check result both ways, with a body the fast path passes.
func TestCompiledParamsMatchKin(t *testing.T) {
	_, cases := diffCorpus(t)
	compiled, tried := 0, 0
	done := map[*diffOp]bool{}
	for _, c := range cases {
		op := c.op.spec.compiled[c.op.id]
		if done[c.op] || !op.body.validJSON(c.body) {
			continue
		}
		done[c.op] = true
		if op.paramsCompiled {
			compiled++
		}
		route := c.op.spec.Route(c.op.id)
		for _, ref := range append(append(openapi3.Parameters{}, route.PathItem.Parameters...), route.Operation.Parameters...) {
			p := ref.Value
			name := http.CanonicalHeaderKey(p.Name)
			edits := map[string]func(*http.Request){
				"missing":   func(r *http.Request) { r.Header.Del(name) },
				"value":     func(r *http.Request) { r.Header.Set(name, "Bearer x") },
				"empty":     func(r *http.Request) { r.Header.Set(name, "") },
				"valueless": func(r *http.Request) { r.Header[name] = []string{} },
				"two":       func(r *http.Request) { r.Header[name] = []string{"a", "b"} },
			}
			if p.In == openapi3.ParameterInQuery {
				edits = map[string]func(*http.Request){
					"value": func(r *http.Request) { r.URL.RawQuery = p.Name + "=x" },
					"empty": func(r *http.Request) { r.URL.RawQuery = p.Name + "=" },
					"bare":  func(r *http.Request) { r.URL.RawQuery = p.Name },
					"two":   func(r *http.Request) { r.URL.RawQuery = p.Name + "=&" + p.Name + "=y" },
					"bad":   func(r *http.Request) { r.URL.RawQuery = p.Name + "=%zz;" },
				}
			}
			for what, edit := range edits {
				tried++
				gotV, gotVal, gotErr := runCheck(t, c.op.spec, c.op, c.body, edit)
				wantV, wantVal, wantErr := runCheck(t, c.op.slow, c.op, c.body, edit)
				if !reflect.DeepEqual(gotV, wantV) || !reflect.DeepEqual(gotVal, wantVal) || gotErr != wantErr {
					t.Errorf("%s %s parameter %s %s: fast %v %q, full %v %q", c.op.api, c.op.id, p.Name, what, gotV, gotErr, wantV, wantErr)
				}
			}
		}
	}
	t.Logf("%d operations' parameters compiled, %d parameter cases compared", compiled, tried)
	if compiled < 10 || tried == 0 {
		t.Errorf("only %d operations' parameters compiled, %d cases", compiled, tried)
	}
}
