package eligibility

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/hotro-vn/hotro/admin"
	"github.com/hotro-vn/hotro/rules"
	"github.com/hotro-vn/hotro/rulesets"
	"github.com/shopspring/decimal"
)

// Model is the name of the rule-set model that decides for one person.
const Model = "person"

// TopupFormula is the formula of the person model that gives the monthly top-up.
const TopupFormula = "topup"

// ReformDate is the day the two-level local government took effect: from it
// a record's commune code is read against the post-reform list.
var ReformDate = time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)

// Engine decides eligibility and top-ups under a library of rule sets. It is
// immutable and safe for concurrent use; build it once at start.
type Engine struct {
	lib      *rules.Library
	communes *admin.Registry
	fill     map[*rules.Set][]fact // the input each set declares, in its order
}

// source is one input the package can supply: its kind, and which fact it is.
type source struct {
	kind rules.Kind
	fact fact
}

// fact names a value derived from a person record on a date.
type fact int

const (
	factAge fact = iota
	factZone
	factCommuneProvince
	factCommuneCode
	factDistrictCode
	factResident
	factHouseholdPoor
	factHouseholdCategory
	factDisability
	factSeriousIllness
	factInCareFacility
	factAllowanceCoefficient
	factMonthlyAllowance
	factOtherIncome
)

// value returns a fact of a person on a date, nil for an absent optional
// one. It takes its arguments by value, and enumerated texts are returned
// as boxed constants, so that a decision does not move the person or the
// commune to the heap nor box a string it can avoid.
func value(k fact, p *Person, c *admin.Commune, zone string, age int) any {
	switch k {
	case factAge:
		return age
	case factZone:
		return boxed(zone)
	case factCommuneProvince:
		return boxed(c.ProvinceCode)
	case factCommuneCode:
		return c.Code
	case factDistrictCode:
		return c.DistrictCode
	case factResident:
		return p.Resident
	case factHouseholdPoor:
		return p.HouseholdPoor
	case factHouseholdCategory:
		return boxed(p.HouseholdCategory)
	case factDisability:
		return boxed(p.Disability)
	case factSeriousIllness:
		return p.SeriousIllness
	case factInCareFacility:
		return p.InCareFacility
	case factAllowanceCoefficient:
		return optional(p.AllowanceCoefficient)
	case factMonthlyAllowance:
		return optional(p.MonthlyAllowance)
	case factOtherIncome:
		return p.OtherIncome
	}
	return nil
}

// boxedTexts are the texts that recur in every decision, boxed once.
var boxedTexts = func() map[string]any {
	m := map[string]any{}
	for _, s := range []string{"rural", "urban", "btxh", "other", "none", "mild", "severe", "especially_severe"} {
		m[s] = s
	}
	for code := 1; code <= 99; code++ {
		s := fmt.Sprintf("%02d", code)
		m[s] = s
	}
	return m
}()

func boxed(s string) any {
	if v, ok := boxedTexts[s]; ok {
		return v
	}
	return s
}

func optional(d decimal.NullDecimal) any {
	if d.Valid {
		return d.Decimal
	}
	return nil
}

// supplied is what the engine derives from a Person for the person model.
// A rule set may declare any of these inputs; only those it declares are
// filled in at each decision.
var supplied = map[string]source{
	"age":                   {rules.KindInt, factAge},
	"zone":                  {rules.KindText, factZone},
	"commune_province":      {rules.KindText, factCommuneProvince},
	"commune_code":          {rules.KindText, factCommuneCode},
	"district_code":         {rules.KindText, factDistrictCode},
	"resident":              {rules.KindBool, factResident},
	"household_poor":        {rules.KindBool, factHouseholdPoor},
	"household_category":    {rules.KindText, factHouseholdCategory},
	"disability":            {rules.KindText, factDisability},
	"serious_illness":       {rules.KindBool, factSeriousIllness},
	"in_care_facility":      {rules.KindBool, factInCareFacility},
	"allowance_coefficient": {rules.KindDecimal, factAllowanceCoefficient},
	"monthly_allowance":     {rules.KindMoney, factMonthlyAllowance},
	"other_income":          {rules.KindMoney, factOtherIncome},
}

// optionalInputs are the supplied inputs a Person may lack; the rule set
// must declare them optional.
var optionalInputs = map[string]bool{"allowance_coefficient": true, "monthly_allowance": true}

