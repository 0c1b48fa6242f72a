package allocation_test

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/hotro-vn/hotro/admin"
	"github.com/hotro-vn/hotro/allocation"
	"github.com/hotro-vn/hotro/eligibility"
	"github.com/shopspring/decimal"
)

// Plan three beneficiaries of Xã Thạch Bình with a commune unit and a
// district business: the commune meets its quota of min(2, 3) = 2, the
// business takes the third.
func ExamplePlanner_Plan() {
	p, err := allocation.Default()
	if err != nil {
		fmt.Println(err)
		return
	}
	thachBinh, _ := admin.Default().Lookup("18112")
	var bens []allocation.Beneficiary
	for _, id := range []string{"p1", "p2", "p3"} {
		bens = append(bens, allocation.Beneficiary{ID: id, Commune: thachBinh, Topup: decimal.NewFromInt(430000)})
	}
	units := []allocation.Unit{
		{ID: "xa-thach-binh", Level: "commune", Kind: allocation.KindCommune, Place: "18112", Persons: 2},
		{ID: "cong-ty-a", Level: "district", Kind: allocation.KindBusiness, Source: "businesses", Place: "436", Amount: decimal.NewFromInt(1000000)},
	}
	plan, err := p.Plan(time.Date(2020, 6, 1, 0, 0, 0, 0, time.UTC), units, bens)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, u := range plan.Units {
		fmt.Printf("%s: %s owes %d, sponsors %d, met %t\n", u.ID, u.Rule, u.Obligation, u.Sponsored, u.Met)
	}
	for _, s := range plan.Sponsorships {
		fmt.Printf("%s: %s level, sponsor %s\n", s.Beneficiary, s.Level, s.Focal)
	}
	// Output:
	// cong-ty-a: businesses owes 0, sponsors 1, met true
	// xa-thach-binh: commune_min owes 2, sponsors 2, met true
	// p1: district level, sponsor cong-ty-a
	// p2: commune level, sponsor xa-thach-binh
	// p3: commune level, sponsor xa-thach-binh
}

// A pledge of 450,000 đ a month made in 2020 covers a rural top-up of
// 700,000 − 270,000 = 430,000 until the poverty line rises to 1,500,000 in
// 2022; then it falls 780,000 short every month.
func ExampleMonitor() {
	e, err := eligibility.Default()
	if err != nil {
		fmt.Println(err)
		return
	}
	person := eligibility.Person{ID: "p1", HouseholdID: "h1", BirthDate: time.Date(1950, 3, 15, 0, 0, 0, 0, time.UTC),
		CommuneCode: "18112", Resident: eligibility.Bool(true), HouseholdPoor: eligibility.Bool(true), HouseholdCategory: "btxh", Disability: "none",
		MonthlyAllowance: decimal.NewNullDecimal(decimal.NewFromInt(270000))}.Record(0)
	pledge := allocation.Commitment{ID: "c1", Sponsor: "u1", Beneficiaries: []string{"p1"}, Amount: decimal.NewFromInt(450000),
		First: eligibility.Month{Year: 2020, Month: time.January}, WholePhase: true, Method: allocation.MethodCash}
	m, err := allocation.Monitor(e, []eligibility.Record{person}, []allocation.CommitmentRecord{{Commitment: pledge}}, nil,
		eligibility.Month{Year: 2021, Month: time.December}, eligibility.Month{Year: 2022, Month: time.January})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := m.WriteCSV(os.Stdout, allocation.ReportMonths); err != nil {
		fmt.Println(err)
	}
	// Output:
	// month,person_id,eligible,due,pledged,shortfall,sponsors,focal_id,note
	// 2021-12,p1,true,430000,450000,0,u1,u1,
	// 2022-01,p1,true,1230000,450000,780000,u1,u1,
}

