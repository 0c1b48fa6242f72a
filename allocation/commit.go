package allocation

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/hotro-vn/hotro/eligibility"
	"github.com/hotro-vn/hotro/rules"
	"github.com/shopspring/decimal"
)

// Payment methods the bundled rule sets declare (plan III.3): trao trực
// tiếp, chuyển khoản, other. The values a file may use are the rule set's
// (its commitment_record and payment_record, see Vocabulary).
const (
	MethodCash     = "cash"
	MethodTransfer = "transfer"
	MethodOther    = "other"
)

// Commitment is a sponsor's signed pledge (cam kết): an amount each month
// for each of its beneficiaries, from a first month for a duration.
type Commitment struct {
	ID            string            `json:"commitment_id"`
	Sponsor       string            `json:"sponsor_id"`
	Beneficiaries []string          `json:"beneficiary_ids"`
	Amount        decimal.Decimal   `json:"monthly_amount"` // for each beneficiary, each month
	First         eligibility.Month `json:"first_month"`
	Months        int               `json:"months,omitempty"` // duration; 0 with WholePhase
	WholePhase    bool              `json:"whole_phase,omitempty"`
	Method        string            `json:"method"`
	// Focal is the focal organisation that gathers and pays, when the
	// commitment names one.
	Focal string `json:"focal_id,omitempty"`
	// Committee and Front are the People's Committee (UBND) and the
	// Fatherland Front committee (MTTQ) that sign the commitment (plan
	// III.3). A commitment without them is flagged, not refused.
	Committee string `json:"committee,omitempty"`
	Front     string `json:"front,omitempty"`
	// InKind is support given other than in money (a value of the rule
	// set's in_kind: care, nurture …), beside Amount or instead of it. It
	// is recorded and reported, never counted toward the top-up.
	InKind string `json:"in_kind,omitempty"`
}

// Unsigned says which signatures the commitment lacks, "" when it names
// both the People's Committee and the Front.
func (c Commitment) Unsigned() string {
	switch {
	case c.Committee == "" && c.Front == "":
		return "chưa ghi UBND và MTTQ ký cam kết (no People's Committee nor Front signs it)"
	case c.Committee == "":
		return "chưa ghi UBND ký cam kết (no People's Committee signs it)"
	case c.Front == "":
		return "chưa ghi MTTQ ký cam kết (no Front committee signs it)"
	}
	return ""
}

// Validate checks what a commitment must say (plan I.2): who pledges, for
// whom, how much, from when, for how long, and how it pays.
func (c Commitment) Validate() error {
	var errs []error
	if c.ID == "" {
		errs = append(errs, errors.New("commitment_id: missing"))
	}
	if c.Sponsor == "" {
		errs = append(errs, errors.New("sponsor_id: missing"))
	}
	if len(c.Beneficiaries) == 0 {
		errs = append(errs, errors.New("beneficiary_ids: missing"))
	}
	if c.Amount.Sign() < 0 || c.Amount.Sign() == 0 && c.InKind == "" {
		errs = append(errs, errors.New("monthly_amount: a commitment must state a monthly amount above 0, or support in kind (plan I.2)"))
	} else if !c.Amount.IsInteger() {
		errs = append(errs, fmt.Errorf("monthly_amount %s: not whole đồng", c.Amount))
	}
	if c.First.Year == 0 {
		errs = append(errs, errors.New("first_month: missing"))
	}
	if c.Months <= 0 && !c.WholePhase {
		errs = append(errs, errors.New("duration: a commitment must state how long it runs (plan I.2)"))
	}
	if c.Method == "" {
		errs = append(errs, errors.New("method: missing: a commitment states how it pays"))
	}
	return errors.Join(errs...)
}

// Term returns the last month of a valid commitment under the rule sets of
// lib: for "whole phase", the end of the phase in force in its first month.
// A commitment running past the end of that phase is flagged, not refused.
func (c Commitment) Term(lib *rules.Library) (last eligibility.Month, flag string, err error) {
	set, err := lib.For(c.First.First())
	if err != nil {
		return last, "", fmt.Errorf("first_month %s: %w", c.First, err)
	}
	end := eligibility.MonthOf(set.Meta.To)
	if c.WholePhase {
		return end, "", nil
	}
	last = eligibility.MonthOf(c.First.First().AddDate(0, c.Months-1, 0))
	if end.Before(last) {
		over := (last.Year-end.Year)*12 + int(last.Month-end.Month)
		flag = fmt.Sprintf("runs %d month%s past the end of phase %s (%s)", over, plural(over), set.Meta.ID, end)
	}
	return last, flag, nil
}

