package rules_test

import (
	"errors"
	"fmt"
	"github.com/hotro-vn/hotro/rules/rulestest"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hotro-vn/hotro/rules"
	"github.com/hotro-vn/hotro/rulesets"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func date(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// TestOtherPolicy loads a made-up child benefit of another province: the
// engine knows nothing of poverty. Its cases run through rules.Test.
func TestOtherPolicy(t *testing.T) {
	lib, err := rules.LoadDir("testdata/childbenefit")
	require.NoError(t, err)
	require.Len(t, lib.Sets(), 1)
	rulestest.Run(t, lib, nil)

	// 2025, south: base 180,000, per sibling 90,000; 3 siblings: 450,000.
	ev, err := lib.At(date("2025-03-01"))
	require.NoError(t, err)
	res, err := ev.Eval("child", rules.Env{"age": 2, "region": "south", "siblings": 3, "household_income": decimal.NewFromInt(3_000_001)})
	require.NoError(t, err)
	amount, _ := res.Output("amount")
	assert.Equal(t, "450000", amount.(decimal.Decimal).String())
	assert.Equal(t, []string{"low_income"}, res.Failed())
	assert.Equal(t, []rules.Value{{"household_income", decimal.NewFromInt(3_000_001)}, {"income_limit", decimal.NewFromInt(3_000_000)}}, res.Rules[1].Values())
}

// writeSet writes a rule set of the given files into a temporary directory.
func writeSet(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	if _, ok := files["ruleset.yaml"]; !ok {
		files["ruleset.yaml"] = "id: t\ntitle: t\njurisdiction: {code: \"01\", name: x}\nin_force: {from: 2020-01-01, to: 2020-12-31}\n"
	}
	for name, body := range files {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644))
	}
	return dir
}

func writeFiles(dir string, files map[string]string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			return err
		}
	}
	return nil
}

func loadErrors(t *testing.T, dir string) rules.Errors {
	t.Helper()
	_, err := rules.LoadDir(dir)
	require.Error(t, err)
	var list rules.Errors
	require.True(t, errors.As(err, &list), "want rules.Errors, got %T", err)
	return list
}

func where(list rules.Errors) []string {
	var out []string
	for _, e := range list {
		out = append(out, fmt.Sprintf("%s:%d:%d %s", filepath.Base(e.File), e.Line, e.Column, e.Code))
	}
	return out
}

// TestAllErrorsAtOnce: every problem of a broken set is reported, sorted,
// each with file, line, column and a stable code.
func TestAllErrorsAtOnce(t *testing.T) {
	list := loadErrors(t, "testdata/broken")
	assert.Equal(t, []string{
		"benefit.yaml:12:9 param-gap",
		"benefit.yaml:13:34 unknown-key",
		"benefit.yaml:16:25 expr-type",
		"benefit.yaml:19:31 unknown-name",
	}, where(list))
	assert.Contains(t, list[0].Message, "no value from 2024-01-01 (the phase start) to 2024-02-29")
	assert.Contains(t, list[1].Message, `did you mean "source"?`)
	assert.Contains(t, list[3].Message, `"income_limit" is not an input, parameter or formula`)
	assert.Contains(t, list[3].Snippet, "household_income <= income_limit")

	// errors.As finds the first problem as an *Error too.
	_, err := rules.LoadDir("testdata/broken")
	var first *rules.Error
	require.True(t, errors.As(err, &first))
	assert.Equal(t, rules.CodeParamGap, first.Code)
	assert.True(t, strings.HasPrefix(err.Error(), "testdata/broken/benefit.yaml:12:9: parameter base_amount"))
}

