package eligibility

import (
	"context"
	"fmt"
	"time"

	"github.com/hotro-vn/hotro/rules"
	"github.com/shopspring/decimal"
)

// Month is a calendar month. Every dated parameter is read as in force on
// its first day (docs/policy.md).
type Month struct {
	Year  int
	Month time.Month
}

// ParseMonth reads "YYYY-MM".
func ParseMonth(s string) (Month, error) {
	t, err := time.Parse("2006-01", s)
	if err != nil {
		return Month{}, fmt.Errorf("month %q: want YYYY-MM", s)
	}
	return Month{t.Year(), t.Month()}, nil
}

// MonthOf returns the month a date falls in.
func MonthOf(t time.Time) Month { return Month{t.Year(), t.Month()} }

// First returns the month's first day.
func (m Month) First() time.Time { return time.Date(m.Year, m.Month, 1, 0, 0, 0, 0, time.UTC) }

// Next returns the month after m.
func (m Month) Next() Month { return MonthOf(m.First().AddDate(0, 1, 0)) }

// Before reports whether m comes before o.
func (m Month) Before(o Month) bool { return m.First().Before(o.First()) }

func (m Month) String() string { return fmt.Sprintf("%04d-%02d", m.Year, int(m.Month)) }

// MarshalText writes the month as YYYY-MM, in JSON too.
func (m Month) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// UnmarshalText reads YYYY-MM.
func (m *Month) UnmarshalText(b []byte) error {
	v, err := ParseMonth(string(b))
	*m = v
	return err
}

// Months lists the months from from to to, both included.
func Months(from, to Month) ([]Month, error) {
	if to.Before(from) {
		return nil, fmt.Errorf("the range ends (%s) before it starts (%s)", to, from)
	}
	var ms []Month
	for m := from; !to.Before(m); m = m.Next() {
		ms = append(ms, m)
	}
	return ms, nil
}

// MonthDecision is the decision for one month of a schedule, or the error
// that kept that month from being decided (a birth date after the month,
// a commune code the 2025 reform made ambiguous): a fault of one month
// errs that month only.
type MonthDecision struct {
	Month Month
	*Decision
	Err error
}

// Schedule is a person's top-ups month by month, each month decided with
// its own parameters, and their total over the months decided.
type Schedule struct {
	PersonID string
	Months   []MonthDecision
	Total    decimal.Decimal
	Errors   int // months in error
}

// Schedule decides p for each month from from to to. A range that crosses
// a parameter change (2021-07-01, 2022-01-01, 2024-07-01, 2027-01-01) has
// months of different amounts; a range crossing phases uses each month's
// rule set.
func (e *Engine) Schedule(p Person, from, to Month) (*Schedule, error) {
	evs, err := e.evaluators(from, to)
	if err != nil {
		return nil, err
	}
	rec := p.RecordFor(e.sets[evs[0].Set()].schema, 0)
	if rec.Err != nil {
		return nil, rec.Err
	}
	return e.schedule(evs, &rec, newScratch()), nil
}

func (e *Engine) evaluators(from, to Month) ([]*rules.Evaluator, error) {
	months, err := Months(from, to)
	if err != nil {
		return nil, err
	}
	evs := make([]*rules.Evaluator, len(months))
	for i, m := range months {
		if evs[i], err = e.lib.At(m.First()); err != nil {
			return nil, fmt.Errorf("month %s: %w", m, err)
		}
	}
	return evs, nil
}

func (e *Engine) schedule(evs []*rules.Evaluator, rec *Record, scr *scratch) *Schedule {
	s := &Schedule{PersonID: rec.ID, Months: make([]MonthDecision, len(evs)), Total: decimal.Zero}
	for i, ev := range evs {
		m := MonthDecision{Month: MonthOf(ev.Date())}
		m.Decision, m.Err = e.decide(ev, rec, scr)
		if m.Err != nil {
			s.Errors++
		} else {
			s.Total = s.Total.Add(m.MonthlyTopup)
		}
		s.Months[i] = m
	}
	return s
}

// ScheduleOutcome is the schedule of one input record, or its error.
type ScheduleOutcome struct {
	Record   Record
	Schedule *Schedule
	Err      error
}

// ScheduleAll builds the schedule of every record on all cores, one outcome
// per record in input order. The error return is only for a range that some
// month of which no rule set covers.
func (e *Engine) ScheduleAll(ctx context.Context, recs []Record, from, to Month) ([]ScheduleOutcome, error) {
	evs, err := e.evaluators(from, to)
	if err != nil {
		return nil, err
	}
	out := make([]ScheduleOutcome, len(recs))
	return out, eachRecord(ctx, recs, func(i int, s *scratch) (err error) {
		out[i].Record = recs[i]
		out[i].Schedule = e.schedule(evs, &recs[i], s)
		return nil
	}, func(i int, err error) { out[i].Record, out[i].Err = recs[i], err })
}
