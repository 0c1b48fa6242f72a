package rules_test

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hotro-vn/hotro/rules"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The tests of docs/security.md: rule files are untrusted input. Each class
// of issue 9 has a test here.

// ruleWith is a rule set whose one rule has the condition cond, written in
// single quotes on line 11: the expression's first character is column 12.
func ruleWith(t *testing.T, cond string) string {
	t.Helper()
	return writeSet(t, map[string]string{"m.yaml": `model: m
inputs:
  age: {type: int}
  zone: {type: text, values: [rural, urban]}
  amount: {type: money}
parameters:
  poverty_line: {type: money, value: 1500000, source: s}
rules:
  - id: r
    cites: c
    when: '` + strings.ReplaceAll(cond, "'", "''") + `'
`})
}

// TestLanguageAllowList: what docs/rules.md does not document is refused at
// load, at the construct, whatever expr itself would allow.
func TestLanguageAllowList(t *testing.T) {
	cases := []struct {
		expr, at string // at: the text the error points at
		code     rules.Code
	}{
		// Methods of Go values (the decimal's own methods hang or leak the host).
		{`poverty_line.Shift(1000000000) + 1 > 0`, "Shift", rules.CodeForbidden},
		{`poverty_line.Pow(dec(100000000)) > 0`, "Pow", rules.CodeForbidden},
		{`zone.String() == "rural"`, "String", rules.CodeForbidden},
		{`poverty_line.Coefficient() == poverty_line.Coefficient()`, "Coefficient", rules.CodeForbidden},
		// Loops, ranges outside in, and the builtins that are not in the language.
		{`let r = 1..999; all(r, all(r, all(r, true)))`, "..", rules.CodeForbidden},
		{`any([1, 2], # > age)`, "any", rules.CodeUnknownName},
		{`len(repeat(repeat("x", 999999), 999)) > 0`, "len", rules.CodeUnknownName},
		{`age in age..100`, "..", rules.CodeForbidden},
		{`now() == 1`, "now", rules.CodeUnknownName},
		{`foo(1)`, "foo", rules.CodeUnknownName},
		{`dec_add(1, 2) > 0`, "dec_add", rules.CodeUnknownName}, // the engine's own functions are not the language's
		// Operators and values outside it.
		{`(age ?? 0) > 1`, "??", rules.CodeForbidden},
		{`zone matches "r.*"`, "matches", rules.CodeForbidden},
		{`age == nil`, "nil", rules.CodeForbidden},
		{`[1, 2][0] == age`, "[0]", rules.CodeForbidden},
		{`age > 1; true`, ">", rules.CodeForbidden}, // expr places a sequence at its first part
	}
	for _, c := range cases {
		t.Run(c.expr, func(t *testing.T) {
			list := loadErrors(t, ruleWith(t, c.expr))
			require.Len(t, list, 1, "%v", list)
			e := list[0]
			assert.Equal(t, c.code, e.Code, e.Error())
			assert.Equal(t, 11, e.Line, e.Error())
			assert.Equal(t, 12+strings.Index(c.expr, c.at), e.Column, "%s\n%s", e.Error(), e.Snippet)
		})
	}
	// What the language has loads, and computes.
	for _, c := range []struct {
		expr string
		env  rules.Env
		pass bool
	}{
		{`age in 1..100`, rules.Env{"age": 5}, true},
		{`age in 1..100`, rules.Env{"age": 150}, false},
		{`age in -5..-1`, rules.Env{"age": -3}, true},
		{`zone startsWith "ru" && zone endsWith "al" && zone contains "ura"`, rules.Env{"zone": "rural"}, true},
		{`let gap = poverty_line - amount; max(0, gap) == 500000 && not (zone in ["urban"])`, rules.Env{"amount": decimal.NewFromInt(1000000)}, true},
		{`-age + 2 * age == age`, rules.Env{"age": 7}, true},
	} {
		lib, err := rules.LoadDir(ruleWith(t, c.expr))
		require.NoError(t, err, c.expr)
		ev, err := lib.At(date("2020-06-01"))
		require.NoError(t, err)
		env := rules.Env{"age": 30, "zone": "rural", "amount": decimal.NewFromInt(0)}
		for k, v := range c.env {
			env[k] = v
		}
		res, err := ev.Eval("m", env)
		require.NoError(t, err, c.expr)
		assert.Equal(t, c.pass, res.Pass, c.expr)
	}
}

