// Command gen writes the Hà Tĩnh example data set: persons.csv (docs/policy.md
// §10), units.csv and commitments.csv (docs/records.md), made by package
// allocation/synth from the real commune list with a fixed seed, so that
// running it again gives the same files byte for byte.
//
//	go run ./examples/hatinh/gen -out examples/hatinh
//
// The commitments are the pledges of a plan made on 2020-06-01: each
// sponsor pledges its beneficiary's top-up rounded up to 50,000 đ (the
// practice of Hà Tĩnh city in 2020), a share rounded up to 10,000 đ, for
// the whole phase or for one to three years; a handful are left without an
// amount or a duration, or run past the phase, to show how they are
// reported.
//
// With -national DIR it writes instead the national-scale set of the
// benchmarks (1,000,000 persons over the 10,047 communes, 100,000 units)
// to DIR, which is not meant to be committed.
package main

import (
	"encoding/csv"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hotro-vn/hotro/admin"
	"github.com/hotro-vn/hotro/allocation"
	"github.com/hotro-vn/hotro/allocation/synth"
	"github.com/hotro-vn/hotro/eligibility"
	"github.com/shopspring/decimal"
)

// planDate is the day the example plan, and so its commitments, is made.
var planDate = time.Date(2020, 6, 1, 0, 0, 0, 0, time.UTC)

