package records

import (
	"hash/maphash"
	"math"
	"slices"
)

// idSet remembers the keys a reader has seen and the line of each one's
// first use, to report duplicates. A national file has millions of keys:
// kept in a map of strings they would be millions of pointers for the
// garbage collector to scan at every cycle, so they are kept back to back
// in one byte slice.
//
// Files are mostly written in key order, so the set starts by keeping
// runs: stretches of keys each greater than the one before it. A key
// greater than the last of its run cannot be a repeat within that run, and
// against each earlier run it is looked up from where the previous key of
// the run was found, which moves forward while the keys increase: checking
// a sorted file costs a comparison or two per key and no hashing. A file
// that breaks its order more than maxRuns times goes over to an
// open-addressing table of plain numbers (16 bytes a slot), which takes
// any order. Both are exact: a match is confirmed on the key's bytes. Keys
// beyond what 32-bit numbers hold (past 4 GB of keys or 4 billion lines)
// go to an ordinary map.
type idSet struct {
	seed maphash.Seed
	ids  []byte // once hashed, every key, back to back
	used int    // keys kept, in runs, slots and big

	// While hashed is false: the runs. Key i is in pages, at refs[i] (see
	// keep), first used on lines[i]; runs[r] is the index of run r's
	// first key, and cursor[r] that of where run r's last lookup ended
	// (for r below the current run). Pages and lists grow by chunks that
	// are never copied: a national file's keys are tens of megabytes.
	pages        [][]byte
	refs         chunked[uint64]
	lines        chunked[uint32]
	runs, cursor []int

	hashed bool
	slots  []idSlot // a power of two in length; a used slot has line > 0
	big    map[string]int
}

type idSlot struct {
	off, n uint32 // the key is ids[off : off+n]
	hash   uint32 // the key's hash (its low bits place it)
	line   uint32
}

// maxRuns is how many runs the set keeps before it hashes: each key is
// checked against every earlier run.
const maxRuns = 8

func newIDSet() *idSet { return &idSet{seed: maphash.MakeSeed()} }

// add records key at line, or returns the line of its first use.
func (s *idSet) add(key string, line int) (first int, dup bool) {
	if first, dup := s.big[key]; dup {
		return first, true
	}
	if line <= 0 || line > math.MaxUint32 || len(key) >= 1<<24 || len(s.ids)+len(key) > math.MaxUint32 {
		if !s.hashed {
			s.hash()
		}
		if first, dup := s.lookup(key); dup {
			return first, true
		}
		if s.big == nil {
			s.big = map[string]int{}
		}
		s.big[key] = line
		s.used++
		return 0, false
	}
	if !s.hashed {
		if first, dup, ok := s.addRun(key, line); ok {
			return first, dup
		}
		s.hash()
	}
	if first, dup := s.lookup(key); dup {
		return first, true
	}
	s.insert(key, line)
	return 0, false
}

// key is the i-th key kept in runs.
func (s *idSet) key(i int) string {
	r := s.refs.at(i)
	p, off, n := r>>44, r>>24&(1<<20-1), r&(1<<24-1)
	return string(s.pages[p][off : off+n])
}

// keep copies key into the pages and returns where: page << 44 | offset
// << 24 | length. Pages start at 16 kB and double up to 1 MB, so that a
// short file touches little memory; a key longer than a page has one of
// its own.
func (s *idSet) keep(key string) uint64 {
	last := len(s.pages) - 1
	if last < 0 || len(s.pages[last])+len(key) > cap(s.pages[last]) {
		size := 16 << 10
		if last >= 0 {
			size = min(2*cap(s.pages[last]), 1<<20)
		}
		s.pages = append(s.pages, make([]byte, 0, max(size, len(key))))
		last++
	}
	off := len(s.pages[last])
	s.pages[last] = append(s.pages[last], key...)
	return uint64(last)<<44 | uint64(off)<<24 | uint64(len(key))
}

// chunked is a list that grows by chunks of 4,096 elements, never copied.
type chunked[T any] struct {
	chunks [][]T
	n      int
}

const chunkBits = 12

func (c *chunked[T]) at(i int) T { return c.chunks[i>>chunkBits][i&(1<<chunkBits-1)] }

func (c *chunked[T]) add(v T) {
	if c.n&(1<<chunkBits-1) == 0 && c.n>>chunkBits == len(c.chunks) {
		c.chunks = append(c.chunks, make([]T, 1<<chunkBits))
	}
	c.chunks[c.n>>chunkBits][c.n&(1<<chunkBits-1)] = v
	c.n++
}

// reset empties the list, keeping its first chunk.
func (c *chunked[T]) reset() {
	c.chunks, c.n = c.chunks[:min(len(c.chunks), 1)], 0
}