// TestLongExpression: 100,000 minus signs are refused at once, at the
// expression, before expr parses them.
func TestLongExpression(t *testing.T) {
	list := loadErrors(t, ruleWith(t, strings.Repeat("-", 100_000)+"1 > 0"))
	require.Len(t, list, 1)
	assert.Equal(t, "m.yaml:11:11 limit", where(list)[0])
	assert.Contains(t, list[0].Message, "100005 bytes long, more than the 2000")
}

// TestBudgetAtLoad: an expression whose values could grow past the budget
// is refused at load, at the expression, before anything runs.
func TestBudgetAtLoad(t *testing.T) {
	// 24 let doublings of a text: 2^25 copies of zone.
	var b strings.Builder
	b.WriteString("let a0 = zone + zone; ")
	for i := 1; i < 24; i++ {
		fmt.Fprintf(&b, "let a%d = a%d + a%d; ", i, i-1, i-1)
	}
	b.WriteString(`a23 == "x"`)
	list := loadErrors(t, ruleWith(t, b.String()))
	assert.Equal(t, []string{"m.yaml:11:11 budget"}, where(list))
	assert.Contains(t, list[0].Message, "rule r: this expression can build a value of more than 1048576 bytes or digits")

	// 30 squarings of a decimal: its digits and exponent double each time.
	b.Reset()
	b.WriteString("let a0 = poverty_line * 0.0000001; ")
	for i := 1; i < 30; i++ {
		fmt.Fprintf(&b, "let a%d = a%d * a%d; ", i, i-1, i-1)
	}
	b.WriteString(`a29 > 0`)
	list = loadErrors(t, ruleWith(t, b.String()))
	assert.Equal(t, []string{"m.yaml:11:11 budget"}, where(list))

	// Doubling through formulas: f0 = zone + zone has weight 3 and
	// f(k) = f(k-1) + f(k-1) weight 2^(k+2) - 1. Values are counted in units
	// of the largest leaf, at least 64 bytes, plus 32: 96. The first formula
	// that can pass 1 MiB is f12 (16383 · 96 > 1048576 > 8191 · 96).
	var f strings.Builder
	f.WriteString("model: m\ninputs:\n  zone: {type: text}\nformulas:\n  f0: {type: text, expr: zone + zone}\n")
	for i := 1; i < 20; i++ {
		fmt.Fprintf(&f, "  f%d: {type: text, expr: f%d + f%d}\n", i, i-1, i-1)
	}
	list = loadErrors(t, writeSet(t, map[string]string{"m.yaml": f.String()}))
	assert.Equal(t, []string{"m.yaml:17:27 budget"}, where(list)) // line 5 + 12
	assert.Contains(t, list[0].Message, "formula f12: this expression can build a value of more than 1048576 bytes or digits (up to 1572768")
}

// TestBudgetAtRunTime: inputs too large for the model's budget fail their
// evaluation, with an error naming the input, before anything runs.
func TestBudgetAtRunTime(t *testing.T) {
	dir := writeSet(t, map[string]string{"m.yaml": `model: m
inputs:
  s: {type: text}
  amount: {type: money}
formulas:
  out: {type: text, expr: "let a = s + s + s + s; let b = a + a + a + a; b + b + b + b"}
  more: {type: money, expr: amount + 1}
`})
	lib, err := rules.LoadDir(dir)
	require.NoError(t, err)
	ev, err := lib.At(date("2020-06-01"))
	require.NoError(t, err)
	res, err := ev.Eval("m", rules.Env{"s": strings.Repeat("x", 1000), "amount": decimal.NewFromInt(5)})
	require.NoError(t, err)
	out, _ := res.Output("out")
	assert.Len(t, out, 64_000) // 4 · 4 · 4 copies

	_, err = ev.Eval("m", rules.Env{"s": strings.Repeat("x", 2<<20), "amount": decimal.NewFromInt(5)})
	var ie *rules.InputError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "s", ie.Input)
	assert.Contains(t, ie.Msg, "its value is too large (2097152 bytes or digits)")

	// A whole number with an exponent of a billion: 1 followed by a
	// billion zeros once added to 1.
	_, err = ev.Eval("m", rules.Env{"s": "x", "amount": decimal.New(1, 1_000_000_000)})
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "amount", ie.Input)
}