// TestBrokenCopyOfDefault is the check: a copy of the default rules
// with a misspelt key, a type error, an unknown parameter and a parameter gap
// reports all four, with file:line:col.
func TestBrokenCopyOfDefault(t *testing.T) {
	dir := t.TempDir()
	sub, err := fs.Sub(rulesets.FS, "hatinh-2020-2025")
	require.NoError(t, err)
	require.NoError(t, os.CopyFS(dir, sub))
	edit := func(file, old, new string) {
		p := filepath.Join(dir, file)
		b, err := os.ReadFile(p)
		require.NoError(t, err)
		require.Contains(t, string(b), old)
		require.NoError(t, os.WriteFile(p, []byte(strings.Replace(string(b), old, new, 1)), 0o644))
	}
	edit("eligibility.yaml", "    cites: Điều 2 Nghị quyết 179/2019/NQ-HĐND\n    message:", "    cities: Điều 2 Nghị quyết 179/2019/NQ-HĐND\n    message:") // misspelt key
	edit("eligibility.yaml", "when: household_poor\n", "when: household_poor + 1\n")                                                                        // type error
	edit("eligibility.yaml", "round_up(max(0, poverty_line - income), topup_step)", "round_up(max(0, poverty_lines - income), topup_step)")                 // unknown parameter
	edit("parameters.yaml", "      - from: 2016-01-01\n        value: {rural: 700000", "      - from: 2020-02-01\n        value: {rural: 700000")           // gap in January 2020
	list := loadErrors(t, dir)
	var got []string
	for _, e := range list {
		got = append(got, fmt.Sprintf("%s:%d:%d %s", filepath.Base(e.File), e.Line, e.Column, e.Code))
	}
	assert.Equal(t, []string{
		"eligibility.yaml:136:26 expr-type",    // bool + int
		"eligibility.yaml:137:5 unknown-key",   // `cities`, and only that: the missing `cites` is the same problem
		"eligibility.yaml:190:27 unknown-name", // poverty_lines
		"parameters.yaml:11:9 param-gap",       // no line in January 2020
	}, got)
	for _, e := range list {
		if e.Code == rules.CodeUnknownName {
			assert.Contains(t, e.Message, `did you mean "poverty_line"?`)
		}
	}
}

// expression compiles expr as a formula of the given type over inputs
// d (decimal), e (decimal), n (int) and evaluates it.
func expression(t *testing.T, kind, expr string, env rules.Env) (any, error) {
	t.Helper()
	dir := writeSet(t, map[string]string{"m.yaml": fmt.Sprintf(`model: m
inputs:
  d: {type: decimal}
  e: {type: decimal}
  n: {type: int}
  o: {type: decimal, optional: true}
formulas:
  out: {type: %s, expr: %q}
`, kind, expr)})
	lib, err := rules.LoadDir(dir)
	if err != nil {
		return nil, err
	}
	ev, err := lib.At(date("2020-06-01"))
	require.NoError(t, err)
	full := rules.Env{"d": decimal.RequireFromString("1.0"), "e": decimal.RequireFromString("1.00"), "n": 3}
	for k, v := range env {
		full[k] = v
	}
	res, err := ev.Eval("m", full)
	if err != nil {
		return nil, err
	}
	out, _ := res.Output("out")
	return out, nil
}

func TestMoneyExpressions(t *testing.T) {
	cases := []struct{ kind, expr, want string }{
		{"bool", "d == e", "true"}, // 1.0 == 1.00 by value
		{"bool", "d != e", "false"},
		{"bool", "d == 1", "true"},
		{"bool", "1 == d", "true"},
		{"bool", "d < 2 && 0 < d && d >= e && d <= 1", "true"},
		{"decimal", "d + 2", "3"},
		{"decimal", "2 - d", "1"},
		{"decimal", "d * n", "3"},
		{"decimal", "n / 2", "1.5"},                // int / int is an exact decimal, not a float
		{"decimal", "d / 3", "0.3333333333333333"}, // 16 places, whatever decimal.DivisionPrecision says
		{"decimal", "d / 4 * 4", "1"},
		{"decimal", "0.7 * 10", "7"},    // float literals become exact decimals
		{"decimal", "0.1 + 0.2", "0.3"}, // … exactly
		{"decimal", "max(0, d - 5)", "0"},
		{"decimal", "min(d, 0.5)", "0.5"},
		{"int", "max(n, 7)", "7"},
		{"decimal", "round_up(306544, 1000)", "307000"},
		{"decimal", "round_up(306000, 1000)", "306000"},
		{"decimal", "round_down(306999, 1000)", "306000"},
		{"decimal", "round(306500, 1000)", "307000"},
		{"decimal", "round(306499, 1000)", "306000"},
		{"decimal", "round_up(0 - 306544, 1000)", "-306000"},
		{"decimal", "round_down(0 - 306544, 1000)", "-307000"},
		{"decimal", "round(0 - 306500, 1000)", "-307000"},
		{"decimal", "round_up(d * 0.25, 0.1)", "0.3"},
		{"int", "ceil(0.70 * 10)", "7"},
		{"int", "ceil(0.70 * 11)", "8"},
		{"int", "floor(d * 2.5)", "2"},
		{"decimal", "has_o ? o : 0", "0"},
		{"decimal", "let x = d * 2; x + 1", "3"}, // a let of its own: the model's program returns an array
		{"decimal", "has_o ? 0 : d", "1.0"},
	}
	for _, c := range cases {
		t.Run(c.expr, func(t *testing.T) {
			got, err := expression(t, c.kind, c.expr, nil)
			require.NoError(t, err)
			if d, ok := got.(decimal.Decimal); ok {
				assert.True(t, d.Equal(decimal.RequireFromString(c.want)), "got %s, want %s", d, c.want)
				return
			}
			assert.Equal(t, c.want, fmt.Sprint(got))
		})
	}
}

