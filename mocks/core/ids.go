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
	pcg  *rand.PCG // the rng's source, kept so --state-dir can save and restore its position
	rng  *rand.Rand
}

// NewIDs returns a generator seeded with seed.
func NewIDs(seed uint64) *IDs {
	g := &IDs{seed: seed}
	g.rewind()
	return g
}

func (g *IDs) rewind() {
	g.pcg = rand.NewPCG(g.seed, g.seed^0x9e3779b97f4a7c15)
	g.rng = rand.New(g.pcg)
}

// Reset rewinds the generator to its seed.
func (g *IDs) Reset() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.rewind()
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
