package conformance

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"testing"
)

// obligationRow is one row of OBLIGATIONS.md: an obligation and what judges it.
type obligationRow struct {
	line    int
	section string
	id      string
	says    string
	judged  string
}

var (
	obligationID = regexp.MustCompile("^`([A-Z0-9]+-OB-[0-9]+)`$")
	ruleIDInCell = regexp.MustCompile(`\b[A-Z][A-Z0-9]*(-[A-Z0-9]+)*-[A-Z]+-[0-9]+\b`)
)

// readObligations parses the catalogue's tables (the format at the file's top): every row
// whose first cell is a backquoted obligation ID.
func readObligations(t *testing.T) []obligationRow {
	t.Helper()
	_, self, _, _ := runtime.Caller(0)
	raw, err := os.ReadFile(filepath.Join(filepath.Dir(self), "OBLIGATIONS.md"))
	if err != nil {
		t.Fatal(err)
	}
	var rows []obligationRow
	section := ""
	for i, line := range strings.Split(string(raw), "\n") {
		if h, ok := strings.CutPrefix(line, "## "); ok {
			section = h
			continue
		}
		if !strings.HasPrefix(line, "| `") {
			continue
		}
		cells := strings.Split(strings.Trim(strings.TrimSpace(line), "|"), " | ")
		if len(cells) != 3 {
			t.Errorf("OBLIGATIONS.md:%d: want 3 cells (id | the document says | judged by), got %d", i+1, len(cells))
			continue
		}
		m := obligationID.FindStringSubmatch(strings.TrimSpace(cells[0]))
		if m == nil {
			if section != "" { // the format's own example row comes before the first section
				t.Errorf("OBLIGATIONS.md:%d: %q is not an obligation ID like `API-OB-N`", i+1, cells[0])
			}
			continue
		}
		rows = append(rows, obligationRow{i + 1, section, m[1], strings.TrimSpace(cells[1]), strings.TrimSpace(cells[2])})
	}
	return rows
}

// TestObligationsCatalogue keeps OBLIGATIONS.md and the registered rules in step: every rule
// the catalogue names is registered, every registered rule cites at least one obligation,
// every obligation quotes its document and is either judged by rules or says why not.
func TestObligationsCatalogue(t *testing.T) {
	for _, lit := range unregisteredRules(t) {
		t.Errorf("%s: a Rule not passed to register, so the catalogue cannot see it: write `ruleX = register(Rule{…})`", lit)
	}
	rows := readObligations(t)
	if len(rows) == 0 {
		t.Fatal("OBLIGATIONS.md lists no obligation")
	}
	cited := map[string][]string{}
	seen := map[string]int{}
	var unknown, malformed []string
	for _, r := range rows {
		where := fmt.Sprintf("OBLIGATIONS.md:%d %s", r.line, r.id)
		if prev, dup := seen[r.id]; dup {
			malformed = append(malformed, fmt.Sprintf("%s: the ID is used again (first at line %d)", where, prev))
		}
		seen[r.id] = r.line
		if !strings.Contains(r.says, "「") || !strings.Contains(r.says, "」") {
			malformed = append(malformed, where+": quotes nothing (「the document's words」)")
		}
		// The rules named in the cell, wherever they stand: a row may add a note in
		// parentheses, or say which part is not judged and why.
		ids := ruleIDInCell.FindAllString(r.judged, -1)
		if reason, ok := strings.CutPrefix(r.judged, "not judged:"); ok && strings.TrimSpace(reason) != "" {
			ids = nil // a reason may mention rules that judge related obligations
		} else if len(ids) == 0 {
			malformed = append(malformed, fmt.Sprintf("%s: %q names no rule and is not 'not judged: why; what would make it judgeable'", where, r.judged))
		}
		for _, id := range ids {
			if strings.Contains(id, "-OB-") {
				continue // a cross-reference to another obligation
			}
			if registry[id].ID == "" {
				unknown = append(unknown, where+" names "+id)
				continue
			}
			cited[id] = append(cited[id], r.id)
		}
	}
	var uncited []string
	for _, rule := range Rules() {
		if len(cited[rule.ID]) == 0 {
			uncited = append(uncited, rule.ID)
		}
	}
	sort.Strings(uncited)
	if len(malformed) > 0 {
		t.Errorf("OBLIGATIONS.md rows not in the catalogue's format:\n  %s", strings.Join(malformed, "\n  "))
	}
	if len(unknown) > 0 {
		t.Errorf("OBLIGATIONS.md names rules that are not registered (register(Rule{…}) in *_rules.go):\n  %s", strings.Join(unknown, "\n  "))
	}
	if len(uncited) > 0 {
		t.Errorf("registered rules that cite no obligation of OBLIGATIONS.md (add the obligation they judge to its API's table):\n  %s",
			strings.Join(uncited, "\n  "))
	}
}

// unregisteredRules lists the Rule literals of the package's sources that are not the
// argument of a register call.
func unregisteredRules(t *testing.T) []string {
	t.Helper()
	_, self, _, _ := runtime.Caller(0)
	files, _ := filepath.Glob(filepath.Join(filepath.Dir(self), "*.go"))
	fset := token.NewFileSet()
	var out []string
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		parsed, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		registered := map[ast.Expr]bool{}
		ast.Inspect(parsed, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok {
				if fn, ok := call.Fun.(*ast.Ident); ok && fn.Name == "register" && len(call.Args) == 1 {
					registered[call.Args[0]] = true
				}
			}
			if lit, ok := n.(*ast.CompositeLit); ok {
				if typ, ok := lit.Type.(*ast.Ident); ok && typ.Name == "Rule" && len(lit.Elts) > 0 && !registered[lit] {
					out = append(out, fset.Position(lit.Pos()).String())
				}
			}
			return true
		})
	}
	return out
}
