package impact

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hotro-vn/hotro/admin"
	"github.com/hotro-vn/hotro/eligibility"
	"github.com/hotro-vn/hotro/rules"
	"github.com/shopspring/decimal"
)

// Change is a change of rules: the same persons decided under Base, the
// rules in force, and New, the rules proposed. Both engines are immutable,
// so a Change may be used by many goroutines at once.
type Change struct {
	Base *eligibility.Engine
	New  *eligibility.Engine
}

// Total is an amount under each rule set and their difference, New − Base.
type Total struct {
	Base  decimal.Decimal `json:"base"`
	New   decimal.Decimal `json:"new"`
	Delta decimal.Decimal `json:"delta"`
}

func (t Total) add(base, new decimal.Decimal) Total {
	b, n := t.Base.Add(base), t.New.Add(new)
	return Total{b, n, n.Sub(b)}
}

func (t Total) plus(o Total) Total { return t.add(o.Base, o.New) }

func (t Total) times(n int64) Total {
	m := decimal.NewFromInt(n)
	return Total{t.Base.Mul(m), t.New.Mul(m), t.Delta.Mul(m)}
}

func zero() Total { return Total{decimal.Zero, decimal.Zero, decimal.Zero} }

// Count is a number of persons (or units, or subjects) under each rule
// set and their difference, New − Base.
type Count struct {
	Base  int `json:"base"`
	New   int `json:"new"`
	Delta int `json:"delta"`
}

func (c Count) add(base, new int) Count {
	return Count{c.Base + base, c.New + new, c.New + new - c.Base - base}
}

func (c Count) plus(o Count) Count { return c.add(o.Base, o.New) }

// RuleSet identifies a rule set a comparison applied.
type RuleSet struct {
	ID    string `json:"id"`
	Hash  string `json:"hash"`
	Draft bool   `json:"draft,omitempty"`
}

func ruleSetOf(s *rules.Set) RuleSet {
	return RuleSet{ID: s.Meta.ID, Hash: s.Hash, Draft: s.Meta.Status == "draft"}
}

// Side is one person under one rule set.
type Side struct {
	// Eligible is the decision on the date; over months, eligible in at
	// least one of them. EligibleMonths counts the months.
	Eligible       bool `json:"eligible"`
	EligibleMonths int  `json:"eligible_months"`
	// Topup is the monthly top-up on the date; over months, the sum of
	// the months decided under both rule sets.
	Topup decimal.Decimal `json:"topup"`
	// Failed are the rules that failed on the date; over months, in any
	// month, in rule-set order.
	Failed []string `json:"failed_rules,omitempty"`
}

// Person is one input record compared under both rule sets.
type Person struct {
	ID   string `json:"person_id"`
	Line int    `json:"line,omitempty"` // of the record in its file
	// CommuneCode is as the record gives it; Commune as the rules resolved
	// it in the last month decided (zero when no month was decided).
	CommuneCode string        `json:"commune_code"`
	Commune     admin.Commune `json:"-"`
	Zone        string        `json:"zone,omitempty"`
	Base        Side          `json:"base"`
	New         Side          `json:"new"`
	// Delta is New.Topup − Base.Topup.
	Delta decimal.Decimal `json:"delta"`
	// Gained and Lost count the months in which the person is eligible
	// under one set and not the other (on a date: 0 or 1).
	Gained int `json:"gained_months"`
	Lost   int `json:"lost_months"`
	// Rules are the rules whose outcome differs between the two sets in
	// some month, in rule-set order; a rule only one set has counts as
	// passing under the other.
	Rules []string `json:"rules_changed,omitempty"`
	// Undecided counts the months left out of the totals because either
	// rule set could not decide the record; Err is the first such error.
	Undecided int   `json:"months_in_error,omitempty"`
	Err       error `json:"-"`

	gainedBy, lostBy []string // rules that changed in a month the person gained, lost
}

// Report is a comparison of two rule sets over the same persons. It holds
// every person and the totals per month and commune; the methods derive
// the rest. A Report is not changed by its methods and may be read by many
// goroutines.
type Report struct {
	// Date is the date of a comparison made with On; zero for Months.
	Date time.Time
	// From and To are the months compared (the date's month for On).
	From, To eligibility.Month
	// Base and New are the rule sets applied, in order of first use: more
	// than one when the months cross phases.
	Base, New []RuleSet
	// Persons has one entry per input record, in input order.
	Persons []Person

	months []eligibility.Month
	rules  []string // every rule id of either set, in order
	cells  []cell   // by month, then commune
	byRule []RuleChange
	// sum counts the persons as each is finished (its Total is filled by
	// Summary), so that a streamed report, which keeps no Persons, has
	// the same summary as one that keeps them all.
	sum Summary
	// firstErrs are the first persons in error (their ids and errors), as
	// many as the summary for people shows.
	firstErrs []Person
}