// CommitmentStatus is a commitment record checked: its term, a flag, or
// the error that keeps it out of the monitoring.
type CommitmentStatus struct {
	Line       int `json:"line,omitempty"`
	Commitment `json:"commitment"`
	Last       eligibility.Month `json:"last_month"`
	Flag       string            `json:"flag,omitempty"`
	// Unsigned says which of the People's Committee and the Front the
	// commitment does not name as signing it (plan III.3).
	Unsigned string `json:"unsigned,omitempty"`
	Error    string `json:"error,omitempty"`
}

// MonthRow is one beneficiary in one month: the top-up due, what is
// pledged, and the shortfall.
type MonthRow struct {
	Month     eligibility.Month `json:"month"`
	PersonID  string            `json:"person_id"`
	Eligible  bool              `json:"eligible"`
	Due       decimal.Decimal   `json:"due"`
	Pledged   decimal.Decimal   `json:"pledged"`
	Shortfall decimal.Decimal   `json:"shortfall"`
	Sponsors  []string          `json:"sponsors,omitempty"`
	Focal     string            `json:"focal,omitempty"`
	Note      string            `json:"note,omitempty"`
}

// Payment is what one sponsor pays one beneficiary in one month, and how.
type Payment struct {
	Month       eligibility.Month `json:"month"`
	Commitment  string            `json:"commitment_id"`
	Sponsor     string            `json:"sponsor_id"`
	Beneficiary string            `json:"person_id"`
	Amount      decimal.Decimal   `json:"amount"`
	Method      string            `json:"method"`
	Focal       string            `json:"focal_id"`
}

// Monitoring is the month-by-month account of commitments against top-ups.
type Monitoring struct {
	From        eligibility.Month  `json:"from"`
	To          eligibility.Month  `json:"to"`
	Commitments []CommitmentStatus `json:"commitments"`
	Months      []MonthRow         `json:"months"`
	Payments    []Payment          `json:"payments"`
}

