package rules

import (
	"fmt"
	"math"
	"reflect"
	"strings"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/vm"
	"github.com/expr-lang/expr/vm/runtime"
	"github.com/shopspring/decimal"
)

// Rule files are untrusted input (docs/security.md). What a rule file can
// make the engine do is bounded here: the expression language is an
// allow-list checked on the parsed tree, and every evaluation has a cost
// bounded before it runs.

// The limits on what a rule file can make the engine do. They are far above
// what the shipped rule sets need (docs/security.md gives the figures).
const (
	// MaxFileSize is the largest rule file, in bytes.
	MaxFileSize = 1 << 20
	// MaxSetSize is the largest total size of the YAML files of one set, in bytes.
	MaxSetSize = 2 << 20
	// MaxFiles is the most YAML files one set may have.
	MaxFiles = 100
	// MaxExprLen is the longest expression, in bytes. Compiling costs about
	// 5 µs a byte, more for deep nesting.
	MaxExprLen = 2_000
	// MaxExprTotal bounds the bytes of all the expressions of one set.
	MaxExprTotal = 200_000
	// MaxNameLen is the longest name of a model, input, parameter, formula or rule.
	MaxNameLen = 100
	// MaxSteps bounds the instructions one evaluation of a model runs. The
	// language has no loops, so an evaluation runs each instruction of its
	// program at most once.
	MaxSteps = 1_000_000
	// MaxMemory bounds the size of all the values one evaluation can build,
	// in bytes of text and digits of decimals.
	MaxMemory = 64 << 20
	// MaxValue bounds the size of any one value an evaluation builds.
	MaxValue = 1 << 20
	// MaxAnalysis bounds the work of deciding whether a rule can pass and
	// fail (Library.Warnings), counted as evaluations' steps and sizes.
	MaxAnalysis = 200_000_000
)

// sizeSlack is added to the size of the largest leaf value of an
// expression to bound what one operation adds: a division keeps 16
// decimal places, an addition may carry one digit.
const sizeSlack = 32

// functions are the functions of the rule language (docs/rules.md §9.3).
var functions = []string{"max", "min", "round_up", "round_down", "round", "ceil", "floor", "dec", "age_on", "commune_on"}

// communeFields are the fields of a commune value (commune_on) that an
// expression may read: member access on anything else is refused, and the
// type check refuses these on a value that is not a commune.
var communeFields = []string{"code", "name", "type", "province", "province_name", "district", "district_name", "district_type", "reformed"}

// binaryOps are the binary operators of the rule language (docs/rules.md
// §9.1). "**" and "^" are there to be refused as floating point, with the
// float check's message; ".." only as the range of an "in".
var binaryOps = []string{"+", "-", "*", "/", "%", "==", "!=", "<", "<=", ">", ">=",
	"&&", "||", "and", "or", "in", "startsWith", "endsWith", "contains", "**", "^"}

