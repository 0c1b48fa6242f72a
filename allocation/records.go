package allocation

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/hotro-vn/hotro/eligibility"
	"github.com/hotro-vn/hotro/internal/table"
	"github.com/shopspring/decimal"
)

// UnitRecord is one unit as read from a file: the unit, where it was read,
// and what is wrong with it (nil when fine). docs/records.md describes the
// fields.
type UnitRecord struct {
	Line int // 1-based line in a CSV file (header = 1); index in a JSON array
	Unit Unit
	Err  error
}

// CommitmentRecord is one commitment as read from a file.
type CommitmentRecord struct {
	Line       int
	Commitment Commitment
	Err        error
}

var (
	unitFields       = []string{"unit_id", "name", "level", "kind", "place", "staff", "source", "capacity_persons", "monthly_amount", "reach"}
	unitRequired     = []string{"unit_id", "level", "kind", "place"}
	commitFields     = []string{"commitment_id", "sponsor_id", "beneficiary_ids", "monthly_amount", "first_month", "duration", "method", "focal_id", "committee", "front", "in_kind"}
	commitRequired   = []string{"commitment_id", "sponsor_id", "beneficiary_ids", "first_month"}
	digits           = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[0-9]+$`) })
	durationPattern  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^([0-9]+)\s*(m|months?|y|years?)?$`) })
	msgNotWholeDong  = "not whole đồng (write digits only, e.g. 450000, without separators)"
	msgNotWholeCount = "not a whole number"
	units            = table.NewSchema(unitFields, unitRequired)
	commitments      = table.NewSchema(commitFields, commitRequired)
)

// ReadUnits reads units from r, a CSV file or a JSON array, with the
// declarations of v: the headers it accepts, the values of kind, level,
// reach and source with their spellings, and the unit_record rules. Every
// row gives a record; a bad row has Err set and is never dropped. The error
// return is for a file that cannot be read at all (no header, a required
// column missing).
func ReadUnits(r io.Reader, format Format, v *Vocabulary) ([]UnitRecord, []string, error) {
	return readWith(v, UnitRecordModel, unitFields, r, format, unitRecord(v))
}

// ReadUnitsFile reads the .csv or .json file of units at path, like ReadUnits.
func ReadUnitsFile(path string, v *Vocabulary) ([]UnitRecord, []string, error) {
	return readFileWith(v, UnitRecordModel, unitFields, path, unitRecord(v))
}

func unitRecord(v *Vocabulary) func(*row) UnitRecord {
	return func(r *row) (rec UnitRecord) {
		rec.Line, rec.Err = r.line, r.err
		if r.err == nil {
			rec.Unit, rec.Err = r.unit(v)
		}
		return rec
	}
}

// ReadCommitments reads commitments from r, like ReadUnits: the method's
// values and the commitment_record rules are v's.
func ReadCommitments(r io.Reader, format Format, v *Vocabulary) ([]CommitmentRecord, []string, error) {
	return readWith(v, CommitmentRecordModel, commitFields, r, format, commitmentRecord(v))
}

// ReadCommitmentsFile reads the .csv or .json file of commitments at path.
func ReadCommitmentsFile(path string, v *Vocabulary) ([]CommitmentRecord, []string, error) {
	return readFileWith(v, CommitmentRecordModel, commitFields, path, commitmentRecord(v))
}

func commitmentRecord(v *Vocabulary) func(*row) CommitmentRecord {
	return func(r *row) (rec CommitmentRecord) {
		rec.Line, rec.Err = r.line, r.err
		if r.err == nil {
			rec.Commitment, rec.Err = r.commitment(v)
		}
		return rec
	}
}

// row is one record's fields as text.
type row struct {
	line  int
	label string // "line 7" in a CSV file, "record 7" in a JSON array
	vals  map[string]string
	err   error // the row could not be read at all
	errs  []error
}

// newRow takes the values of t, a row of a file whose schema has fields, as
// text. A JSON array becomes its elements separated by ";" (beneficiary_ids);
// a JSON object is an error.
func newRow(t table.Row, fields []string) *row {
	r := &row{line: t.Line, label: fmt.Sprintf("line %d", t.Line), vals: map[string]string{}}
	if t.Format == table.JSON {
		r.label = fmt.Sprintf("record %d", t.Line)
	}
	if t.Whole() {
		msg := t.Problems[0].Msg
		if t.Problems[0].Issue == table.NotObject {
			msg = "not a JSON object"
		}
		r.err = fmt.Errorf("%s: %s", r.label, msg)
		return r
	}
	for _, p := range t.Problems {
		if p.Field == "" {
			r.errs = append(r.errs, errors.New(p.Msg))
		} else {
			r.fail(p.Field, "", p.Msg)
		}
	}
	for i, v := range t.Values {
		switch {
		case !v.Present():
		case v.Kind == table.Object:
			r.fail(fields[i], "", "want a string or a number")
		case v.Kind == table.Array:
			r.vals[fields[i]] = joinArray(v.Text)
		default:
			r.vals[fields[i]] = v.Text
		}
	}
	return r
}

