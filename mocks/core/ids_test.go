package core_test

import (
	"regexp"
	"testing"

	"github.com/upmock/upmock/mocks/core"
)

var uuidV4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// draw takes n values from g, alternating UUIDs and hex strings.
func draw(g *core.IDs, n int) []string {
	out := make([]string, 0, n)
	for i := range n {
		if i%2 == 0 {
			out = append(out, g.UUID())
		} else {
			out = append(out, g.Hex(12))
		}
	}
	return out
}

func TestIDsAreSeeded(t *testing.T) {
	for _, seed := range []uint64{0, 1, 42, 1 << 63} {
		a, b := draw(core.NewIDs(seed), 20), draw(core.NewIDs(seed), 20)
		for i := range a {
			if a[i] != b[i] {
				t.Fatalf("seed %d: value %d differs: %s vs %s", seed, i, a[i], b[i])
			}
		}
	}
	if a, b := core.NewIDs(1).UUID(), core.NewIDs(2).UUID(); a == b {
		t.Fatalf("seeds 1 and 2 both start with %s", a)
	}
}

func TestIDsShapes(t *testing.T) {
	g := core.NewIDs(7)
	seen := map[string]bool{}
	for range 200 {
		u := g.UUID()
		if !uuidV4.MatchString(u) {
			t.Fatalf("UUID %q is not a lower-case version-4 UUID", u)
		}
		if seen[u] {
			t.Fatalf("UUID %s repeated", u)
		}
		seen[u] = true
	}
	hex := regexp.MustCompile(`^[0-9a-f]*$`)
	for _, n := range []int{0, 1, 8, 33} {
		if h := g.Hex(n); len(h) != n || !hex.MatchString(h) {
			t.Fatalf("Hex(%d) = %q", n, h)
		}
	}
}

func TestIDsResetRewinds(t *testing.T) {
	g := core.NewIDs(99)
	first := draw(g, 10)
	_ = draw(g, 5)
	g.Reset()
	again := draw(g, 10)
	for i := range first {
		if first[i] != again[i] {
			t.Fatalf("after Reset value %d is %s, want %s", i, again[i], first[i])
		}
	}
}
