package allocation

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hotro-vn/hotro/internal/table"
	"github.com/hotro-vn/hotro/rules"
)

// The models of a rule set that declare the records of sponsorship: their
// fields, the values of their enumerations (unit kinds, levels, sources of
// mobilisation, payment methods) with the spellings a list may use, the
// headers accepted for each field (Vietnamese included), and rules every
// record must pass (docs/records.md).
const (
	UnitRecordModel       = "unit_record"
	CommitmentRecordModel = "commitment_record"
	PaymentRecordModel    = "payment_record"
)

// Format is the format of a file of records.
type Format = table.Format

// The formats of a file of records.
const (
	CSV  = table.CSV
	JSON = table.JSON
)

// Vocabulary is what a rule set declares of the records of sponsorship:
// the readers of units, commitments and payments take their enumerations
// and headers from it, and apply its record rules to every record. It is
// immutable and safe for concurrent use.
type Vocabulary struct {
	set     *rules.Set
	ev      *rules.Evaluator
	schemas map[string]*table.Schema // model → the table schema with the declared headers
}

// Vocabulary returns the declarations of the rule set in force on date.
func (p *Planner) Vocabulary(date time.Time) (*Vocabulary, error) {
	set, err := p.lib.For(date)
	if err != nil {
		return nil, err
	}
	return VocabularyOf(set, date)
}

// VocabularyOf returns the declarations of set, whose rules are evaluated
// as on date. The set must declare the three record models.
func VocabularyOf(set *rules.Set, date time.Time) (*Vocabulary, error) {
	ev, err := set.At(date)
	if err != nil {
		return nil, err
	}
	v := &Vocabulary{set: set, ev: ev, schemas: map[string]*table.Schema{}}
	for model, base := range map[string]*table.Schema{UnitRecordModel: units, CommitmentRecordModel: commitments, PaymentRecordModel: paids} {
		m := set.Model(model)
		if m == nil || m.Record == nil {
			return nil, fmt.Errorf("rule set %s declares no %s record (a `record:` of model %s, see docs/records.md)", set.Meta.ID, model, model)
		}
		aliases := map[string]string{}
		for _, f := range m.Record.Fields {
			for _, a := range f.Aliases {
				aliases[a] = f.Column
			}
		}
		s, err := base.WithAliases(aliases)
		if err != nil {
			return nil, fmt.Errorf("rule set %s, %s: %w", set.Meta.ID, model, err)
		}
		v.schemas[model] = s
	}
	return v, nil
}

// Set is the rule set the vocabulary comes from.
func (v *Vocabulary) Set() *rules.Set { return v.set }

// Values returns the values of an enumerated field of a record model (for
// example Values(UnitRecordModel, "kind")), in their declared order; nil
// when the field is not an enumeration.
func (v *Vocabulary) Values(model, field string) []string {
	if m := v.set.Model(model); m != nil && m.Record != nil {
		if f, _ := m.Record.Field(field); f != nil && f.Type == rules.FieldEnum {
			return append([]string(nil), f.Values...)
		}
	}
	return nil
}

// field returns the declared field of model read from column col.
func (v *Vocabulary) field(model, col string) *rules.Field {
	for _, f := range v.set.Model(model).Record.Fields {
		if f.Column == col {
			return f
		}
	}
	return nil
}

// enum reads an enumerated field through the declaration: a spelling
// becomes its value, an unknown one is a fault of the row. A field the
// declaration does not make an enumeration is left as it is.
func (r *row) enum(v *Vocabulary, model, col string) string {
	s := r.vals[col]
	f := v.field(model, col)
	if s == "" || f == nil || f.Type != rules.FieldEnum {
		return s
	}
	val, msg := f.Parse(s, false)
	if msg != "" {
		r.fail(col, s, msg)
		r.vals[col] = ""
		return ""
	}
	r.vals[col] = val.(string)
	return r.vals[col]
}