// cell is the totals of one month in one commune.
type cell struct {
	month         int // index in Report.months
	commune       admin.Commune
	base, new     decimal.Decimal // top-ups; Delta is computed once, in finish
	total         Total
	eligible      Count
	beneficiaries Count
	gained, lost  int
}

// On compares the persons of recs on date. Each record is decided on that
// date under each rule set; a record in error under either is reported with
// its error and left out of the totals. The error return is for a date one
// of the rule sets does not cover.
func (c Change) On(recs []eligibility.Record, date time.Time) (*Report, error) {
	return c.StreamOn(context.Background(), eligibility.FromSlice(recs), date, keep(len(recs)))
}

// Months compares the persons of recs in every month from from to to, both
// included, each month decided on its first day with the parameters in
// force then (as eligibility.Engine.Schedule does). A record in error in a
// month under either rule set is reported with its first error and left
// out of the totals for that month. The error return is for a range that
// runs backwards or a month one of the rule sets does not cover.
func (c Change) Months(recs []eligibility.Record, from, to eligibility.Month) (*Report, error) {
	return c.StreamMonths(context.Background(), eligibility.FromSlice(recs), from, to, keep(len(recs)))
}

// keep is the emit of On and Months: every person kept in the report.
func keep(n int) func(*Report, *Person) error {
	return func(r *Report, p *Person) error {
		if r.Persons == nil {
			r.Persons = make([]Person, 0, n)
		}
		r.Persons = append(r.Persons, *p)
		return nil
	}
}

// StreamOn is On over the records of src, read as the comparison goes:
// records are read a chunk at a time, each chunk decided under both rule
// sets, and each person, finished, is given to emit in input order (with
// the report, whose Date, From, To, Base and New are set) and then
// dropped, so memory is bounded by the chunk, not the file. The report
// returned has every total, count and rule change, and no Persons unless
// emit keeps them (Changed, Errors, Lost and Person read Persons). emit may
// be nil; an error from it, from src or from ctx stops the comparison.
func (c Change) StreamOn(ctx context.Context, src eligibility.Source, date time.Time, emit func(*Report, *Person) error) (*Report, error) {
	m := eligibility.MonthOf(date)
	return c.compare(ctx, src, []eligibility.Month{m}, []time.Time{date}, date, emit)
}

// StreamMonths is Months over the records of src, as StreamOn streams On:
// each chunk of records is decided in every month before the next is read.
func (c Change) StreamMonths(ctx context.Context, src eligibility.Source, from, to eligibility.Month, emit func(*Report, *Person) error) (*Report, error) {
	months, err := eligibility.Months(from, to)
	if err != nil {
		return nil, err
	}
	dates := make([]time.Time, len(months))
	for i, m := range months {
		dates[i] = m.First()
	}
	return c.compare(ctx, src, months, dates, time.Time{}, emit)
}

// chunk bounds the records and decisions held at once: a chunk's records
// are decided in every month under both sets, folded into its persons,
// and dropped with them once emitted, while the next chunk is read.
const chunk = 1 << 14