// language checks a parsed expression against the allow-list of the rule
// language. It returns the first construct outside it, with the code and
// message to report, or nil.
func language(n ast.Node) (ast.Node, Code, string) {
	switch n := n.(type) {
	case *ast.IdentifierNode, *ast.IntegerNode, *ast.FloatNode, *ast.StringNode, *ast.BoolNode:
		return nil, "", ""
	case *ast.ArrayNode:
		for _, e := range n.Nodes {
			if bad, code, msg := language(e); bad != nil {
				return bad, code, msg
			}
		}
		return nil, "", ""
	case *ast.UnaryNode:
		switch n.Operator {
		case "-", "+", "!", "not":
			return language(n.Node)
		}
		return n, CodeForbidden, fmt.Sprintf("the operator %q is not part of the rule language", n.Operator)
	case *ast.BinaryNode:
		if n.Operator == "in" {
			if r, ok := n.Right.(*ast.BinaryNode); ok && r.Operator == ".." {
				if !intLiteral(r.Left) || !intLiteral(r.Right) {
					return r, CodeForbidden, "the ends of a range must be whole numbers written out, as in age in 16..59"
				}
				return language(n.Left)
			}
		}
		if n.Operator == ".." {
			return n, CodeForbidden, "a range a..b is only allowed after in, as in age in 16..59"
		}
		if !contains(binaryOps, n.Operator) {
			return n, CodeForbidden, fmt.Sprintf("the operator %q is not part of the rule language", n.Operator)
		}
		if bad, code, msg := language(n.Left); bad != nil {
			return bad, code, msg
		}
		return language(n.Right)
	case *ast.ConditionalNode:
		for _, e := range []ast.Node{n.Cond, n.Exp1, n.Exp2} {
			if bad, code, msg := language(e); bad != nil {
				return bad, code, msg
			}
		}
		return nil, "", ""
	case *ast.VariableDeclaratorNode:
		if bad, code, msg := language(n.Value); bad != nil {
			return bad, code, msg
		}
		return language(n.Expr)
	case *ast.BuiltinNode:
		if !contains(functions, n.Name) {
			code, msg := notAFunction(n.Name)
			return n, code, msg
		}
		return languageArgs(n.Arguments)
	case *ast.CallNode:
		id, ok := n.Callee.(*ast.IdentifierNode)
		if !ok {
			if m, isMember := n.Callee.(*ast.MemberNode); isMember {
				return m, CodeForbidden, "methods cannot be called: the rule language has only its operators and the functions " + strings.Join(functions, ", ")
			}
			return n, CodeForbidden, "only the functions " + strings.Join(functions, ", ") + " can be called"
		}
		if !contains(functions, id.Value) {
			code, msg := notAFunction(id.Value)
			return id, code, msg
		}
		return languageArgs(n.Arguments)
	case *ast.MemberNode:
		prop, ok := n.Property.(*ast.StringNode)
		if _, isIdent := n.Node.(*ast.IdentifierNode); isIdent && ok && !n.Optional && contains(communeFields, prop.Value) {
			return nil, "", ""
		}
		return n, CodeForbidden, "the rule language reads fields of a commune only (" + strings.Join(communeFields, ", ") + "), as in commune.province"
	case *ast.ChainNode, *ast.SliceNode:
		return n, CodeForbidden, "the rule language has no member access, indexing or slicing: its values are numbers, text and true/false, with no fields"
	case *ast.NilNode:
		return n, CodeForbidden, "nil is not part of the rule language: an absent optional input is zero, and has_<name> tells it apart"
	case *ast.MapNode, *ast.PairNode:
		return n, CodeForbidden, "maps are not part of the rule language"
	case *ast.PredicateNode, *ast.PointerNode:
		return n, CodeForbidden, "the rule language has no loops or predicates"
	case *ast.SequenceNode:
		return n, CodeForbidden, "an expression is one value: use let name = …; to name a part"
	}
	return n, CodeForbidden, "this is not part of the rule language"
}

func languageArgs(args []ast.Node) (ast.Node, Code, string) {
	for _, a := range args {
		if bad, code, msg := language(a); bad != nil {
			return bad, code, msg
		}
	}
	return nil, "", ""
}

func notAFunction(name string) (Code, string) {
	if contains(disabledBuiltins, name) {
		return CodeUnknownName, fmt.Sprintf("the function %q is not available in rules: rules never read the clock and never compute with floats", name)
	}
	return CodeUnknownName, fmt.Sprintf("there is no function %q in the rule language (its functions are %s)", name, strings.Join(functions, ", "))
}

func intLiteral(n ast.Node) bool {
	if u, ok := n.(*ast.UnaryNode); ok && (u.Operator == "-" || u.Operator == "+") {
		n = u.Node
	}
	_, ok := n.(*ast.IntegerNode)
	return ok
}

// The cost of an evaluation. The language has no loops, so a model's
// program runs each instruction at most once, and the values it builds are
// bounded by their leaves: text grows only by +, a decimal's digits and
// exponent only by arithmetic, each operation at most adding its operands'
// sizes and a constant. weight gives, for a node of a checked expression,
// w such that its value has at most w·U bytes of text or digits, where U
// is the size of the largest leaf (input, parameter or literal) plus
// sizeSlack. The memory an evaluation builds is at most the sum of the
// weights of all nodes times U.

// exprCost is the weight of an expression's value and the sum of the
// weights of its nodes.
type exprCost struct {
	w, sum, max float64 // the value's weight, the sum over all nodes, the largest
	steps       int
}

