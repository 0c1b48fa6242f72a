package allocation

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/hotro-vn/hotro/admin"
	"github.com/hotro-vn/hotro/eligibility"
	"github.com/hotro-vn/hotro/internal/table"
	"github.com/shopspring/decimal"
)

// Paid is one payment as made (plan III.3): in a month, by a payer, to a
// subject, an amount, by a method, through a focal organisation, with its
// receipt number. Source, when given, is the source of mobilisation; it is
// needed when the payer is not a unit (a family or a clan).
type Paid struct {
	Month   eligibility.Month `json:"month"`
	Payer   string            `json:"payer_id"`
	Subject string            `json:"person_id"`
	Amount  decimal.Decimal   `json:"amount"`
	Method  string            `json:"method"`
	Focal   string            `json:"focal_id,omitempty"`
	Receipt string            `json:"receipt_no"`
	Source  string            `json:"source,omitempty"`
}

// PaidRecord is one payment as read, with what is wrong with it.
type PaidRecord struct {
	Line int
	Paid Paid
	Err  error
}

var (
	paidFields   = []string{"month", "payer_id", "person_id", "amount", "method", "focal_id", "receipt_no", "source"}
	paidRequired = []string{"month", "payer_id", "person_id", "amount", "receipt_no"}
	paids        = table.NewSchema(paidFields, paidRequired)
)

// ReadPayments reads payment records from r, a CSV file or a JSON array,
// like ReadUnits: the method's and the source's values and the
// payment_record rules are v's. Every row gives a record, a bad row has
// Err set.
func ReadPayments(r io.Reader, format Format, v *Vocabulary) ([]PaidRecord, []string, error) {
	return readWith(v, PaymentRecordModel, paidFields, r, format, paidRecord(v))
}

// ReadPaymentsFile reads the .csv or .json file of payments at path.
func ReadPaymentsFile(path string, v *Vocabulary) ([]PaidRecord, []string, error) {
	return readFileWith(v, PaymentRecordModel, paidFields, path, paidRecord(v))
}

func paidRecord(v *Vocabulary) func(*row) PaidRecord {
	return func(rw *row) PaidRecord {
		rec := PaidRecord{Line: rw.line, Err: rw.err}
		if rw.err == nil {
			rec.Paid, rec.Err = rw.paid(v)
		}
		return rec
	}
}

func (r *row) paid(v *Vocabulary) (Paid, error) {
	r.need(paidRequired...)
	p := Paid{Payer: r.vals["payer_id"], Subject: r.vals["person_id"], Focal: r.vals["focal_id"], Receipt: r.vals["receipt_no"]}
	if s := r.vals["month"]; s != "" {
		m, err := eligibility.ParseMonth(s)
		if err != nil {
			r.fail("month", s, "want YYYY-MM")
		}
		p.Month = m
	}
	p.Amount = r.money("amount")
	p.Method = r.enum(v, PaymentRecordModel, "method")
	p.Source = r.enum(v, PaymentRecordModel, "source")
	r.check(v, PaymentRecordModel)
	return p, r.done()
}

// PairMonth is one sponsor and one subject in one month: what was pledged
// and paid, and the balance carried.
type PairMonth struct {
	Month   eligibility.Month `json:"month"`
	Sponsor string            `json:"sponsor_id"`
	Subject string            `json:"person_id"`
	Focal   string            `json:"focal_id,omitempty"`
	Pledged decimal.Decimal   `json:"pledged"`
	Paid    decimal.Decimal   `json:"paid"`
	// Unpaid is this month's pledge not paid this month; Arrears what is
	// owed at the end of the month, earlier months included; Overpaid what
	// has been paid beyond every pledge so far (a credit).
	Unpaid   decimal.Decimal `json:"unpaid"`
	Arrears  decimal.Decimal `json:"arrears"`
	Overpaid decimal.Decimal `json:"overpaid"`
}

// Tally sums a month of one area, sponsor, focal organisation or subject.
type Tally struct {
	Month eligibility.Month `json:"month"`
	// Level is subject, sponsor, focal, commune, district or province.
	Level string `json:"level"`
	Code  string `json:"code"`
	// Due is the top-ups due to the subjects (not for sponsor and focal
	// rows, where it is the due of the subjects they sponsor).
	Due      decimal.Decimal `json:"due"`
	Pledged  decimal.Decimal `json:"pledged"`
	Paid     decimal.Decimal `json:"paid"`
	Unpaid   decimal.Decimal `json:"unpaid"`
	Arrears  decimal.Decimal `json:"arrears"`
	Overpaid decimal.Decimal `json:"overpaid"`
	// Short is the top-up due not paid to the subjects this month.
	Short decimal.Decimal `json:"short"`
}

