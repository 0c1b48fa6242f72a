package eligibility_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hotro-vn/hotro/eligibility"
	"github.com/shopspring/decimal"
)

// Decide for one person: a 70-year-old in a rural commune with an allowance
// of 270,000 đ in June 2020, when the rural poverty line was 700,000 đ.
func ExampleEngine_Decide() {
	engine, err := eligibility.Default()
	if err != nil {
		fmt.Println(err)
		return
	}
	p := eligibility.Person{
		ID: "HT-0001", HouseholdID: "HH-001", BirthDate: time.Date(1950, 3, 15, 0, 0, 0, 0, time.UTC),
		CommuneCode: "18112", Resident: eligibility.Bool(true), HouseholdPoor: eligibility.Bool(true), HouseholdCategory: "btxh",
		Disability: "none", MonthlyAllowance: decimal.NewNullDecimal(decimal.NewFromInt(270000)),
	}
	d, err := engine.Decide(p, time.Date(2020, 6, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		fmt.Println(err)
		return
	}
	zone, _ := d.Value("zone")
	fmt.Println(d.Eligible, d.MonthlyTopup, zone, d.Commune.Name, d.RuleSet)
	for _, r := range d.Reasons() {
		fmt.Println(r.Pass, r.Rule, "—", r.Cites)
	}
	// Output:
	// true 430000 rural Xã Thạch Bình hatinh-nq179-2020-2025
	// true poor_household — Điều 2 Nghị quyết 179/2019/NQ-HĐND
	// true social_protection_household — Điều 2 Nghị quyết 179/2019/NQ-HĐND
	// true resident — khoản 1 Điều 3 Nghị quyết 179/2019/NQ-HĐND
	// true no_labour_capacity_group — khoản 1 Điều 3 Nghị quyết 179/2019/NQ-HĐND (theo mẫu Nghị quyết 151/2019/NQ-HĐND)
	// true not_in_care_facility — khoản 1 Điều 3 Nghị quyết 179/2019/NQ-HĐND
}

// A schedule uses each month's own parameters: the social assistance base
// rises to 360,000 đ in July 2021 and the rural line to 1,500,000 đ in
// January 2022 (allowance coefficient 1.0).
func ExampleEngine_Schedule() {
	engine, _ := eligibility.Default()
	p := eligibility.Person{
		ID: "HT-0005", HouseholdID: "HH-003", BirthDate: time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC),
		CommuneCode: "18112", Resident: eligibility.Bool(true), HouseholdPoor: eligibility.Bool(true), HouseholdCategory: "btxh",
		Disability: "none", AllowanceCoefficient: decimal.NewNullDecimal(decimal.NewFromInt(1)),
	}
	from, _ := eligibility.ParseMonth("2021-05")
	to, _ := eligibility.ParseMonth("2022-02")
	s, err := engine.Schedule(p, from, to)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, m := range s.Months {
		fmt.Println(m.Month, m.MonthlyTopup)
	}
	fmt.Println("total", s.Total)
	// Output:
	// 2021-05 430000
	// 2021-06 430000
	// 2021-07 340000
	// 2021-08 340000
	// 2021-09 340000
	// 2021-10 340000
	// 2021-11 340000
	// 2021-12 340000
	// 2022-01 1140000
	// 2022-02 1140000
	// total 5180000
}

// A batch keeps every record: a bad one becomes an error row.
func ExampleWriteCSV() {
	engine, _ := eligibility.Default()
	day := time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC)
	schema, err := engine.Schema(day)
	if err != nil {
		fmt.Println(err)
		return
	}
	var recs []eligibility.Record
	_, err = schema.ReadCSV(strings.NewReader(`person_id,household_id,birth_date,commune_code,household_poor,household_category,monthly_allowance
A1,H1,1945-02-03,18073,true,btxh,500000
A2,H2,1990-02-30,18073,true,btxh,500000
`), func(r eligibility.Record) { recs = append(recs, r) })
	if err != nil {
		fmt.Println(err)
		return
	}
	outs, _ := engine.DecideAll(context.Background(), recs, day)
	var b strings.Builder
	eligibility.WriteCSV(&b, outs, false)
	fmt.Print(b.String())
	// Output:
	// person_id,eligible,monthly_topup,failed_rules,error
	// A1,true,1500000,,
	// A2,,,,"line 3: birth_date ""1990-02-30"": not a real date (want YYYY-MM-DD)"
}
