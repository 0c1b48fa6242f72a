package impact_test

import (
	"testing"

	"github.com/hotro-vn/hotro/eligibility"
	"github.com/hotro-vn/hotro/impact"
)

// The Hà Tĩnh example data set: 18,300 persons (examples/hatinh).
const haTinh = "../examples/hatinh/persons.csv"

// BenchmarkOnHaTinh compares the worked case on one date for the whole
// province: 2 × 18,300 decisions.
func BenchmarkOnHaTinh(b *testing.B) {
	base, neu := engines(b, line2022)
	recs := readPersons(b, haTinh)
	c := impact.Change{Base: base, New: neu}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.On(recs, dec2021); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkYearHaTinh compares the twelve months of 2021: 2 × 12 × 18,300
// decisions.
func BenchmarkYearHaTinh(b *testing.B) {
	base, neu := engines(b, line2022)
	recs := readPersons(b, haTinh)
	c := impact.Change{Base: base, New: neu}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Months(recs, eligibility.Month{Year: 2021, Month: 1}, eligibility.Month{Year: 2021, Month: 12}); err != nil {
			b.Fatal(err)
		}
	}
}
