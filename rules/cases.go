package rules

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"gopkg.in/yaml.v3"
)

// Case is a test case kept beside the rules: inputs, a date, and the
// expected outcome. Inputs are kept as text; the Runner for the case's
// model reads them.
type Case struct {
	Name   string
	Model  string
	Date   time.Time
	Input  map[string]string
	Expect Expect
	Pos    Pos
}

// Expect is what a case expects. A nil or empty field is not checked.
type Expect struct {
	Eligible    *bool             // all rules pass
	FailedRules []string          // exactly these rules fail (nil: not checked)
	Outputs     map[string]string // formula values, written as in rule files
	Error       string            // the evaluation fails with an error containing this text
}

// Runner evaluates a case under a set. The rules package reads a case's
// inputs as the model's declared inputs (DirectRunner); a domain package
// can read them as its own records instead.
type Runner func(s *Set, c *Case) (*Result, error)

// CaseResult is the outcome of running one case.
type CaseResult struct {
	Case     *Case
	Set      *Set
	Failures []string // each mismatch between expected and actual
	Result   *Result  // nil when the evaluation failed
}

// OK reports whether the case passed.
func (r CaseResult) OK() bool { return len(r.Failures) == 0 }

func (b *builder) readCases(r *reader, n *yaml.Node, model string) {
	for _, cn := range r.sequence(n, "cases") {
		cm := r.mapping(cn, "a case", "name!", "model", "date!", "input", "expect!", "note")
		if cm == nil {
			continue
		}
		c := &Case{Name: r.str(cm, "name"), Model: model, Date: r.date(cm, "date"), Input: map[string]string{}, Pos: b.pos(r, cn)}
		if m := r.str(cm, "model"); m != "" {
			c.Model = m
		}
		if c.Model == "" {
			r.errorf(cn, CodeMissingKey, "case %q: say which model it tests with `model:` (or add `model:` at the top of the file)", c.Name)
		}
		if in, ok := cm["input"]; ok {
			for _, e := range r.entries(in.value, "the case's input") {
				if e.value.Kind != yaml.ScalarNode {
					r.errorf(e.value, CodeBadValue, "case %q: input %s must be a single value", c.Name, e.key.Value)
					continue
				}
				c.Input[e.key.Value] = e.value.Value
			}
		}
		if ex, ok := cm["expect"]; ok {
			em := r.mapping(ex.value, "the case's expect", "eligible", "failed_rules", "outputs", "error")
			if _, ok := em["eligible"]; ok {
				eligible := r.boolean(em, "eligible")
				c.Expect.Eligible = &eligible
			}
			if _, ok := em["failed_rules"]; ok {
				c.Expect.FailedRules = append([]string{}, r.strList(em, "failed_rules")...)
			}
			if o, ok := em["outputs"]; ok {
				c.Expect.Outputs = map[string]string{}
				for _, e := range r.entries(o.value, "the expected outputs") {
					c.Expect.Outputs[e.key.Value] = e.value.Value
				}
			}
			c.Expect.Error = r.str(em, "error")
		}
		b.set.Cases = append(b.set.Cases, c)
	}
}

// checkCases checks what can be checked of cases without running them.
func (b *builder) checkCases(before int) {
	if len(b.errs.list) > before {
		return // the set is broken: what its cases would say follows from that
	}
	for _, c := range b.set.Cases {
		if c.Model == "" {
			continue
		}
		m := b.set.models[c.Model]
		if m == nil {
			b.errs.add(c.Pos.File, c.Pos.Line, c.Pos.Column, CodeCase, "case %q tests model %q, which this rule set does not define", c.Name, c.Model)
			continue
		}
		if !c.Date.IsZero() && !b.set.Covers(c.Date) && c.Expect.Error == "" {
			b.errs.add(c.Pos.File, c.Pos.Line, c.Pos.Column, CodeCase, "case %q is dated %s, outside the phase %s to %s", c.Name, fmtDate(c.Date), fmtDate(b.set.Meta.From), fmtDate(b.set.Meta.To))
		}
		for _, id := range c.Expect.FailedRules {
			if !slices.ContainsFunc(m.Rules, func(r *Rule) bool { return r.ID == id }) {
				b.errs.add(c.Pos.File, c.Pos.Line, c.Pos.Column, CodeCase, "case %q expects rule %q to fail, but model %s has no such rule", c.Name, id, c.Model)
			}
		}
	}
}

