package records

import (
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