// TestAnalysisBudget: deciding whether a rule can pass and fail tries every
// combination of its inputs on every date a parameter changes; past the
// budget the set is refused at load, at the rule.
func TestAnalysisBudget(t *testing.T) {
	set := func(dates int) string {
		var f strings.Builder
		f.WriteString("model: m\ninputs:\n")
		var conds []string
		for i := 0; i < 12; i++ {
			fmt.Fprintf(&f, "  b%d: {type: bool}\n", i)
			conds = append(conds, fmt.Sprintf("b%d", i))
		}
		f.WriteString("parameters:\n  p:\n    type: int\n    values:\n")
		for i := 0; i < dates; i++ {
			fmt.Fprintf(&f, "      - {from: %s, value: %d, source: s}\n", date("2020-01-01").AddDate(0, 0, 5*i).Format("2006-01-02"), i)
		}
		fmt.Fprintf(&f, "rules:\n  - id: r\n    cites: c\n    when: %s && p >= 0\n", strings.Join(conds, " && "))
		return writeSet(t, map[string]string{"m.yaml": f.String()})
	}
	// 4096 combinations on 60 dates; a run is 27 steps (12 inputs, 11 &&,
	// p, 0, >=, the last &&) building 27 values of one unit of 33 bytes
	// (the largest leaf, 1, and 32): 245 760 · (27 + 27 · 33) = 225 607 680,
	// past the budget of 200 000 000.
	list := loadErrors(t, set(60))
	require.Len(t, list, 1)
	assert.Equal(t, fmt.Sprintf("m.yaml:%d:11 budget", 2+12+4+60+4), where(list)[0])
	assert.Contains(t, list[0].Message, "rule r: checking whether it can pass and fail means evaluating it 245760 times (4096 combinations of its inputs on 60 dates)")
	assert.Contains(t, list[0].Message, "up to 225607680 units of work")

	// On 40 dates it loads, and the analysis runs.
	lib, err := rules.LoadDir(set(40))
	require.NoError(t, err)
	for _, w := range lib.Warnings(rules.WarnOptions{}) {
		assert.NotEqual(t, rules.CodeNeverPass, w.Code, w.Error())
	}
}

// TestCheckedIntegers: whole-number arithmetic that would wrap is an error.
func TestCheckedIntegers(t *testing.T) {
	for _, c := range []struct {
		expr string
		n    int
		want string // "" for an overflow
	}{
		{"n + 9223372036854775807", 3, ""},
		{"9223372036854775807 + n", 3, ""},
		{"n + 9223372036854775804", 3, "9223372036854775807"},
		{"n * 4611686018427387904", 3, ""},
		{"n * 3074457345618258602", 3, "9223372036854775806"},
		{"n - 9223372036854775807", -2, ""},
		{"n - 9223372036854775807", -1, "-9223372036854775808"},
		{"-n", math.MinInt, ""},
		{"-n", 3, "-3"},
		{"n * n * n", 2_097_152, ""}, // 2^63
		{"n * n * n", 2_097_151, "9223358842721533951"},
	} {
		out, err := expression(t, "int", c.expr, rules.Env{"n": c.n})
		if c.want == "" {
			assert.ErrorContains(t, err, "whole-number overflow", c.expr)
			continue
		}
		require.NoError(t, err, c.expr)
		assert.Equal(t, c.want, fmt.Sprint(out), c.expr)
	}
	// A rule: 9223372036854775807 + age > 0 used to be false for age 1.
	lib, err := rules.LoadDir(ruleWith(t, "9223372036854775807 + age > 0"))
	require.NoError(t, err)
	ev, _ := lib.At(date("2020-06-01"))
	_, err = ev.Eval("m", rules.Env{"age": 1, "zone": "rural", "amount": decimal.Zero})
	assert.ErrorContains(t, err, "rule r (")
	assert.ErrorContains(t, err, "whole-number overflow")
}

