package records

import (
	"slices"
	"strconv"
	"testing"
)

// TestIDSet checks the set against a map over enough keys to grow it
// several times, with every key given twice and keys that share a prefix
// or are empty-like.
func TestIDSet(t *testing.T) {
	s := newIDSet()
	want := map[string]int{}
	keys := []string{"HT-0001", "HT-00010", "HT-000", "x", "Hà Tĩnh 1"}
	for i := 0; i < 50_000; i++ {
		keys = append(keys, "P"+strconv.Itoa(i*7919%100_003))
	}
	line := 1
	for round := 0; round < 2; round++ {
		for _, k := range keys {
			line++
			first, dup := s.add(k, line)
			w, seen := want[k]
			if dup != seen || (dup && first != w) {
				t.Fatalf("key %q at line %d: set says (%d, %v), a map (%d, %v)", k, line, first, dup, w, seen)
			}
			if !seen {
				want[k] = line
			}
		}
	}
	if s.used != len(want) {
		t.Fatalf("%d keys kept, want %d", s.used, len(want))
	}
}

// TestIDSetOrders checks the set against a map on files in the orders it
// meets: sorted, sorted in a few runs (two files put end to end), reversed,
// shuffled, with repeats near and far, and after a reset.
func TestIDSetOrders(t *testing.T) {
	n := 20_000
	id := func(i int) string { return "P" + strconv.Itoa(1_000_000+i) }
	sorted := make([]string, n)
	for i := range sorted {
		sorted[i] = id(i)
	}
	var twoRuns, reversed, shuffled, interleaved, manyRuns []string
	for i := range n {
		twoRuns = append(twoRuns, "N"+sorted[i])
		reversed = append(reversed, sorted[n-1-i])
		shuffled = append(shuffled, sorted[i*7919%n])
		interleaved = append(interleaved, sorted[(i%(n/4))*4+i/(n/4)]) // four runs, each of every fourth key
	}
	twoRuns = append(sorted[:n:n], twoRuns...)
	for r := range maxRuns + 3 { // runs that interleave: every key of a run falls between two of each earlier run
		for i := r; i < n; i += maxRuns + 3 {
			manyRuns = append(manyRuns, sorted[i])
		}
	}
	withRepeats := func(keys []string) []string {
		out := slices.Clone(keys)
		for i := 0; i < len(keys); i += 97 {
			out = append(out, keys[i])                            // far: a repeat in an earlier run or out of order
			out = slices.Insert(out, min(i+2, len(out)), keys[i]) // near: the next key but one
		}
		return out
	}
	s := newIDSet()
	for name, keys := range map[string][]string{"sorted": sorted, "two runs": twoRuns, "reversed": reversed,
		"shuffled": shuffled, "interleaved": interleaved, "many runs": manyRuns} {
		for v, keys := range [][]string{keys, withRepeats(keys)} {
			for round := range 2 { // the second after a reset
				s.reset()
				want := map[string]int{}
				dups := 0
				for l, k := range keys {
					line := l + 2
					first, dup := s.add(k, line)
					w, seen := want[k]
					if dup != seen || (dup && first != w) {
						t.Fatalf("%s, round %d: key %q at line %d: set says (%d, %v), a map (%d, %v)", name, round, k, line, first, dup, w, seen)
					}
					if !seen {
						want[k] = line
					} else {
						dups++
					}
				}
				if s.used != len(want) || len(keys)-dups != len(want) {
					t.Fatalf("%s: %d keys kept, want %d", name, s.used, len(want))
				}
				// Keys in at most maxRuns increasing runs are checked without hashing.
				if runs := map[string]bool{"sorted": true, "two runs": true, "interleaved": true}; v == 0 && s.hashed == runs[name] {
					t.Errorf("%s: hashed = %v", name, s.hashed)
				}
			}
		}
	}
}

// BenchmarkIDSetSorted adds a national file's keys, in order, as two runs
// (the second file appended to the first): allocations per key show
// whether comparing keys copies them.
func BenchmarkIDSetSorted(b *testing.B) {
	keys := make([]string, 200_000)
	for i := range keys {
		keys[i] = "P" + strconv.Itoa(10_000_000+i%100_000)
		if i >= 100_000 {
			keys[i] = "N" + keys[i]
		}
	}
	b.ReportAllocs()
	s := newIDSet()
	b.ResetTimer()
	for range b.N {
		s.reset()
		for l, k := range keys {
			s.add(k, l+2)
		}
	}
}
