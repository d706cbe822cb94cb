package conformance

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// TestOpsMatchDriverDocAndSpecs keeps the op table (and so the generated skeletons) in step:
// every op DRIVER.md's tables name is in Ops and the other way round, and every op a spec
// sends is one of them.
func TestOpsMatchDriverDocAndSpecs(t *testing.T) {
	known := map[string]bool{}
	for api, ops := range Ops {
		for _, op := range ops {
			if !strings.HasPrefix(op.Name, api+".") {
				t.Errorf("op %s listed under %s", op.Name, api)
			}
			known[op.Name] = true
		}
	}
	// The package's own directory: the self-test runs this binary from elsewhere.
	_, self, _, _ := runtime.Caller(0)
	dir := filepath.Dir(self)
	doc, err := os.ReadFile(filepath.Join(dir, "DRIVER.md"))
	if err != nil {
		t.Fatal(err)
	}
	documented := map[string]bool{}
	for _, m := range regexp.MustCompile("(?m)^\\| `((?:atlas|jaia|occto|ics2no|naccs)\\.[A-Za-z]+)`").FindAllStringSubmatch(string(doc), -1) {
		documented[m[1]] = true
		if !known[m[1]] {
			t.Errorf("DRIVER.md documents %s; Ops lacks it", m[1])
		}
	}
	for op := range known {
		if !documented[op] {
			t.Errorf("Ops lists %s; DRIVER.md's tables do not", op)
		}
	}
	opLiteral := regexp.MustCompile(`^(atlas|jaia|occto|ics2no|naccs)\.[a-z][A-Za-z]+$`)
	files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || filepath.Base(f) == "ops.go" {
			continue
		}
		parsed, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(parsed, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if s, err := strconv.Unquote(lit.Value); err == nil && opLiteral.MatchString(s) && !known[s] {
					t.Errorf("%s sends op %s, which Ops (and DRIVER.md) lack", fset.Position(lit.Pos()), s)
				}
			}
			return true
		})
	}
}