func (c Change) compare(ctx context.Context, src eligibility.Source, months []eligibility.Month, dates []time.Time, date time.Time, emit func(*Report, *Person) error) (*Report, error) {
	if c.Base == nil || c.New == nil {
		return nil, errors.New("impact: a change needs both a base and a new engine")
	}
	r := &Report{Date: date, From: months[0], To: months[len(months)-1], months: months}
	r.rules = ruleOrder(c.Base.Library(), c.New.Library())
	// Every month must be covered by both sets before any work is done.
	for _, d := range dates {
		for _, side := range []struct {
			name string
			e    *eligibility.Engine
			sets *[]RuleSet
		}{{"base", c.Base, &r.Base}, {"new", c.New, &r.New}} {
			s, err := side.e.Library().For(d)
			if err != nil {
				return nil, fmt.Errorf("%s rules: %w", side.name, err)
			}
			if id := ruleSetOf(s); !slices.Contains(*side.sets, id) {
				*side.sets = append(*side.sets, id)
			}
		}
	}
	cells := map[cellKey]*cell{}
	counts := map[string]*RuleChange{}
	var persons []Person // grows to the largest chunk, so a small comparison stays small
	flush := func(recs []eligibility.Record) error {
		persons = slices.Grow(persons[:0], len(recs))
		part := persons[:len(recs)]
		for i, rec := range recs {
			part[i] = Person{ID: rec.ID, Line: rec.Line, CommuneCode: rec.Text("commune_code"),
				Base: Side{Topup: decimal.Zero}, New: Side{Topup: decimal.Zero}, Delta: decimal.Zero}
		}
		for mi, d := range dates {
			base, err := c.Base.DecideAll(ctx, recs, d)
			if err != nil {
				return fmt.Errorf("base rules: %w", err)
			}
			neu, err := c.New.DecideAll(ctx, recs, d)
			if err != nil {
				return fmt.Errorf("new rules: %w", err)
			}
			for j := range recs {
				r.fold(mi, &part[j], base[j], neu[j], cells)
			}
		}
		for j := range part {
			p := &part[j]
			r.finishPerson(p, counts)
			if emit != nil {
				if err := emit(r, p); err != nil {
					return err
				}
			}
		}
		clear(part) // dropped: nothing of them stays for the next chunk
		return nil
	}
	// The next chunk is read while one is compared: a goroutine reads src
	// into one of two chunks (each grown by append up to chunk records),
	// this one compares and emits the other, in order. stop tells the
	// reader that the comparison failed.
	full := make(chan []eligibility.Record, 1)
	empty := make(chan []eligibility.Record, 2)
	empty <- nil
	empty <- nil
	stop := make(chan struct{})
	var readErr error
	go func() {
		defer close(full)
		recs := <-empty
		readErr = src(func(rec eligibility.Record) bool {
			recs = append(recs, rec)
			if len(recs) < chunk {
				return true
			}
			select {
			case full <- recs:
			case <-stop:
				return false
			}
			select {
			case recs = <-empty:
				return true
			case <-stop:
				return false
			}
		})
		if readErr == nil && len(recs) > 0 {
			select {
			case full <- recs:
			case <-stop:
			}
		}
	}()
	var failed error
	for recs := range full {
		if failed == nil {
			if failed = flush(recs); failed != nil {
				close(stop) // the reader stops; what it still sends is drained
			}
		}
		clear(recs) // the records are not kept past their chunk
		empty <- recs[:0]
	}
	if failed != nil {
		return nil, failed
	}
	if readErr != nil {
		return nil, readErr
	}
	r.finish(cells, counts)
	return r, nil
}

// ruleOrder lists the person rules of every set of the base library, then
// those only the new library has.
func ruleOrder(libs ...*rules.Library) []string {
	var ids []string
	for _, lib := range libs {
		for _, s := range lib.Sets() {
			if m := s.Model(eligibility.Model); m != nil {
				for _, rule := range m.Rules {
					if !slices.Contains(ids, rule.ID) {
						ids = append(ids, rule.ID)
					}
				}
			}
		}
	}
	return ids
}

type cellKey struct {
	month    int
	code     string
	reformed bool
}

// fold adds one person's month to the report.
func (r *Report) fold(mi int, p *Person, ob, on eligibility.Outcome, cells map[cellKey]*cell) {
	if ob.Err != nil || on.Err != nil {
		p.Undecided++
		if p.Err == nil {
			p.Err = r.monthErr(mi, ob.Err, on.Err)
		}
		return
	}
	db, dn := ob.Decision, on.Decision
	p.Commune = db.Commune
	if z, ok := db.Value("zone"); ok {
		p.Zone, _ = z.(string)
	}
	fb, fn := db.Failed(), dn.Failed()
	p.Base.add(db, fb)
	p.New.add(dn, fn)
	gained, lost := !db.Eligible && dn.Eligible, db.Eligible && !dn.Eligible
	if gained {
		p.Gained++
	}
	if lost {
		p.Lost++
	}
	for _, id := range fb {
		if !slices.Contains(fn, id) {
			p.Rules = addOnce(p.Rules, id)
			if gained {
				p.gainedBy = addOnce(p.gainedBy, id)
			}
		}
	}
	for _, id := range fn {
		if !slices.Contains(fb, id) {
			p.Rules = addOnce(p.Rules, id)
			if lost {
				p.lostBy = addOnce(p.lostBy, id)
			}
		}
	}
	k := cellKey{mi, db.Commune.Code, db.Commune.Reformed}
	c := cells[k]
	if c == nil {
		c = &cell{month: mi, commune: db.Commune, base: decimal.Zero, new: decimal.Zero}
		cells[k] = c
	}
	if !db.MonthlyTopup.IsZero() {
		c.base = c.base.Add(db.MonthlyTopup)
	}
	if !dn.MonthlyTopup.IsZero() {
		c.new = c.new.Add(dn.MonthlyTopup)
	}
	c.eligible = c.eligible.add(b2i(db.Eligible), b2i(dn.Eligible))
	c.beneficiaries = c.beneficiaries.add(b2i(db.MonthlyTopup.Sign() > 0), b2i(dn.MonthlyTopup.Sign() > 0))
	c.gained += b2i(gained)
	c.lost += b2i(lost)
}