func weight(n ast.Node, lets map[string]float64, formulas map[string]float64, c *exprCost) float64 {
	if n == nil {
		return 0
	}
	c.steps++
	var w float64
	switch n := n.(type) {
	case *ast.IdentifierNode:
		if v, ok := lets[n.Value]; ok {
			w = v
		} else if v, ok := formulas[n.Value]; ok {
			w = v
		} else {
			w = 1
		}
		c.sum += 1
		return w
	case *ast.VariableDeclaratorNode:
		v := weight(n.Value, lets, formulas, c)
		old, had := lets[n.Name]
		lets[n.Name] = v
		w = weight(n.Expr, lets, formulas, c)
		if had {
			lets[n.Name] = old
		} else {
			delete(lets, n.Name)
		}
		return w
	}
	var children []ast.Node
	factors := []float64{1, 1, 1} // of each child's weight
	switch n := n.(type) {
	case *ast.UnaryNode:
		children = []ast.Node{n.Node}
	case *ast.BinaryNode:
		children = []ast.Node{n.Left, n.Right}
	case *ast.ConditionalNode:
		children = []ast.Node{n.Cond, n.Exp1, n.Exp2}
	case *ast.ArrayNode:
		children = n.Nodes
	case *ast.CallNode:
		children = n.Arguments
		if id, ok := n.Callee.(*ast.IdentifierNode); ok && strings.HasPrefix(id.Value, "round") {
			factors[1] = 2 // the quotient x/step, then the quotient times the step
		}
	case *ast.BuiltinNode:
		children = n.Arguments
	}
	var sum float64
	for i, ch := range children {
		f := 1.0
		if i < len(factors) {
			f = factors[i]
		}
		sum += f * weight(ch, lets, formulas, c)
	}
	switch t := n.Type(); {
	case t == decType, t == stringType, t == nil, t.Kind() == reflect.Interface, t.Kind() == reflect.Slice:
		w = 1 + sum
	default: // bool, int: a word
		w = 1
	}
	c.sum += w
	c.max = math.Max(c.max, w)
	return w
}

// leafSize is the size of a value as the cost counts it: bytes of text,
// digits and exponent of a decimal, 1 for the rest.
func leafSize(v any) int {
	switch x := v.(type) {
	case string:
		return len(x)
	case decimal.Decimal:
		e := int(x.Exponent())
		if e < 0 {
			e = -e
		}
		return x.NumDigits() + e
	}
	return 1
}

// staticSize is the largest leaf a model's evaluation can see apart from
// its inputs: the literals of its expressions, the values of the set's
// parameters, and the listed values of its text inputs.
func staticSize(s *Set, m *Model, roots []ast.Node) int {
	size := 1
	for _, root := range roots {
		ast.Walk(&root, visitor(func(n ast.Node) {
			switch x := n.(type) {
			case *ast.StringNode:
				size = max(size, len(x.Value))
			case *ast.ConstantNode:
				size = max(size, leafSize(x.Value))
			}
		}))
	}
	for _, p := range s.Params {
		for _, v := range p.Values {
			size = max(size, leafSize(v.Value))
			for _, x := range v.ByKey {
				size = max(size, leafSize(x))
			}
		}
	}
	for _, in := range m.Inputs {
		for _, v := range in.Values {
			size = max(size, len(v))
		}
	}
	return size
}

// nominalInput is the size of an input assumed when a rule set is loaded:
// a set whose evaluation would pass the budget with inputs this large is
// refused; larger inputs are checked at each evaluation.
const nominalInput = 64

