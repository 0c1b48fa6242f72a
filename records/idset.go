package records

import (
	"hash/maphash"
	"math"
)

// idSet remembers the keys a reader has seen and the line of each one's
// first use, to report duplicates. A national file has millions of keys:
// kept in a map of strings they would be millions of pointers for the
// garbage collector to scan at every cycle, so they are kept back to back
// in one byte slice, indexed by an open-addressing table of plain numbers
// (16 bytes a slot). It is exact: a hash match is confirmed on the key's
// bytes. Keys beyond what the table's 32-bit numbers hold (past 4 GB of
// keys or 4 billion lines) go to an ordinary map.
type idSet struct {
	seed  maphash.Seed
	ids   []byte   // every key, back to back
	slots []idSlot // a power of two in length; a used slot has line > 0
	used  int
	big   map[string]int
}

type idSlot struct {
	off, n uint32 // the key is ids[off : off+n]
	hash   uint32 // the key's hash (its low bits place it)
	line   uint32
}

func newIDSet() *idSet { return &idSet{seed: maphash.MakeSeed()} }

// add records key at line, or returns the line of its first use.
func (s *idSet) add(key string, line int) (first int, dup bool) {
	if first, dup := s.big[key]; dup {
		return first, true
	}
	if 4*(s.used+1) > 3*len(s.slots) {
		s.grow()
	}
	h := uint32(maphash.String(s.seed, key))
	mask := uint32(len(s.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		sl := &s.slots[i]
		if sl.line == 0 {
			if line <= 0 || line > math.MaxUint32 || len(s.ids)+len(key) > math.MaxUint32 {
				if s.big == nil {
					s.big = map[string]int{}
				}
				s.big[key] = line
				return 0, false
			}
			sl.off, sl.n, sl.hash, sl.line = uint32(len(s.ids)), uint32(len(key)), h, uint32(line)
			s.ids = append(s.ids, key...)
			s.used++
			return 0, false
		}
		if sl.hash == h && int(sl.n) == len(key) && string(s.ids[sl.off:sl.off+sl.n]) == key {
			return int(sl.line), true
		}
	}
}

func (s *idSet) grow() {
	old := s.slots
	n := 2 * len(old)
	if n == 0 {
		n = 1024
	}
	s.slots = make([]idSlot, n)
	mask := uint32(n - 1)
	for _, sl := range old {
		if sl.line == 0 {
			continue
		}
		i := sl.hash & mask
		for s.slots[i].line != 0 {
			i = (i + 1) & mask
		}
		s.slots[i] = sl
	}
}

// reset empties the set, keeping its room.
func (s *idSet) reset() {
	clear(s.slots)
	s.ids, s.used, s.big = s.ids[:0], 0, nil
}
