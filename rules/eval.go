package rules

import (
	"errors"
	"fmt"
	"github.com/hotro-vn/hotro/admin"
	"sort"
	"strings"
	"time"

	"github.com/expr-lang/expr/vm"
	"github.com/shopspring/decimal"
)

// Library is the rule sets of a policy, one per phase. Like its sets, it is
// immutable once loaded and safe for concurrent use.
type Library struct {
	sets []*Set // in order of their phases' start
}

// Sets returns the rule sets in order of their phases' start (a copy).
func (l *Library) Sets() []*Set { return append([]*Set(nil), l.sets...) }

// ErrNoPhase is wrapped by the error returned when no rule set is in force
// on a date.
var ErrNoPhase = errors.New("no rule set in force")

func (l *Library) sortAndCheck() error {
	sort.SliceStable(l.sets, func(i, j int) bool { return l.sets[i].Meta.From.Before(l.sets[j].Meta.From) })
	c := &errs{}
	seen := map[string]*Set{}
	for _, s := range l.sets {
		if prev, dup := seen[s.Meta.ID]; dup {
			c.add(s.Dir, 0, 0, CodeDuplicate, "rule set id %q is used twice (also by %s)", s.Meta.ID, prev.Dir)
		}
		seen[s.Meta.ID] = s
	}
	return c.err()
}

// For returns the rule set in force on date. Where phases overlap, an
// enacted set wins over a draft, then the set that started later.
func (l *Library) For(date time.Time) (*Set, error) {
	var best *Set
	for _, s := range l.sets {
		if !s.Covers(date) {
			continue
		}
		if best == nil || (best.Meta.Status == "draft" && s.Meta.Status != "draft") ||
			(best.Meta.Status == s.Meta.Status && s.Meta.From.After(best.Meta.From)) {
			best = s
		}
	}
	if best == nil {
		phases := make([]string, len(l.sets))
		for i, s := range l.sets {
			phases[i] = fmt.Sprintf("%s (%s to %s)", s.Meta.ID, fmtDate(s.Meta.From), fmtDate(s.Meta.To))
		}
		return nil, fmt.Errorf("%w on %s; the phases available are %s", ErrNoPhase, fmtDate(date), strings.Join(phases, ", "))
	}
	return best, nil
}

// At returns an evaluator for date under the rule set in force then.
func (l *Library) At(date time.Time) (*Evaluator, error) {
	s, err := l.For(date)
	if err != nil {
		return nil, err
	}
	return s.At(date)
}

// Evaluator evaluates a set's models on one date, with the parameters in
// force that day looked up once. It is immutable and safe for concurrent use.
type Evaluator struct {
	set     *Set
	date    time.Time
	dateBox any // date, boxed once for the derived values
	plain   []paramValue
	keyed   []paramValue
}

// paramValue is a parameter's value on the evaluator's date; index is the
// parameter's place in Set.Params.
type paramValue struct {
	index    int
	name, by string
	value    any
	byKey    map[string]any
}

// Value is a named value, as a decision reports the values it used.
type Value struct {
	Name  string
	Value any
}

// At returns an evaluator for a date inside the set's phase.
func (s *Set) At(date time.Time) (*Evaluator, error) {
	if !s.Covers(date) {
		return nil, fmt.Errorf("%w on %s: rule set %s covers %s to %s", ErrNoPhase, fmtDate(date), s.Meta.ID, fmtDate(s.Meta.From), fmtDate(s.Meta.To))
	}
	d := day(date)
	e := &Evaluator{set: s, date: d, dateBox: d}
	for i, p := range s.Params {
		v := p.ValueOn(d)
		if v == nil {
			// Unreachable for a loaded set: checkParams proved every day of the phase has a value.
			return nil, fmt.Errorf("parameter %s has no value on %s", p.Name, fmtDate(d))
		}
		if p.By == "" {
			e.plain = append(e.plain, paramValue{index: i, name: p.Name, value: v.Value})
		} else {
			e.keyed = append(e.keyed, paramValue{index: i, name: p.Name, by: p.By, byKey: v.ByKey})
		}
	}
	return e, nil
}

// ValueOn returns the parameter's value in force on date, or nil.
func (p *Param) ValueOn(date time.Time) *ParamValue {
	d := day(date)
	for i := len(p.Values) - 1; i >= 0; i-- {
		v := &p.Values[i]
		if !v.From.After(d) {
			if !v.To.IsZero() && v.To.Before(d) {
				return nil
			}
			return v
		}
	}
	return nil
}

// Set returns the rule set the evaluator applies.
func (e *Evaluator) Set() *Set { return e.set }

// Date returns the day the evaluator evaluates on.
func (e *Evaluator) Date() time.Time { return e.date }