// budget checks the cost of a model's evaluation at load, and records what
// Eval needs to check it with the actual inputs. It runs after the
// formulas are ordered.
func (b *builder) budget(m *Model) {
	formulas := map[string]float64{}
	type part struct {
		pos  Pos
		what string
		c    exprCost
	}
	var parts []part
	var roots []ast.Node
	var total exprCost // sum and steps of the whole model
	for _, f := range m.Formulas {
		if f.program == nil {
			return
		}
		var c exprCost
		c.w = weight(f.program.Node(), map[string]float64{}, formulas, &c)
		formulas[f.Name] = c.w
		parts = append(parts, part{f.at, "formula " + f.Name, c})
		roots = append(roots, f.program.Node())
	}
	for _, r := range m.Rules {
		if r.program == nil {
			return
		}
		var c exprCost
		c.w = weight(r.program.Node(), map[string]float64{}, formulas, &c)
		r.cost = c
		parts = append(parts, part{r.at, "rule " + r.ID, c})
		roots = append(roots, r.program.Node())
	}
	m.static = staticSize(b.set, m, roots)
	unit := float64(max(m.static, nominalInput) + sizeSlack)
	for _, p := range parts {
		total.sum += p.c.sum
		total.steps += p.c.steps
		m.costMax = math.Max(m.costMax, p.c.max)
		// One problem per model: the first expression that passes a bound.
		switch {
		case p.c.max*unit > MaxValue:
			b.errs.add(p.pos.File, p.pos.Line, p.pos.Column, CodeBudget, "%s: this expression can build a value of more than %d bytes or digits (%s: each use of a name repeats its value); compute less", p.what, MaxValue, approx(p.c.max*unit))
		case total.sum*unit > MaxMemory:
			b.errs.add(p.pos.File, p.pos.Line, p.pos.Column, CodeBudget, "%s: with the expressions before it, an evaluation of model %s can build more than %d bytes of values (%s); compute less", p.what, m.Name, MaxMemory, approx(total.sum*unit))
		case total.steps > MaxSteps:
			b.errs.add(p.pos.File, p.pos.Line, p.pos.Column, CodeBudget, "%s: with the expressions before it, an evaluation of model %s takes more than %d steps", p.what, m.Name, MaxSteps)
		default:
			continue
		}
		return
	}
	m.costSum = total.sum
	// The largest input an evaluation can take: the unit at which the
	// model's weights reach MaxMemory or MaxValue, less the slack.
	limit := math.Min(MaxMemory/math.Max(m.costSum, 1), MaxValue/math.Max(m.costMax, 1))
	m.maxLeaf = int(limit) - sizeSlack
}

func approx(f float64) string {
	if f > 1e15 || math.IsInf(f, 0) {
		return "without bound in practice"
	}
	return fmt.Sprintf("up to %.0f", f)
}

// checkBudget checks, before a model is evaluated, that its inputs are
// small enough for the evaluation to stay within MaxMemory and MaxValue:
// none larger than maxLeaf (set at load from the model's weights).
func (m *Model) checkBudget(in []any) error {
	for i, v := range in {
		if m.inputRead != nil && !m.inputRead[i] {
			continue // a value the program does not read cannot make it grow
		}
		var size int
		switch x := v.(type) {
		case string:
			size = len(x)
		case decimal.Decimal:
			size = leafSize(x)
		default:
			continue
		}
		if size > m.maxLeaf {
			return &InputError{m.Name, m.Inputs[i].Name, fmt.Sprintf("its value is too large (%d bytes or digits): evaluating the model with it could build more than %d bytes of values", size, MaxMemory)}
		}
	}
	return nil
}

// checkSteps checks that a combined program has no loop (every jump goes
// forward, so a run executes each instruction at most once) and none of
// the instructions the language leaves out: a second line of defence
// behind the allow-list. A field of a commune (checked by name on the tree)
// is read by OpFetch or OpFetchField, whose field name must be one of
// communeFields.
func checkSteps(prog *vm.Program) bool {
	for i, op := range prog.Bytecode {
		switch op {
		case vm.OpFetch:
			if i == 0 || prog.Bytecode[i-1] != vm.OpPush {
				return false
			}
			name, _ := prog.Constants[prog.Arguments[i-1]].(string)
			if !contains(communeFields, name) {
				return false
			}
		case vm.OpFetchField:
			if f, ok := prog.Constants[prog.Arguments[i]].(*runtime.Field); !ok || len(f.Path) != 1 || !contains(communeFields, f.Path[0]) {
				return false
			}
		case vm.OpJumpBackward, vm.OpBegin, vm.OpEnd, vm.OpRange, vm.OpMethod, vm.OpLoadMethod,
			vm.OpLoadField, vm.OpLoadEnv, vm.OpMatches, vm.OpMatchesConst,
			vm.OpSlice, vm.OpMap, vm.OpPointer, vm.OpGroupBy, vm.OpSortBy, vm.OpSort, vm.OpCreate:
			return false
		}
	}
	return true
}
