package allocation

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"iter"
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
	// Those of a CommitmentBook monitored: the book, the state of each of
	// its commitments, and the texts that state names.
	book  *CommitmentBook
	st    []commitState
	notes []string
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
	ids, byID := heldPersons(persons)
	return monitorRecords(e, ids, byID, commitments, units, from, to, each)
}

// heldPersons returns the persons' ids, sorted, each once, and their
// records in that order (a person's records in the order given), again
// at each call.
func heldPersons(persons []eligibility.Record) ([]string, func() eligibility.Source) {
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
	return ids, func() eligibility.Source { return byID }
}

// MonitorSorted is MonitorStream for more persons than memory holds well:
// the person records are read again each month instead of being held.
// ids are the persons' ids, in strictly increasing order (each person
// once); persons gives, each time it is called (once a month), a source
// of the person records in that same order. A source that gives other
// records is an error.
func MonitorSorted(e *eligibility.Engine, ids []string, persons func() eligibility.Source, commitments []CommitmentRecord, units []UnitRecord, from, to eligibility.Month,
	each func(month eligibility.Month, rows []MonthRow, payments []Payment) error) (*Monitoring, error) {
	checked, err := sortedPersons(ids, persons)
	if err != nil {
		return nil, err
	}
	return monitorRecords(e, ids, checked, commitments, units, from, to, each)
}

// sortedPersons checks that ids increase strictly and returns persons
// with each source checked to give the records of ids in that order.
func sortedPersons(ids []string, persons func() eligibility.Source) (func() eligibility.Source, error) {
	for i := 1; i < len(ids); i++ {
		if ids[i-1] >= ids[i] {
			return nil, fmt.Errorf("person ids are not in strictly increasing order: %q then %q", ids[i-1], ids[i])
		}
	}
	return func() eligibility.Source {
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
	}, nil
}

// monitorRecords is monitor over commitment records given in Go: the
// Monitoring lists their statuses, each with its commitment as given.
func monitorRecords(e *eligibility.Engine, ids []string, persons func() eligibility.Source, commitments []CommitmentRecord, units []UnitRecord, from, to eligibility.Month,
	each func(month eligibility.Month, rows []MonthRow, payments []Payment) error) (*Monitoring, error) {
	if len(commitments) >= math.MaxInt32 {
		return nil, fmt.Errorf("%d commitments: more than one monitoring can hold", len(commitments))
	}
	m, err := monitor(e, ids, persons, bookOf(commitments, units), from, to, each)
	if err != nil {
		return nil, err
	}
	m.Commitments = make([]CommitmentStatus, len(m.book.entries))
	for i, be := range m.book.entries {
		m.Commitments[i] = m.status(i, commitments[be.input].Commitment)
	}
	m.book, m.st, m.notes = nil, nil, nil
	return m, nil
}

// commitState is what monitoring finds of a commitment of its book: its
// last month and flag, or its error (flag and err index Monitoring.notes);
// termed when its term was sought (it has no error of its own, so its
// signatures are reported).
type commitState struct {
	last   eligibility.Month
	flag   int32
	err    int32
	termed bool
}

// status returns the status of the commitment c of book entry i.
func (m *Monitoring) status(i int, c Commitment) CommitmentStatus {
	s := &m.st[i]
	st := CommitmentStatus{Line: m.book.entries[i].line, Commitment: c, Last: s.last, Flag: m.notes[s.flag], Error: m.notes[s.err]}
	if s.termed {
		st.Unsigned = c.Unsigned()
	}
	return st
}

// AllCommitments gives the statuses of the commitments, in id order: the
// Commitments, or those of the book that MonitorStream or MonitorSorted
// of a CommitmentBook monitored, each built as it is given.
func (m *Monitoring) AllCommitments() iter.Seq[CommitmentStatus] {
	return func(yield func(CommitmentStatus) bool) {
		if m.book == nil {
			for _, c := range m.Commitments {
				if !yield(c) {
					return
				}
			}
			return
		}
		for i := range m.book.entries {
			if !yield(m.status(i, m.book.commitment(i))) {
				return
			}
		}
	}
}

