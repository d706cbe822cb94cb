// Package readme runs the README's first calls, so that each works when pasted.
package readme

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/upmock/upmock/mocks"
)

// block is a fenced code block of the README marked for testing by the line before it:
//
//	<!-- readme-test: NAME | expected text | more expected text -->
//
// Each expected text (\n stands for a newline) must appear in what the block prints.
type block struct {
	name, lang, code string
	expect           []string
	line             int
}

// mustTest names the blocks the README must keep: each API's first call, the health answer,
// the clock and the Go test file.
var mustTest = []string{"health", "go", "atlas", "clock", "jaia", "occto", "ics2no", "naccs"}

const marker = "<!-- readme-test:"

func readmeBlocks(t *testing.T, readme string) []block {
	t.Helper()
	lines := strings.Split(readme, "\n")
	var out []block
	for i := 0; i < len(lines); i++ {
		spec, ok := strings.CutPrefix(strings.TrimSpace(lines[i]), marker)
		if !ok {
			continue
		}
		spec = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(spec), "-->"))
		parts := strings.Split(spec, " | ")
		b := block{name: strings.TrimSpace(parts[0]), line: i + 1}
		for _, e := range parts[1:] {
			b.expect = append(b.expect, strings.ReplaceAll(strings.TrimSpace(e), `\n`, "\n"))
		}
		if i+1 >= len(lines) || !strings.HasPrefix(lines[i+1], "```") {
			t.Fatalf("README.md:%d: %s marks no fenced block", i+1, b.name)
		}
		b.lang = strings.TrimPrefix(lines[i+1], "```")
		var code []string
		for i += 2; i < len(lines) && lines[i] != "```"; i++ {
			code = append(code, lines[i])
		}
		b.code = strings.Join(code, "\n") + "\n"
		out = append(out, b)
	}
	return out
}

// TestREADMEFirstCallsWork runs every marked block of README.md against a fresh server on a
// free loopback port (the block's 127.0.0.1:8080 replaced by it), from the repository root,
// and checks what it prints.
func TestREADMEFirstCallsWork(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	blocks := readmeBlocks(t, string(raw))
	seen := map[string]bool{}
	for _, b := range blocks {
		seen[b.name] = true
	}
	for _, name := range mustTest {
		if !seen[name] {
			t.Errorf("README.md has no block marked %q: each API's first call is tested", name)
		}
	}
	for _, b := range blocks {
		t.Run(b.name, func(t *testing.T) {
			var out string
			switch b.lang {
			case "sh":
				out = runScript(t, root, b, "bash", "-euo", "pipefail", "-s")
			case "python":
				out = runScript(t, root, b, "python3", "-")
			case "go":
				out = runGoTestFile(t, root, b)
			default:
				t.Fatalf("README.md:%d: no runner for %q", b.line, b.lang)
			}
			for _, e := range b.expect {
				if !strings.Contains(out, e) {
					t.Errorf("README.md:%d (%s): output lacks %q:\n%s", b.line, b.name, e, out)
				}
			}
		})
	}
}

// runScript feeds the block to the interpreter on stdin against a fresh server.
func runScript(t *testing.T, root string, b block, argv ...string) string {
	t.Helper()
	srv, err := mocks.Start(mocks.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL(), "http://")
	code := strings.NewReplacer("127.0.0.1:8080", host, "localhost:8080", host).Replace(b.code)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Dir = root
	cmd.Stdin = strings.NewReader(code)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("README.md:%d (%s): %v\nstdout:\n%s\nstderr:\n%s", b.line, b.name, err, stdout.String(), stderr.String())
	}
	return stdout.String()
}

// runGoTestFile saves the block as a _test.go file in a directory of this module, as a user
// pastes it into theirs, and runs it with go test.
func runGoTestFile(t *testing.T, root string, b block) string {
	t.Helper()
	dir, err := os.MkdirTemp(root, ".readme-go-") // a dot directory: ./... never sees it
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.WriteFile(filepath.Join(dir, "readme_test.go"), []byte(b.code), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, goTool(), "test", "-count=1", "-v", "./"+filepath.Base(dir))
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("README.md:%d: the Go test file does not compile and pass as pasted: %v\n%s", b.line, err, out)
	}
	if !bytes.Contains(out, []byte("--- PASS")) {
		t.Fatalf("README.md:%d: the Go test file ran no test:\n%s", b.line, out)
	}
	return string(out)
}

func goTool() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return filepath.Join(runtime.GOROOT(), "bin", "go")
}
