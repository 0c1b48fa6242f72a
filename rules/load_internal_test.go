package rules

import (
	"regexp"
	"sync/atomic"
	"testing"
)

// validName checks names as namePattern, the pattern the JSON schema
// gives, reads them.
func TestValidName(t *testing.T) {
	re := regexp.MustCompile(namePattern)
	for _, s := range []string{"", "a", "z", "age", "has_x", "x1", "a_b_c_", "_a", "1a", "A", "aB", "a-b", "a b", "a\n", "\na",
		"a.b", "é", "aé", "a\x00", "a9_z", "ab$", "^a", "zz", "{", "`", "a{", "a`", "a/", "a:"} {
		if got, want := validName(s), re.MatchString(s); got != want {
			t.Errorf("validName(%q) = %v, the pattern says %v", s, got, want)
		}
	}
}

func FuzzValidName(f *testing.F) {
	re := regexp.MustCompile(namePattern)
	f.Add("age_on")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := validName(s), re.MatchString(s); got != want {
			t.Errorf("validName(%q) = %v, the pattern says %v", s, got, want)
		}
	})
}

// parallel calls every i once, and panics as the first call that panics.
func TestParallel(t *testing.T) {
	for _, workers := range []int{1, 2, 4} {
		var seen [100]atomic.Int32
		parallel(workers, len(seen), func(w, i int) {
			if w < 0 || w >= workers {
				t.Errorf("worker %d of %d", w, workers)
			}
			seen[i].Add(1)
		})
		for i := range seen {
			if n := seen[i].Load(); n != 1 {
				t.Fatalf("%d workers: f(%d) called %d times", workers, i, n)
			}
		}
		func() {
			defer func() {
				if x := recover(); x != 7 {
					t.Errorf("%d workers: recovered %v, want 7", workers, x)
				}
			}()
			parallel(workers, 50, func(_, i int) {
				if i == 7 || i == 9 || i == 30 {
					panic(i)
				}
			})
			t.Errorf("%d workers: no panic", workers)
		}()
	}
	parallel(2, 0, func(_, i int) { t.Errorf("called with %d", i) })
}