// CommitmentCount is the number of commitments AllCommitments gives.
func (m *Monitoring) CommitmentCount() int {
	if m.book == nil {
		return len(m.Commitments)
	}
	return len(m.book.entries)
}

// note returns the index of s among m.notes, adding it when new.
func (m *Monitoring) note(s string, at map[string]int32) int32 {
	if i, ok := at[s]; ok {
		return i
	}
	i := int32(len(m.notes))
	m.notes = append(m.notes, s)
	at[s] = i
	return i
}

// check finds the status of each commitment of the book: an id repeated,
// a beneficiary not among ids (the persons' sorted ids), beside what is
// wrong with it on its own, make an error; else its term under the rule
// sets of e is its last month and maybe a flag. It returns, for each
// beneficiary of the book, its index in ids (-1 when not there).
func (m *Monitoring) check(e *eligibility.Engine, ids []string) []int32 {
	b := m.book
	known := make([]int32, len(b.bens))
	for k, sp := range b.bens {
		known[k] = -1
		if i, ok := slices.BinarySearch(ids, b.at(sp)); ok {
			known[k] = int32(i)
		}
	}
	m.st = make([]commitState, len(b.entries))
	m.notes = []string{""}
	at := map[string]int32{"": 0}
	times, runEnd := 0, 0 // the commitments read without error of the id of the run ending at runEnd
	for i := range b.entries {
		be := &b.entries[i]
		s := &m.st[i]
		id := b.at(be.id)
		if i >= runEnd {
			times, runEnd = 0, i
			for runEnd < len(b.entries) && b.at(b.entries[runEnd].id) == id {
				if b.entries[runEnd].readOK {
					times++
				}
				runEnd++
			}
		}
		if be.faulty {
			s.err = m.note(b.strs[be.fault], at)
			continue
		}
		var errs []string
		if times > 1 {
			errs = append(errs, fmt.Sprintf("commitment_id %q appears %d times", id, times))
		}
		if be.unitErr != 0 {
			errs = append(errs, b.strs[be.unitErr])
		}
		for k := be.ben; k < be.ben+be.nben; k++ {
			if known[k] < 0 {
				errs = append(errs, fmt.Sprintf("beneficiary %q is not in the persons file", b.at(b.bens[k])))
			}
		}
		if len(errs) > 0 {
			s.err = m.note(strings.Join(errs, "; "), at)
			continue
		}
		c := Commitment{First: be.first, Months: be.months, WholePhase: be.whole}
		last, flag, err := c.Term(e.Library())
		s.last, s.flag, s.termed = last, m.note(flag, at), true
		if err != nil {
			s.err = m.note(strings.ReplaceAll(err.Error(), "\n", "; "), at)
		}
	}
	return known
}

