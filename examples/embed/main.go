// Command embed shows how an existing provincial system uses hotro: load
// the rules once at start, then decide for a household received as JSON and
// print each member's decision with its reasons.
//
//	go run ./examples/embed                       # the rules embedded in the module
//	go run ./examples/embed -rules DIR            # rules edited by policy staff
//	go run ./examples/embed -in household.json    # another household
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"strings"
	"time"

	"github.com/hotro-vn/hotro/eligibility"
)

// household is what the provincial system sends: its members as person records (docs/policy.md).
const household = `[
  {"person_id": "HT-0001", "household_id": "HH-001", "full_name": "Nguyễn Thị Lài", "birth_date": "1941-04-12",
   "commune_code": "18112", "household_poor": true, "household_category": "btxh", "monthly_allowance": 500000},
  {"person_id": "HT-0002", "household_id": "HH-001", "full_name": "Trần Văn Bốn", "birth_date": "1980-09-30",
   "commune_code": "18112", "household_poor": true, "household_category": "btxh", "disability": "severe",
   "allowance_coefficient": 1.5, "other_income": 200000}
]`

func main() {
	dir := flag.String("rules", "", "rule set directory (default: the rules embedded in the module)")
	day := flag.String("date", "2024-07-01", "decision date")
	in := flag.String("in", "", "household JSON file (default: a built-in example)")
	flag.Parse()

	// Once at start: the engine is immutable and safe for concurrent use.
	engine, err := eligibility.Default()
	if *dir != "" {
		engine, err = eligibility.LoadDir(*dir)
	}
	if err != nil {
		log.Fatal(err) // every problem of the rule files, one per line with file:line:col
	}
	date, err := time.Parse(time.DateOnly, *day)
	if err != nil {
		log.Fatal(err)
	}

	// Per request: read the household, decide each member, print the reasons.
	var src io.Reader = strings.NewReader(household)
	if *in != "" {
		f, err := os.Open(*in)
		if err != nil {
			log.Fatal(err)
		}
		defer f.Close()
		src = f
	}
	// The rule set in force on the date declares the record it reads.
	schema, err := engine.Schema(date)
	if err != nil {
		log.Fatal(err)
	}
	var recs []eligibility.Record
	if _, err := schema.ReadJSON(src, func(r eligibility.Record) { recs = append(recs, r) }); err != nil {
		log.Fatal(err)
	}
	outs, err := engine.DecideAll(context.Background(), recs, date)
	if err != nil {
		log.Fatal(err)
	}
	for _, o := range outs {
		if o.Err != nil {
			fmt.Printf("%s: record error: %v\n", o.Record.ID, o.Err)
			continue
		}
		d := o.Decision
		fmt.Printf("%s %s: eligible %t, monthly top-up %s đ (rules %s)\n", d.PersonID, o.Record.Text("full_name"), d.Eligible, d.MonthlyTopup, d.RuleSet)
		for _, r := range d.Reasons() {
			mark := "✓"
			if !r.Pass {
				mark = "✗"
			}
			fmt.Printf("  %s %s (%s)\n", mark, r.Message.In("vi"), r.Cites)
		}
	}
}
