package allocation

import (
	"cmp"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/hotro-vn/hotro/eligibility"
	"github.com/hotro-vn/hotro/internal/table"
	"github.com/shopspring/decimal"
)

// CommitmentBook holds commitments as they are read from a file, each
// checked on its own and kept compactly (its ids end to end in one
// string, its other texts and its amount each once for the whole book)
// instead of as a CommitmentRecord: at a million commitments, about 125
// bytes each, and 40 more while they are monitored, where a record and
// its status took about 400. [CommitmentBook.MonitorStream] and
// [CommitmentBook.MonitorSorted] monitor them as MonitorStream and
// MonitorSorted monitor records, with the same rows, payments and
// commitments. A book is read by [ReadCommitmentBook] or
// [ReadCommitmentBookFile]; it is immutable once read and safe for
// concurrent use.
type CommitmentBook struct {
	entries []bookEntry // in id order, then in the order read
	ids     string      // the commitments' and the beneficiaries' ids, end to end
	bens    []span      // the beneficiaries of each entry, entry by entry, in ids
	strs    []string    // the other texts, each once; strs[0] is ""
	amounts []decimal.Decimal
	read    int // the records read, more than len(entries) when the book cannot hold them all
	// While the book is read:
	idBuf   []byte
	strAt   map[string]int32
	amtAt   map[int64]int32 // amounts of exponent 0 by value
	amtText map[string]int32
	units   map[string]bool // the known sponsors; nil when any will do
}

// span is a text of CommitmentBook.ids.
type span struct{ off, n uint32 }

// bookEntry is one commitment of a CommitmentBook: its fields, the texts
// and amount by their index in the book, and what is wrong with it on its
// own. What depends on the other commitments and on the persons (an id
// repeated, a beneficiary unknown) and on the rule sets (its last month)
// is found when it is monitored.
type bookEntry struct {
	id        span
	first     eligibility.Month
	months    int
	line      int
	input     int32 // the order read
	ben       int32 // its beneficiaries are bens[ben : ben+nben]
	nben      int32
	amount    int32 // in amounts
	sponsor   int32 // sponsor … inKind, fault, unitErr: in strs
	method    int32
	focal     int32
	front     int32
	inKind    int32
	committee int32
	fault     int32 // the reader's or Validate's error, when faulty
	unitErr   int32 // its sponsor or focal organisation not a known unit
	readOK    bool  // read without error: its id counts among the repeats
	faulty    bool
	whole     bool
}

// ReadCommitmentBook reads commitments from r like ReadCommitments, into a
// book rather than a list of records: each is checked as it is read
// (Validate; when units is not nil, its sponsor and focal organisation
// must be among them, as for Monitor) and kept compactly. The warnings
// and the error are ReadCommitments'.
func ReadCommitmentBook(r io.Reader, format Format, v *Vocabulary, units []UnitRecord) (*CommitmentBook, []string, error) {
	b := newBook(units)
	add := func(t table.Row) { b.add(commitmentRecord(v)(newRow(t, commitFields))) }
	s := v.schemas[CommitmentRecordModel]
	var warnings []string
	var err error
	if format == table.JSON {
		warnings, err = s.ReadJSON(r, add)
	} else {
		warnings, err = s.ReadCSV(r, add)
	}
	if err != nil {
		return nil, warnings, err
	}
	b.seal()
	return b, warnings, nil
}

// ReadCommitmentBookFile reads the .csv or .json file of commitments at
// path into a book, like ReadCommitmentBook.
func ReadCommitmentBookFile(path string, v *Vocabulary, units []UnitRecord) (*CommitmentBook, []string, error) {
	b := newBook(units)
	warnings, err := v.schemas[CommitmentRecordModel].ReadFile(path, func(t table.Row) { b.add(commitmentRecord(v)(newRow(t, commitFields))) })
	if err != nil {
		return nil, warnings, err
	}
	b.seal()
	return b, warnings, nil
}

// Len is the number of commitment records read into the book.
func (b *CommitmentBook) Len() int { return b.read }

// MonitorStream is MonitorStream over the commitments of the book.
// The Monitoring it returns holds no Commitments: [Monitoring.AllCommitments]
// gives them (compactly held until then), and WriteCSV and WriteJSON
// write them as those of MonitorStream.
func (b *CommitmentBook) MonitorStream(e *eligibility.Engine, persons []eligibility.Record, from, to eligibility.Month,
	each func(month eligibility.Month, rows []MonthRow, payments []Payment) error) (*Monitoring, error) {
	ids, byID := heldPersons(persons)
	return monitor(e, ids, byID, b, from, to, each)
}

// MonitorSorted is MonitorSorted over the commitments of the book, whose
// Monitoring is that of [CommitmentBook.MonitorStream].
func (b *CommitmentBook) MonitorSorted(e *eligibility.Engine, ids []string, persons func() eligibility.Source, from, to eligibility.Month,
	each func(month eligibility.Month, rows []MonthRow, payments []Payment) error) (*Monitoring, error) {
	checked, err := sortedPersons(ids, persons)
	if err != nil {
		return nil, err
	}
	return monitor(e, ids, checked, b, from, to, each)
}

// bookOf returns the book of commitment records given in Go.
func bookOf(commitments []CommitmentRecord, units []UnitRecord) *CommitmentBook {
	b := newBook(units)
	for _, r := range commitments {
		b.add(r)
	}
	b.seal()
	return b
}

func newBook(units []UnitRecord) *CommitmentBook {
	b := &CommitmentBook{strs: []string{""}, strAt: map[string]int32{"": 0}, amtAt: map[int64]int32{}, amtText: map[string]int32{}}
	if units != nil {
		b.units = map[string]bool{}
		for _, u := range units {
			if u.Err == nil {
				b.units[u.Unit.ID] = true
			}
		}
	}
	return b
}

