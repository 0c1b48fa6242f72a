package bench

import (
	"testing"
)

// TestAgree checks that every implementation gives the same answer for
// every person: the benchmarks compare the same work.
func TestAgree(t *testing.T) {
	ps := Persons(N)
	eng, err := NewEngine(ps)
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewCel()
	if err != nil {
		t.Fatal(err)
	}
	in := c.NewScratch()
	hd, hi := NewHandDecimal(), NewHandInt64()
	eligible, topped := 0, 0
	for i := range ps {
		want, err := eng.Decide(i)
		if err != nil {
			t.Fatalf("person %d: engine: %v", i, err)
		}
		if want.Eligible {
			eligible++
			if want.Topup > 0 {
				topped++
			}
		}
		for name, f := range map[string]func() (Answer, error){
			"cel-go":       func() (Answer, error) { return c.Decide(&ps[i], in) },
			"hand-decimal": func() (Answer, error) { return hd.Decide(&ps[i]) },
			"hand-int64":   func() (Answer, error) { return hi.Decide(&ps[i]) },
		} {
			got, err := f()
			if err != nil || got != want {
				t.Fatalf("person %d: %s gives %+v (%v), the engine %+v", i, name, got, err, want)
			}
		}
	}
	// The population exercises both outcomes and both kinds of top-up.
	if eligible == 0 || eligible == len(ps) || topped == 0 {
		t.Fatalf("%d of %d eligible, %d with a top-up: the population is not varied", eligible, len(ps), topped)
	}
	t.Logf("%d of %d eligible, %d with a top-up", eligible, len(ps), topped)
}

// BenchmarkDecide decides one person per iteration with each
// implementation, in one run; compare the lines as ratios (cmd/ratios
// prints them).
func BenchmarkDecide(b *testing.B) {
	cases, err := Cases()
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range cases {
		b.Run(c.Name, c.Run)
	}
}