func TestExpressionErrors(t *testing.T) {
	cases := []struct {
		kind, expr string
		code       rules.Code
		msg        string
	}{
		{"bool", "d + 1", rules.CodeExprType, "a condition must be true or false, but this expression gives decimal"},
		{"money", "d > 1", rules.CodeExprType, "declared money, but its expression gives bool"},
		{"int", "float(n) * 2", rules.CodeUnknownName, "float"},
		{"decimal", "now()", rules.CodeUnknownName, `the function "now" is not available in rules: rules never read the clock`},
		{"decimal", "abs(d)", rules.CodeUnknownName, `the function "abs" is not available in rules`},
		{"decimal", "foo(d)", rules.CodeUnknownName, `there is no function "foo"`},
		{"decimal", "n > 1 ? d : 0.5 > d", rules.CodeExprType, "a value whose type cannot be told when the rules are loaded"},
		{"decimal", "d +", rules.CodeExprSyntax, "does not parse"},
		{"decimal", "dd + 1", rules.CodeUnknownName, `did you mean "d"?`},
		{"decimal", "round_up(max(0, dd - e), 1000)", rules.CodeUnknownName, `"dd" is not an input`}, // expr itself misses this one
		{"decimal", "", rules.CodeBadValue, "empty"},
	}
	for _, c := range cases {
		t.Run(c.expr, func(t *testing.T) {
			_, err := expression(t, c.kind, c.expr, nil)
			var list rules.Errors
			require.True(t, errors.As(err, &list), "got %v", err)
			require.Len(t, list, 1, "%v", list)
			assert.Equal(t, c.code, list[0].Code, list[0].Message)
			assert.Contains(t, list[0].Message, c.msg)
			assert.Equal(t, 8, list[0].Line)
		})
	}
}

// TestFoldedPosition: an error inside a folded (>) multi-line expression
// points at its own line and column.
func TestFoldedPosition(t *testing.T) {
	dir := writeSet(t, map[string]string{"m.yaml": "model: m\ninputs:\n  n: {type: int}\nrules:\n  - id: r\n    cites: c\n    when: >\n      n > 1\n      && n < 10 || nn == 3\n"})
	list := loadErrors(t, dir)
	require.Len(t, list, 1)
	assert.Equal(t, [2]int{9, 20}, [2]int{list[0].Line, list[0].Column}, list[0].Error())
	assert.Contains(t, list[0].Message, `"nn" is not an input`)
}

// TestInterpretationTargets: an interpretation must apply to names the set has.
func TestInterpretationTargets(t *testing.T) {
	dir := writeSet(t, map[string]string{
		"ruleset.yaml": "id: t\ntitle: t\njurisdiction: {code: \"01\", name: x}\nin_force: {from: 2020-01-01, to: 2020-12-31}\ninterpretations:\n  - {id: i, text: x, applies_to: [ruel, n]}\n",
		"m.yaml":       "model: m\ninputs:\n  n: {type: int}\nrules:\n  - {id: rule, when: n > 0, cites: c}\n",
	})
	list := loadErrors(t, dir)
	require.Len(t, list, 1)
	assert.Equal(t, `interpretation i applies to "ruel", which is no rule, parameter, formula or input of this rule set (did you mean "rule"?)`, list[0].Message)
	assert.Equal(t, 6, list[0].Line)
}

func TestRuntimeErrors(t *testing.T) {
	_, err := expression(t, "decimal", "d / (e - 1)", nil)
	assert.ErrorContains(t, err, "formula out (")
	assert.ErrorContains(t, err, "m.yaml:8): division by zero")
	_, err = expression(t, "decimal", "d", rules.Env{"n": "three"})
	var ie *rules.InputError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "n", ie.Input)
	assert.Contains(t, ie.Msg, "want int, got string")
}

