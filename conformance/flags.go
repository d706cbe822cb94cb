package conformance

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
)

// The suite's own flags. They live in the package, not in its test file, so that a
// precompiled suite (go test -c) and the ginkgo CLI (after "--") both accept them.
var (
	driverFlag = flag.String("driver", "",
		"command line of the driver to judge, split on spaces (quotes respected); "+
			"empty: the project's in-process reference ATLAS driver")
	upmockURLFlag = flag.String("upmock-url", "",
		"base URL of an already running upmock (e.g. http://127.0.0.1:8080); empty: start one in-process")
	upmockTokenFlag = flag.String("upmock-token", "",
		"control token of the --upmock-url upmock (its --control-token); empty: $UPMOCK_CONTROL_TOKEN")
)

// splitCommand splits a command line on unquoted white space. Single quotes keep
// everything literally, double quotes keep white space, a backslash outside single
// quotes escapes the next character. No variables, globs or other shell syntax.
func splitCommand(s string) ([]string, error) {
	var (
		args    []string
		cur     strings.Builder
		inArg   bool
		quote   rune
		escaped bool
	)
	for _, r := range s {
		switch {
		case escaped:
			cur.WriteRune(r)
			escaped = false
		case quote == '\'':
			if r == '\'' {
				quote = 0
			} else {
				cur.WriteRune(r)
			}
		case r == '\\':
			escaped, inArg = true, true
		case quote == '"':
			if r == '"' {
				quote = 0
			} else {
				cur.WriteRune(r)
			}
		case r == '\'' || r == '"':
			quote, inArg = r, true
		case r == ' ' || r == '\t' || r == '\n':
			if inArg {
				args = append(args, cur.String())
				cur.Reset()
				inArg = false
			}
		default:
			cur.WriteRune(r)
			inArg = true
		}
	}
	if quote != 0 || escaped {
		return nil, errors.New("unterminated quote or trailing backslash in --driver")
	}
	if inArg {
		args = append(args, cur.String())
	}
	return args, nil
}

// resolvePaths makes relative file arguments of the driver command absolute.
//
// `go test` and the ginkgo CLI run the suite in the package's directory (./conformance),
// not where the user typed the command, so "conformance/drivers/x/driver.py" typed at the
// repository root would not be found from there. An argument that names an existing file
// relative to the current directory is kept; otherwise, if it names one relative to a
// parent directory (nearest first), that absolute path is used. Flags ("-x") are kept.
func resolvePaths(args []string) []string {
	out := make([]string, len(args))
	copy(out, args)
	wd, err := os.Getwd()
	if err != nil {
		return out
	}
	for i, a := range out {
		if a == "" || strings.HasPrefix(a, "-") || filepath.IsAbs(a) || !strings.ContainsRune(a, '/') {
			continue
		}
		if _, err := os.Stat(a); err == nil {
			continue
		}
		for dir := filepath.Dir(wd); ; dir = filepath.Dir(dir) {
			p := filepath.Join(dir, a)
			if _, err := os.Stat(p); err == nil {
				out[i] = p
				break
			}
			if dir == filepath.Dir(dir) {
				break
			}
		}
	}
	return out
}
