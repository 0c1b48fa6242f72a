package rules_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/hotro-vn/hotro/rules"
	"github.com/hotro-vn/hotro/rulesets"
	"github.com/shopspring/decimal"
)

// Load the embedded Hà Tĩnh rules and evaluate the person model directly,
// from the fields of its declared record.
func Example() {
	lib, err := rules.LoadPolicy(rulesets.FS, ".", rulesets.DefaultPolicy)
	if err != nil {
		fmt.Println(err)
		return
	}
	ev, err := lib.At(time.Date(2020, 6, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		fmt.Println(err)
		return
	}
	// The model declares its record: its inputs are the record's fields,
	// then the values derived from them (age, commune, zone …) on the date.
	m := ev.Set().Model("person")
	given := rules.Env{
		"person_id": "p1", "household_id": "h1", "birth_date": time.Date(1950, 3, 15, 0, 0, 0, 0, time.UTC),
		"commune_code": "18112", "resident": true, "household_poor": true, "household_category": "btxh",
		"disability": "none", "serious_illness": false, "in_care_facility": false,
		"monthly_allowance": decimal.NewFromInt(270000), "other_income": decimal.Zero,
	}
	fields := make([]any, len(m.Record.Fields))
	for i, f := range m.Record.Fields {
		fields[i] = given[f.Name]
	}
	in := make([]any, len(m.Inputs))
	if err := ev.Derive("person", fields, in); err != nil {
		fmt.Println(err)
		return
	}
	res, err := ev.EvalInputs("person", in)
	if err != nil {
		fmt.Println(err)
		return
	}
	topup, _ := res.Output("topup")
	fmt.Println(res.Set.Meta.ID, res.Pass, topup)
	for _, r := range res.Rules {
		fmt.Println(r.Rule.ID, r.Pass, r.Values())
	}
	// Output:
	// hatinh-nq179-2020-2025 true 430000
	// poor_household true [{household_poor true}]
	// social_protection_household true [{household_category btxh}]
	// resident true [{resident true} {commune_province 42} {province_code 42}]
	// no_labour_capacity_group true [{age 70} {child_age_below 16} {elderly_age_from 60} {disability none} {serious_illness false}]
	// not_in_care_facility true [{in_care_facility false}]
}

// Every problem in a rule set is reported at once, each with its position.
func ExampleLoadDir_errors() {
	_, err := rules.LoadDir("testdata/broken")
	var list rules.Errors
	if errors.As(err, &list) {
		for _, e := range list {
			fmt.Printf("%s:%d:%d %s\n", e.File, e.Line, e.Column, e.Code)
		}
	}
	// Output:
	// testdata/broken/benefit.yaml:12:9 param-gap
	// testdata/broken/benefit.yaml:13:34 unknown-key
	// testdata/broken/benefit.yaml:16:25 expr-type
	// testdata/broken/benefit.yaml:19:31 unknown-name
}

// A date outside every phase names the phases there are.
func ExampleLibrary_At() {
	lib, _ := rules.LoadPolicy(rulesets.FS, ".", rulesets.DefaultPolicy)
	_, err := lib.At(time.Date(2019, 5, 1, 0, 0, 0, 0, time.UTC))
	fmt.Println(errors.Is(err, rules.ErrNoPhase))
	fmt.Println(err)
	// Output:
	// true
	// no rule set in force on 2019-05-01; the phases available are hatinh-nq179-2020-2025 (2020-01-01 to 2025-12-31), hatinh-draft-2026-2030 (2026-01-01 to 2030-12-31)
}