// SourceTotal is what was paid in an area from one source of mobilisation.
type SourceTotal struct {
	Level  string          `json:"level"`
	Code   string          `json:"code"`
	Source string          `json:"source"`
	Paid   decimal.Decimal `json:"paid"`
}

// Reconciliation is the monitoring's pledges against the payments made.
type Reconciliation struct {
	Payments []PaidStatus  `json:"payments"`
	Pairs    []PairMonth   `json:"pairs"`
	Tallies  []Tally       `json:"tallies"`
	Sources  []SourceTotal `json:"sources"`
	Months   []MonthRow    `json:"-"`
	from, to eligibility.Month
}

// PaidStatus is a payment record checked.
type PaidStatus struct {
	Line int `json:"line,omitempty"`
	Paid
	Note  string `json:"note,omitempty"`
	Error string `json:"error,omitempty"`
}

// Levels of the tallies.
var TallyLevels = []string{"subject", "sponsor", "focal", "commune", "district", "province"}

// Reconcile checks the payments against the monitoring m (what is due and
// pledged each month from m.From to m.To) and carries, for each sponsor
// and subject, the arrears and credits month to month. persons give each
// subject's commune; units each payer's source of mobilisation. A payment
// outside the months, to an unknown subject, or with a receipt number seen
// before is an error and counts nowhere; a payment without a pledge is
// counted, with a note.
func Reconcile(m *Monitoring, persons []eligibility.Record, units []UnitRecord, paid []PaidRecord) *Reconciliation {
	rc := &Reconciliation{from: m.From, to: m.To, Months: m.Months}
	commune := map[string]string{}
	for _, p := range persons {
		if p.Err == nil {
			commune[p.ID] = p.Text("commune_code")
		}
	}
	source := map[string]string{}
	for _, u := range units {
		if u.Err == nil {
			source[u.Unit.ID] = u.Unit.Source
		}
	}
	type key struct {
		month            eligibility.Month
		sponsor, subject string
	}
	pairs := map[key]*PairMonth{}
	var order []key
	pair := func(k key) *PairMonth {
		p := pairs[k]
		if p == nil {
			p = &PairMonth{Month: k.month, Sponsor: k.sponsor, Subject: k.subject, Pledged: decimal.Zero, Paid: decimal.Zero}
			pairs[k] = p
			order = append(order, k)
		}
		return p
	}
	for _, pl := range m.Payments {
		p := pair(key{pl.Month, pl.Sponsor, pl.Beneficiary})
		p.Pledged = p.Pledged.Add(pl.Amount)
		p.Focal = pl.Focal
	}
	seen := map[string]int{}
	for _, r := range paid {
		if r.Err == nil {
			seen[r.Paid.Receipt]++
		}
	}
	bySource := map[[3]string]decimal.Decimal{}
	for _, r := range paid {
		st := PaidStatus{Line: r.Line, Paid: r.Paid}
		var errs []error
		if r.Err != nil {
			errs = append(errs, r.Err)
		} else {
			p := r.Paid
			if seen[p.Receipt] > 1 {
				errs = append(errs, fmt.Errorf("receipt_no %q appears %d times", p.Receipt, seen[p.Receipt]))
			}
			if _, ok := commune[p.Subject]; !ok {
				errs = append(errs, fmt.Errorf("person_id %q is not in the persons file", p.Subject))
			}
			if p.Month.Before(m.From) || m.To.Before(p.Month) {
				errs = append(errs, fmt.Errorf("month %s is outside %s to %s", p.Month, m.From, m.To))
			}
			src := cmp.Or(p.Source, source[p.Payer])
			if src == "" {
				errs = append(errs, fmt.Errorf("payer %q is not a unit with a source of mobilisation: give the source (family, other …)", p.Payer))
			}
			if len(errs) == 0 {
				pm := pair(key{p.Month, p.Payer, p.Subject})
				if pm.Pledged.IsZero() {
					st.Note = "no pledge by this payer for this person this month"
				}
				pm.Paid = pm.Paid.Add(p.Amount)
				if pm.Focal == "" {
					pm.Focal = p.Focal
				}
				for _, a := range areasOf(commune[p.Subject]) {
					k := [3]string{a[0], a[1], src}
					bySource[k] = bySource[k].Add(p.Amount)
				}
			}
		}
		if len(errs) > 0 {
			st.Error = strings.ReplaceAll(errors.Join(errs...).Error(), "\n", "; ")
		}
		rc.Payments = append(rc.Payments, st)
	}
	// Carry each pair's balance month to month.
	slices.SortFunc(order, func(x, y key) int {
		return cmp.Or(cmp.Compare(x.sponsor, y.sponsor), cmp.Compare(x.subject, y.subject), monthCmp(x.month, y.month))
	})
	balance := decimal.Zero
	for i, k := range order {
		if i == 0 || order[i-1].sponsor != k.sponsor || order[i-1].subject != k.subject {
			balance = decimal.Zero
		}
		p := pairs[k]
		balance = balance.Add(p.Pledged).Sub(p.Paid)
		p.Unpaid = decimal.Max(decimal.Zero, p.Pledged.Sub(p.Paid))
		p.Arrears = decimal.Max(decimal.Zero, balance)
		p.Overpaid = decimal.Max(decimal.Zero, balance.Neg())
		rc.Pairs = append(rc.Pairs, *p)
	}
	slices.SortFunc(rc.Pairs, func(x, y PairMonth) int {
		return cmp.Or(monthCmp(x.Month, y.Month), cmp.Compare(x.Sponsor, y.Sponsor), cmp.Compare(x.Subject, y.Subject))
	})
	rc.tally(commune)
	for k, v := range bySource {
		rc.Sources = append(rc.Sources, SourceTotal{Level: k[0], Code: k[1], Source: k[2], Paid: v})
	}
	slices.SortFunc(rc.Sources, func(x, y SourceTotal) int {
		return cmp.Or(cmp.Compare(slices.Index(TallyLevels, x.Level), slices.Index(TallyLevels, y.Level)), cmp.Compare(x.Code, y.Code), cmp.Compare(x.Source, y.Source))
	})
	return rc
}

