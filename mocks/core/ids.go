package core

import (
	"fmt"
	"math/rand/v2"
	"sync"
)

// IDs hands out identifiers from a seeded generator, so the same seed, fixtures and requests
// give the same IDs (trace IDs, generated tracking IDs, file names).
type IDs struct {
	mu   sync.Mutex
	seed uint64
	rng  *rand.Rand
}

// NewIDs returns a generator seeded with seed.
func NewIDs(seed uint64) *IDs {
	return &IDs{seed: seed, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
}

// Reset rewinds the generator to its seed.
func (g *IDs) Reset() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.rng = rand.New(rand.NewPCG(g.seed, g.seed^0x9e3779b97f4a7c15))
}

// UUID returns a version-4 UUID in lower case.
func (g *IDs) UUID() string {
	g.mu.Lock()
	a, b := g.rng.Uint64(), g.rng.Uint64()
	g.mu.Unlock()
	a = a&^0xf000 | 0x4000         // version 4
	b = b&^(0xc<<60) | (0x8 << 60) // RFC 4122 variant
	return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", a>>32, (a>>16)&0xffff, a&0xffff, b>>48, b&0xffffffffffff)
}

// Hex returns n random hexadecimal digits.
func (g *IDs) Hex(n int) string {
	const digits = "0123456789abcdef"
	g.mu.Lock()
	defer g.mu.Unlock()
	out := make([]byte, n)
	for i := range out {
		out[i] = digits[g.rng.IntN(16)]
	}
	return string(out)
}