// Param returns the value of a parameter on the evaluator's date; for a
// keyed parameter, key selects the value.
func (e *Evaluator) Param(name, key string) (any, bool) {
	for _, v := range e.plain {
		if v.name == name {
			return v.value, true
		}
	}
	for _, k := range e.keyed {
		if k.name == name {
			v, ok := k.byKey[key]
			return v, ok
		}
	}
	return nil, false
}

// Env holds the inputs of one evaluation by name. Eval only reads it, so
// one Env may serve several evaluations, also concurrently.
type Env map[string]any

// InputError says an input given to Eval is missing or of the wrong type.
type InputError struct {
	Model, Input string
	Msg          string
}

func (e *InputError) Error() string {
	return fmt.Sprintf("input %s of model %s: %s", e.Input, e.Model, e.Msg)
}

// Result is one evaluation of a model: whether all its rules pass, each
// rule's outcome, the formulas' values and the values they read.
type Result struct {
	Set   *Set
	Model string
	Date  time.Time
	Pass  bool
	Rules []RuleResult
	// Extra holds values a domain package adds for its test cases to check
	// (see Runner); Eval leaves it empty.
	Extra []Value

	m      *Model
	inline [5]RuleResult // room for the rules of a usual model (the person model has 5), saving an allocation
	// inlineVals is room for vals of a usual model, saving another.
	inlineVals [21]any
	// vals are the formulas' values, then those of the names the
	// expressions read (Model.names): one small slice, from which the
	// values of each rule are read on demand. A formula's number the
	// closures computed is in nums instead, its vals entry nil, and is
	// made a decimal only when read (val).
	vals []any
	nums []smallNum
	// inlineNums is room for nums of a usual model.
	inlineNums [3]smallNum
}

// smallNum is a number of at most 18 digits: its coefficient and exponent.
type smallNum struct {
	c int64
	e int32
}

// val is value i of vals, a formula's number made a decimal.
func (r *Result) val(i int) any {
	if v := r.vals[i]; v != nil || i >= len(r.nums) || !r.m.fastNum[i] {
		return v
	}
	n := r.nums[i]
	return num{c: n.c, e: n.e}.dec()
}

// RuleResult is the outcome of one rule.
type RuleResult struct {
	Rule *Rule
	res  *Result
	i    int32
	Pass bool
}

// Values returns the inputs, parameters and formulas the rule read, with
// their values, in the order they appear in its expression.
func (rr RuleResult) Values() []Value { return rr.res.pick(rr.res.m.refs[rr.i]) }

func (r *Result) pick(refs []int) []Value {
	out := make([]Value, len(refs))
	for i, ref := range refs {
		out[i] = Value{r.name(ref), r.val(ref)}
	}
	return out
}

func (r *Result) name(ref int) string {
	if nf := len(r.m.Formulas); ref < nf {
		return r.m.Formulas[ref].Name
	}
	return r.m.names[ref-len(r.m.Formulas)]
}

// Outputs returns each formula's value, in the order computed.
func (r *Result) Outputs() []Value {
	out := make([]Value, len(r.m.Formulas))
	for i, f := range r.m.Formulas {
		out[i] = Value{f.Name, r.val(i)}
	}
	return out
}

// Used returns the inputs and parameters the formulas read, with their values.
func (r *Result) Used() []Value { return r.pick(r.m.usedRefs) }

// Output returns the value of a formula, or of an input or parameter that
// some expression read, or of an Extra value.
func (r *Result) Output(name string) (any, bool) {
	for i := range r.vals {
		if r.name(i) == name {
			return r.val(i), true
		}
	}
	for _, v := range r.Extra {
		if v.Name == name {
			return v.Value, true
		}
	}
	return nil, false
}

// Failed returns the ids of the rules that failed, in the rule set's order.
func (r *Result) Failed() []string {
	var ids []string
	for _, rr := range r.Rules {
		if !rr.Pass {
			ids = append(ids, rr.Rule.ID)
		}
	}
	return ids
}

// Eval evaluates the named model with the inputs in env. Every declared
// input must be present with its kind's Go type (bool, int,
// decimal.Decimal, string) unless it is optional. env is only read.
func (e *Evaluator) Eval(model string, env Env) (*Result, error) {
	m := e.set.models[model]
	if m == nil {
		return nil, fmt.Errorf("rule set %s has no model %q", e.set.Meta.ID, model)
	}
	in := make([]any, len(m.Inputs))
	for i, decl := range m.Inputs {
		in[i] = env[decl.Name]
	}
	return e.eval(m, in)
}

