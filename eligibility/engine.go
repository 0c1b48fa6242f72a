package eligibility

import (
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/hotro-vn/hotro/admin"
	"github.com/hotro-vn/hotro/records"
	"github.com/hotro-vn/hotro/rules"
	"github.com/hotro-vn/hotro/rulesets"
	"github.com/shopspring/decimal"
)

// Model is the name of the rule-set model that decides for one person.
const Model = "person"

// TopupFormula is the formula of the person model that gives the monthly top-up.
const TopupFormula = "topup"

// Engine decides eligibility and top-ups under a library of rule sets. It is
// immutable and safe for concurrent use; build it once at start.
type Engine struct {
	lib  *rules.Library
	sets map[*rules.Set]*setInfo
}

// setInfo is what the engine keeps of one rule set's person model.
type setInfo struct {
	model  *rules.Model
	schema *records.Schema
	// derived is the index in the model's inputs of the first derived
	// value; commune that of the first derived commune (-1 for none).
	derived, commune int
}

// Record is one person record as read, and FieldError a fault of one of
// its fields: the generic records of package records.
type (
	Record     = records.Record
	FieldError = records.FieldError
)

// New checks that every rule set of lib has a person model that declares
// its record and gives a money formula topup, and returns an engine over
// it. Problems are rules.Errors, located in the rule files.
func New(lib *rules.Library) (*Engine, error) {
	var errs rules.Errors
	add := func(p rules.Pos, format string, args ...any) {
		errs = append(errs, &rules.Error{File: p.File, Line: p.Line, Column: p.Column, Code: rules.CodeDomain, Message: fmt.Sprintf(format, args...)})
	}
	e := &Engine{lib: lib, sets: map[*rules.Set]*setInfo{}}
	for _, s := range lib.Sets() {
		m := s.Model(Model)
		if m == nil {
			add(rules.Pos{File: s.Dir}, "rule set %s has no %q model (add `model: %s` to the file with the eligibility rules)", s.Meta.ID, Model, Model)
			continue
		}
		if m.Record == nil {
			p := rules.Pos{File: s.Dir}
			if len(m.Inputs) > 0 {
				p = m.Inputs[0].Pos
			}
			add(p, "model %s of rule set %s declares no record: declare the person record under `record:` and the values derived from it under `derived:`", Model, s.Meta.ID)
			continue
		}
		found := false
		for _, f := range m.Formulas {
			if f.Name == TopupFormula {
				found = true
				if f.Kind != rules.KindMoney {
					add(f.Pos, "formula %s must be of type money", TopupFormula)
				}
			}
		}
		if !found {
			add(rules.Pos{File: s.Dir}, "rule set %s: the person model has no formula %q giving the monthly top-up", s.Meta.ID, TopupFormula)
			continue
		}
		schema, err := records.New(m.Record)
		if err != nil {
			add(m.Record.Pos, "the person record: %v", err)
			continue
		}
		info := &setInfo{model: m, schema: schema, derived: len(m.Record.Fields), commune: -1}
		for i, in := range m.Inputs[info.derived:] {
			if in.Kind == rules.KindCommune {
				info.commune = info.derived + i
				break
			}
		}
		e.sets[s] = info
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return e, nil
}

// Default returns an engine over the rule sets embedded in the module
// (package rulesets): phase 2020–2025 and the 2026–2030 example draft.
func Default() (*Engine, error) {
	lib, err := rules.LoadPolicy(rulesets.FS, ".", rulesets.DefaultPolicy)
	if err != nil {
		return nil, err
	}
	return New(lib)
}

// LoadDir returns an engine over the rule sets in a directory (one rule set,
// or a directory of them), as policy staff edit them.
func LoadDir(dir string) (*Engine, error) {
	lib, err := rules.LoadDir(dir)
	if err != nil {
		return nil, err
	}
	return New(lib)
}

// Library returns the rule sets the engine applies.
func (e *Engine) Library() *rules.Library { return e.lib }

// Schema returns the reader of the person record declared by the rule set
// in force on date.
func (e *Engine) Schema(date time.Time) (*records.Schema, error) {
	s, err := e.lib.For(date)
	if err != nil {
		return nil, err
	}
	return e.sets[s].schema, nil
}

// Reason is the outcome of one eligibility rule, with its citation and the
// values it read.
type Reason struct {
	Rule    string
	Pass    bool
	Cites   string
	Status  string // enacted or interpretation
	Message rules.Text
	result  rules.RuleResult
}

// Values returns the inputs and parameters the rule read, with their values.
func (r Reason) Values() []rules.Value { return r.result.Values() }

// Decision is the answer for one person on one date. Eligibility and amount
// are separate: an eligible person whose income reaches the line is
// Eligible with a MonthlyTopup of zero.
type Decision struct {
	PersonID     string
	Date         time.Time
	Eligible     bool
	MonthlyTopup decimal.Decimal // zero when not eligible
	// Commune is the first value of type commune the rule set derives (the
	// commune in force on the date), zero when it derives none.
	Commune admin.Commune
	// RuleSet and RuleSetHash identify the rules applied, so a decision can
	// be reproduced; Draft is true under a rule set that is not enacted.
	RuleSet     string
	RuleSetHash string
	Draft       bool

	result *rules.Result
	// derived are the inputs the rule set derives (the last of the
	// model's inputs) and their values, held here rather than in a slice
	// of their own: Derived builds the list on demand.
	derived     []*rules.Input
	derivedVals []any
	// res and vals are the room the decision's result and derived values
	// take inside the Decision: one allocation for all of it, or none
	// when the caller reuses the Decision (DecideRecordInto).
	res  rules.Result
	vals [4]any
}

// Computed returns every formula's value (allowance, income, topup …),
// computed whether or not the person is eligible.
func (d *Decision) Computed() []rules.Value { return d.result.Outputs() }

// Used returns the inputs and parameters the formulas read (other income,
// poverty line of the zone …).
func (d *Decision) Used() []rules.Value { return d.result.Used() }

// Derived returns the values the rule set derived from the record (age,
// zone …), in the order it declares them.
func (d *Decision) Derived() []rules.Value {
	out := make([]rules.Value, len(d.derived))
	for i, in := range d.derived {
		out[i] = rules.Value{Name: in.Name, Value: d.derivedVals[i]}
	}
	return out
}

// Result returns the rule engine's result behind the decision.
func (d *Decision) Result() *rules.Result { return d.result }

// Failed returns the ids of the rules that failed.
func (d *Decision) Failed() []string { return d.result.Failed() }

// Reasons returns each rule's outcome with its citation, message and the
// values it read, in the rule set's order. They are built on demand: a
// batch that only needs the amounts does not pay for them.
func (d *Decision) Reasons() []Reason {
	rs := make([]Reason, len(d.result.Rules))
	for i, r := range d.result.Rules {
		rs[i] = Reason{Rule: r.Rule.ID, Pass: r.Pass, Cites: r.Rule.Cites, Status: r.Rule.Status, Message: r.Rule.Message, result: r}
	}
	return rs
}

// Passed reports whether the rule with id passed, and whether the rule set has it.
func (d *Decision) Passed(id string) (pass, ok bool) {
	for _, r := range d.result.Rules {
		if r.Rule.ID == id {
			return r.Pass, true
		}
	}
	return false, false
}

// Value returns a value the decision computed (a formula), derived from
// the record, or used (an input or parameter that some rule or formula
// read), by name.
func (d *Decision) Value(name string) (any, bool) {
	if v, ok := d.result.Output(name); ok {
		return v, true
	}
	for i, in := range d.derived {
		if in.Name == name {
			return d.derivedVals[i], true
		}
	}
	return nil, false
}

// Decide decides for one person on date under the rule set in force then.
// An error means the person could not be decided: invalid record, unknown
// commune, or no rule set for the date. To decide many persons on one date,
// use On, which looks the rules up once.
func (e *Engine) Decide(p Person, date time.Time) (*Decision, error) {
	day, err := e.On(date)
	if err != nil {
		return nil, err
	}
	return day.Decide(p)
}

// Day decides on one date, with the rule set and parameters in force that
// day looked up once. It is safe for concurrent use.
type Day struct {
	e    *Engine
	ev   *rules.Evaluator
	envs sync.Pool
}

// On returns a Day for date, or an error naming the phases available when
// no rule set covers it.
func (e *Engine) On(date time.Time) (*Day, error) {
	ev, err := e.lib.At(date)
	if err != nil {
		return nil, err
	}
	return &Day{e: e, ev: ev}, nil
}

// Schema returns the reader of the records this day decides.
func (d *Day) Schema() *records.Schema { return d.e.sets[d.ev.Set()].schema }

// Decide decides for one person given as the typed convenience.
func (d *Day) Decide(p Person) (*Decision, error) {
	return d.DecideRecord(p.RecordFor(d.Schema(), 0))
}

// DecideRecord decides for one record, as read from a file or built with
// the record's schema.
func (d *Day) DecideRecord(rec Record) (*Decision, error) {
	s, _ := d.envs.Get().(*scratch)
	if s == nil {
		s = newScratch()
	}
	defer d.envs.Put(s)
	return d.e.decide(d.ev, &rec, s)
}

// DecideRecordInto is DecideRecord with the decision written into dec,
// which the caller owns and may reuse from record to record: a loop over
// many records then allocates nothing for the decisions themselves. What
// dec held before is overwritten, and what was read from it (its Result,
// its Reasons) reads the new decision. On an error dec is left unspecified.
func (d *Day) DecideRecordInto(rec *Record, dec *Decision) error {
	s, _ := d.envs.Get().(*scratch)
	if s == nil {
		s = newScratch()
	}
	defer d.envs.Put(s)
	return d.e.decideInto(d.ev, rec, s, dec)
}

// scratch is what one goroutine reuses from decision to decision.
type scratch struct {
	in, vals []any
}

func newScratch() *scratch { return &scratch{} }

// decide evaluates a record with an evaluator, using s for its inputs.
func (e *Engine) decide(ev *rules.Evaluator, rec *Record, s *scratch) (*Decision, error) {
	d := new(Decision)
	if err := e.decideInto(ev, rec, s, d); err != nil {
		return nil, err
	}
	return d, nil
}

// decideInto is decide with the decision written into d.
func (e *Engine) decideInto(ev *rules.Evaluator, rec *Record, s *scratch, d *Decision) error {
	if rec.Err != nil {
		return rec.Err
	}
	info := e.sets[ev.Set()]
	vals := rec.Values
	if rec.Schema() != info.schema {
		var err error
		if vals, err = remap(rec, info.schema, s); err != nil {
			return err
		}
	}
	m := info.model
	if cap(s.in) < len(m.Inputs) {
		s.in = make([]any, len(m.Inputs))
	}
	in := s.in[:len(m.Inputs)]
	if err := ev.Derive(Model, vals, in); err != nil {
		var ff *rules.FieldFault
		if errors.As(err, &ff) {
			f, _ := m.Record.Field(ff.Field)
			col := ff.Field
			if f != nil {
				col = f.Column
			}
			return &FieldError{Line: rec.Line, Field: col, Value: ff.Value, Msg: ff.Msg}
		}
		return err
	}
	res := &d.res
	if err := ev.EvalInputsTo(res, Model, in); err != nil {
		var ie *rules.InputError
		if errors.As(err, &ie) {
			return &FieldError{Line: rec.Line, Field: ie.Input, Msg: ie.Msg}
		}
		return err
	}
	set := res.Set
	d.PersonID, d.Date, d.Eligible, d.result = rec.ID, res.Date, res.Pass, res
	d.RuleSet, d.RuleSetHash, d.Draft = set.Meta.ID, set.Hash, set.Meta.Status == "draft"
	d.MonthlyTopup, d.Commune, d.derived = decimal.Zero, admin.Commune{}, m.Inputs[info.derived:]
	if info.commune >= 0 {
		d.Commune, _ = in[info.commune].(admin.Commune)
	}
	if nd := len(in) - info.derived; nd <= len(d.vals) {
		d.derivedVals = d.vals[:nd]
	} else {
		d.derivedVals = make([]any, nd)
	}
	copy(d.derivedVals, in[info.derived:])
	if res.Pass {
		if v, ok := res.Output(TopupFormula); ok {
			d.MonthlyTopup = v.(decimal.Decimal)
		}
	}
	return nil
}

// remap gives a record read with one rule set's declaration the field
// order of another's (a schedule that crosses phases): fields are matched
// by name; a field the other declaration lacks is absent, and one it
// requires that the record lacks is an error.
func remap(rec *Record, to *records.Schema, s *scratch) ([]any, error) {
	fields := to.Decl().Fields
	if cap(s.vals) < len(fields) {
		s.vals = make([]any, len(fields))
	}
	vals := s.vals[:len(fields)]
	for i, f := range fields {
		v, ok := rec.Get(f.Name)
		vals[i] = nil
		if !ok {
			if f.Required {
				return nil, &FieldError{Line: rec.Line, Field: f.Column, Msg: f.Missing()}
			}
			continue
		}
		if msg := f.Check(v); msg != "" {
			return nil, &FieldError{Line: rec.Line, Field: f.Column, Value: rules.FormatValue(v), Msg: msg}
		}
		vals[i] = v
	}
	return vals, nil
}

// ReadFile reads a .csv or .json file of person records with the
// declaration of the rule set in force on date; a bad record is a Record
// with Err, never dropped. The warnings name unknown columns once each.
func (e *Engine) ReadFile(path string, date time.Time) ([]Record, []string, error) {
	return e.read(date, func(s *records.Schema, each func(Record)) ([]string, error) { return s.ReadFile(path, each) })
}

// ReadJSON reads a JSON array of person records with the declaration of
// the rule set in force on date; a bad record is a Record with Err.
func (e *Engine) ReadJSON(r io.Reader, date time.Time) ([]Record, []string, error) {
	return e.read(date, func(s *records.Schema, each func(Record)) ([]string, error) { return s.ReadJSON(r, each) })
}

// ReadCSV reads a CSV file of person records as ReadJSON does.
func (e *Engine) ReadCSV(r io.Reader, date time.Time) ([]Record, []string, error) {
	return e.read(date, func(s *records.Schema, each func(Record)) ([]string, error) { return s.ReadCSV(r, each) })
}

func (e *Engine) read(date time.Time, read func(*records.Schema, func(Record)) ([]string, error)) ([]Record, []string, error) {
	s, err := e.Schema(date)
	if err != nil {
		return nil, nil, err
	}
	var recs []Record
	warnings, err := read(s, func(r Record) { recs = append(recs, r) })
	if err != nil {
		return nil, warnings, err
	}
	return recs, warnings, nil
}