// TestInputFiles: regular files only, a size cap, one YAML document.
func TestInputFiles(t *testing.T) {
	model := "model: m\ninputs:\n  x: {type: int}\nrules:\n  - {id: r, when: x > 0, cites: c}\n"

	dir := writeSet(t, map[string]string{"m.yaml": model})
	require.NoError(t, os.Symlink("/dev/zero", filepath.Join(dir, "z.yaml")))
	list := loadErrors(t, dir)
	assert.Equal(t, []string{"z.yaml:0:0 limit"}, where(list))
	assert.Contains(t, list[0].Message, "not a regular file (a device)")

	big := "# " + strings.Repeat("x", rules.MaxFileSize) + "\n"
	list = loadErrors(t, writeSet(t, map[string]string{"m.yaml": model, "big.yaml": big}))
	assert.Equal(t, []string{"big.yaml:0:0 limit"}, where(list))
	assert.Contains(t, list[0].Message, "the file has 1048579 bytes; a rule file may have at most 1048576")

	list = loadErrors(t, writeSet(t, map[string]string{"m.yaml": model + "---\nmodel: n\n"}))
	assert.Equal(t, []string{"m.yaml:6:1 limit"}, where(list))
	assert.Contains(t, list[0].Message, "a second YAML document starts here")
	list = loadErrors(t, writeSet(t, map[string]string{"m.yaml": model + "---\nrules: [\n"}))
	assert.Equal(t, []string{"m.yaml:6:1 limit"}, where(list))
}

// TestFaultPositions: faults yaml.v3 places on the wrong line are placed
// where they are.
func TestFaultPositions(t *testing.T) {
	base := `model: m
inputs:
  x: {type: int}
  zone: {type: text, values: [a, b]}
rules:
  - id: one
    when: x > 0
    cites: c
  - id: two
    when: "x > 1"
    cites: c
  - id: three
    when: x > 2
    cites: c
  - id: four
    when: "x > 3"
    cites: c
`
	// A list item indented one space too far (yaml.v3: line 5, where the list starts).
	list := loadErrors(t, writeSet(t, map[string]string{"m.yaml": strings.Replace(base, "  - id: three", "   - id: three", 1)}))
	assert.Equal(t, []string{"m.yaml:12:4 yaml-syntax"}, where(list))
	// An unclosed quote (yaml.v3: line 16, where the next quote closes it).
	list = loadErrors(t, writeSet(t, map[string]string{"m.yaml": strings.Replace(base, `"x > 1"`, `"x > 1`, 1)}))
	assert.Equal(t, []string{"m.yaml:10:11 yaml-syntax"}, where(list))
	assert.Contains(t, list[0].Message, "the quoted text that starts here is not closed on its line")

	// A misspelt by: one problem, at the misspelling (not three lines above, at the parameter).
	list = loadErrors(t, writeSet(t, map[string]string{"m.yaml": base + `parameters:
  p:
    type: int
    keys: [a, b]
    bi: zone
    value: {a: 1, b: 2}
    source: s
`}))
	assert.Equal(t, []string{"m.yaml:22:5 unknown-key"}, where(list))
	assert.Contains(t, list[0].Message, `(did you mean "by"?)`)

	// A misspelt model: in a file of cases: one problem, at the misspelling.
	list = loadErrors(t, writeSet(t, map[string]string{"m.yaml": base, "cases.yaml": `model: mm
cases:
  - {name: a, date: 2020-06-01, input: {x: "1", zone: a}, expect: {failed_rules: [two, three, four]}}
  - {name: b, date: 2020-06-01, input: {x: "5", zone: a}, expect: {failed_rules: []}}
`}))
	assert.Equal(t, []string{"cases.yaml:1:8 unknown-name"}, where(list))
	assert.Contains(t, list[0].Message, `model "mm" has no inputs, rules or formulas in any file of this rule set (did you mean "m"?)`)
}

// TestLimitsAreErrors: every limit problem is an *Error with a code, as the
// fuzz targets require.
func TestLimitsAreErrors(t *testing.T) {
	_, err := rules.LoadDir(ruleWith(t, strings.Repeat("1 + ", 600)+"1 > 0"))
	var e *rules.Error
	require.True(t, errors.As(err, &e))
	assert.Equal(t, rules.CodeLimit, e.Code)

	// Rules of 1001-byte conditions: the 200th (r199) passes 200,000 bytes.
	var f strings.Builder
	f.WriteString("model: m\ninputs:\n  x: {type: int}\nrules:\n")
	cond := strings.Repeat("x + ", 249) + "x > 1" // 4·249 + 5 = 1001 bytes
	for i := range 201 {
		fmt.Fprintf(&f, "  - {id: r%03d, cites: c, when: %s}\n", i, cond)
	}
	list := loadErrors(t, writeSet(t, map[string]string{"m.yaml": f.String()}))
	assert.Equal(t, []string{"m.yaml:204:32 limit"}, where(list))
	assert.Contains(t, list[0].Message, "rule r199: with this expression, the expressions of the rule set hold more than 200000 bytes together")
}
