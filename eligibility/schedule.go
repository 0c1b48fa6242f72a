package eligibility

import (
	"fmt"
	"time"

	"github.com/hotro-vn/hotro/rules"
	"github.com/shopspring/decimal"
)

// Month is a calendar month. Every dated parameter is read as in force on
// its first day (POLICY.md §3).
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

// MonthDecision is the decision for one month of a schedule.
type MonthDecision struct {
	Month Month
	*Decision
}

// Schedule is a person's top-ups month by month, each month decided with
// its own parameters, and their total.
type Schedule struct {
	PersonID string
	Months   []MonthDecision
	Total    decimal.Decimal
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
	return e.schedule(evs, p, newScratch())
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

func (e *Engine) schedule(evs []*rules.Evaluator, p Person, scr *scratch) (*Schedule, error) {
	s := &Schedule{PersonID: p.ID, Months: make([]MonthDecision, len(evs)), Total: decimal.Zero}
	for i, ev := range evs {
		d, err := e.decide(ev, p, scr)
		if err != nil {
			return nil, fmt.Errorf("month %s: %w", MonthOf(ev.Date()), err)
		}
		s.Months[i] = MonthDecision{MonthOf(ev.Date()), d}
		s.Total = s.Total.Add(d.MonthlyTopup)
	}
	return s, nil
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
func (e *Engine) ScheduleAll(recs []Record, from, to Month) ([]ScheduleOutcome, error) {
	evs, err := e.evaluators(from, to)
	if err != nil {
		return nil, err
	}
	out := make([]ScheduleOutcome, len(recs))
	eachRecord(recs, func(i int, s *scratch) (err error) {
		out[i].Record = recs[i]
		out[i].Schedule, err = e.schedule(evs, recs[i].Person, s)
		return err
	}, func(i int, err error) { out[i].Record, out[i].Err = recs[i], err })
	return out, nil
}
