package core

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"

	"github.com/upmock/upmock/specs"
)

// Every pattern of the documents, and a few shapes besides, must match exactly what the
// regexp kin-openapi compiles matches, on crafted and random strings over the runes that
// matter.
func TestBodyPatternMatchesRegexp(t *testing.T) {
	patterns := []string{`^[a-c]+[d-f]{2}$`, `^[a-c]+[b-f]$`, `^[a-c]{1,2}-[a-c]{2}$`, `^[a-c]{1,2}-?[a-c]$`, `^a?b?[a-b]$`, `^[0-9A-Z]{5}-[0-9A-Z]{3,4}-[0-9]{4}$`, `^a*$`, `^(ab|c)$`, `^.{2,3}x?$`, `^\d{2,}$`, `^(?i)abc$`, `abc`, `^$`, `^[^a-c]*$`}
	docPattern := regexp.MustCompile(`pattern: ['"]?(.*?)['"]?\}?\s*$`)
	for _, api := range diffAPIs {
		for _, line := range strings.Split(string(specs.Read(api)), "\n") {
			if m := docPattern.FindStringSubmatch(strings.TrimSpace(line)); m != nil {
				patterns = append(patterns, strings.ReplaceAll(m[1], `\\`, `\`))
			}
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []rune("aAbBcfxzZ09-_#=+/.:T\n é日😀$?<>SBD-----")
	classed := 0
	for _, pattern := range patterns {
		p, err := newBodyPattern(pattern)
		if err != nil {
			continue
		}
		if p.branches != nil {
			classed++
		}
		inputs := []string{"", "a", "abc", "ABC", "0", "#", "ab", "aad", "aadd", "abcde", "abcdef", "12", "123",
			"bf7d0aa8-537c-4e4c-80a0-6b6451f59abb", "NO351001", "23NO00000000000003", "2026-11-25T10:00:00.000000Z",
			"U3dhZ2dlciByb2Nrcw==", "a-bc", "ab-c", "abb", "ab", "b", "AB12C-X9Z-1234", "AB12C-X9Z1-1234", "AB12C-X9-1234", "U3dh===", "000901000000000000040000-001", "*SABCDE", "A1234"}
		for range 400 {
			var b strings.Builder
			for range rng.IntN(40) {
				b.WriteRune(alphabet[rng.IntN(len(alphabet))])
			}
			inputs = append(inputs, b.String())
		}
		for _, in := range inputs {
			if got, want := p.match([]byte(in)), p.re.MatchString(in); got != want {
				t.Errorf("pattern %q on %q: %v, regexp says %v", pattern, in, got, want)
			}
		}
	}
	t.Logf("%d of %d patterns use the class matcher", classed, len(patterns))
	if classed < 12 {
		t.Errorf("only %d of %d patterns use the class matcher", classed, len(patterns))
	}
}
