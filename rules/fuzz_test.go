package rules_test

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"
	"unicode"
	"unicode/utf8"

	guarded "github.com/hotro-vn/hotro/internal/guard"
	"github.com/hotro-vn/hotro/rules"
	"github.com/hotro-vn/hotro/rulesets"
	"github.com/shopspring/decimal"
	"gopkg.in/yaml.v3"
)

// The fuzz targets hold the loader to its promise: whatever the files
// contain, Load does not panic or hang, and it either returns a library or
// an Errors value in which every problem names one of the set's files and
// a line and column inside it. docs/fuzzing.md records how long each target
// ran and what it found; the inputs it found are kept under
// testdata/fuzz/<target> and run by every go test.

// fuzzDeadline bounds one input; a rule file has no business taking longer
// to load and evaluate. With guard.MaxAlloc (256 MB) it is the cost oracle
// of issue 9: no input to any target may take more than 1 s or 256 MB.
const fuzzDeadline = 1 * time.Second

// guard runs f under the deadline: a panic or a hang fails the test.
func guard(t *testing.T, what string, f func()) { guarded.Run(t, what, fuzzDeadline, f) }

// A knownBug is a fault the fuzzers found in code outside this file,
// described in docs/fuzzing.md with its fix. An input that shows only known
// bugs is skipped, naming them, so that the regression corpus keeps it and
// the fuzzers go on looking for others; delete the entry with the fix.
type knownBug struct {
	name  string
	match func(e *rules.Error, c *posCheck) bool
}

// knownBugs is empty: the six faults found so far are fixed (docs/fuzzing.md).
var knownBugs []knownBug

func isExprCode(c rules.Code) bool {
	switch c {
	case rules.CodeExprSyntax, rules.CodeExprType, rules.CodeUnknownName, rules.CodeFloat, rules.CodeForbidden, rules.CodeBudget:
		return true
	}
	return false
}

// posCheck is what checkPositions needs beyond the error.
type posCheck struct {
	files map[string][]byte
	// exprExact is set where an expression sits in the file so that every
	// place in it can be found exactly: one line, a literal block, or a
	// folded block whose lines fold into one at no white space.
	exprExact bool
	// more, when not nil, adds a check of each problem.
	more func(e *rules.Error) string
}

// yamlLines splits a file into lines as YAML counts them: a line ends at
// CR LF, CR, LF, and (YAML 1.1, as yaml.v3 reads) NEL, LS and PS.
var yamlLines = regexp.MustCompile("\r\n|[\r\n\u0085\u2028\u2029]")

// checkPositions asserts the contract of a failed Load: err is an Errors
// (reachable with errors.As), not empty, and each problem has a code, a
// message in words (not a Go panic), one of the set's files, and a line
// and column that exist in that file: a line as YAML counts them, and a
// column up to one past the line's last character, where an unexpected end
// is reported; or column 1 of the line after the last, where YAML places
// an empty value at the end of a file without a final line break.
func checkPositions(t *testing.T, err error, c *posCheck) {
	t.Helper()
	var list rules.Errors
	if !errors.As(err, &list) || len(list) == 0 {
		t.Fatalf("Load failed with %T, not rules.Errors: %v", err, err)
	}
	var wrong []string
	known := map[string]bool{}
	for _, e := range list {
		problem := func() string {
			if e.Code == "" || e.Message == "" {
				return "no code or message"
			}
			if strings.Contains(e.Message, "runtime error:") || strings.Contains(e.Message, "goroutine ") {
				return "the message is a Go panic, not words for the author of the file"
			}
			data, ok := c.files[e.File]
			if !ok {
				return fmt.Sprintf("names %q, which is none of the set's files", e.File)
			}
			lines := yamlLines.Split(string(data), -1)
			if e.Line == len(lines)+1 && e.Column == 1 {
				return "" // the end of a file without a final line break, where YAML puts an empty value
			}
			if e.Line < 1 || e.Line > len(lines) {
				return fmt.Sprintf("line %d is not a line of the file (it has %d)", e.Line, len(lines))
			}
			if n := utf8.RuneCountInString(lines[e.Line-1]); e.Column < 1 || e.Column > n+1 {
				return fmt.Sprintf("column %d is not inside line %d, which has %d characters", e.Column, e.Line, n)
			}
			if c.more != nil {
				return c.more(e)
			}
			return ""
		}()
		if problem == "" {
			continue
		}
		if i := slices.IndexFunc(knownBugs, func(k knownBug) bool { return k.match(e, c) }); i >= 0 {
			known[knownBugs[i].name] = true
			continue
		}
		wrong = append(wrong, fmt.Sprintf("%v [%s]: %s", e, e.Code, problem))
	}
	if len(wrong) > 0 {
		t.Fatalf("%s", strings.Join(wrong, "\n"))
	}
	if len(known) > 0 {
		t.Fatalf("known bugs: %s", strings.Join(slices.Sorted(maps.Keys(known)), "; "))
	}
}