// check applies the record rules of model to the row, once every field
// could be read (a field that could not is already a fault of the row).
func (r *row) check(v *Vocabulary, model string) {
	if len(r.errs) > 0 {
		return
	}
	m := v.set.Model(model)
	fields := make([]any, len(m.Record.Fields))
	for i, f := range m.Record.Fields {
		s := r.vals[f.Column]
		if s == "" {
			if f.Required {
				return
			}
			continue
		}
		val, msg := f.Parse(s, false)
		if msg != "" {
			return
		}
		fields[i] = val
	}
	in := make([]any, max(len(m.Inputs), len(fields)+1)) // Derive puts the date after the fields
	if err := v.ev.Derive(model, fields, in); err != nil {
		r.errs = append(r.errs, err)
		return
	}
	res, err := v.ev.EvalInputs(model, in[:len(m.Inputs)])
	if err != nil {
		r.errs = append(r.errs, err)
		return
	}
	for _, id := range res.Failed() {
		msg := id
		for _, rule := range m.Rules {
			if rule.ID == id {
				msg = id + ": " + rule.Message.EN
			}
		}
		r.errs = append(r.errs, fmt.Errorf("%s", msg))
	}
}

// readWith reads r in format with the schema vocabulary v declares for model.
func readWith[R any](v *Vocabulary, model string, fields []string, in io.Reader, format Format, record func(*row) R) ([]R, []string, error) {
	out := []R{}
	each := func(t table.Row) { out = append(out, record(newRow(t, fields))) }
	s := v.schemas[model]
	var warnings []string
	var err error
	if format == table.JSON {
		warnings, err = s.ReadJSON(in, each)
	} else {
		warnings, err = s.ReadCSV(in, each)
	}
	if err != nil {
		return nil, warnings, err
	}
	return out, warnings, nil
}

// readFileWith reads the .csv or .json file at path like readWith.
func readFileWith[R any](v *Vocabulary, model string, fields []string, path string, record func(*row) R) ([]R, []string, error) {
	out := []R{}
	warnings, err := v.schemas[model].ReadFile(path, func(t table.Row) { out = append(out, record(newRow(t, fields))) })
	if err != nil {
		return nil, warnings, err
	}
	return out, warnings, nil
}

// FormatOf returns the format of a file by its extension: JSON for .json,
// CSV otherwise.
func FormatOf(path string) Format {
	if strings.HasSuffix(strings.ToLower(path), ".json") {
		return JSON
	}
	return CSV
}

// CheckUnit checks a unit given in Go, not read from a file, against the
// declarations: its kind and source are values of the rule set's
// enumerations, and it passes the unit_record rules.
func (v *Vocabulary) CheckUnit(u Unit) error {
	r := &row{vals: map[string]string{"unit_id": u.ID, "name": u.Name, "level": u.Level, "kind": u.Kind, "place": u.Place, "source": u.Source, "reach": u.Reach}}
	if u.Staff > 0 {
		r.vals["staff"] = strconv.Itoa(u.Staff)
	}
	if u.Persons > 0 {
		r.vals["capacity_persons"] = strconv.Itoa(u.Persons)
	}
	if u.Amount.Sign() > 0 {
		r.vals["monthly_amount"] = u.Amount.String()
	}
	if u.Kind == "" {
		r.fail("kind", "", "missing")
	}
	for _, f := range []string{"kind", "source"} {
		if s := r.vals[f]; s != "" && !slices.Contains(v.Values(UnitRecordModel, f), s) {
			r.fail(f, s, v.field(UnitRecordModel, f).WantValues())
		}
	}
	r.check(v, UnitRecordModel)
	return errors.Join(r.errs...)
}

// VocabularyAt returns the declarations of the rule set of lib in force on
// date.
func VocabularyAt(lib *rules.Library, date time.Time) (*Vocabulary, error) {
	set, err := lib.For(date)
	if err != nil {
		return nil, err
	}
	return VocabularyOf(set, date)
}