// areasOf is the commune, district and province of a commune code, before
// or after the 2025 reform.
func areasOf(code string) [][2]string {
	reg := admin.Default()
	c, ok := reg.Lookup(code)
	if !ok {
		c, ok = reg.LookupReformed(code)
	}
	if !ok {
		return nil
	}
	out := [][2]string{{"commune", c.Code}}
	if c.DistrictCode != "" {
		out = append(out, [2]string{"district", c.DistrictCode})
	}
	return append(out, [2]string{"province", c.ProvinceCode})
}

// tally sums the pairs and the month rows by subject, sponsor, focal
// organisation and area.
func (rc *Reconciliation) tally(commune map[string]string) {
	type key struct {
		month       eligibility.Month
		level, code string
	}
	sums := map[key]*Tally{}
	get := func(month eligibility.Month, level, code string) *Tally {
		k := key{month, level, code}
		t := sums[k]
		if t == nil {
			z := decimal.Zero
			t = &Tally{Month: month, Level: level, Code: code, Due: z, Pledged: z, Paid: z, Unpaid: z, Arrears: z, Overpaid: z, Short: z}
			sums[k] = t
		}
		return t
	}
	paidTo := map[key]decimal.Decimal{}
	for _, p := range rc.Pairs {
		levels := [][2]string{{"subject", p.Subject}, {"sponsor", p.Sponsor}}
		if p.Focal != "" {
			levels = append(levels, [2]string{"focal", p.Focal})
		}
		levels = append(levels, areasOf(commune[p.Subject])...)
		for _, l := range levels {
			t := get(p.Month, l[0], l[1])
			t.Pledged, t.Paid = t.Pledged.Add(p.Pledged), t.Paid.Add(p.Paid)
			t.Unpaid, t.Arrears, t.Overpaid = t.Unpaid.Add(p.Unpaid), t.Arrears.Add(p.Arrears), t.Overpaid.Add(p.Overpaid)
		}
		k := key{p.Month, "subject", p.Subject}
		paidTo[k] = paidTo[k].Add(p.Paid)
	}
	for _, r := range rc.Months {
		if r.Due.IsZero() {
			continue
		}
		short := decimal.Max(decimal.Zero, r.Due.Sub(paidTo[key{r.Month, "subject", r.PersonID}]))
		levels := append([][2]string{{"subject", r.PersonID}}, areasOf(commune[r.PersonID])...)
		for _, l := range levels {
			t := get(r.Month, l[0], l[1])
			t.Due, t.Short = t.Due.Add(r.Due), t.Short.Add(short)
		}
	}
	for _, t := range sums {
		rc.Tallies = append(rc.Tallies, *t)
	}
	slices.SortFunc(rc.Tallies, func(x, y Tally) int {
		return cmp.Or(monthCmp(x.Month, y.Month), cmp.Compare(slices.Index(TallyLevels, x.Level), slices.Index(TallyLevels, y.Level)), cmp.Compare(x.Code, y.Code))
	})
}

// Tally returns the tally of a month, level and code (zero when none).
func (rc *Reconciliation) Tally(month eligibility.Month, level, code string) Tally {
	for _, t := range rc.Tallies {
		if t.Month == month && t.Level == level && t.Code == code {
			return t
		}
	}
	return Tally{Month: month, Level: level, Code: code}
}

func monthCmp(x, y eligibility.Month) int {
	return cmp.Or(cmp.Compare(x.Year, y.Year), cmp.Compare(x.Month, y.Month))
}
