package impact_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/hotro-vn/hotro/eligibility"
	"github.com/hotro-vn/hotro/impact"
	"github.com/shopspring/decimal"
)

// The worked case of docs/impact.md: what the 2022 poverty line would have
// cost in December 2021. The proposal is made as a policy officer makes
// it: copy the rule set and change a value.
func Example() {
	dir, err := os.MkdirTemp("", "line2022")
	check(err)
	defer os.RemoveAll(dir)
	check(os.CopyFS(dir, os.DirFS("../rulesets/hatinh-2020-2025")))
	params := filepath.Join(dir, "parameters.yaml")
	b, err := os.ReadFile(params)
	check(err)
	b = bytes.Replace(b, []byte("value: {rural: 700000, urban: 900000}"), []byte("value: {rural: 1500000, urban: 2000000}"), 1)
	check(os.WriteFile(params, b, 0o644))

	inForce, err := eligibility.LoadDir("../rulesets/hatinh-2020-2025")
	check(err)
	proposed, err := eligibility.LoadDir(dir)
	check(err)
	persons, _, err := inForce.ReadFile("testdata/persons.csv", time.Date(2021, 12, 1, 0, 0, 0, 0, time.UTC))
	check(err)

	r, err := impact.Change{Base: inForce, New: proposed}.On(persons, time.Date(2021, 12, 1, 0, 0, 0, 0, time.UTC))
	check(err)

	t := r.Totals()
	fmt.Printf("a month: %s → %s đ (%s)\n", t.Base, t.New, t.Delta)
	year := r.Yearly()[0]
	fmt.Printf("a year: %s đ more; within 100,000,000: %v\n", year.Delta, year.Delta.LessThanOrEqual(decimal.NewFromInt(100_000_000)))
	fmt.Printf("gain eligibility: %d, lose it: %d\n", len(r.Gained()), len(r.Lost()))
	for _, d := range r.Areas(impact.LevelDistrict) {
		fmt.Printf("%s %s: +%s\n", d.Code, d.Name, d.Delta)
	}
	for _, p := range r.Changed() {
		if p.Err != nil {
			fmt.Printf("%s: %v\n", p.ID, p.Err)
			continue
		}
		fmt.Printf("%s: %s → %s\n", p.ID, p.Base.Topup, p.New.Topup)
	}
	// Output:
	// a month: 967000 → 6347000 đ (5380000)
	// a year: 64560000 đ more; within 100,000,000: true
	// gain eligibility: 0, lose it: 0
	// 436 Thành phố Hà Tĩnh: +3780000
	// 446 Huyện Cẩm Xuyên: +1600000
	// P01: 160000 → 960000
	// P02: 430000 → 1230000
	// P03: 180000 → 1280000
	// P04: 0 → 1080000
	// P07: 37000 → 837000
	// P08: 160000 → 960000
	// P10: line 11: commune_code "99999": no commune has code "99999"
}

func check(err error) {
	if err != nil {
		panic(err)
	}
}

// A comparison of a file too big to hold: the persons are read, compared
// and written a chunk at a time, and the report keeps only the totals.
func ExampleChange_StreamOn() {
	inForce, err := eligibility.LoadDir("../rulesets/hatinh-2020-2025")
	check(err)
	proposed, err := eligibility.LoadDir("../rulesets/hatinh-2020-2025") // a copy to edit, as above
	check(err)
	dec2021 := time.Date(2021, 12, 1, 0, 0, 0, 0, time.UTC)
	schema, err := inForce.Schema(dec2021)
	check(err)
	f, err := os.Open("testdata/persons.csv")
	check(err)
	defer f.Close()
	persons := eligibility.Read(func(each func(eligibility.Record)) error {
		_, err := schema.ReadCSV(f, each)
		return err
	})

	cw := csv.NewWriter(os.Stdout)
	var rows *impact.PersonsWriter
	r, err := impact.Change{Base: inForce, New: proposed}.StreamOn(context.Background(), persons, dec2021,
		func(r *impact.Report, p *impact.Person) error {
			if rows == nil {
				rows = r.PersonsCSV(cw)
			}
			if p.ID == "P01" || p.ID == "P10" {
				rows.Write(p) // a sink would take every person
			}
			return nil
		})
	check(err)
	cw.Flush()
	s := r.Summary()
	fmt.Printf("%d records, %d in error, %d kept; a month %s đ under both\n", s.Records, s.Errors, len(r.Persons), s.Base)
	// Output:
	// person_id,commune_code,district_code,zone,eligibility_change,rules_changed,base_eligible,new_eligible,base_topup,new_topup,delta,base_failed_rules,new_failed_rules,error
	// P01,18112,436,rural,,,true,true,160000,160000,0,,,
	// P10,99999,,,,,,,,,,,,"line 11: commune_code ""99999"": no commune has code ""99999"""
	// 10 records, 1 in error, 0 kept; a month 967000 đ under both
}