// bookMax is the most entries, beneficiaries, texts or amounts a book
// holds; and, in bytes, ids.
const bookMax = math.MaxInt32 - 1

// full says whether the book holds as many entries, beneficiaries, texts,
// amounts or bytes of ids as it can; a book that could not hold a record
// is an error when monitored.
func (b *CommitmentBook) full(c Commitment) bool {
	n := len(c.ID)
	for _, x := range c.Beneficiaries {
		n += len(x)
	}
	return len(b.entries) >= bookMax || len(b.bens)+len(c.Beneficiaries) >= bookMax || len(b.strs)+8 >= bookMax ||
		len(b.amounts) >= bookMax || n >= bookMax-len(b.idBuf)
}

// add checks a commitment record on its own, as monitor does, and keeps it.
func (b *CommitmentBook) add(r CommitmentRecord) {
	b.read++
	c := r.Commitment
	if b.full(c) {
		return
	}
	e := bookEntry{first: c.First, months: c.Months, line: r.Line, input: int32(len(b.entries)), readOK: r.Err == nil, whole: c.WholePhase}
	e.id = b.text(c.ID)
	e.ben, e.nben = int32(len(b.bens)), int32(len(c.Beneficiaries))
	for _, x := range c.Beneficiaries {
		b.bens = append(b.bens, b.text(x))
	}
	e.amount = b.amount(c.Amount)
	e.sponsor, e.method, e.focal = b.str(c.Sponsor), b.str(c.Method), b.str(c.Focal)
	e.committee, e.front, e.inKind = b.str(c.Committee), b.str(c.Front), b.str(c.InKind)
	err := r.Err
	if err == nil {
		err = c.Validate()
	}
	if err != nil {
		e.faulty, e.fault = true, b.str(strings.ReplaceAll(err.Error(), "\n", "; "))
	} else if b.units != nil {
		var errs []string
		if !b.units[c.Sponsor] {
			errs = append(errs, fmt.Sprintf("sponsor_id %q is not a unit of the units file", c.Sponsor))
		}
		if c.Focal != "" && !b.units[c.Focal] {
			errs = append(errs, fmt.Sprintf("focal_id %q is not a unit of the units file", c.Focal))
		}
		e.unitErr = b.str(strings.Join(errs, "; "))
	}
	b.entries = append(b.entries, e)
}

// text appends an id to the book's ids.
func (b *CommitmentBook) text(s string) span {
	sp := span{uint32(len(b.idBuf)), uint32(len(s))}
	b.idBuf = append(b.idBuf, s...)
	return sp
}

// str returns the index of s among the book's texts, adding a copy of it
// when new (so that no record's line is held).
func (b *CommitmentBook) str(s string) int32 {
	if i, ok := b.strAt[s]; ok {
		return i
	}
	s = strings.Clone(s)
	i := int32(len(b.strs))
	b.strs = append(b.strs, s)
	b.strAt[s] = i
	return i
}

var minInt64, maxInt64 = decimal.NewFromInt(math.MinInt64), decimal.NewFromInt(math.MaxInt64)

// amount returns the index of d among the book's amounts: the first one
// kept of its value (every report writes an amount by its value only).
func (b *CommitmentBook) amount(d decimal.Decimal) int32 {
	var at map[int64]int32
	var n int64
	var s string
	var i int32
	var ok bool
	if d.Exponent() == 0 && d.Cmp(minInt64) >= 0 && d.Cmp(maxInt64) <= 0 {
		at, n = b.amtAt, d.IntPart()
		i, ok = at[n]
	} else {
		s = d.String()
		i, ok = b.amtText[s]
	}
	if ok {
		return i
	}
	i = int32(len(b.amounts))
	b.amounts = append(b.amounts, d)
	if at != nil {
		at[n] = i
	} else {
		b.amtText[s] = i
	}
	return i
}

// seal ends the reading: the ids become one string, the entries are put
// in id order, and what served the reading only is let go.
func (b *CommitmentBook) seal() {
	b.ids = string(b.idBuf)
	b.idBuf, b.strAt, b.amtAt, b.amtText, b.units = nil, nil, nil, nil, nil
	slices.SortFunc(b.entries, func(x, y bookEntry) int {
		if c := strings.Compare(b.at(x.id), b.at(y.id)); c != 0 {
			return c
		}
		return cmp.Compare(x.input, y.input)
	})
}

// at returns the text of sp.
func (b *CommitmentBook) at(sp span) string { return b.ids[sp.off : sp.off+sp.n] }

// commitment returns the commitment of entry i as read.
func (b *CommitmentBook) commitment(i int) Commitment {
	e := &b.entries[i]
	c := Commitment{ID: b.at(e.id), Sponsor: b.strs[e.sponsor], Amount: b.amounts[e.amount], First: e.first, Months: e.months, WholePhase: e.whole,
		Method: b.strs[e.method], Focal: b.strs[e.focal], Committee: b.strs[e.committee], Front: b.strs[e.front], InKind: b.strs[e.inKind]}
	if e.nben > 0 {
		c.Beneficiaries = make([]string, e.nben)
		for k, sp := range b.bens[e.ben : e.ben+e.nben] {
			c.Beneficiaries[k] = b.at(sp)
		}
	}
	return c
}

// tooMany is the error of a book that could not hold every record read.
func (b *CommitmentBook) tooMany() error {
	if b.read > len(b.entries) {
		return fmt.Errorf("%d commitments: more than one monitoring can hold", b.read)
	}
	return nil
}
