package rules

import (
	"cmp"
	"fmt"
	"math"
	"math/bits"
	"reflect"
	"strings"
	"time"

	"github.com/expr-lang/expr/ast"
	"github.com/hotro-vn/hotro/admin"
	"github.com/shopspring/decimal"
)

// A model's combined program (builder.combine) compiled a second time, to
// Go closures over typed values: each node of the checked tree becomes a
// function returning a bool, an int, a number, a text or (for dates and
// communes) an interface, so nothing between the inputs and the formulas'
// values is boxed, no argument slice is built per call, and decimal
// arithmetic runs on int64 coefficients when they are small.
//
// It computes exactly what the VM program computes: the same values with
// the same coefficients and exponents (each operation below either builds
// the result shopspring/decimal would, on int64, or calls the very
// function the VM calls), into the same variables. What it does not
// handle it refuses when the set loads, and the model keeps the VM
// program. On any fault at run time (an overflow, a division by zero, a
// record's value a function rejects) the evaluator runs the VM program on
// the same variables, so errors are the VM's, word for word.

// num is a decimal as the closures carry it: a coefficient of at most 18
// digits and an exponent, or, when the coefficient is larger, the
// decimal itself.
type num struct {
	c   int64
	e   int32
	big bool
	d   dec
}

func numOf(d dec) num {
	if d.NumDigits() <= 18 {
		return num{c: d.CoefficientInt64(), e: d.Exponent()}
	}
	return num{big: true, d: d}
}

func numOfInt(i int) num {
	if i >= -maxSmall && i <= maxSmall {
		return num{c: int64(i)}
	}
	return num{big: true, d: decimal.NewFromInt(int64(i))}
}

// dec is the decimal n stands for, with n's coefficient and exponent.
func (n num) dec() dec {
	if n.big {
		return n.d
	}
	if n.c == 0 && n.e == 0 {
		return decZero
	}
	return decimal.New(n.c, n.e)
}

// align brings two small numbers to the smaller exponent, as
// shopspring/decimal's RescalePair does; ok is false when a coefficient
// would leave 18 digits.
func align(a, b num) (x, y int64, e int32, ok bool) {
	x, y, e = a.c, b.c, a.e
	switch {
	case a.e > b.e:
		d := a.e - b.e
		if d > 18 || abs64(x) > maxSmall/pow10[d] {
			return 0, 0, 0, false
		}
		x *= pow10[d]
		e = b.e
	case b.e > a.e:
		d := b.e - a.e
		if d > 18 || abs64(y) > maxSmall/pow10[d] {
			return 0, 0, 0, false
		}
		y *= pow10[d]
	}
	return x, y, e, true
}

// addSmall is a+b (sub: a−b) on int64 coefficients; false when a number
// is large or a coefficient would leave 18 digits on aligning.
func addSmall(a, b num, sub bool) (num, bool) {
	if a.big || b.big {
		return num{}, false
	}
	x, y, e, ok := align(a, b)
	if !ok {
		return num{}, false
	}
	if sub {
		y = -y
	}
	s := x + y // |x|, |y| ≤ 10^18−1: no overflow
	if s >= -maxSmall && s <= maxSmall {
		return num{c: s, e: e}, true
	}
	return num{big: true, d: decimal.New(s, e)}, true
}

func addNum(a, b num, sub bool) num {
	if r, ok := addSmall(a, b, sub); ok {
		return r
	}
	if sub {
		return numOf(a.dec().Sub(b.dec()))
	}
	return numOf(a.dec().Add(b.dec()))
}

// mulSmall is a·b on int64 coefficients; false when a number is large or
// the product leaves 18 digits.
func mulSmall(a, b num) (num, bool) {
	if a.big || b.big || a.e < -1000 || a.e > 1000 || b.e < -1000 || b.e > 1000 {
		return num{}, false
	}
	hi, lo := bits.Mul64(uint64(abs64(a.c)), uint64(abs64(b.c)))
	if hi != 0 || lo > maxSmall {
		return num{}, false
	}
	c := int64(lo)
	if (a.c < 0) != (b.c < 0) {
		c = -c
	}
	return num{c: c, e: a.e + b.e}, true
}

func mulNum(a, b num) num {
	if r, ok := mulSmall(a, b); ok {
		return r
	}
	return numOf(a.dec().Mul(b.dec()))
}