// monitor monitors the commitments of book over the persons' sorted ids
// and their records in that order, given again for each month by persons.
func monitor(e *eligibility.Engine, ids []string, persons func() eligibility.Source, book *CommitmentBook, from, to eligibility.Month,
	each func(month eligibility.Month, rows []MonthRow, payments []Payment) error) (*Monitoring, error) {
	months, err := eligibility.Months(from, to)
	if err != nil {
		return nil, err
	}
	if err := book.tooMany(); err != nil {
		return nil, err
	}
	m := &Monitoring{From: from, To: to, book: book}
	known := m.check(e, ids)

	// The pledges to each person, from the valid commitments: for the
	// person of ids[k], the book's entries pledgeIdx[pledgeAt[k]:pledgeAt[k+1]],
	// in id order.
	pledgeAt := make([]int32, len(ids)+1)
	valid := func(i int) bool { return m.notes[m.st[i].err] == "" }
	for i, be := range book.entries {
		if valid(i) {
			for _, k := range known[be.ben : be.ben+be.nben] {
				if k >= 0 {
					pledgeAt[k+1]++
				}
			}
		}
	}
	for k := 1; k < len(pledgeAt); k++ {
		pledgeAt[k] += pledgeAt[k-1]
	}
	pledgeIdx := make([]int32, pledgeAt[len(ids)])
	fill := slices.Clone(pledgeAt[:len(ids)])
	for i, be := range book.entries {
		if valid(i) {
			for _, k := range known[be.ben : be.ben+be.nben] {
				if k >= 0 {
					pledgeIdx[fill[k]] = int32(i)
					fill[k]++
				}
			}
		}
	}
	fill, known = nil, nil
	pledges := func(id string) []int32 {
		k, ok := slices.BinarySearch(ids, id)
		if !ok {
			return nil
		}
		return pledgeIdx[pledgeAt[k]:pledgeAt[k+1]]
	}
	// Each month streams the persons, in id order, through the engine:
	// their rows and payments go to each a chunk at a time, so that a
	// month's decisions are never all held at once.
	var active []int32
	for _, month := range months {
		err := e.Stream(context.Background(), month.First(), persons(), func(o eligibility.Outcome) error {
			active = m.monthRow(month, o, pledges(o.Record.ID), active[:0])
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

// monthRow adds the row and payments of one person in one month, whose
// pledges are the book's entries pledged; active is room for those
// running that month, returned for the next person.
func (m *Monitoring) monthRow(month eligibility.Month, o eligibility.Outcome, pledged []int32, active []int32) []int32 {
	b := m.book
	id := o.Record.ID
	row := MonthRow{Month: month, PersonID: id, Due: decimal.Zero, Pledged: decimal.Zero, Shortfall: decimal.Zero}
	for _, i := range pledged {
		if !month.Before(b.entries[i].first) && !m.st[i].last.Before(month) {
			active = append(active, i)
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
		return active
	}
	for _, i := range active {
		be := &b.entries[i]
		row.Pledged = row.Pledged.Add(b.amounts[be.amount])
		if sponsor := b.strs[be.sponsor]; !slices.Contains(row.Sponsors, sponsor) {
			row.Sponsors = append(row.Sponsors, sponsor)
		}
	}
	row.Shortfall = decimal.Max(decimal.Zero, row.Due.Sub(row.Pledged))
	if len(active) == 0 && !row.Due.IsZero() {
		row.Note = "no commitment"
	}
	var note string
	row.Focal, note = b.focal(active)
	if note != "" {
		row.Note = strings.TrimPrefix(row.Note+"; "+note, "; ")
	}
	m.Months = append(m.Months, row)
	for _, i := range active {
		be := &b.entries[i]
		amount := b.amounts[be.amount]
		if amount.IsZero() {
			continue // support in kind only: nothing is paid
		}
		m.Payments = append(m.Payments, Payment{Month: month, Commitment: b.at(be.id), Sponsor: b.strs[be.sponsor], Beneficiary: id, Amount: amount,
			Method: b.strs[be.method], Focal: row.Focal})
	}
	return active
}

// focal names the one focal organisation of a beneficiary's commitments in
// a month (active, entries of the book): the one they name, else the sole
// sponsor, else the sponsor that pledges most (then the first by id).
// Commitments naming different focal organisations are reported, with none
// chosen.
func (b *CommitmentBook) focal(active []int32) (string, string) {
	var named []string
	for _, i := range active {
		if f := b.strs[b.entries[i].focal]; f != "" && !slices.Contains(named, f) {
			named = append(named, f)
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
	best := &b.entries[active[0]]
	for _, i := range active[1:] {
		c := &b.entries[i]
		amount, bestAmount := b.amounts[c.amount], b.amounts[best.amount]
		if amount.GreaterThan(bestAmount) || amount.Equal(bestAmount) && b.strs[c.sponsor] < b.strs[best.sponsor] {
			best = c
		}
	}
	return b.strs[best.sponsor], ""
}