// Monitor checks each commitment and reports, for every month from from to
// to, each beneficiary's top-up due (decided by e for that month), the
// amount pledged, and the shortfall; and each payment with its method and
// focal organisation. A person appears in a month when something is due,
// pledged, or wrong with the record. units, when not nil, are the known
// sponsors: a commitment by anyone else is an error.
func Monitor(e *eligibility.Engine, persons []eligibility.Record, commitments []CommitmentRecord, units []UnitRecord, from, to eligibility.Month) (*Monitoring, error) {
	var rows []MonthRow
	var pays []Payment
	m, err := MonitorStream(e, persons, commitments, units, from, to, func(month eligibility.Month, r []MonthRow, p []Payment) error {
		rows, pays = append(rows, r...), append(pays, p...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	m.Months, m.Payments = rows, pays
	return m, nil
}

// MonitorStream is Monitor month by month: each month's rows and payments
// (in person id order, as Monitor lists them) go to each, in one call or
// several of up to monitorChunk rows, then are dropped, so that memory
// grows neither with the number of months nor with a month's rows. The
// Monitoring it returns holds the commitments only. An error from each
// stops it and is returned.
func MonitorStream(e *eligibility.Engine, persons []eligibility.Record, commitments []CommitmentRecord, units []UnitRecord, from, to eligibility.Month,
	each func(month eligibility.Month, rows []MonthRow, payments []Payment) error) (*Monitoring, error) {
	// Lookups by id go through sorted lists, not maps of strings: at a
	// million persons and commitments, maps would hold most of the memory.
	order := make([]int, len(persons))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(x, y int) int { return cmp.Compare(persons[x].ID, persons[y].ID) })
	ids := make([]string, 0, len(persons)) // the persons' ids, sorted, each once
	for _, i := range order {
		if id := persons[i].ID; len(ids) == 0 || ids[len(ids)-1] != id {
			ids = append(ids, id)
		}
	}
	byID := func(yield func(eligibility.Record) bool) error {
		for _, i := range order {
			if !yield(persons[i]) {
				break
			}
		}
		return nil
	}
	return monitor(e, ids, func() eligibility.Source { return byID }, commitments, units, from, to, each)
}

// MonitorSorted is MonitorStream for more persons than memory holds well:
// the person records are read again each month instead of being held.
// ids are the persons' ids, in strictly increasing order (each person
// once); persons gives, each time it is called (once a month), a source
// of the person records in that same order. A source that gives other
// records is an error.
func MonitorSorted(e *eligibility.Engine, ids []string, persons func() eligibility.Source, commitments []CommitmentRecord, units []UnitRecord, from, to eligibility.Month,
	each func(month eligibility.Month, rows []MonthRow, payments []Payment) error) (*Monitoring, error) {
	for i := 1; i < len(ids); i++ {
		if ids[i-1] >= ids[i] {
			return nil, fmt.Errorf("person ids are not in strictly increasing order: %q then %q", ids[i-1], ids[i])
		}
	}
	checked := func() eligibility.Source {
		src := persons()
		return func(yield func(eligibility.Record) bool) error {
			k := 0
			var bad error
			err := src(func(r eligibility.Record) bool {
				if k >= len(ids) || r.ID != ids[k] {
					bad = fmt.Errorf("the persons read again are not those read first (record %d: id %q)", k+1, r.ID)
					return false
				}
				k++
				return yield(r)
			})
			if bad != nil {
				return bad
			}
			if err == nil && k != len(ids) {
				err = fmt.Errorf("the persons read again are %d, not %d", k, len(ids))
			}
			return err
		}
	}
	return monitor(e, ids, checked, commitments, units, from, to, each)
}

// monitor is MonitorStream over the persons' sorted ids and their records
// in that order, given again for each month by persons.
func monitor(e *eligibility.Engine, ids []string, persons func() eligibility.Source, commitments []CommitmentRecord, units []UnitRecord, from, to eligibility.Month,
	each func(month eligibility.Month, rows []MonthRow, payments []Payment) error) (*Monitoring, error) {
	months, err := eligibility.Months(from, to)
	if err != nil {
		return nil, err
	}
	if len(commitments) >= math.MaxInt32 {
		return nil, fmt.Errorf("%d commitments: more than one monitoring can hold", len(commitments))
	}
	known := func(id string) int {
		if i, ok := slices.BinarySearch(ids, id); ok {
			return i
		}
		return -1
	}
	sponsors := map[string]bool{}
	for _, u := range units {
		if u.Err == nil {
			sponsors[u.Unit.ID] = true
		}
	}
	m := &Monitoring{From: from, To: to}
	var cids []string // the valid commitments' ids, sorted, to count repeats
	for _, r := range commitments {
		if r.Err == nil {
			cids = append(cids, r.Commitment.ID)
		}
	}
	slices.Sort(cids)
	times := func(id string) int {
		i, _ := slices.BinarySearch(cids, id)
		j := i
		for j < len(cids) && cids[j] == id {
			j++
		}
		return j - i
	}
	m.Commitments = make([]CommitmentStatus, 0, len(commitments))
	for _, r := range commitments {
		st := CommitmentStatus{Line: r.Line, Commitment: r.Commitment}
		err := r.Err
		if err == nil {
			err = r.Commitment.Validate()
		}
		if err == nil {
			c := r.Commitment
			var errs []error
			if n := times(c.ID); n > 1 {
				errs = append(errs, fmt.Errorf("commitment_id %q appears %d times", c.ID, n))
			}
			if units != nil && !sponsors[c.Sponsor] {
				errs = append(errs, fmt.Errorf("sponsor_id %q is not a unit of the units file", c.Sponsor))
			}
			if units != nil && c.Focal != "" && !sponsors[c.Focal] {
				errs = append(errs, fmt.Errorf("focal_id %q is not a unit of the units file", c.Focal))
			}
			for _, b := range c.Beneficiaries {
				if known(b) < 0 {
					errs = append(errs, fmt.Errorf("beneficiary %q is not in the persons file", b))
				}
			}
			if err = errors.Join(errs...); err == nil {
				st.Last, st.Flag, err = c.Term(e.Library())
				st.Unsigned = c.Unsigned()
			}
		}
		if err != nil {
			st.Error = strings.ReplaceAll(err.Error(), "\n", "; ")
		}
		m.Commitments = append(m.Commitments, st)
	}
	cids = nil
	slices.SortStableFunc(m.Commitments, func(x, y CommitmentStatus) int { return cmp.Compare(x.ID, y.ID) })

	// The pledges to each person, from the valid commitments: for the
	// person of ids[k], the commitments pledgeIdx[pledgeAt[k]:pledgeAt[k+1]],
	// in the order of m.Commitments.
	pledgeAt := make([]int32, len(ids)+1)
	for _, st := range m.Commitments {
		if st.Error == "" {
			for _, b := range st.Beneficiaries {
				pledgeAt[known(b)+1]++
			}
		}
	}
	for k := 1; k < len(pledgeAt); k++ {
		pledgeAt[k] += pledgeAt[k-1]
	}
	pledgeIdx := make([]int32, pledgeAt[len(ids)])
	fill := slices.Clone(pledgeAt[:len(ids)])
	for i, st := range m.Commitments {
		if st.Error == "" {
			for _, b := range st.Beneficiaries {
				k := known(b)
				pledgeIdx[fill[k]] = int32(i)
				fill[k]++
			}
		}
	}
	fill = nil
	pledges := func(id string) []int32 {
		k := known(id)
		if k < 0 {
			return nil
		}
		return pledgeIdx[pledgeAt[k]:pledgeAt[k+1]]
	}
	// Each month streams the persons, in id order, through the engine:
	// their rows and payments go to each a chunk at a time, so that a
	// month's decisions are never all held at once.
	for _, month := range months {
		err := e.Stream(context.Background(), month.First(), persons(), func(o eligibility.Outcome) error {
			m.monthRow(month, o, pledges)
			if len(m.Months) < monitorChunk {
				return nil
			}
			err := each(month, m.Months, m.Payments)
			m.Months, m.Payments = m.Months[:0], m.Payments[:0]
			if err != nil {
				return &stopped{err}
			}
			return nil
		}, eligibility.StreamOptions{})
		if err == nil && len(m.Months) > 0 {
			if err = each(month, m.Months, m.Payments); err != nil {
				err = &stopped{err}
			}
		}
		m.Months, m.Payments = m.Months[:0], m.Payments[:0]
		var stop *stopped
		switch {
		case errors.As(err, &stop):
			return nil, stop.err
		case err != nil:
			return nil, fmt.Errorf("month %s: %w", month, err)
		}
	}
	m.Months, m.Payments = nil, nil
	return m, nil
}

// monitorChunk is how many rows of a month MonitorStream hands over at once.
const monitorChunk = 4096

// stopped carries the error of MonitorStream's each through the engine's stream.
type stopped struct{ err error }

func (s *stopped) Error() string { return s.err.Error() }

// monthRow adds the row and payments of one person in one month.
func (m *Monitoring) monthRow(month eligibility.Month, o eligibility.Outcome, pledges func(id string) []int32) {
	id := o.Record.ID
	row := MonthRow{Month: month, PersonID: id, Due: decimal.Zero, Pledged: decimal.Zero, Shortfall: decimal.Zero}
	var active []*CommitmentStatus
	for _, i := range pledges(id) {
		if c := &m.Commitments[i]; !month.Before(c.First) && !c.Last.Before(month) {
			active = append(active, c)
		}
	}
	switch {
	case o.Err != nil:
		row.Note = strings.ReplaceAll(o.Err.Error(), "\n", "; ")
	case o.Decision.Eligible:
		row.Eligible, row.Due = true, o.Decision.MonthlyTopup
	default:
		row.Note = "not eligible this month (failed: " + strings.Join(o.Decision.Failed(), ", ") + ")"
	}
	if row.Due.IsZero() && len(active) == 0 && o.Err == nil {
		return
	}
	for _, c := range active {
		row.Pledged = row.Pledged.Add(c.Amount)
		if !slices.Contains(row.Sponsors, c.Sponsor) {
			row.Sponsors = append(row.Sponsors, c.Sponsor)
		}
	}
	row.Shortfall = decimal.Max(decimal.Zero, row.Due.Sub(row.Pledged))
	if len(active) == 0 && !row.Due.IsZero() {
		row.Note = "no commitment"
	}
	var note string
	row.Focal, note = focal(active)
	if note != "" {
		row.Note = strings.TrimPrefix(row.Note+"; "+note, "; ")
	}
	m.Months = append(m.Months, row)
	for _, c := range active {
		if c.Amount.IsZero() {
			continue // support in kind only: nothing is paid
		}
		m.Payments = append(m.Payments, Payment{Month: month, Commitment: c.ID, Sponsor: c.Sponsor, Beneficiary: id, Amount: c.Amount, Method: c.Method, Focal: row.Focal})
	}
}

// focal names the one focal organisation of a beneficiary's commitments in
// a month: the one they name, else the sole sponsor, else the sponsor that
// pledges most (then the first by id). Commitments naming different focal
// organisations are reported, with none chosen.
func focal(active []*CommitmentStatus) (string, string) {
	var named []string
	for _, c := range active {
		if c.Focal != "" && !slices.Contains(named, c.Focal) {
			named = append(named, c.Focal)
		}
	}
	switch {
	case len(named) == 1:
		return named[0], ""
	case len(named) > 1:
		slices.Sort(named)
		return "", "commitments name different focal organisations: " + strings.Join(named, ", ")
	case len(active) == 0:
		return "", ""
	}
	best := active[0]
	for _, c := range active[1:] {
		if c.Amount.GreaterThan(best.Amount) || c.Amount.Equal(best.Amount) && c.Sponsor < best.Sponsor {
			best = c
		}
	}
	return best.Sponsor, ""
}