// EvalInputs is Eval with the inputs given in the order the model declares
// them (Model.Inputs), nil for an absent optional input: a program that
// fills the same inputs for many subjects spares building a map. in is
// only read and may be reused once EvalInputs returns.
func (e *Evaluator) EvalInputs(model string, in []any) (*Result, error) {
	m := e.set.models[model]
	if m == nil {
		return nil, fmt.Errorf("rule set %s has no model %q", e.set.Meta.ID, model)
	}
	if len(in) != len(m.Inputs) {
		return nil, fmt.Errorf("model %s declares %d inputs, %d given", m.Name, len(m.Inputs), len(in))
	}
	return e.eval(m, in)
}

// noEnv is the environment the combined programs run with: they read
// nothing from it (see builder.combine).
var noEnv = map[string]any{}

func (e *Evaluator) eval(m *Model, in []any) (*Result, error) {
	res := new(Result)
	if err := e.evalTo(res, m, in); err != nil {
		return nil, err
	}
	return res, nil
}

// EvalInputsTo is EvalInputs with the result written into res, which the
// caller owns: a program deciding many subjects reuses one Result (and
// its room for values) and allocates nothing for it. What res held
// before is overwritten, including the RuleResults read from it; on an
// error res is left unspecified.
func (e *Evaluator) EvalInputsTo(res *Result, model string, in []any) error {
	m := e.set.models[model]
	if m == nil {
		return fmt.Errorf("rule set %s has no model %q", e.set.Meta.ID, model)
	}
	if len(in) != len(m.Inputs) {
		return fmt.Errorf("model %s declares %d inputs, %d given", m.Name, len(m.Inputs), len(in))
	}
	return e.evalTo(res, m, in)
}

// evalTo runs a model and fills res with its outcome.
func (e *Evaluator) evalTo(res *Result, m *Model, in []any) error {
	machine := e.machine()
	defer e.set.vms.Put(machine)
	out, err := e.exec(m, in, machine)
	if err != nil {
		return err
	}
	vars := machine.Variables
	nf := len(m.Formulas)
	n := nf + len(m.names)
	vals := res.vals[:0]
	if cap(vals) < n {
		if n <= len(res.inlineVals) {
			vals = res.inlineVals[:0]
		} else {
			vals = make([]any, 0, n)
		}
	}
	vals = vals[:n]
	res.Set, res.Model, res.Date, res.Pass, res.m, res.Extra = e.set, m.Name, e.date, true, m, res.Extra[:0]
	res.vals = vals
	if len(m.Rules) <= len(res.inline) {
		res.Rules = res.inline[:len(m.Rules)]
	} else {
		res.Rules = make([]RuleResult, len(m.Rules))
	}
	for i, v := range m.nameVar {
		res.vals[nf+i] = vars[v]
	}
	if m.bitmask {
		copy(res.vals, vars[m.prologue:m.prologue+nf])
		res.nums = res.nums[:0]
		if machine.lazy {
			if nf <= len(res.inlineNums) {
				res.nums = res.inlineNums[:nf]
			} else {
				res.nums = make([]smallNum, nf)
			}
			for i, n := range machine.nums[m.prologue : m.prologue+nf] {
				switch {
				case !m.fastNum[i]:
				case n.big:
					res.vals[i] = n.d
				default:
					res.nums[i] = smallNum{n.c, n.e}
				}
			}
		}
		bits := out.(int)
		for i, r := range m.Rules {
			pass := bits&(1<<i) != 0
			res.Rules[i] = RuleResult{Rule: r, Pass: pass, res: res, i: int32(i)}
			res.Pass = res.Pass && pass
		}
		return nil
	}
	res.nums = res.nums[:0]
	results := out.([]any)
	copy(res.vals, results[:nf])
	for i, r := range m.Rules {
		pass := results[nf+i].(bool)
		res.Rules[i] = RuleResult{Rule: r, Pass: pass, res: res, i: int32(i)}
		res.Pass = res.Pass && pass
	}
	return nil
}

// scratch is what one evaluation works in: the VM, whose variables the
// closures (fast.go) use too, and the closures' numbers.
type scratch struct {
	vm.VM
	nums  []num
	frame frame
	// lazy: the closures ran, leaving the formulas' numbers unboxed in
	// nums (their variables nil).
	lazy bool
}

// machine returns a scratch from the set's pool, or a new one.
func (e *Evaluator) machine() *scratch {
	machine, _ := e.set.vms.Get().(*scratch)
	if machine == nil {
		machine = new(scratch)
	}
	return machine
}

// exec fills a model's inputs and the parameters in force into the
// machine's variables and runs the model's program.
func (e *Evaluator) exec(m *Model, in []any, machine *scratch) (any, error) {
	machine.lazy = false
	if err := e.fill(m, in, machine); err != nil {
		return nil, err
	}
	vars := machine.Variables
	if m.fast != nil {
		bits, list, err := m.fast.run(&machine.frame, vars, machine.nums)
		machine.lazy = err == nil
		if err == nil {
			if list != nil {
				return list, nil
			}
			return bits, nil
		}
		// A fault: the VM program, run on the same inputs, says it in its words.
	}
	out, err := machine.Run(m.program, noEnv)
	if err != nil {
		return nil, e.failure(m, vars, err)
	}
	return out, nil
}