func cmpNum(a, b num) int {
	if !a.big && !b.big {
		if x, y, _, ok := align(a, b); ok {
			switch {
			case x < y:
				return -1
			case x > y:
				return 1
			}
			return 0
		}
	}
	return a.dec().Cmp(b.dec())
}

// fastErr carries a fault out of the closures to fastProg.run.
type fastErr struct{ err error }

func fail(err error) { panic(fastErr{err}) }

type (
	boolFn func(*frame) bool
	intFn  func(*frame) int
	numFn  func(*frame) num
	strFn  func(*frame) string
	anyFn  func(*frame) any
)

// frame is one run's variables: vars are the VM's (boxed, read by the
// evaluator after the run), nums the numbers of the let-bound formulas,
// unboxed.
type frame struct {
	vars []any
	nums []num
}

// cfn is a compiled node: exactly one of its functions is set, by the
// node's type.
type cfn struct {
	t reflect.Type
	b boolFn
	i intFn
	n numFn
	s strFn
	a anyFn
	// box, when set, gives the value boxed without allocating (a text
	// constant, boxed once, or a choice between such).
	box anyFn
}

// boxed returns a function giving the node's value as the VM holds it.
func (c cfn) boxed() anyFn {
	switch {
	case c.box != nil:
		return c.box
	case c.b != nil:
		f := c.b
		return func(fr *frame) any { return f(fr) }
	case c.i != nil:
		f := c.i
		return func(fr *frame) any { return f(fr) }
	case c.n != nil:
		f := c.n
		return func(fr *frame) any { return f(fr).dec() }
	case c.s != nil:
		f := c.s
		return func(fr *frame) any { return f(fr) }
	}
	return c.a
}

// fastProg is a model's program as closures.
type fastProg struct {
	result func(*frame) (int, []any)
	// numLet says, by variable (one entry per variable the program uses),
	// that a formula's number is left in frame.nums only, its variable nil
	// (a bitmask program's formulas: the evaluator makes them decimals when
	// they are read).
	numLet []bool
}

// errUnsupported says a node is outside what the closures handle; the
// model keeps its VM program.
type errUnsupported struct{ what string }

func (e errUnsupported) Error() string { return "not compiled to closures: " + e.what }

// fastCompiler compiles one combined tree.
type fastCompiler struct {
	prologue int        // the placeholder lets, whose values the evaluator writes
	lets     int        // variables declared so far (expr's numbering)
	scope    []scopeVar // innermost last
	lazy     bool       // a bitmask program: its formulas' numbers stay unboxed
	numLets  []int      // the variables left nil, their numbers in frame.nums
}

type scopeVar struct {
	name string
	slot int
	t    reflect.Type
	num  bool // its number is in frame.nums
}

// compileFast compiles a model's combined tree (see builder.combine), or
// says why it cannot.
func compileFast(root ast.Node, prologue int, bitmask bool) (p *fastProg, err error) {
	defer func() {
		if r := recover(); r != nil {
			u, ok := r.(errUnsupported)
			if !ok {
				panic(r)
			}
			p, err = nil, u
		}
	}()
	c := &fastCompiler{prologue: prologue, lazy: bitmask}
	top := c.node(root)
	p = &fastProg{numLet: make([]bool, c.lets)}
	for _, v := range c.numLets {
		p.numLet[v] = true
	}
	switch f, g := top.i, top.a; {
	case bitmask && f != nil:
		p.result = func(fr *frame) (int, []any) { return f(fr), nil }
	case !bitmask && g != nil:
		p.result = func(fr *frame) (int, []any) { return 0, g(fr).([]any) }
	default:
		return nil, errUnsupported{"a program that returns neither the rules' bits nor a list"}
	}
	return p, nil
}

// run computes the program on the variables in vars (the inputs, has_
// flags and parameters written by the evaluator) and returns the rules'
// bits or the list of values.
func (p *fastProg) run(fr *frame, vars []any, nums []num) (bits int, list []any, err error) {
	defer func() {
		if r := recover(); r != nil {
			fe, ok := r.(fastErr)
			if !ok {
				// Not expected; the VM program, run next, gives its own verdict.
				fe.err = fmt.Errorf("the closures failed: %v", r)
			}
			err = fe.err
		}
	}()
	fr.vars, fr.nums = vars, nums
	bits, list = p.result(fr)
	fr.vars, fr.nums = nil, nil
	return bits, list, nil
}

