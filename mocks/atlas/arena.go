package atlas

import "encoding/binary"

// idArena keeps short strings (transactionIds) append-only, each as a uvarint length and its
// bytes, in chunks that are never reallocated or copied: adding one costs its bytes plus one
// or two, and the GC never scans a chunk (they hold no pointers). An entry never spans two
// chunks, so it is read in place.
type idArena struct {
	mem    *bufPool
	chunks [][]byte // len is what is used; never grown past cap
	count  int
	last   idRef // the newest entry
}

// idRef locates an entry: the chunk's index above chunkBits, the offset within it below.
type idRef uint64

const (
	chunkBits = 20
	// Chunks grow from minChunk to maxChunk, so a session that registers a few ids pays a
	// few KiB and one that registers millions a MiB at a time.
	minChunk = 4 << 10
	maxChunk = 1 << chunkBits
	// maxRef bounds refs so a set slot can hold one (idSet).
	maxRef = 1<<refBits - 2
)

func newIDArena(mem *bufPool) *idArena { return &idArena{mem: mem} }

// add appends s and returns where it lies.
func (a *idArena) add(s string) idRef {
	need := uvarintLen(len(s)) + len(s)
	ci := len(a.chunks) - 1
	if ci < 0 || len(a.chunks[ci])+need > cap(a.chunks[ci]) {
		size := minChunk
		if ci >= 0 {
			size = min(2*cap(a.chunks[ci]), maxChunk)
		}
		// An entry longer than a chunk gets one of its own, which it fills.
		a.chunks = append(a.chunks, a.mem.bytes(max(size, need))[:0])
		ci++
	}
	c := a.chunks[ci]
	off := len(c)
	c = binary.AppendUvarint(c, uint64(len(s)))
	a.chunks[ci] = append(c, s...)
	r := idRef(ci)<<chunkBits | idRef(off)
	if r > maxRef {
		panic("atlas: transactionId arena beyond its addressable size")
	}
	a.count++
	a.last = r
	return r
}

// at returns the entry's bytes, valid while the arena lives; callers copy what they keep.
func (a *idArena) at(r idRef) []byte {
	c := a.chunks[r>>chunkBits]
	off := int(r & (1<<chunkBits - 1))
	n, k := binary.Uvarint(c[off:])
	return c[off+k : off+k+int(n)]
}

// next is the ref of the entry added after r (valid once that entry exists).
func (a *idArena) next(r idRef) idRef {
	ci := r >> chunkBits
	c := a.chunks[ci]
	off := int(r & (1<<chunkBits - 1))
	n, k := binary.Uvarint(c[off:])
	if end := off + k + int(n); end < len(c) {
		return ci<<chunkBits | idRef(end)
	}
	return (ci + 1) << chunkBits
}

// each calls f with every entry in the order added; f must not keep the bytes.
func (a *idArena) each(f func(b []byte)) {
	for _, c := range a.chunks {
		for off := 0; off < len(c); {
			n, k := binary.Uvarint(c[off:])
			f(c[off+k : off+k+int(n)])
			off += k + int(n)
		}
	}
}

// bytes is what the arena holds, used or not.
func (a *idArena) bytes() int64 {
	var n int64
	for _, c := range a.chunks {
		n += int64(cap(c))
	}
	return n
}

// free returns the chunks; the arena is empty afterwards.
func (a *idArena) free() {
	for _, c := range a.chunks {
		a.mem.free(c)
	}
	*a = idArena{mem: a.mem}
}

// uvarintLen is how many bytes binary.AppendUvarint writes for n.
func uvarintLen(n int) int {
	k := 1
	for ; n >= 0x80; n >>= 7 {
		k++
	}
	return k
}
