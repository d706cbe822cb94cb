package atlas

import (
	"runtime"
	"unsafe"
)

// bufPool hands out the large pointer-free buffers of the accepted-registration indexes (id
// chunks, hash tables). Buffers of offHeapMin bytes or more are mapped from the OS, outside
// the Go heap, where the collector's heap goal (twice the live heap by default) does not
// count them, so millions of pending registrations cost their bytes in RSS once, not twice.
//
// Memory safety: a mapped buffer is only ever read or written under the store's mutex, by the
// store's own structures; nothing derived from it outlives a call (strings are copied out).
// It is unmapped only under that mutex, by free (its owner drops it at the same time) or by
// release, which empties every owner first; a pool dropped without release (a test's store)
// is released by a cleanup once the store is unreachable, when nothing can reach the buffers.
type bufPool struct {
	mapped   map[uintptr][]byte // by start address
	released bool               // after release everything comes from the heap
}

// offHeapMin: smaller buffers are cheap on the heap, and a page each would waste more.
const offHeapMin = 64 << 10

func newBufPool() *bufPool { return &bufPool{mapped: map[uintptr][]byte{}} }

// bytes returns n zeroed bytes (cap may be more, up to a page).
func (p *bufPool) bytes(n int) []byte {
	if n >= offHeapMin && !p.released {
		if b := mapAnon(n); b != nil {
			p.mapped[uintptr(unsafe.Pointer(unsafe.SliceData(b)))] = b
			return b
		}
	}
	return make([]byte, n)
}

// words returns n zeroed uint64s.
func (p *bufPool) words(n int) []uint64 {
	if n*8 >= offHeapMin && !p.released {
		b := p.bytes(n * 8)
		return unsafe.Slice((*uint64)(unsafe.Pointer(unsafe.SliceData(b))), n)
	}
	return make([]uint64, n)
}

// free gives back a buffer from bytes; the caller drops every reference to it.
func (p *bufPool) free(b []byte) {
	if cap(b) == 0 {
		return
	}
	start := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	if m, ok := p.mapped[start]; ok {
		delete(p.mapped, start)
		unmap(m)
	}
}

// freeWords gives back a buffer from words.
func (p *bufPool) freeWords(w []uint64) {
	if cap(w) == 0 {
		return
	}
	p.free(unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(w))), cap(w)*8))
}

// release unmaps every buffer; owners must be emptied first (store.close does).
func (p *bufPool) release() {
	for start, m := range p.mapped {
		delete(p.mapped, start)
		unmap(m)
	}
	p.released = true
}

// mappedBytes is what the pool holds outside the heap.
func (p *bufPool) mappedBytes() int64 {
	var n int64
	for _, m := range p.mapped {
		n += int64(len(m))
	}
	return n
}

// releaseWhenUnreachable releases pool once owner can no longer be reached.
func releaseWhenUnreachable[T any](owner *T, pool *bufPool) {
	runtime.AddCleanup(owner, func(p *bufPool) { p.release() }, pool)
}