func unsupported(format string, args ...any) { panic(errUnsupported{fmt.Sprintf(format, args...)}) }

func (c *fastCompiler) lookup(name string) scopeVar {
	for i := len(c.scope) - 1; i >= 0; i-- {
		if c.scope[i].name == name {
			return c.scope[i]
		}
	}
	unsupported("the name %s, bound by no let", name)
	return scopeVar{}
}

// typed wraps a function by the type it returns.
func typed(t reflect.Type, f any) cfn {
	c := cfn{t: t}
	switch f := f.(type) {
	case boolFn:
		c.b = f
	case intFn:
		c.i = f
	case numFn:
		c.n = f
	case strFn:
		c.s = f
	case anyFn:
		c.a = f
	default:
		unsupported("a function of type %T", f)
	}
	return c
}

func (c *fastCompiler) node(n ast.Node) cfn {
	switch n := n.(type) {
	case *ast.IntegerNode:
		v := n.Value
		return typed(intType, intFn(func(*frame) int { return v }))
	case *ast.BoolNode:
		v := n.Value
		return typed(boolType, boolFn(func(*frame) bool { return v }))
	case *ast.StringNode:
		return constant(n.Value)
	case *ast.ConstantNode:
		return constant(n.Value)
	case *ast.IdentifierNode:
		return c.ident(n.Value)
	case *ast.VariableDeclaratorNode:
		return c.let(n)
	case *ast.UnaryNode:
		return c.unary(n)
	case *ast.BinaryNode:
		return c.binary(n)
	case *ast.ConditionalNode:
		return c.conditional(n)
	case *ast.CallNode:
		return c.call(n)
	case *ast.MemberNode:
		return c.member(n)
	case *ast.ArrayNode:
		items := make([]anyFn, len(n.Nodes))
		for i, e := range n.Nodes {
			items[i] = c.node(e).boxed()
		}
		return typed(n.Type(), anyFn(func(fr *frame) any {
			out := make([]any, len(items))
			for i, f := range items {
				out[i] = f(fr)
			}
			return out
		}))
	}
	unsupported("the node %T", n)
	return cfn{}
}

func constant(v any) cfn {
	switch v := v.(type) {
	case bool:
		return typed(boolType, boolFn(func(*frame) bool { return v }))
	case int:
		return typed(intType, intFn(func(*frame) int { return v }))
	case dec:
		n := numOf(v)
		return typed(decType, numFn(func(*frame) num { return n }))
	case string:
		c := typed(stringType, strFn(func(*frame) string { return v }))
		var boxed any = v
		c.box = func(*frame) any { return boxed }
		return c
	}
	unsupported("a constant of type %T", v)
	return cfn{}
}

// ident reads a variable: a formula's number from frame.nums, anything
// else from the VM's variables.
func (c *fastCompiler) ident(name string) cfn {
	v := c.lookup(name)
	slot := v.slot
	switch v.t {
	case boolType:
		return typed(boolType, boolFn(func(fr *frame) bool { return fr.vars[slot].(bool) }))
	case intType:
		return typed(intType, intFn(func(fr *frame) int { return fr.vars[slot].(int) }))
	case decType:
		if v.num {
			return typed(decType, numFn(func(fr *frame) num { return fr.nums[slot] }))
		}
		return typed(decType, numFn(func(fr *frame) num { return numOf(fr.vars[slot].(dec)) }))
	case stringType:
		return typed(stringType, strFn(func(fr *frame) string { return fr.vars[slot].(string) }))
	case timeType, communeType:
		return typed(v.t, anyFn(func(fr *frame) any { return fr.vars[slot] }))
	}
	unsupported("the variable %s of type %v", name, v.t)
	return cfn{}
}