// fill writes a model's inputs and the parameters in force into the
// scratch's variables, checking them.
func (e *Evaluator) fill(m *Model, in []any, machine *scratch) error {
	if len(machine.Variables) < m.variables {
		machine.Variables = make([]any, m.variables)
	}
	if m.fast != nil && len(machine.nums) < m.variables {
		machine.nums = make([]num, m.variables)
	}
	vars := machine.Variables
	for i, decl := range m.Inputs {
		v := in[i]
		present := v != nil
		if !present {
			if !decl.Optional {
				return &InputError{m.Name, decl.Name, "missing"}
			}
			v = decl.Kind.zero()
		} else if err := checkInput(decl, v); err != "" {
			return &InputError{m.Name, decl.Name, err}
		}
		if !m.inputRead[i] {
			continue // checked, but the program does not read it
		}
		vars[m.inputVar[i]] = v
		if h := m.hasVar[i]; h >= 0 {
			vars[h] = present
		}
	}
	if err := m.checkBudget(in); err != nil {
		return err
	}
	for _, p := range e.plain {
		if m.paramRead[p.index] {
			vars[m.paramVar[p.index]] = p.value
		}
	}
	for _, k := range e.keyed {
		i := m.keyInput[k.index]
		if i < 0 || !m.paramRead[k.index] {
			continue // the model does not read this parameter (checked at load)
		}
		key, _ := vars[m.inputVar[i]].(string)
		v, ok := k.byKey[key]
		if !ok {
			return &InputError{m.Name, k.by, fmt.Sprintf("%q selects no value of parameter %s", key, k.name)}
		}
		vars[m.paramVar[k.index]] = v
	}
	return nil
}

// run computes the formulas of a model without rules (the derived values
// of a record) and copies their values, in the model's order of Formulas,
// into dst.
func (e *Evaluator) run(m *Model, in, dst []any) error {
	machine := e.machine()
	defer e.set.vms.Put(machine)
	out, err := e.exec(m, in, machine)
	if err != nil {
		return err
	}
	if !m.bitmask {
		copy(dst, out.([]any)[:len(m.Formulas)])
		return nil
	}
	copy(dst, machine.Variables[m.prologue:m.prologue+len(m.Formulas)])
	if machine.lazy {
		for i := range m.Formulas {
			if m.fastNum[i] {
				dst[i] = machine.nums[m.prologue+i].dec()
			}
		}
	}
	return nil
}

// failure finds which formula or rule of a model failed at run time (the
// combined program cannot tell) by running them one by one, and says so.
func (e *Evaluator) failure(m *Model, vars []any, err error) error {
	env := map[string]any{}
	for i, in := range m.Inputs {
		env[in.Name] = vars[m.inputVar[i]]
		if h := m.hasVar[i]; h >= 0 {
			env[m.hasNames[i]] = vars[h]
		}
	}
	for i, p := range e.set.Params {
		env[p.Name] = vars[m.paramVar[i]]
	}
	machine := new(vm.VM)
	for _, f := range m.Formulas {
		out, ferr := machine.Run(f.program, env)
		if ferr != nil {
			return fmt.Errorf("formula %s (%s:%d): %w", f.Name, f.Pos.File, f.Pos.Line, ferr)
		}
		env[f.Name] = out
	}
	for _, r := range m.Rules {
		if _, rerr := machine.Run(r.program, env); rerr != nil {
			return fmt.Errorf("rule %s (%s:%d): %w", r.ID, r.Pos.File, r.Pos.Line, rerr)
		}
	}
	return fmt.Errorf("model %s: %w", m.Name, err)
}

func checkInput(in *Input, v any) string {
	var ok bool
	switch in.Kind {
	case KindBool:
		_, ok = v.(bool)
	case KindInt:
		_, ok = v.(int)
	case KindDecimal, KindMoney:
		var d decimal.Decimal
		d, ok = v.(decimal.Decimal)
		if ok && in.Kind == KindMoney && !d.IsInteger() {
			return fmt.Sprintf("%s is not a whole number of đồng", d)
		}
	case KindDate:
		_, ok = v.(time.Time)
	case KindCommune:
		_, ok = v.(admin.Commune)
	case KindText:
		var s string
		s, ok = v.(string)
		if ok && len(in.Values) > 0 && !contains(in.Values, s) {
			return fmt.Sprintf("%q is not one of %s", s, strings.Join(in.Values, ", "))
		}
	}
	if !ok {
		return fmt.Sprintf("want %s, got %T", in.Kind, v)
	}
	return ""
}