func TestStructureErrors(t *testing.T) {
	dir := writeSet(t, map[string]string{
		"a.yaml": `model: m
inputs:
  x: {type: int}
parameters:
  p:
    type: int
    values:
      - {from: 2020-01-01, to: 2020-05-31, value: 1, source: s}
      - {from: 2020-07-01, value: 2, source: s}
      - {from: 2020-03-01, value: 3, source: s}
formulas:
  a: {type: int, expr: b + 1}
  b: {type: int, expr: a + x}
rules:
  - {id: r, when: x > 0, cites: c}
  - {id: r, when: x > 1, cites: c}
`,
		"b.yaml": "model: m\nrules: [ {id: q, when: x > p, cites: c\n",
	})
	list := loadErrors(t, dir)
	assert.Equal(t, []string{
		"a.yaml:8:9 param-gap",
		"a.yaml:10:9 param-order",
		"a.yaml:12:3 cycle",
		"a.yaml:16:10 duplicate",
		"b.yaml:2:1 yaml-syntax",
	}, where(list))
	assert.Contains(t, list[0].Message, "no value from 2020-06-01 to 2020-06-30")
	assert.Contains(t, list[2].Message, "a → b → a")
}

func TestPhases(t *testing.T) {
	lib, err := rules.LoadPolicy(rulesets.FS, ".", rulesets.DefaultPolicy)
	require.NoError(t, err)
	require.Len(t, lib.Sets(), 2)
	s, err := lib.For(date("2025-12-31"))
	require.NoError(t, err)
	assert.Equal(t, "hatinh-nq179-2020-2025", s.Meta.ID)
	s, err = lib.For(date("2026-01-01"))
	require.NoError(t, err)
	assert.Equal(t, "hatinh-draft-2026-2030", s.Meta.ID)
	assert.Equal(t, "draft", s.Meta.Status)
	_, err = lib.At(date("2019-12-31"))
	assert.ErrorIs(t, err, rules.ErrNoPhase)
	assert.EqualError(t, err, "no rule set in force on 2019-12-31; the phases available are hatinh-nq179-2020-2025 (2020-01-01 to 2025-12-31), hatinh-draft-2026-2030 (2026-01-01 to 2030-12-31)")

	// The hash identifies the content: the same files give the same hash.
	again, err := rules.LoadPolicy(rulesets.FS, ".", rulesets.DefaultPolicy)
	require.NoError(t, err)
	assert.Equal(t, lib.Sets()[0].Hash, again.Sets()[0].Hash)
	assert.NotEqual(t, lib.Sets()[0].Hash, lib.Sets()[1].Hash)
	assert.Len(t, lib.Sets()[0].Hash, 64)
}

func TestParamValueOn(t *testing.T) {
	lib, err := rules.Load(rulesets.FS, "hatinh-2020-2025")
	require.NoError(t, err)
	p := lib.Sets()[0].Param("social_assistance_base")
	for d, want := range map[string]string{"2020-01-01": "270000", "2021-06-30": "270000", "2021-07-01": "360000", "2024-06-30": "360000", "2024-07-01": "500000", "2025-12-31": "500000"} {
		assert.Equal(t, want, p.ValueOn(date(d)).Value.(decimal.Decimal).String(), d)
	}
	line := lib.Sets()[0].Param("poverty_line")
	assert.Equal(t, "2000000", line.ValueOn(date("2022-01-01")).ByKey["urban"].(decimal.Decimal).String())
	assert.Equal(t, "NĐ 07/2021/NĐ-CP Điều 3", line.ValueOn(date("2022-01-01")).Source)
}

// TestConcurrentEval shares one compiled set and evaluator among goroutines;
// run with -race.
func TestConcurrentEval(t *testing.T) {
	lib, err := rules.LoadDir("testdata/childbenefit")
	require.NoError(t, err)
	ev, err := lib.At(date("2025-03-01"))
	require.NoError(t, err)
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for g := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			env := rules.Env{}
			for i := range 200 {
				env["age"], env["region"], env["siblings"], env["household_income"] = i%8, "north", g%4, decimal.NewFromInt(int64(i)*20000)
				delete(env, "share")
				res, err := ev.Eval("child", env)
				if err != nil {
					errs <- err
					return
				}
				want := decimal.NewFromInt(150000 + 75000*int64(g%4))
				if got, _ := res.Output("amount"); !got.(decimal.Decimal).Equal(want) || res.Pass != (i%8 < 6 && i*20000 <= 3000000) {
					errs <- fmt.Errorf("goroutine %d, i %d: amount %v pass %t", g, i, got, res.Pass)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