// let binds a variable as expr's compiler does: the value first, then the
// variable's number, then the expression in its scope. The prologue's
// placeholders are not run: the evaluator has written their variables.
func (c *fastCompiler) let(n *ast.VariableDeclaratorNode) cfn {
	if c.lets < c.prologue {
		slot := c.lets
		c.lets++
		t := n.Value.Type()
		if cn, ok := n.Value.(*ast.ConstantNode); ok {
			t = reflect.TypeOf(cn.Value)
		}
		c.scope = append(c.scope, scopeVar{name: n.Name, slot: slot, t: t})
		body := c.node(n.Expr)
		c.scope = c.scope[:len(c.scope)-1]
		return body
	}
	val := c.node(n.Value)
	slot := c.lets
	c.lets++
	isNum := val.n != nil
	c.scope = append(c.scope, scopeVar{name: n.Name, slot: slot, t: val.t, num: isNum})
	body := c.node(n.Expr)
	c.scope = c.scope[:len(c.scope)-1]
	var store func(*frame)
	switch {
	case isNum && c.lazy:
		c.numLets = append(c.numLets, slot)
		f := val.n
		store = func(fr *frame) {
			fr.nums[slot] = f(fr)
			fr.vars[slot] = nil
		}
	case isNum:
		f := val.n
		store = func(fr *frame) {
			v := f(fr)
			fr.nums[slot] = v
			fr.vars[slot] = v.dec()
		}
	default:
		f := val.boxed()
		store = func(fr *frame) { fr.vars[slot] = f(fr) }
	}
	switch {
	case body.b != nil:
		return typed(body.t, boolFn(then(store, body.b)))
	case body.i != nil:
		return typed(body.t, intFn(then(store, body.i)))
	case body.n != nil:
		return typed(body.t, numFn(then(store, body.n)))
	case body.s != nil:
		return typed(body.t, strFn(then(store, body.s)))
	}
	return typed(body.t, anyFn(then(store, body.a)))
}

func (c *fastCompiler) unary(n *ast.UnaryNode) cfn {
	x := c.node(n.Node)
	switch n.Operator {
	case "!", "not":
		if f := x.b; f != nil {
			return typed(boolType, boolFn(func(fr *frame) bool { return !f(fr) }))
		}
	case "+":
		if x.i != nil || x.n != nil {
			return x
		}
	case "-":
		// A literal only: -x on an int is patched to int_neg, and on a
		// decimal refused when the set loads.
		if lit, ok := n.Node.(*ast.IntegerNode); ok {
			v := -lit.Value
			return typed(intType, intFn(func(*frame) int { return v }))
		}
	}
	unsupported("the operator %s on %v", n.Operator, x.t)
	return cfn{}
}

func (c *fastCompiler) conditional(n *ast.ConditionalNode) cfn {
	cond := c.node(n.Cond)
	a, b := c.node(n.Exp1), c.node(n.Exp2)
	if cond.b == nil {
		unsupported("a condition of type %v", cond.t)
	}
	k := cond.b
	switch {
	case a.b != nil && b.b != nil:
		return typed(boolType, boolFn(choose(k, a.b, b.b)))
	case a.i != nil && b.i != nil:
		return typed(intType, intFn(choose(k, a.i, b.i)))
	case a.n != nil && b.n != nil:
		return typed(decType, numFn(choose(k, a.n, b.n)))
	case a.s != nil && b.s != nil:
		out := typed(stringType, strFn(choose(k, a.s, b.s)))
		if a.box != nil && b.box != nil {
			out.box = choose(k, a.box, b.box)
		}
		return out
	}
	unsupported("a conditional of %v and %v", a.t, b.t)
	return cfn{}
}

// choose is cond ? x : y.
func choose[T any](cond boolFn, x, y func(*frame) T) func(*frame) T {
	return func(fr *frame) T {
		if cond(fr) {
			return x(fr)
		}
		return y(fr)
	}
}

// then runs store before body.
func then[T any](store func(*frame), body func(*frame) T) func(*frame) T {
	return func(fr *frame) T { store(fr); return body(fr) }
}