// addRun is add while the set keeps runs; ok = false when key would start
// one run too many, with nothing changed.
func (s *idSet) addRun(key string, line int) (first int, dup, ok bool) {
	n := s.refs.n
	cur := len(s.runs) - 1
	fresh := cur < 0 || key > s.key(n-1)
	if !fresh {
		// Not after the last key: it may repeat one of the current run.
		if i, found := s.search(key, s.runs[cur], n); found {
			return int(s.lines.at(i)), true, true
		}
		if cur+1 == maxRuns {
			return 0, false, false
		}
	}
	for r := 0; r < cur; r++ {
		if i, found := s.seek(r, key); found {
			return int(s.lines.at(i)), true, true
		}
	}
	if !fresh {
		// The previous run ends: look it up from here on as the others.
		s.cursor = append(s.cursor, s.runs[cur])
		s.runs = append(s.runs, n)
	} else if cur < 0 {
		s.runs = append(s.runs, 0)
	}
	s.refs.add(s.keep(key))
	s.lines.add(uint32(line))
	s.used++
	return 0, false, true
}

// search finds key among keys lo..hi-1 of one run: the index of the first
// key not below it, and whether that key is it.
func (s *idSet) search(key string, lo, hi int) (int, bool) {
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if s.key(m) < key {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo, lo < s.refs.n && s.key(lo) == key
}

// seek looks key up in run r (not the current one) from the run's cursor:
// forward by doubling steps when key is not below the key there, else
// from the run's start; the cursor moves to where it is found.
func (s *idSet) seek(r int, key string) (int, bool) {
	start, end := s.runs[r], s.runs[r+1]
	c := s.cursor[r]
	lo, hi := start, c
	if c < end && s.key(c) < key {
		lo, hi = c+1, end
		for step := 1; c+step < end; step *= 2 {
			if s.key(c+step) >= key {
				hi = c + step + 1
				break
			}
			lo = c + step + 1
		}
	} else if c < end && s.key(c) == key {
		return c, true
	}
	i, found := s.search(key, lo, min(hi, end))
	s.cursor[r] = min(i, end-1)
	return i, found
}

// hash moves the keys kept in runs into the table (and ids); the set
// hashes from then on.
func (s *idSet) hash() {
	s.hashed = true
	n := 1024
	for 4*s.refs.n > 3*n {
		n *= 2
	}
	if len(s.slots) < n {
		s.slots = make([]idSlot, n) // else kept by reset, and emptied
	}
	for i := range s.refs.n {
		key := s.key(i)
		s.place(idSlot{off: uint32(len(s.ids)), n: uint32(len(key)), hash: s.hashOf(key), line: s.lines.at(i)})
		s.ids = append(s.ids, key...)
	}
	s.pages, s.runs, s.cursor = nil, nil, nil
	s.refs, s.lines = chunked[uint64]{}, chunked[uint32]{}
}

func (s *idSet) hashOf(key string) uint32 { return uint32(maphash.String(s.seed, key)) }

// lookup finds key in the table or big.
func (s *idSet) lookup(key string) (int, bool) {
	if len(s.slots) == 0 {
		return 0, false
	}
	h := s.hashOf(key)
	mask := uint32(len(s.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		sl := &s.slots[i]
		if sl.line == 0 {
			return 0, false
		}
		if sl.hash == h && int(sl.n) == len(key) && string(s.ids[sl.off:sl.off+sl.n]) == key {
			return int(sl.line), true
		}
	}
}

// insert puts a key not in the table into it.
func (s *idSet) insert(key string, line int) {
	if 4*(s.used+1) > 3*len(s.slots) {
		s.grow()
	}
	s.place(idSlot{off: uint32(len(s.ids)), n: uint32(len(key)), hash: s.hashOf(key), line: uint32(line)})
	s.ids = append(double(s.ids, len(key)), key...)
	s.used++
}

// double makes room for n more elements in s, doubling its capacity when
// it must grow: append grows a large slice by a quarter at a time, which
// for millions of keys copies them several times over.
func double[T any](s []T, n int) []T {
	if len(s)+n <= cap(s) {
		return s
	}
	return slices.Grow(s, max(len(s)+n, 2*cap(s))-len(s))
}

// place puts a slot in the first free place from its hash.
func (s *idSet) place(sl idSlot) {
	mask := uint32(len(s.slots) - 1)
	i := sl.hash & mask
	for s.slots[i].line != 0 {
		i = (i + 1) & mask
	}
	s.slots[i] = sl
}

func (s *idSet) grow() {
	old := s.slots
	n := 2 * len(old)
	if n == 0 {
		n = 1024
	}
	s.slots = make([]idSlot, n)
	for _, sl := range old {
		if sl.line != 0 {
			s.place(sl)
		}
	}
}

// reset empties the set, keeping its room.
func (s *idSet) reset() {
	clear(s.slots)
	s.ids, s.used, s.big, s.hashed = s.ids[:0], 0, nil, false
	s.pages, s.runs, s.cursor = s.pages[:0], s.runs[:0], s.cursor[:0]
	s.refs.reset()
	s.lines.reset()
}