// joinArray returns the elements of a JSON array separated by ";".
func joinArray(array string) string {
	var items []any
	d := json.NewDecoder(strings.NewReader(array))
	d.UseNumber()
	_ = d.Decode(&items) // cannot fail: the table reader validated it
	parts := make([]string, len(items))
	for i, x := range items {
		parts[i] = fmt.Sprint(x)
	}
	return strings.Join(parts, ";")
}

func (r *row) fail(field, value, msg string) {
	if value != "" {
		r.errs = append(r.errs, fmt.Errorf("%s %q: %s", field, value, msg))
	} else {
		r.errs = append(r.errs, fmt.Errorf("%s: %s", field, msg))
	}
}

func (r *row) done() error {
	if len(r.errs) == 0 {
		return nil
	}
	return fmt.Errorf("%s: %w", r.label, errors.Join(r.errs...))
}

func (r *row) count(field string) int {
	s := r.vals[field]
	if s == "" {
		return 0
	}
	if !digits().MatchString(s) || len(s) > 9 {
		r.fail(field, s, msgNotWholeCount)
		return 0
	}
	n, _ := strconv.Atoi(s)
	return n
}

func (r *row) money(field string) decimal.Decimal {
	s := r.vals[field]
	if s == "" {
		return decimal.Zero
	}
	if !digits().MatchString(s) || len(s) > 15 {
		r.fail(field, s, msgNotWholeDong)
		return decimal.Zero
	}
	return decimal.RequireFromString(s)
}

func (r *row) need(fields ...string) {
	for _, f := range fields {
		if r.vals[f] == "" {
			r.fail(f, "", "missing")
		}
	}
}

func (r *row) unit(v *Vocabulary) (Unit, error) {
	r.need(unitRequired...)
	m := UnitRecordModel
	u := Unit{ID: r.vals["unit_id"], Name: r.vals["name"], Level: r.enum(v, m, "level"), Place: r.vals["place"], Reach: r.enum(v, m, "reach")}
	u.Kind = r.enum(v, m, "kind")
	u.Source = r.enum(v, m, "source")
	u.Staff, u.Persons, u.Amount = r.count("staff"), r.count("capacity_persons"), r.money("monthly_amount")
	r.check(v, m)
	return u, r.done()
}

func (r *row) commitment(v *Vocabulary) (Commitment, error) {
	r.need(commitRequired...)
	c := Commitment{ID: r.vals["commitment_id"], Sponsor: r.vals["sponsor_id"], Focal: r.vals["focal_id"],
		Committee: r.vals["committee"], Front: r.vals["front"]}
	c.InKind = r.enum(v, CommitmentRecordModel, "in_kind")
	for _, id := range strings.Split(r.vals["beneficiary_ids"], ";") {
		if id = strings.TrimSpace(id); id != "" {
			c.Beneficiaries = append(c.Beneficiaries, id)
		}
	}
	c.Amount = r.money("monthly_amount")
	if r.vals["monthly_amount"] == "" && c.InKind == "" {
		r.fail("monthly_amount", "", "missing: a commitment must state its monthly amount, or its support in kind (plan I.2)")
	}
	if s := r.vals["first_month"]; s != "" {
		m, err := eligibility.ParseMonth(s)
		if err != nil {
			r.fail("first_month", s, "want YYYY-MM")
		}
		c.First = m
	}
	switch d := strings.ToLower(r.vals["duration"]); {
	case d == "":
		r.fail("duration", "", "missing: a commitment must state how long it runs (months, years, or phase) (plan I.2)")
	case d == "phase":
		c.WholePhase = true
	default:
		m := durationPattern().FindStringSubmatch(d)
		if m == nil {
			r.fail("duration", d, "want a number of months (24), of years (2y), or phase")
			break
		}
		n, _ := strconv.Atoi(m[1])
		if strings.HasPrefix(m[2], "y") {
			n *= 12
		}
		if n <= 0 || n > 1200 {
			r.fail("duration", d, "must be between 1 month and 100 years")
		}
		c.Months = n
	}
	c.Method = r.enum(v, CommitmentRecordModel, "method")
	r.check(v, CommitmentRecordModel)
	return c, r.done()
}