func (c *fastCompiler) binary(n *ast.BinaryNode) cfn {
	op := n.Operator
	if op == "in" {
		return c.in(n)
	}
	l, r := c.node(n.Left), c.node(n.Right)
	switch op {
	case "&&", "and", "||", "or":
		if l.b == nil || r.b == nil {
			break
		}
		x, y := l.b, r.b
		if op == "&&" || op == "and" {
			return typed(boolType, boolFn(func(fr *frame) bool { return x(fr) && y(fr) }))
		}
		return typed(boolType, boolFn(func(fr *frame) bool { return x(fr) || y(fr) }))
	}
	switch {
	case l.i != nil && r.i != nil:
		x, y := l.i, r.i
		switch op {
		case "+", "-", "*":
			// Unpatched only in the combined program's sum of the rules'
			// bits, which cannot overflow; checked all the same.
			f := intOps[op]
			return typed(intType, intFn(func(fr *frame) int { return checkedInt(f, x(fr), y(fr)) }))
		case "%":
			return typed(intType, intFn(func(fr *frame) int {
				a, b := x(fr), y(fr)
				if b == 0 {
					fail(errDivZero)
				}
				return a % b
			}))
		}
		if f := orderOp(op, x, y); f != nil {
			return typed(boolType, f)
		}
	case l.s != nil && r.s != nil:
		x, y := l.s, r.s
		if f := orderOp(op, x, y); f != nil {
			return typed(boolType, f)
		}
		switch op {
		case "+":
			return typed(stringType, strFn(func(fr *frame) string { return x(fr) + y(fr) }))
		case "startsWith":
			return typed(boolType, boolFn(func(fr *frame) bool { return strings.HasPrefix(x(fr), y(fr)) }))
		case "endsWith":
			return typed(boolType, boolFn(func(fr *frame) bool { return strings.HasSuffix(x(fr), y(fr)) }))
		case "contains":
			return typed(boolType, boolFn(func(fr *frame) bool { return strings.Contains(x(fr), y(fr)) }))
		}
	case l.b != nil && r.b != nil:
		if f := eqOp(op, l.b, r.b); f != nil {
			return typed(boolType, f)
		}
	}
	unsupported("the operator %s on %v and %v", op, l.t, r.t)
	return cfn{}
}

// eqOp is x == y or x != y, nil for another operator.
func eqOp[T comparable, F ~func(*frame) T](op string, x, y F) boolFn {
	switch op {
	case "==":
		return func(fr *frame) bool { return x(fr) == y(fr) }
	case "!=":
		return func(fr *frame) bool { return x(fr) != y(fr) }
	}
	return nil
}

// orderOp is a comparison of whole numbers or texts, nil for another operator.
func orderOp[T cmp.Ordered, F ~func(*frame) T](op string, x, y F) boolFn {
	switch op {
	case "<":
		return func(fr *frame) bool { return x(fr) < y(fr) }
	case "<=":
		return func(fr *frame) bool { return x(fr) <= y(fr) }
	case ">":
		return func(fr *frame) bool { return x(fr) > y(fr) }
	case ">=":
		return func(fr *frame) bool { return x(fr) >= y(fr) }
	}
	return eqOp[T](op, x, y)
}

var intOps = map[string]func(a, b int) (int, bool){
	"+": func(a, b int) (int, bool) { c := a + b; return c, (c > a) == (b > 0) },
	"-": func(a, b int) (int, bool) { c := a - b; return c, (c < a) == (b > 0) },
	"*": func(a, b int) (int, bool) {
		if a == 0 || b == 0 {
			return 0, true
		}
		c := a * b
		return c, c/b == a && !(a == -1 && b == math.MinInt) && !(b == -1 && a == math.MinInt)
	},
}

func checkedInt(f func(a, b int) (int, bool), a, b int) int {
	c, ok := f(a, b)
	if !ok {
		fail(errIntOverflow)
	}
	return c
}

// in is x in a..b (whole-number literals) or x in [list].
func (c *fastCompiler) in(n *ast.BinaryNode) cfn {
	l := c.node(n.Left)
	if rg, ok := n.Right.(*ast.BinaryNode); ok && rg.Operator == ".." {
		lo, ok1 := rg.Left.(*ast.IntegerNode)
		hi, ok2 := rg.Right.(*ast.IntegerNode)
		if !ok1 || !ok2 || l.i == nil {
			unsupported("a range that is not of whole-number literals")
		}
		x, a, b := l.i, lo.Value, hi.Value
		return typed(boolType, boolFn(func(fr *frame) bool { v := x(fr); return v >= a && v <= b }))
	}
	if cn, ok := n.Right.(*ast.ConstantNode); ok {
		// expr folds a list of literals into a set.
		switch set := cn.Value.(type) {
		case map[string]struct{}:
			if x := l.s; x != nil {
				return typed(boolType, boolFn(func(fr *frame) bool { _, ok := set[x(fr)]; return ok }))
			}
		case map[int]struct{}:
			if x := l.i; x != nil {
				return typed(boolType, boolFn(func(fr *frame) bool { _, ok := set[x(fr)]; return ok }))
			}
		}
		unsupported("in over a constant %T", cn.Value)
	}
	arr, ok := n.Right.(*ast.ArrayNode)
	if !ok {
		unsupported("in over %T", n.Right)
	}
	items := make([]cfn, len(arr.Nodes))
	for i, e := range arr.Nodes {
		items[i] = c.node(e)
	}
	switch {
	case l.s != nil:
		return typed(boolType, inList(l.s, items, func(c cfn) strFn { return c.s }))
	case l.i != nil:
		return typed(boolType, inList(l.i, items, func(c cfn) intFn { return c.i }))
	}
	unsupported("in on %v", l.t)
	return cfn{}
}

