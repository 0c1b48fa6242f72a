package bench

import (
	"testing"

	"github.com/hotro-vn/hotro/eligibility"
)

// Case is one implementation's benchmark: one decision per iteration,
// cycling through the population.
type Case struct {
	Name string
	Run  func(b *testing.B)
}

// N is the size of the population the benchmarks cycle through.
const N = 1000

// Cases returns the benchmarks of every implementation on the same
// population, the library first.
func Cases() ([]Case, error) {
	ps := Persons(N)
	eng, err := NewEngine(ps)
	if err != nil {
		return nil, err
	}
	c, err := NewCel()
	if err != nil {
		return nil, err
	}
	hd, hi := NewHandDecimal(), NewHandInt64()
	loop := func(f func(i int) error) func(b *testing.B) {
		return func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				if err := f(i % N); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	return []Case{
		{"engine", loop(func(i int) error { _, err := eng.Day.DecideRecord(eng.Recs[i]); return err })},
		{"engine-into", func(b *testing.B) {
			var d eligibility.Decision
			loop(func(i int) error { return eng.Day.DecideRecordInto(&eng.Recs[i], &d) })(b)
		}},
		{"cel-go", func(b *testing.B) {
			in := c.NewScratch()
			loop(func(i int) error { _, err := c.Decide(&ps[i], in); return err })(b)
		}},
		{"hand-decimal", loop(func(i int) error { _, err := hd.Decide(&ps[i]); return err })},
		{"hand-int64", loop(func(i int) error { _, err := hi.Decide(&ps[i]); return err })},
	}, nil
}