// DirectRunner reads a case's inputs as the model's declared inputs.
func DirectRunner(s *Set, c *Case) (*Result, error) {
	m := s.Model(c.Model)
	env := Env{}
	for name, text := range c.Input {
		in, ok := m.Input(name)
		if !ok {
			return nil, fmt.Errorf("input %q is not declared by model %s", name, c.Model)
		}
		v, err := parseScalar(text, in.Kind)
		if err != nil {
			return nil, fmt.Errorf("input %s: %v", name, err)
		}
		env[name] = v
	}
	ev, err := s.At(c.Date)
	if err != nil {
		return nil, err
	}
	return ev.Eval(c.Model, env)
}

// RunCases runs every case of every set in the library, using the runner
// given for a case's model or DirectRunner.
func (l *Library) RunCases(runners map[string]Runner) []CaseResult {
	var out []CaseResult
	for _, s := range l.sets {
		for _, c := range s.Cases {
			run := runners[c.Model]
			if run == nil {
				run = DirectRunner
			}
			res, err := run(s, c)
			if err != nil {
				res = nil
			}
			out = append(out, CaseResult{Case: c, Set: s, Failures: checkCase(c, res, err), Result: res})
		}
	}
	return out
}

func checkCase(c *Case, res *Result, err error) []string {
	var fails []string
	if c.Expect.Error != "" {
		if err == nil {
			return []string{fmt.Sprintf("expected an error containing %q, got none", c.Expect.Error)}
		}
		if !strings.Contains(err.Error(), c.Expect.Error) {
			return []string{fmt.Sprintf("expected an error containing %q, got %q", c.Expect.Error, err)}
		}
		return nil
	}
	if err != nil {
		return []string{fmt.Sprintf("evaluation failed: %v", err)}
	}
	if c.Expect.Eligible != nil && *c.Expect.Eligible != res.Pass {
		msg := fmt.Sprintf("eligible: expected %t, got %t", *c.Expect.Eligible, res.Pass)
		if failed := res.Failed(); len(failed) > 0 {
			msg += fmt.Sprintf(" (failed rules: %s)", strings.Join(failed, ", "))
		}
		fails = append(fails, msg)
	}
	if c.Expect.FailedRules != nil {
		want, got := slices.Sorted(slices.Values(c.Expect.FailedRules)), slices.Sorted(slices.Values(res.Failed()))
		if !slices.Equal(want, got) {
			fails = append(fails, fmt.Sprintf("failed_rules: expected [%s], got [%s]", strings.Join(want, ", "), strings.Join(got, ", ")))
		}
	}
	for _, name := range sortedKeys(c.Expect.Outputs) {
		want := c.Expect.Outputs[name]
		got, ok := res.Output(name)
		if !ok {
			fails = append(fails, fmt.Sprintf("%s: expected %s, but there is no such output", name, want))
			continue
		}
		if !equalText(got, want) {
			fails = append(fails, fmt.Sprintf("%s: expected %s, got %s", name, want, FormatValue(got)))
		}
	}
	return fails
}

// equalText compares a value with its expected text: decimals by value,
// so that 1.0 equals 1.00.
func equalText(got any, want string) bool {
	if d, ok := got.(decimal.Decimal); ok {
		w, err := decimal.NewFromString(strings.ReplaceAll(want, "_", ""))
		return err == nil && d.Equal(w)
	}
	return FormatValue(got) == want
}

// FormatValue writes a value as rule files and reports write it.
func FormatValue(v any) string {
	switch x := v.(type) {
	case decimal.Decimal:
		return x.String()
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}