// inList is x in [items], the items of x's type (pick gives an item's
// function of that type, nil when it has another).
func inList[T comparable, F ~func(*frame) T](x F, items []cfn, pick func(cfn) F) boolFn {
	fs := make([]F, len(items))
	for i, it := range items {
		if fs[i] = pick(it); fs[i] == nil {
			unsupported("in over a list of mixed types")
		}
	}
	return func(fr *frame) bool {
		v := x(fr)
		for _, f := range fs {
			if f(fr) == v {
				return true
			}
		}
		return false
	}
}

// asNum reads an int or decimal operand as a number.
func asNum(x cfn) numFn {
	switch {
	case x.n != nil:
		return x.n
	case x.i != nil:
		f := x.i
		return func(fr *frame) num { return numOfInt(f(fr)) }
	}
	unsupported("a number of type %v", x.t)
	return nil
}

func (c *fastCompiler) call(n *ast.CallNode) cfn {
	id, ok := n.Callee.(*ast.IdentifierNode)
	if !ok {
		unsupported("a call of %T", n.Callee)
	}
	args := make([]cfn, len(n.Arguments))
	for i, a := range n.Arguments {
		args[i] = c.node(a)
	}
	name := id.Value
	arity := map[string]int{"ceil": 1, "floor": 1, "dec": 1, "int_neg": 1}[name]
	if arity == 0 {
		arity = 2
	}
	if len(args) != arity {
		unsupported("%s with %d arguments", name, len(args))
	}
	switch name {
	case "int_add", "int_sub", "int_mul":
		x, y := args[0].i, args[1].i
		if x == nil || y == nil {
			unsupported("%s on %v and %v", name, args[0].t, args[1].t)
		}
		f := intOps[map[string]string{"int_add": "+", "int_sub": "-", "int_mul": "*"}[name]]
		return typed(intType, intFn(func(fr *frame) int { return checkedInt(f, x(fr), y(fr)) }))
	case "int_neg":
		x := args[0].i
		if x == nil {
			unsupported("int_neg on %v", args[0].t)
		}
		return typed(intType, intFn(func(fr *frame) int {
			a := x(fr)
			if a == math.MinInt {
				fail(errIntOverflow)
			}
			return -a
		}))
	case "dec_add", "dec_sub":
		x, y := asNum(args[0]), asNum(args[1])
		sub := name == "dec_sub"
		return typed(decType, numFn(func(fr *frame) num { return addNum(x(fr), y(fr), sub) }))
	case "dec_mul":
		x, y := asNum(args[0]), asNum(args[1])
		return typed(decType, numFn(func(fr *frame) num { return mulNum(x(fr), y(fr)) }))
	case "dec_div":
		x, y := asNum(args[0]), asNum(args[1])
		return typed(decType, numFn(func(fr *frame) num {
			d, err := divide(x(fr).dec(), y(fr).dec())
			if err != nil {
				fail(err)
			}
			return numOf(d)
		}))
	case "dec_lt", "dec_le", "dec_gt", "dec_ge", "dec_eq", "dec_ne":
		x, y := asNum(args[0]), asNum(args[1])
		var test func(int) bool
		switch name {
		case "dec_lt":
			test = func(c int) bool { return c < 0 }
		case "dec_le":
			test = func(c int) bool { return c <= 0 }
		case "dec_gt":
			test = func(c int) bool { return c > 0 }
		case "dec_ge":
			test = func(c int) bool { return c >= 0 }
		case "dec_eq":
			test = func(c int) bool { return c == 0 }
		default:
			test = func(c int) bool { return c != 0 }
		}
		return typed(boolType, boolFn(func(fr *frame) bool { return test(cmpNum(x(fr), y(fr))) }))
	case "max", "min":
		sign := 1
		if name == "min" {
			sign = -1
		}
		if args[0].i != nil && args[1].i != nil {
			x, y := args[0].i, args[1].i
			return typed(intType, intFn(func(fr *frame) int {
				a, b := x(fr), y(fr)
				if (a > b) == (sign > 0) {
					return a
				}
				return b
			}))
		}
		x, y := asNum(args[0]), asNum(args[1])
		return typed(decType, numFn(func(fr *frame) num {
			a, b := x(fr), y(fr)
			if cmpNum(a, b)*sign >= 0 {
				return a
			}
			return b
		}))
	case "round_up", "round_down", "round":
		mode := map[string]int{"round_up": 1, "round_down": -1, "round": 0}[name]
		slow := roundTo(name, mode)
		x, y := asNum(args[0]), asNum(args[1])
		return typed(decType, numFn(func(fr *frame) num {
			a, b := x(fr), y(fr)
			if r, ok := roundNum(a, b, mode); ok {
				return r
			}
			d, err := slow(a.dec(), b.dec())
			if err != nil {
				fail(err)
			}
			return numOf(d)
		}))
	case "ceil", "floor":
		if args[0].i != nil {
			return args[0]
		}
		round := dec.Ceil
		if name == "floor" {
			round = dec.Floor
		}
		x := asNum(args[0])
		return typed(intType, intFn(func(fr *frame) int {
			v, err := toInt(name, []any{x(fr).dec()}, round)
			if err != nil {
				fail(err)
			}
			return v.(int)
		}))
	case "dec":
		x := asNum(args[0])
		return typed(decType, numFn(x))
	case "age_on":
		if args[0].t != timeType || args[1].t != timeType {
			unsupported("age_on on %v and %v", args[0].t, args[1].t)
		}
		x, y := args[0].a, args[1].a
		return typed(intType, intFn(func(fr *frame) int {
			birth, on := x(fr).(time.Time), y(fr).(time.Time)
			if birth.After(on) {
				fail(&lookupError{Value: birth.Format(time.DateOnly), Msg: "is after the evaluation date " + on.Format(time.DateOnly)})
			}
			return ageOn(birth, on)
		}))
	case "commune_on":
		if args[0].s == nil || args[1].t != timeType {
			unsupported("commune_on on %v and %v", args[0].t, args[1].t)
		}
		x, y := args[0].s, args[1].a
		return typed(communeType, anyFn(func(fr *frame) any {
			c, err := communeOn(x(fr), y(fr).(time.Time))
			if err != nil {
				fail(err)
			}
			return c
		}))
	}
	unsupported("the function %s", name)
	return cfn{}
}