// ruleSet is the files of one rule set directory, by name.
type ruleSet struct {
	dir   string
	files map[string][]byte
	names []string // sorted, ruleset.yaml excluded
}

// shippedSets returns the rule set directories of fsys under root, in
// order, so that seeds are numbered the same on every run.
func shippedSets(tb testing.TB, fsys fs.FS, root string) []ruleSet {
	tb.Helper()
	var sets []ruleSet
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".yaml") {
			return err
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		dir, name := path.Split(p)
		if len(sets) == 0 || sets[len(sets)-1].dir != dir {
			sets = append(sets, ruleSet{dir: dir, files: map[string][]byte{}})
		}
		s := &sets[len(sets)-1]
		s.files[name] = data
		if name != rules.MetaFile {
			s.names = append(s.names, name)
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return sets
}

// merge joins the top-level keys of several rule files into one file (a
// key already present is kept from the first file), so that one fuzzed file
// can hold a whole model: inputs, parameters, rules, formulas and cases.
func merge(tb testing.TB, files ...[]byte) []byte {
	tb.Helper()
	out := &yaml.Node{Kind: yaml.MappingNode}
	seen := map[string]bool{}
	for _, data := range files {
		var doc yaml.Node
		if err := yaml.Unmarshal(data, &doc); err != nil {
			tb.Fatal(err)
		}
		top := doc.Content[0]
		for i := 0; i+1 < len(top.Content); i += 2 {
			if k := top.Content[i].Value; !seen[k] {
				seen[k] = true
				out.Content = append(out.Content, top.Content[i], top.Content[i+1])
			}
		}
	}
	data, err := yaml.Marshal(out)
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// FuzzLoad loads a rule set of three fuzzed files: ruleset.yaml and two
// rule files (two, so that definitions across files — duplicates, a model
// spread over files — are reached). Seeds: every shipped rule file with its
// set's metadata, whole models merged into one file, and the test sets.
func FuzzLoad(f *testing.F) {
	for _, src := range []struct {
		fsys fs.FS
		root string
	}{{rulesets.FS, "."}, {os.DirFS("testdata"), "."}} {
		for _, s := range shippedSets(f, src.fsys, src.root) {
			set, meta := s.files, s.files[rules.MetaFile]
			for _, name := range s.names {
				f.Add(meta, set[name], []byte{})
			}
			if set["eligibility.yaml"] != nil {
				person := merge(f, set["eligibility.yaml"], set["parameters.yaml"], set["cases.yaml"])
				f.Add(meta, person, set["quotas.yaml"])
				f.Add(meta, set["eligibility.yaml"], set["parameters.yaml"])
				f.Add(meta, set["quotas_area.yaml"], set["parameters.yaml"])
			}
		}
	}
	f.Add([]byte("id: x\ntitle: x\njurisdiction: {code: \"1\", name: x}\nin_force: {from: 2020-01-01, to: 2020-12-31}\n"),
		[]byte("model: m\ninputs:\n  a: {type: int}\nrules:\n  - {id: r, when: a > 1, cites: c}\n"),
		[]byte("model: m\nrules:\n  - {id: r, when: \"a <\", cites: c}\n"))
	f.Fuzz(func(t *testing.T, meta, file1, file2 []byte) {
		files := map[string][]byte{"set/ruleset.yaml": meta, "set/a.yaml": file1, "set/b.yaml": file2}
		fsys := fstest.MapFS{}
		for name, data := range files {
			fsys[name] = &fstest.MapFile{Data: data}
		}
		var lib *rules.Library
		var err error
		guard(t, "Load", func() { lib, err = rules.Load(fsys, "set") })
		if err != nil {
			checkPositions(t, err, &posCheck{files: files})
			return
		}
		if len(lib.Sets()) != 1 {
			t.Fatalf("Load returned %d sets for one directory", len(lib.Sets()))
		}
		// The set's own cases evaluate every model on inputs written in the
		// files. Only a panic or a hang is wrong: a case may fail, an input
		// may be refused.
		guard(t, "RunCases", func() { lib.RunCases(nil) })
		// hotro check's analysis: whether each rule can pass and fail.
		guard(t, "Warnings", func() { lib.Warnings(rules.WarnOptions{Today: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}) })
	})
}

// exprSet is the fixed rule set FuzzExpression places an expression in: a
// model with an input of every kind (one optional), parameters plain,
// keyed and decimal, and a formula to refer to. %s is the file's tail.
const exprSet = `model: m
inputs:
  n: {type: int}
  d: {type: decimal, optional: true}
  a: {type: money}
  s: {type: text, values: [x, y]}
  b: {type: bool}
parameters:
  p: {type: money, value: 1000, source: s}
  k: {type: int, by: s, keys: [x, y], value: {x: 1, y: 2}, source: s}
  r: {type: decimal, value: 0.5, source: s}
formulas:
  base: {type: money, expr: "a * 2 + p"}
`

const exprMeta = "id: x\ntitle: x\njurisdiction: {code: \"1\", name: x}\nin_force: {from: 2020-01-01, to: 2020-12-31}\n"

// exprEnvs are the inputs a loaded expression is evaluated on: zeros and
// an absent optional, ordinary values, and extremes.
var exprEnvs = []rules.Env{
	{"n": 0, "a": decimal.Zero, "s": "x", "b": false},
	{"n": 7, "d": decimal.RequireFromString("1.5"), "a": decimal.NewFromInt(123456), "s": "y", "b": true},
	{"n": -1 << 62, "d": decimal.RequireFromString("-0.000000000000000001"), "a": decimal.RequireFromString("1e30"), "s": "x", "b": true},
	{"n": 1<<63 - 1, "d": decimal.Zero, "a": decimal.NewFromInt(-1), "s": "y", "b": false},
}

// Scalar styles an expression is written in.
const (
	styleQuoted  = iota // "…" with escapes: always possible
	stylePlain          // when: a > 1
	styleLiteral        // when: |-  (lines kept)
	styleFolded         // when: >-  (lines folded into one)
	styles
)

// quoteYAML writes s as a YAML double-quoted scalar.
func quoteYAML(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0 || r == 0xfeff || r > 0xfffd && r < 0x10000 || !unicode.IsPrint(r) && r != ' ':
			if r < 0x10000 {
				fmt.Fprintf(&b, `\u%04X`, r)
			} else {
				fmt.Fprintf(&b, `\U%08X`, r)
			}
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// place writes expression src after key (indented by indent spaces) in the
// given style, and returns the text and how many lines the value spans.
func place(key, src string, indent, style int) (string, int) {
	pad := strings.Repeat(" ", indent)
	switch style {
	case stylePlain:
		return pad + key + ": " + src + "\n", 1
	case styleLiteral, styleFolded:
		ind := "|-"
		if style == styleFolded {
			ind = ">-"
		}
		lines := strings.Split(src, "\n")
		var b strings.Builder
		b.WriteString(pad + key + ": " + ind + "\n")
		for _, l := range lines {
			b.WriteString(pad + "  " + l + "\n")
		}
		return b.String(), 1 + len(lines)
	}
	return pad + key + ": " + quoteYAML(src) + "\n", 1
}

// FuzzExpression places a fuzzed expression in the fixed set above, as a
// rule's condition (where = 0) or as a formula of each kind (1–5), written
// in one of the YAML scalar styles, loads the set and, when it loads,
// evaluates the model on fixed inputs. Besides the checks of FuzzLoad: a
// problem with the expression is placed on a line the expression occupies
// in the file; a formula's value has the Go type of its declared kind.
func FuzzExpression(f *testing.F) {
	seeds := []string{
		"n > 1", "b && s == \"x\"", "a * r > p", "has_d ? d : 0", "round_up(max(0, p - a), 1000)",
		"k + n", "s in [\"x\", \"y\"]", "ceil(a / 3)", "1 / 0", "a / 0", "n / 0", "n % 0",
		"base > p", "0.1 + 0.2 == 0.3", "let x = n; x * 2", "map(1..3, # * n)", "len(s) > 0",
		"a <", "unknown > 1", "n +\n  \"x\"", "n >\n  1 ||\n  foo", "round(a, 0)", "dec(n) / 3",
		"-n", "n ** 2", "n ^ 2", "a ** 2", "string(n)", "s + \"z\"", "b ? 1 : 2", "b ? a : n", "floor(d)",
		// The hostile classes of issue 9: methods of Go values, loops, growth, overflow.
		"p.Shift(1000000000) + 1 > 0", "p.Pow(dec(100000000)) > 0", "s.String() == \"x\"", "a.Coefficient() == nil",
		"let r = 1..999; all(r, all(r, all(r, true)))", "len(repeat(repeat(\"x\", 999999), 999)) > 0",
		"let x = s + s; let y = x + x; let z = y + y; z + z", "let x = a * a; let y = x * x; y * y > 0",
		"9223372036854775807 + n > 0", "n * n * n", "-n", "n in 1..100", "s startsWith \"x\"",
	}
	// Every expression of the shipped rule files, as rule and as formula.
	for _, set := range shippedSets(f, rulesets.FS, ".") {
		for _, name := range set.names {
			data := set.files[name]
			var doc struct {
				Rules    []struct{ When string }
				Formulas map[string]struct{ Expr string }
			}
			if err := yaml.Unmarshal(data, &doc); err != nil {
				f.Fatal(err)
			}
			for _, r := range doc.Rules {
				seeds = append(seeds, r.When)
			}
			for _, name := range slices.Sorted(maps.Keys(doc.Formulas)) {
				seeds = append(seeds, doc.Formulas[name].Expr)
			}
		}
	}
	for i, s := range seeds {
		f.Add(s, uint8(i%6), uint8(i%styles))
	}
	kinds := []string{"bool", "int", "decimal", "money", "text"}
	f.Fuzz(func(t *testing.T, src string, where, style uint8) {
		if !utf8.ValidString(src) {
			t.Skip("YAML is Unicode text: an expression with invalid UTF-8 cannot be written in a rule file")
		}
		w, st := int(where%6), int(style%styles)
		var body strings.Builder
		body.WriteString(exprSet)
		var text string
		var span int                           // the lines the value spans
		at := strings.Count(exprSet, "\n") + 1 // the line of its key
		key := "expr"
		if w == 0 {
			key = "when"
			body.WriteString("rules:\n  - id: r\n    cites: c\n")
			at += 3
		} else {
			fmt.Fprintf(&body, "  f:\n    type: %s\n", kinds[w-1])
			at += 2
		}
		text, span = place(key, src, 4, st)
		body.WriteString(text)
		data := []byte(body.String())
		// Only a value the YAML carries as written (or, folded, as YAML
		// folds it) tests the expression; otherwise write it quoted.
		if got, ok := exprValue(data, w); !ok || st != styleFolded && got != src {
			st = styleQuoted
			body.Reset()
			body.WriteString(strings.TrimSuffix(string(data), text))
			text, span = place(key, src, 4, st)
			body.WriteString(text)
			data = []byte(body.String())
			if got, ok := exprValue(data, w); !ok || got != src {
				t.Fatalf("the quoted expression reads back as %q, want %q:\n%s", got, src, data)
			}
		}
		files := map[string][]byte{"set/ruleset.yaml": []byte(exprMeta), "set/m.yaml": data}
		fsys := fstest.MapFS{}
		for name, d := range files {
			fsys[name] = &fstest.MapFile{Data: d}
		}
		var lib *rules.Library
		var err error
		guard(t, "Load", func() { lib, err = rules.Load(fsys, "set") })
		if err != nil {
			// The expression's lines: from its key's (where a block's
			// indicator is, and where a problem with the whole expression is
			// placed) to its last.
			first, last := at, at+span-1
			// Where exprPos can be exact: one line, a literal block, or a
			// folded block whose lines all fold into one and have no white
			// space at either end.
			exact := st == styleLiteral || !strings.Contains(src, "\n") || st == styleFolded && !slices.ContainsFunc(
				strings.Split(src, "\n"), func(l string) bool { return strings.TrimSpace(l) != l || l == "" })
			checkPositions(t, err, &posCheck{files: files, exprExact: exact, more: func(e *rules.Error) string {
				if isExprCode(e.Code) && (e.Line < first || e.Line > last) {
					return fmt.Sprintf("the expression is on lines %d–%d (%s)", first, last, styleName(st))
				}
				return ""
			}})
			return
		}
		var ev *rules.Evaluator
		ev, err = lib.At(time.Date(2020, 6, 1, 0, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		var static []string // run-time errors that Load should have reported
		for _, env := range exprEnvs {
			guard(t, "Eval", func() {
				res, err := ev.Eval("m", env)
				if err != nil {
					// A run-time error (division by zero …) is an answer,
					// unless it is a mistake in the expression itself.
					if i := slices.IndexFunc(staticAtRunTime, func(k staticBug) bool { return k.error.MatchString(err.Error()) }); i >= 0 {
						static = append(static, fmt.Sprintf("%s: %v", staticAtRunTime[i].name, err))
					}
					return
				}
				sameAsVM(t, ev, env, res)
				if w > 0 {
					v, ok := res.Output("f")
					if !ok {
						t.Fatalf("no output f")
					}
					if want := kindType[kinds[w-1]]; reflect.TypeOf(v) != want {
						t.Fatalf("formula f declared %s gives %T (%v)", kinds[w-1], v, v)
					}
				}
			})
		}
		if static != nil {
			t.Fatalf("known bugs: %s", strings.Join(static, "; "))
		}
	})
}

// A staticBug is a known bug that lets a mistake in an expression load and
// fail at run time, recognised by the error it fails with; like knownBugs,
// an entry goes with the fix (and the t.Skipf above becomes a t.Fatalf
// when none is left). A run-time error that matches none of them is an
// answer: division by zero, a step that is not positive.
type staticBug struct {
	name  string
	error *regexp.Regexp
}

// staticAtRunTime are the run-time errors of expr that come from the
// expression alone, not from the values it is given.
var staticAtRunTime []staticBug

var kindType = map[string]reflect.Type{
	"bool": reflect.TypeOf(false), "int": reflect.TypeOf(0), "text": reflect.TypeOf(""),
	"decimal": reflect.TypeOf(decimal.Decimal{}), "money": reflect.TypeOf(decimal.Decimal{}),
}

func styleName(st int) string {
	return [...]string{"quoted", "plain", "literal block", "folded block"}[st]
}

// exprValue reads back the expression FuzzExpression wrote: the rule's
// when (where = 0) or formula f's expr.
func exprValue(data []byte, where int) (string, bool) {
	var doc struct {
		Rules    []map[string]any
		Formulas map[string]map[string]any
	}
	if yaml.Unmarshal(data, &doc) != nil {
		return "", false
	}
	var v any
	if where == 0 {
		if len(doc.Rules) != 1 {
			return "", false
		}
		v = doc.Rules[0]["when"]
	} else {
		v = doc.Formulas["f"]["expr"]
	}
	s, ok := v.(string)
	return s, ok
}

// sameAsVM checks that the model's closures (what Eval ran) computed what
// its VM program computes: the outcome of the rule, every formula's value
// (a decimal's coefficient and exponent too) and the values each rule read.
func sameAsVM(t *testing.T, ev *rules.Evaluator, env rules.Env, res *rules.Result) {
	t.Helper()
	if !rules.Compiled(ev, "m") {
		return
	}
	vm, err := rules.EvalVM(ev, "m", env)
	if err != nil {
		t.Fatalf("the closures answer, the VM program fails: %v", err)
	}
	same := func(a, b any) bool {
		if da, ok := a.(decimal.Decimal); ok {
			db, ok := b.(decimal.Decimal)
			return ok && da.Exponent() == db.Exponent() && da.Coefficient().Cmp(db.Coefficient()) == 0
		}
		return reflect.DeepEqual(a, b)
	}
	if res.Pass != vm.Pass {
		t.Fatalf("closures pass %v, VM %v", res.Pass, vm.Pass)
	}
	fo, vo := res.Outputs(), vm.Outputs()
	for i := range vo {
		if !same(fo[i].Value, vo[i].Value) {
			t.Fatalf("formula %s: closures %v, VM %v", vo[i].Name, fo[i].Value, vo[i].Value)
		}
	}
	for i := range vm.Rules {
		fv, vv := res.Rules[i].Values(), vm.Rules[i].Values()
		for j := range vv {
			if !same(fv[j].Value, vv[j].Value) {
				t.Fatalf("rule %s, %s: closures %v, VM %v", vm.Rules[i].Rule.ID, vv[j].Name, fv[j].Value, vv[j].Value)
			}
		}
	}
}
