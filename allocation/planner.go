package allocation

import (
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/hotro-vn/hotro/admin"
	"github.com/hotro-vn/hotro/rules"
	"github.com/hotro-vn/hotro/rulesets"
)

// The models of a rule set that hold the quota rules.
const (
	UnitModel = "unit" // evaluated for each sponsoring unit
	AreaModel = "area" // evaluated for each area (commune, district, province) after the plan
)

// input is an input this package supplies to a model, with its kind and
// whether a record may lack it (then the rule set must declare it optional).
type input struct {
	kind     rules.Kind
	optional bool
}

var unitInputs = map[string]input{
	"zone": {rules.KindText, false}, "level": {rules.KindText, false}, "kind": {rules.KindText, false},
	"staff": {rules.KindInt, true}, "source": {rules.KindText, true},
	"beneficiaries": {rules.KindInt, false}, "sponsored": {rules.KindInt, false},
}

var areaInputs = map[string]input{
	"zone": {rules.KindText, false}, "level": {rules.KindText, false}, "beneficiaries": {rules.KindInt, false},
	"sponsored_local": {rules.KindInt, false}, "sponsored_before": {rules.KindInt, false},
	"sponsored": {rules.KindInt, false}, "small_agencies": {rules.KindInt, false},
}

// formula is a formula this package reads from a model.
type formula struct {
	kind     rules.Kind
	required bool
}

var unitFormulas = map[string]formula{
	"quota_rule": {rules.KindText, true}, "obligation": {rules.KindInt, true},
	"target": {rules.KindInt, false}, "staff_contribution": {rules.KindMoney, false}, "group_size": {rules.KindInt, false}, "policy_silent": {rules.KindBool, false},
}

var areaFormulas = map[string]formula{
	"local_share_required": {rules.KindInt, false}, "local_share": {rules.KindDecimal, false},
	"province_list": {rules.KindInt, false}, "uncovered": {rules.KindInt, false},
	"small_agency_subjects": {rules.KindInt, false},
}

// Planner makes sponsorship plans under a library of rule sets: the quota
// rules of the set in force on the plan's date, its levels in their order.
// It is immutable and safe for concurrent use.
type Planner struct {
	lib *rules.Library
	reg *admin.Registry
}

// New checks that every rule set of lib has the unit and area models this
// package can evaluate, and that its levels are ones the commune registry
// knows. Problems are rules.Errors, located in the rule files.
func New(lib *rules.Library) (*Planner, error) {
	var errs rules.Errors
	add := func(p rules.Pos, format string, args ...any) {
		errs = append(errs, &rules.Error{File: p.File, Line: p.Line, Column: p.Column, Code: rules.CodeDomain, Message: fmt.Sprintf(format, args...)})
	}
	for _, s := range lib.Sets() {
		if len(s.Meta.Levels) == 0 {
			add(rules.Pos{File: s.Dir}, "rule set %s lists no levels: add `levels:` to %s", s.Meta.ID, rules.MetaFile)
		}
		for _, l := range s.Meta.Levels {
			if adminLevels[l.ID] == nil {
				add(rules.Pos{File: s.Dir}, "rule set %s: level %q is not one the commune registry knows (commune, district, province)", s.Meta.ID, l.ID)
			}
		}
		for _, name := range []string{UnitRecordModel, CommitmentRecordModel, PaymentRecordModel} {
			if m := s.Model(name); m == nil || m.Record == nil {
				add(rules.Pos{File: s.Dir}, "rule set %s declares no %s: add `model: %s` with its `record:` (docs/records.md)", s.Meta.ID, name, name)
			}
		}
		for _, m := range []struct {
			name     string
			inputs   map[string]input
			formulas map[string]formula
		}{{UnitModel, unitInputs, unitFormulas}, {AreaModel, areaInputs, areaFormulas}} {
			model := s.Model(m.name)
			if model == nil {
				add(rules.Pos{File: s.Dir}, "rule set %s has no %q model for the quota rules (add `model: %s` to a file)", s.Meta.ID, m.name, m.name)
				continue
			}
			for _, in := range model.Inputs {
				want, ok := m.inputs[in.Name]
				switch {
				case !ok:
					add(in.Pos, "input %s of model %s is not one the allocation package supplies (it supplies %s)", in.Name, m.name, names(m.inputs))
				case want.kind != in.Kind:
					add(in.Pos, "input %s is supplied as %s, not %s", in.Name, want.kind, in.Kind)
				case want.optional && !in.Optional:
					add(in.Pos, "input %s may be absent from a unit: declare it `optional: true`", in.Name)
				}
			}
			have := map[string]*rules.Formula{}
			for _, f := range model.Formulas {
				have[f.Name] = f
			}
			for _, name := range sortedKeys(m.formulas) {
				want := m.formulas[name]
				f, ok := have[name]
				if !ok {
					if want.required {
						add(rules.Pos{File: s.Dir}, "rule set %s: model %s has no formula %q", s.Meta.ID, m.name, name)
					}
					continue
				}
				if f.Kind != want.kind && !(want.kind == rules.KindDecimal && f.Kind == rules.KindMoney) {
					add(f.Pos, "formula %s must be of type %s", name, want.kind)
				}
			}
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return &Planner{lib: lib, reg: admin.Default()}, nil
}

// Default returns a planner over the rule sets embedded in the module.
func Default() (*Planner, error) {
	lib, err := rules.LoadPolicy(rulesets.FS, ".", rulesets.DefaultPolicy)
	if err != nil {
		return nil, err
	}
	return New(lib)
}

// Library returns the rule sets the planner applies.
func (p *Planner) Library() *rules.Library { return p.lib }

func names(m map[string]input) string { return strings.Join(sortedKeys(m), ", ") }

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// evalAll evaluates model for n subjects on all cores; fill sets the inputs
// of subject i in env, use reads its result. Each subject's result is
// written to its own index, so the outcome does not depend on scheduling.
func evalAll(ev *rules.Evaluator, model string, n int, fill func(i int, env rules.Env), use func(i int, r *rules.Result)) error {
	workers := runtime.GOMAXPROCS(0)
	if n < 512 {
		workers = 1
	}
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			env := rules.Env{}
			for i := w; i < n; i += workers {
				clear(env)
				fill(i, env)
				r, err := ev.Eval(model, env)
				if err != nil {
					errs[w] = err
					return
				}
				use(i, r)
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func outInt(r *rules.Result, name string, def int) int {
	if v, ok := r.Output(name); ok {
		return v.(int)
	}
	return def
}

func outText(r *rules.Result, name string) string {
	v, _ := r.Output(name)
	s, _ := v.(string)
	return s
}

func outBool(r *rules.Result, name string) bool {
	v, _ := r.Output(name)
	b, _ := v.(bool)
	return b
}