// roundNum is roundTo's rounding on int64 coefficients (roundSmall); false
// when a number is large or does not fit.
func roundNum(x, step num, mode int) (num, bool) {
	if x.big || step.big {
		return num{}, false
	}
	c, ok := roundSmall(x.c, x.e, step.c, step.e, mode)
	if !ok {
		return num{}, false
	}
	if c < -maxSmall || c > maxSmall {
		return num{big: true, d: decimal.New(c, step.e)}, true
	}
	return num{c: c, e: step.e}, true
}

func (c *fastCompiler) member(n *ast.MemberNode) cfn {
	obj := c.node(n.Node)
	prop, ok := n.Property.(*ast.StringNode)
	if !ok || obj.t != communeType || n.Optional || n.Method {
		unsupported("a member of %v", obj.t)
	}
	o := obj.a
	field := func(get func(admin.Commune) string) cfn {
		return typed(stringType, strFn(func(fr *frame) string { return get(o(fr).(admin.Commune)) }))
	}
	switch prop.Value {
	case "code":
		return field(func(c admin.Commune) string { return c.Code })
	case "name":
		return field(func(c admin.Commune) string { return c.Name })
	case "type":
		return field(func(c admin.Commune) string { return c.Type })
	case "province":
		return field(func(c admin.Commune) string { return c.ProvinceCode })
	case "province_name":
		return field(func(c admin.Commune) string { return c.ProvinceName })
	case "district":
		return field(func(c admin.Commune) string { return c.DistrictCode })
	case "district_name":
		return field(func(c admin.Commune) string { return c.DistrictName })
	case "district_type":
		return field(func(c admin.Commune) string { return c.DistrictType })
	case "reformed":
		return typed(boolType, boolFn(func(fr *frame) bool { return o(fr).(admin.Commune).Reformed }))
	}
	unsupported("the commune field %s", prop.Value)
	return cfn{}
}