// MonitorSorted reads the persons again for each month instead of holding
// them: here the source is a slice, as a program would reopen its file. The
// rows are those of Monitor; each month's come as they are decided.
func ExampleMonitorSorted() {
	e, err := eligibility.Default()
	if err != nil {
		fmt.Println(err)
		return
	}
	person := eligibility.Person{ID: "p1", HouseholdID: "h1", BirthDate: time.Date(1950, 3, 15, 0, 0, 0, 0, time.UTC),
		CommuneCode: "18112", Resident: eligibility.Bool(true), HouseholdPoor: eligibility.Bool(true), HouseholdCategory: "btxh", Disability: "none",
		MonthlyAllowance: decimal.NewNullDecimal(decimal.NewFromInt(270000))}.Record(0)
	pledge := allocation.Commitment{ID: "c1", Sponsor: "u1", Beneficiaries: []string{"p1"}, Amount: decimal.NewFromInt(450000),
		First: eligibility.Month{Year: 2020, Month: time.January}, WholePhase: true, Method: allocation.MethodCash}
	persons := func() eligibility.Source { return eligibility.FromSlice([]eligibility.Record{person}) }
	_, err = allocation.MonitorSorted(e, []string{"p1"}, persons, []allocation.CommitmentRecord{{Commitment: pledge}}, nil,
		eligibility.Month{Year: 2021, Month: time.December}, eligibility.Month{Year: 2022, Month: time.January},
		func(month eligibility.Month, rows []allocation.MonthRow, _ []allocation.Payment) error {
			for _, r := range rows {
				fmt.Println(month, r.PersonID, r.Due, r.Pledged, r.Shortfall)
			}
			return nil
		})
	if err != nil {
		fmt.Println(err)
	}
	// Output:
	// 2021-12 p1 430000 450000 0
	// 2022-01 p1 1230000 450000 780000
}

// A national caseload's commitments are read into a book, each checked
// as it is read and kept compactly, then monitored like records: here
// with the persons held (CommitmentBook.MonitorSorted reads them again
// each month instead). The second commitment names no duration.
func ExampleReadCommitmentBook() {
	e, err := eligibility.Default()
	if err != nil {
		fmt.Println(err)
		return
	}
	p, err := allocation.Default()
	if err != nil {
		fmt.Println(err)
		return
	}
	v, err := p.Vocabulary(time.Date(2021, 12, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		fmt.Println(err)
		return
	}
	book, _, err := allocation.ReadCommitmentBook(strings.NewReader(
		"commitment_id,sponsor_id,beneficiary_ids,monthly_amount,first_month,duration,method\n"+
			"c1,u1,p1,450000,2020-01,phase,cash\n"+
			"c2,u1,p1,100000,2020-01,,cash\n"), allocation.CSV, v, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	person := eligibility.Person{ID: "p1", HouseholdID: "h1", BirthDate: time.Date(1950, 3, 15, 0, 0, 0, 0, time.UTC),
		CommuneCode: "18112", Resident: eligibility.Bool(true), HouseholdPoor: eligibility.Bool(true), HouseholdCategory: "btxh", Disability: "none",
		MonthlyAllowance: decimal.NewNullDecimal(decimal.NewFromInt(270000))}.Record(0)
	m, err := book.MonitorStream(e, []eligibility.Record{person}, eligibility.Month{Year: 2021, Month: time.December}, eligibility.Month{Year: 2022, Month: time.January},
		func(month eligibility.Month, rows []allocation.MonthRow, _ []allocation.Payment) error {
			for _, r := range rows {
				fmt.Println(month, r.PersonID, r.Due, r.Pledged, r.Shortfall)
			}
			return nil
		})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(book.Len(), "commitments:")
	for c := range m.AllCommitments() {
		if c.Error != "" {
			fmt.Printf("%s: %s\n", c.ID, c.Error)
			continue
		}
		fmt.Printf("%s: runs to %s\n", c.ID, c.Last)
	}
	// Output:
	// 2021-12 p1 430000 450000 0
	// 2022-01 p1 1230000 450000 780000
	// 2 commitments:
	// c1: runs to 2025-12
	// c2: line 3: duration: missing: a commitment must state how long it runs (months, years, or phase) (plan I.2)
}

// A commitment needs an amount and a duration (plan I.2).
func ExampleCommitment_Validate() {
	c := allocation.Commitment{ID: "c2", Sponsor: "u1", Beneficiaries: []string{"p1"}, First: eligibility.Month{Year: 2020, Month: time.June}, Method: "cash"}
	fmt.Println(c.Validate())
	// Output:
	// monthly_amount: a commitment must state a monthly amount above 0, or support in kind (plan I.2)
	// duration: a commitment must state how long it runs (plan I.2)
}
