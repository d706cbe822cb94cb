package atlas

import "hash/maphash"

// idSet finds whether a transactionId was accepted before (errorCode 200) without a second
// copy of it: open addressing over slots that hold a ref into the arena and 24 bits of the
// id's hash. The hash's top byte picks one of setShards shards, each growing on its own, so
// no single rehash moves more than a 256th of the ids under the store's lock; a rehash reads
// only the slots (the stored hash bits place them), never the ids.
type idSet struct {
	mem    *bufPool
	seed   maphash.Seed
	count  int
	shards [setShards]idShard
}

type idShard struct {
	slots []uint64 // 0: empty; else hashTag<<refBits | ref+1
	used  int
}

const (
	setShards = 256
	refBits   = 40
	tagBits   = 24
	// A shard grows past 3/4 full, from firstShardSlots.
	firstShardSlots = 8
)

func newIDSet(mem *bufPool) *idSet { return &idSet{mem: mem, seed: maphash.MakeSeed()} }

// idHash is what find returns and add takes, so an id is hashed once per request.
type idHash uint64

func (s *idSet) hash(id string) idHash { return idHash(maphash.String(s.seed, id)) }

func (h idHash) shard() int { return int(h >> 56) }

func (h idHash) tag() uint64 { return uint64(h>>32) & (1<<tagBits - 1) }

// find returns the ref of id in ids if the set holds it.
func (s *idSet) find(ids *idArena, h idHash, id string) (idRef, bool) {
	sh := &s.shards[h.shard()]
	if sh.used == 0 {
		return 0, false
	}
	mask := uint64(len(sh.slots) - 1)
	tag := h.tag()
	for i := tag & mask; ; i = (i + 1) & mask {
		slot := sh.slots[i]
		if slot == 0 {
			return 0, false
		}
		if slot>>refBits == tag {
			if r := idRef(slot&(1<<refBits-1)) - 1; string(ids.at(r)) == id {
				return r, true
			}
		}
	}
}

// add records the entry at r, whose hash is h; the caller has checked it is not there.
func (s *idSet) add(h idHash, r idRef) {
	sh := &s.shards[h.shard()]
	if (sh.used+1)*4 > len(sh.slots)*3 {
		s.grow(sh)
	}
	sh.put(h.tag()<<refBits | uint64(r+1))
	sh.used++
	s.count++
}

func (sh *idShard) put(slot uint64) {
	mask := uint64(len(sh.slots) - 1)
	for i := (slot >> refBits) & mask; ; i = (i + 1) & mask {
		if sh.slots[i] == 0 {
			sh.slots[i] = slot
			return
		}
	}
}

func (s *idSet) grow(sh *idShard) {
	old := sh.slots
	sh.slots = s.mem.words(max(firstShardSlots, 2*len(old)))
	for _, slot := range old {
		if slot != 0 {
			sh.put(slot)
		}
	}
	s.mem.freeWords(old)
}

// bytes is what the tables hold.
func (s *idSet) bytes() int64 {
	var n int64
	for i := range s.shards {
		n += int64(len(s.shards[i].slots)) * 8
	}
	return n
}

// free returns the tables; the set is empty afterwards.
func (s *idSet) free() {
	for i := range s.shards {
		s.mem.freeWords(s.shards[i].slots)
		s.shards[i] = idShard{}
	}
	s.count = 0
}