func main() {
	out := flag.String("out", "examples/hatinh", "directory for the Hà Tĩnh files")
	national := flag.String("national", "", "write the national-scale persons and units to this directory instead")
	large := flag.String("large", "", "write 1,000,000 persons and 100,000 units in Hà Tĩnh (synth.HaTinhLarge) to this directory instead")
	persons := flag.Int("persons", synth.HaTinhLarge.Persons, "with -large: this many persons, and a tenth as many units")
	flag.Parse()
	if *large != "" {
		if *persons < 10 {
			fmt.Fprintln(os.Stderr, "gen: -persons must be at least 10")
			os.Exit(2)
		}
		cfg := synth.HaTinhLarge
		cfg.Persons, cfg.Units = *persons, *persons/10
		d := synth.Generate(cfg)
		if err := writePersons(filepath.Join(*large, "persons.csv"), d.Persons); err != nil {
			fmt.Fprintln(os.Stderr, "gen:", err)
			os.Exit(1)
		}
		if err := writeUnits(filepath.Join(*large, "units.csv"), d.Units); err != nil {
			fmt.Fprintln(os.Stderr, "gen:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(*out, *national); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(out, national string) error {
	if national != "" {
		d := synth.Generate(synth.National)
		if err := writePersons(filepath.Join(national, "persons.csv"), d.Persons); err != nil {
			return err
		}
		return writeUnits(filepath.Join(national, "units.csv"), d.Units)
	}
	d := synth.Generate(synth.HaTinh)
	if err := writePersons(filepath.Join(out, "persons.csv"), d.Persons); err != nil {
		return err
	}
	if err := writeUnits(filepath.Join(out, "units.csv"), d.Units); err != nil {
		return err
	}
	cs, err := commitments(d)
	if err != nil {
		return err
	}
	if err := writeCommitments(filepath.Join(out, "commitments.csv"), cs); err != nil {
		return err
	}
	if err := writePayments(filepath.Join(out, "payments.csv"), cs); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "%d persons in %d households, %d units, %d commitments\n", len(d.Persons), d.Households, len(d.Units), len(cs))
	return nil
}

// commitments turns the plan of planDate into pledges.
func commitments(d synth.Data) ([]allocation.Commitment, error) {
	e, err := eligibility.Default()
	if err != nil {
		return nil, err
	}
	p, err := allocation.New(e.Library())
	if err != nil {
		return nil, err
	}
	recs := make([]eligibility.Record, len(d.Persons))
	for i, person := range d.Persons {
		recs[i] = person.Record(i + 2)
	}
	units := make([]allocation.UnitRecord, len(d.Units))
	for i, u := range d.Units {
		units[i] = allocation.UnitRecord{Line: i + 2, Unit: u}
	}
	plan, err := p.PlanRecords(e, planDate, units, recs, true)
	if err != nil {
		return nil, err
	}
	kind := map[string]string{}
	area := map[string]string{} // the name of the area whose UBND and MTTQ sign the unit's commitments
	for _, u := range d.Units {
		kind[u.ID] = u.Kind
		area[u.ID] = areaName(u.Place)
	}
	r := rand.New(rand.NewPCG(2020, 6))
	var out []allocation.Commitment
	for _, s := range plan.Sponsorships {
		for _, sh := range s.Shares {
			step := int64(50000)
			c := allocation.Commitment{Sponsor: sh.Unit, Beneficiaries: []string{s.Beneficiary}, First: eligibility.MonthOf(planDate), Method: allocation.MethodCash,
				Committee: "UBND " + area[sh.Unit], Front: "Ủy ban MTTQ " + area[sh.Unit]}
			if len(s.Shares) > 1 {
				step, c.Focal = 10000, s.Focal
			}
			c.Amount = sh.Amount.Div(decimal.NewFromInt(step)).Ceil().Mul(decimal.NewFromInt(step))
			switch x := r.IntN(100); {
			case x < 60:
				c.WholePhase = true
			case x < 85:
				c.Months = 12
			case x < 95:
				c.Months = 24
			default:
				c.Months = 36
			}
			if k := kind[sh.Unit]; k == allocation.KindBusiness || k == allocation.KindPhilanthropist || r.IntN(4) == 0 {
				c.Method = allocation.MethodTransfer
			}
			out = append(out, c)
		}
	}
	// A few pledges as they arrive in practice: without an amount, without
	// a duration, and signed late in the phase for a year.
	for i := range out {
		switch i % 2000 {
		case 101:
			out[i].Amount = decimal.Zero
		case 202:
			out[i].Months, out[i].WholePhase = 0, false
		case 303:
			out[i].First, out[i].Months, out[i].WholePhase = eligibility.Month{Year: 2025, Month: time.June}, 12, false
		}
		out[i].ID = fmt.Sprintf("C%06d", i+1)
	}
	return out, nil
}

func create(path string, header []string) (*os.File, *csv.Writer, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, nil, err
	}
	w := csv.NewWriter(f)
	return f, w, w.Write(header)
}

func finish(f *os.File, w *csv.Writer) error {
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func opt(d decimal.NullDecimal) string {
	if !d.Valid {
		return ""
	}
	return d.Decimal.String()
}

func flag01(b bool) string {
	if b {
		return "true"
	}
	return ""
}

func writePersons(path string, ps []eligibility.Person) error {
	f, w, err := create(path, []string{"person_id", "household_id", "full_name", "birth_date", "commune_code", "household_poor", "household_category",
		"disability", "serious_illness", "in_care_facility", "allowance_coefficient", "monthly_allowance", "other_income"})
	if err != nil {
		return err
	}
	for _, p := range ps {
		other := ""
		if p.OtherIncome.Valid && !p.OtherIncome.Decimal.IsZero() {
			other = p.OtherIncome.Decimal.String()
		}
		disability := p.Disability
		if disability == "none" {
			disability = ""
		}
		w.Write([]string{p.ID, p.HouseholdID, p.FullName, p.BirthDate.Format(time.DateOnly), p.CommuneCode, "true", p.HouseholdCategory,
			disability, flag01(p.SeriousIllness != nil && *p.SeriousIllness), flag01(p.InCareFacility != nil && *p.InCareFacility), opt(p.AllowanceCoefficient), opt(p.MonthlyAllowance), other})
	}
	return finish(f, w)
}

func writeUnits(path string, us []allocation.Unit) error {
	f, w, err := create(path, []string{"unit_id", "name", "level", "kind", "place", "staff", "source", "capacity_persons", "monthly_amount", "reach"})
	if err != nil {
		return err
	}
	num := func(n int) string {
		if n == 0 {
			return ""
		}
		return fmt.Sprint(n)
	}
	for _, u := range us {
		amount := ""
		if !u.Amount.IsZero() {
			amount = u.Amount.String()
		}
		w.Write([]string{u.ID, u.Name, u.Level, u.Kind, u.Place, num(u.Staff), u.Source, num(u.Persons), amount, u.Reach})
	}
	return finish(f, w)
}

func writeCommitments(path string, cs []allocation.Commitment) error {
	f, w, err := create(path, []string{"commitment_id", "sponsor_id", "beneficiary_ids", "monthly_amount", "first_month", "duration", "method", "focal_id", "committee", "front", "in_kind"})
	if err != nil {
		return err
	}
	for _, c := range cs {
		duration := ""
		switch {
		case c.WholePhase:
			duration = "phase"
		case c.Months > 0:
			duration = fmt.Sprint(c.Months)
		}
		amount := ""
		if c.Amount.Sign() > 0 {
			amount = c.Amount.String()
		}
		w.Write([]string{c.ID, c.Sponsor, strings.Join(c.Beneficiaries, ";"), amount, c.First.String(), duration, c.Method, c.Focal, c.Committee, c.Front, c.InKind})
	}
	return finish(f, w)
}

// writePayments writes what the sponsors paid from 2021-12 to 2022-02, the
// months around the line rise: each valid pledge paid as pledged, except
// that one pledge in 50 is paid nothing in December and January and
// caught up in February (three months at once), and one in 70 is paid
// 50,000 đ a month more than pledged. A family adds 100,000 đ a month for
// one subject in 100.
func writePayments(path string, cs []allocation.Commitment) error {
	f, w, err := create(path, []string{"month", "payer_id", "person_id", "amount", "method", "focal_id", "receipt_no", "source"})
	if err != nil {
		return err
	}
	months := []eligibility.Month{{Year: 2021, Month: time.December}, {Year: 2022, Month: time.January}, {Year: 2022, Month: time.February}}
	n := 0
	for i, c := range cs {
		if c.Amount.Sign() <= 0 || (c.Months == 0 && !c.WholePhase) {
			continue
		}
		last := eligibility.MonthOf(c.First.First().AddDate(0, c.Months-1, 0))
		for j, m := range months {
			if m.Before(c.First) || (!c.WholePhase && last.Before(m)) {
				continue
			}
			amt := c.Amount
			switch {
			case i%50 == 7 && j < 2:
				continue
			case i%50 == 7:
				amt = amt.Mul(decimal.NewFromInt(3))
			case i%70 == 11:
				amt = amt.Add(decimal.NewFromInt(50000))
			}
			for _, b := range c.Beneficiaries {
				n++
				if err := w.Write([]string{m.String(), c.Sponsor, b, amt.String(), c.Method, c.Focal, fmt.Sprintf("BL%07d", n), ""}); err != nil {
					return err
				}
				if i%100 == 3 {
					n++
					if err := w.Write([]string{m.String(), "GD-" + b, b, "100000", allocation.MethodCash, "", fmt.Sprintf("BL%07d", n), "family"}); err != nil {
						return err
					}
				}
			}
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// areaName names the commune, district or province of a unit's place.
func areaName(place string) string {
	reg := admin.Default()
	if c, ok := reg.Lookup(place); ok {
		return c.Name
	}
	for _, d := range reg.Districts("42") {
		if d.Code == place {
			return d.Name
		}
	}
	return "tỉnh Hà Tĩnh"
}