func (s *Side) add(d *eligibility.Decision, failed []string) {
	if d.Eligible {
		s.Eligible = true
		s.EligibleMonths++
	}
	if !d.MonthlyTopup.IsZero() {
		s.Topup = s.Topup.Add(d.MonthlyTopup)
	}
	for _, id := range failed {
		s.Failed = addOnce(s.Failed, id)
	}
}

// monthErr says which rule set could not decide a record, and in which
// month when the comparison runs over several.
func (r *Report) monthErr(mi int, base, new error) error {
	var err error
	switch {
	case base != nil && new != nil && base.Error() == new.Error():
		err = base
	case base != nil && new != nil:
		err = fmt.Errorf("under the base rules: %w; under the new rules: %w", base, new)
	case base != nil:
		err = fmt.Errorf("under the base rules: %w", base)
	default:
		err = fmt.Errorf("under the new rules: %w", new)
	}
	if len(r.months) > 1 {
		err = fmt.Errorf("month %s: %w", r.months[mi], err)
	}
	return err
}

func addOnce(list []string, id string) []string {
	if slices.Contains(list, id) {
		return list
	}
	return append(list, id)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// rank orders rule ids as the rule sets define them, then by id.
func (r *Report) byRank(a, b string) int {
	rank := func(id string) int {
		if i := slices.Index(r.rules, id); i >= 0 {
			return i
		}
		return len(r.rules)
	}
	if d := rank(a) - rank(b); d != 0 {
		return d
	}
	return strings.Compare(a, b)
}

// finishPerson completes a person whose months are all folded: its delta,
// its rules in rule-set order; and counts it in the summary and the
// counts per rule.
func (r *Report) finishPerson(p *Person, counts map[string]*RuleChange) {
	p.Delta = p.New.Topup.Sub(p.Base.Topup)
	for _, l := range [][]string{p.Rules, p.Base.Failed, p.New.Failed} {
		slices.SortFunc(l, r.byRank)
	}
	get := func(id string) *RuleChange {
		if counts[id] == nil {
			counts[id] = &RuleChange{Rule: id}
		}
		return counts[id]
	}
	for _, id := range p.Rules {
		get(id).Changed++
	}
	for _, id := range p.gainedBy {
		get(id).Gained++
	}
	for _, id := range p.lostBy {
		get(id).Lost++
	}
	if p.Err != nil && len(r.firstErrs) < maxErrorsShown {
		r.firstErrs = append(r.firstErrs, Person{ID: p.ID, Line: p.Line, Err: p.Err})
	}
	s := &r.sum
	s.Records++
	s.Errors += b2i(p.Err != nil)
	s.Gained += b2i(p.Gained > 0)
	s.Lost += b2i(p.Lost > 0)
	if p.Undecided == len(r.months) {
		return
	}
	switch p.Delta.Sign() {
	case 1:
		s.More++
	case -1:
		s.Less++
	default:
		s.Same++
	}
	s.Eligible = s.Eligible.add(b2i(p.Base.Eligible), b2i(p.New.Eligible))
	s.Beneficiaries = s.Beneficiaries.add(b2i(p.Base.Topup.Sign() > 0), b2i(p.New.Topup.Sign() > 0))
}

// finish orders what fold and finishPerson gathered: the counts per rule
// and the cells by month and commune.
func (r *Report) finish(cells map[cellKey]*cell, counts map[string]*RuleChange) {
	for _, rc := range counts {
		r.byRule = append(r.byRule, *rc)
	}
	slices.SortFunc(r.byRule, func(a, b RuleChange) int { return r.byRank(a.Rule, b.Rule) })
	for _, c := range cells {
		c.total = zero().add(c.base, c.new)
		r.cells = append(r.cells, *c)
	}
	slices.SortFunc(r.cells, func(a, b cell) int {
		if a.month != b.month {
			return a.month - b.month
		}
		if c := strings.Compare(a.commune.Code, b.commune.Code); c != 0 {
			return c
		}
		return b2i(a.commune.Reformed) - b2i(b.commune.Reformed)
	})
}