// New checks that every rule set of lib has a person model this package can
// supply, and returns an engine over it. Problems are rules.Errors, located
// in the rule files.
func New(lib *rules.Library) (*Engine, error) {
	var errs rules.Errors
	add := func(p rules.Pos, format string, args ...any) {
		errs = append(errs, &rules.Error{File: p.File, Line: p.Line, Column: p.Column, Code: rules.CodeDomain, Message: fmt.Sprintf(format, args...)})
	}
	for _, s := range lib.Sets {
		m := s.Model(Model)
		if m == nil {
			add(rules.Pos{File: s.Dir}, "rule set %s has no %q model (add `model: %s` to the file with the eligibility rules)", s.Meta.ID, Model, Model)
			continue
		}
		for _, in := range m.Inputs {
			src, ok := supplied[in.Name]
			k := src.kind
			switch {
			case !ok:
				add(in.Pos, "input %s is not one the eligibility package supplies (it supplies %s)", in.Name, suppliedNames())
			case k != in.Kind && !(k == rules.KindMoney && in.Kind == rules.KindDecimal):
				add(in.Pos, "input %s is supplied as %s, not %s", in.Name, k, in.Kind)
			case optionalInputs[in.Name] && !in.Optional:
				add(in.Pos, "input %s may be absent from a record: declare it `optional: true`", in.Name)
			}
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
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	e := &Engine{lib: lib, communes: admin.Default(), fill: map[*rules.Set][]fact{}}
	for _, s := range lib.Sets {
		for _, in := range s.Model(Model).Inputs {
			e.fill[s] = append(e.fill[s], supplied[in.Name].fact)
		}
	}
	return e, nil
}

func suppliedNames() string {
	names := make([]string, 0, len(supplied))
	for n := range supplied {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// Default returns an engine over the rule sets embedded in the module
// (package rulesets): phase 2020–2025 and the 2026–2030 example draft.
func Default() (*Engine, error) {
	lib, err := rules.Load(rulesets.FS, ".")
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
	Commune      admin.Commune
	Zone         string
	// RuleSet and RuleSetHash identify the rules applied, so a decision can
	// be reproduced; Draft is true under a rule set that is not enacted.
	RuleSet     string
	RuleSetHash string
	Draft       bool

	result *rules.Result
}

// Computed returns every formula's value (allowance, income, topup …),
// computed whether or not the person is eligible.
func (d *Decision) Computed() []rules.Value { return d.result.Outputs() }

// Used returns the inputs and parameters the formulas read (other income,
// poverty line of the zone …).
func (d *Decision) Used() []rules.Value { return d.result.Used() }

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

// Value returns a value the decision computed (a formula) or used (an
// input or parameter that some rule or formula read), by name.
func (d *Decision) Value(name string) (any, bool) { return d.result.Output(name) }

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

// Decide decides for one person.
func (d *Day) Decide(p Person) (*Decision, error) {
	s, _ := d.envs.Get().(*scratch)
	if s == nil {
		s = newScratch()
	}
	defer d.envs.Put(s)
	return d.e.decide(d.ev, p, s)
}

// scratch is what one goroutine reuses from decision to decision.
type scratch struct {
	in []any
}

func newScratch() *scratch { return &scratch{} }

// decide evaluates p with an evaluator, filling env (which it may reuse).
func (e *Engine) decide(ev *rules.Evaluator, p Person, s *scratch) (*Decision, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	date := ev.Date()
	if p.BirthDate.After(date) {
		return nil, &FieldError{Field: "birth_date", Value: p.BirthDate.Format(time.DateOnly), Msg: "is after the evaluation date " + date.Format(time.DateOnly)}
	}
	c, err := e.commune(p.CommuneCode, date)
	if err != nil {
		return nil, &FieldError{Field: "commune_code", Value: p.CommuneCode, Msg: err.Error()}
	}
	zone := p.Zone
	if zone == "" {
		zone = c.Zone()
	}
	a := age(p.BirthDate, date)
	fill := e.fill[ev.Set()]
	in := s.in[:0]
	for _, k := range fill {
		in = append(in, value(k, &p, &c, zone, a))
	}
	s.in = in
	res, err := ev.EvalInputs(Model, in)
	if err != nil {
		var ie *rules.InputError
		if errors.As(err, &ie) {
			return nil, &FieldError{Field: ie.Input, Msg: ie.Msg}
		}
		return nil, err
	}
	return decision(p.ID, c, zone, res), nil
}

func decision(id string, c admin.Commune, zone string, res *rules.Result) *Decision {
	s := res.Set
	d := &Decision{PersonID: id, Date: res.Date, Eligible: res.Pass, result: res, Commune: c, Zone: zone,
		RuleSet: s.Meta.ID, RuleSetHash: s.Hash, Draft: s.Meta.Status == "draft", MonthlyTopup: decimal.Zero}
	if res.Pass {
		if v, ok := res.Output(TopupFormula); ok {
			d.MonthlyTopup = v.(decimal.Decimal)
		}
	}
	return d
}

// commune resolves a record's commune code as it stood on date: before the
// 2025 reform an old code names the old commune; from the reform a new code
// names the new commune, and an old one is mapped to its successor when
// there is exactly one.
func (e *Engine) commune(code string, date time.Time) (admin.Commune, error) {
	if date.Before(ReformDate) {
		if c, ok := e.communes.Lookup(code); ok {
			return c, nil
		}
		return admin.Commune{}, fmt.Errorf("no commune has code %q", code)
	}
	if c, ok := e.communes.LookupReformed(code); ok {
		return c, nil
	}
	c, err := e.communes.MapToNew(code)
	if err != nil {
		if errors.Is(err, admin.ErrUnknownCommune) {
			return admin.Commune{}, fmt.Errorf("no commune has code %q", code)
		}
		return admin.Commune{}, err
	}
	return c, nil
}

// age is the number of whole years completed on date.
func age(birth, date time.Time) int {
	y := date.Year() - birth.Year()
	if date.Month() < birth.Month() || date.Month() == birth.Month() && date.Day() < birth.Day() {
		y--
	}
	return y
}
