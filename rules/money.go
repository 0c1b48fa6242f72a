package rules

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"reflect"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/shopspring/decimal"
)

// Money in expressions: decimal.Decimal values with the ordinary operators,
// mixed freely with integer literals, through typed expr.Function overloads
// (direct calls, not methods found by reflection). Float literals are turned
// into decimals when the expression is compiled, and any expression that
// would still compute in floating point is rejected, so no float reaches the
// money path.

type dec = decimal.Decimal

// divPrecision is the number of decimal places kept by "/" on decimals. It is
// passed to every division instead of setting decimal.DivisionPrecision,
// which is global to the program embedding the library.
const divPrecision = 16

var errDivZero = errors.New("division by zero")

var errIntOverflow = errors.New("whole-number overflow: the result is beyond ±9223372036854775807")

// intOp is a checked operation on two ints; f reports false on overflow.
func intOp(name string, f func(a, b int) (int, bool)) expr.Option {
	return expr.Function(name, func(p ...any) (any, error) {
		a, ok1 := p[0].(int)
		b, ok2 := p[1].(int)
		if len(p) != 2 || !ok1 || !ok2 {
			return nil, fmt.Errorf("%s: want two whole numbers", name)
		}
		c, ok := f(a, b)
		if !ok {
			return nil, errIntOverflow
		}
		return c, nil
	}, new(func(int, int) int))
}

// toDec converts an int or decimal operand.
func toDec(v any) (dec, bool) {
	switch x := v.(type) {
	case dec:
		return x, true
	case int:
		if x == 0 {
			return decZero, true // max(0, x): no allocation
		}
		return decimal.NewFromInt(int64(x)), true
	}
	return dec{}, false
}

// decZero is 0, shared: decimals are immutable.
var decZero = decimal.NewFromInt(0)

func args2(name string, p []any) (dec, dec, error) {
	if len(p) != 2 {
		return dec{}, dec{}, fmt.Errorf("%s takes 2 arguments, got %d", name, len(p))
	}
	a, ok1 := toDec(p[0])
	b, ok2 := toDec(p[1])
	if !ok1 || !ok2 {
		return dec{}, dec{}, fmt.Errorf("%s: arguments must be numbers, got %T and %T", name, p[0], p[1])
	}
	return a, b, nil
}

// Signatures: every arithmetic overload takes (dec, dec), (dec, int) or (int, dec).
var (
	sigDD = new(func(dec, dec) dec)
	sigDI = new(func(dec, int) dec)
	sigID = new(func(int, dec) dec)
	sigII = new(func(int, int) dec)
	cmpDD = new(func(dec, dec) bool)
	cmpDI = new(func(dec, int) bool)
	cmpID = new(func(int, dec) bool)
)

func arith(name string, f func(a, b dec) (dec, error), more ...any) expr.Option {
	return expr.Function(name, func(p ...any) (any, error) {
		a, b, err := args2(name, p)
		if err != nil {
			return nil, err
		}
		return f(a, b)
	}, append([]any{sigDD, sigDI, sigID}, more...)...)
}

func compare(name string, f func(c int) bool) expr.Option {
	return expr.Function(name, func(p ...any) (any, error) {
		a, b, err := args2(name, p)
		if err != nil {
			return nil, err
		}
		return f(a.Cmp(b)), nil
	}, cmpDD, cmpDI, cmpID)
}

func divide(a, b dec) (dec, error) {
	if b.IsZero() {
		return dec{}, errDivZero
	}
	return a.DivRound(b, divPrecision), nil
}

// roundTo rounds x to a multiple of step. The quotient is taken as a whole
// number with its remainder (no 16-place division), then adjusted by the
// rounding mode: up (ceiling), down (floor) or half up.
func roundTo(name string, mode int) func(a, b dec) (dec, error) {
	return func(x, step dec) (dec, error) {
		if step.Sign() <= 0 {
			return dec{}, fmt.Errorf("%s: step must be positive, got %s", name, step)
		}
		if d, ok := roundFast(x, step, mode); ok {
			return d, nil
		}
		q, r := x.QuoRem(step, 0) // q truncated toward zero, x = q·step + r
		switch {
		case mode > 0 && r.Sign() > 0:
			q = q.Add(one)
		case mode < 0 && r.Sign() < 0:
			q = q.Sub(one)
		case mode == 0 && r.Abs().Add(r.Abs()).Cmp(step) >= 0:
			if r.Sign() > 0 {
				q = q.Add(one)
			} else {
				q = q.Sub(one)
			}
		}
		return q.Mul(step), nil
	}
}

var one = decimal.NewFromInt(1)

// The int64 fast path. Money is almost always whole đồng with a few
// digits, and shopspring/decimal pays for its arbitrary precision with a
// big.Int per operation and more. When both operands' coefficients have
// at most 18 digits (so that a sum, or a quotient's adjustment, cannot
// overflow an int64), addition, subtraction, multiplication and the
// roundings compute on the coefficients in int64 and build the result
// once, with exactly the coefficient and exponent the decimal operation
// gives (TestFastPathExact compares them). Otherwise, or on the slightest
// doubt (a coefficient that aligning or a product would push past 18
// digits), they take the decimal path: the fast path never changes a
// value, no float is involved, and nothing wraps. The same operations
// serve the closures (fast.go: addSmall, mulSmall, roundNum).

const maxSmall = 999_999_999_999_999_999 // 18 digits

// addFast is a+b (sub: a−b) on int64 coefficients (addSmall).
func addFast(a, b dec, sub bool) (dec, bool) {
	r, ok := addSmall(numOf(a), numOf(b), sub)
	return r.dec(), ok
}

// mulFast is a·b when the product of the coefficients fits in 18 digits (mulSmall).
func mulFast(a, b dec) (dec, bool) {
	r, ok := mulSmall(numOf(a), numOf(b))
	return r.dec(), ok
}

func abs64(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

// pow10 are the powers of ten an int64 holds.
var pow10 = func() (p [19]int64) {
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

// roundFast is roundTo's rounding of x to a multiple of step (step > 0)
// on int64 coefficients: both are brought to the smaller exponent, which
// must leave them within 18 digits. The result is q·step as the decimal
// path builds it: q's coefficient times step's, at step's exponent.
func roundFast(x, step dec, mode int) (dec, bool) {
	r, ok := roundNum(numOf(x), numOf(step), mode)
	return r.dec(), ok
}

// roundSmall is roundFast on coefficients and exponents; the result has
// step's exponent es.
func roundSmall(xc int64, ex int32, sc int64, es int32, mode int) (int64, bool) {
	if sc <= 0 {
		return 0, false
	}
	X, S := xc, sc
	switch {
	case ex > es:
		if d := ex - es; d > 18 || abs64(X) > maxSmall/pow10[d] {
			return 0, false
		} else {
			X *= pow10[d]
		}
	case es > ex:
		if d := es - ex; d > 18 || S > maxSmall/pow10[d] {
			return 0, false
		} else {
			S *= pow10[d]
		}
	}
	q, r := X/S, X%S // q truncated toward zero, as QuoRem
	switch {
	case mode > 0 && r > 0:
		q++
	case mode < 0 && r < 0:
		q--
	case mode == 0 && 2*abs64(r) >= S: // |r| < S ≤ 10^18: 2|r| fits
		if r > 0 {
			q++
		} else {
			q--
		}
	}
	// |q·sc| ≤ |x| + step, both below 10^18 in the common exponent, and
	// sc ≤ S: the product fits.
	hi, lo := bits.Mul64(uint64(abs64(q)), uint64(sc))
	if hi != 0 || lo > 1<<62 {
		return 0, false
	}
	c := int64(lo)
	if q < 0 {
		c = -c
	}
	return c, true
}

// moneyOptions are the expr options every rule expression is compiled with.
func moneyOptions() []expr.Option {
	opts := []expr.Option{
		arith("dec_add", func(a, b dec) (dec, error) {
			if c, ok := addFast(a, b, false); ok {
				return c, nil
			}
			return a.Add(b), nil
		}),
		arith("dec_sub", func(a, b dec) (dec, error) {
			if c, ok := addFast(a, b, true); ok {
				return c, nil
			}
			return a.Sub(b), nil
		}),
		arith("dec_mul", func(a, b dec) (dec, error) {
			if c, ok := mulFast(a, b); ok {
				return c, nil
			}
			return a.Mul(b), nil
		}),
		expr.Function("dec_div", func(p ...any) (any, error) {
			a, b, err := args2("/", p)
			if err != nil {
				return nil, err
			}
			return divide(a, b)
		}, sigDD, sigDI, sigID, sigII),
		compare("dec_lt", func(c int) bool { return c < 0 }),
		compare("dec_le", func(c int) bool { return c <= 0 }),
		compare("dec_gt", func(c int) bool { return c > 0 }),
		compare("dec_ge", func(c int) bool { return c >= 0 }),
		compare("dec_eq", func(c int) bool { return c == 0 }),
		compare("dec_ne", func(c int) bool { return c != 0 }),
		expr.Operator("+", "dec_add"),
		expr.Operator("-", "dec_sub"),
		expr.Operator("*", "dec_mul"),
		expr.Operator("/", "dec_div"),
		expr.Operator("<", "dec_lt"),
		expr.Operator("<=", "dec_le"),
		expr.Operator(">", "dec_gt"),
		expr.Operator(">=", "dec_ge"),
		expr.Operator("==", "dec_eq"),
		expr.Operator("!=", "dec_ne"),
		// max and min of two numbers; the result is a decimal unless both are ints.
		expr.Function("max", func(p ...any) (any, error) { return pick("max", p, 1) }, sigDD, sigDI, sigID, new(func(int, int) int)),
		expr.Function("min", func(p ...any) (any, error) { return pick("min", p, -1) }, sigDD, sigDI, sigID, new(func(int, int) int)),
		arith("round_up", roundTo("round_up", 1), sigII),
		arith("round_down", roundTo("round_down", -1), sigII),
		arith("round", roundTo("round", 0), sigII),
		expr.Function("ceil", func(p ...any) (any, error) { return toInt("ceil", p, dec.Ceil) }, new(func(dec) int), new(func(int) int)),
		expr.Function("floor", func(p ...any) (any, error) { return toInt("floor", p, dec.Floor) }, new(func(dec) int), new(func(int) int)),
		expr.Function("dec", func(p ...any) (any, error) {
			d, ok := toDec(p[0])
			if !ok {
				return nil, fmt.Errorf("dec: want a number, got %T", p[0])
			}
			return d, nil
		}, new(func(int) dec), new(func(dec) dec)),
		// Integer arithmetic is checked: an overflow is an error, never a wrap.
		intOp("int_add", func(a, b int) (int, bool) { c := a + b; return c, (c > a) == (b > 0) }),
		intOp("int_sub", func(a, b int) (int, bool) { c := a - b; return c, (c < a) == (b > 0) }),
		intOp("int_mul", func(a, b int) (int, bool) {
			if a == 0 || b == 0 {
				return 0, true
			}
			c := a * b
			return c, c/b == a && !(a == -1 && b == math.MinInt) && !(b == -1 && a == math.MinInt)
		}),
		expr.Function("int_neg", func(p ...any) (any, error) {
			a, _ := p[0].(int)
			if a == math.MinInt {
				return nil, errIntOverflow
			}
			return -a, nil
		}, new(func(int) int)),
		expr.Operator("+", "int_add"),
		expr.Operator("-", "int_sub"),
		expr.Operator("*", "int_mul"),
		expr.Patch(floatLiterals{}),
	}
	opts = append(opts, recordFunctions()...)
	// Builtins that read the clock or produce floats have no place in a rule.
	for _, b := range disabledBuiltins {
		opts = append(opts, expr.DisableBuiltin(b))
	}
	return opts
}

// disabledBuiltins are expr's builtins that read the clock or compute with floats.
var disabledBuiltins = []string{"now", "date", "duration", "timezone", "float", "mean", "median", "abs", "toJSON", "fromJSON"}

func pick(name string, p []any, sign int) (any, error) {
	if len(p) != 2 {
		return nil, fmt.Errorf("%s takes 2 arguments, got %d", name, len(p))
	}
	if a, ok := p[0].(int); ok {
		if b, ok := p[1].(int); ok {
			if (a > b) == (sign > 0) {
				return a, nil
			}
			return b, nil
		}
	}
	a, b, err := args2(name, p)
	if err != nil {
		return nil, err
	}
	// The operand chosen is returned as it came when it is a decimal,
	// sparing a boxing.
	if a.Cmp(b)*sign >= 0 {
		if _, ok := p[0].(dec); ok {
			return p[0], nil
		}
		return a, nil
	}
	if _, ok := p[1].(dec); ok {
		return p[1], nil
	}
	return b, nil
}

func toInt(name string, p []any, round func(dec) dec) (any, error) {
	if len(p) != 1 {
		return nil, fmt.Errorf("%s takes 1 argument, got %d", name, len(p))
	}
	if i, ok := p[0].(int); ok {
		return i, nil
	}
	d, ok := p[0].(dec)
	if !ok {
		return nil, fmt.Errorf("%s: want a number, got %T", name, p[0])
	}
	r := round(d)
	if !r.IsInteger() || r.Abs().GreaterThan(decimal.NewFromInt(1<<53)) {
		return nil, fmt.Errorf("%s: %s is too large for a whole number", name, d)
	}
	return int(r.IntPart()), nil
}

// floatLiterals replaces float literals such as 0.70 by exact decimals
// before the expression is type-checked, and an integer literal that is one
// branch of a conditional whose other branch is a decimal (`has_x ? x : 0`),
// so that the conditional has one type.
type floatLiterals struct{}

func (floatLiterals) Visit(node *ast.Node) {
	switch n := (*node).(type) {
	case *ast.FloatNode:
		ast.Patch(node, decConst(decimal.NewFromFloat(n.Value)))
	case *ast.UnaryNode:
		// -x on an int is checked (-MinInt wraps); a literal cannot overflow.
		if _, lit := n.Node.(*ast.IntegerNode); n.Operator == "-" && !lit && n.Node.Type() == intType {
			call := &ast.CallNode{Callee: &ast.IdentifierNode{Value: "int_neg"}, Arguments: []ast.Node{n.Node}}
			ast.Patch(node, call)
		}
	case *ast.ConditionalNode:
		if isDec(n.Exp1) {
			if i, ok := n.Exp2.(*ast.IntegerNode); ok {
				ast.Patch(&n.Exp2, decConst(decimal.NewFromInt(int64(i.Value))))
			}
		}
		if isDec(n.Exp2) {
			if i, ok := n.Exp1.(*ast.IntegerNode); ok {
				ast.Patch(&n.Exp1, decConst(decimal.NewFromInt(int64(i.Value))))
			}
		}
	}
}

func decConst(d decimal.Decimal) *ast.ConstantNode {
	c := &ast.ConstantNode{Value: d}
	c.SetType(decType)
	return c
}

func isDec(n ast.Node) bool {
	if c, ok := n.(*ast.ConstantNode); ok {
		_, ok = c.Value.(decimal.Decimal)
		return ok
	}
	return n.Type() == decType
}

var (
	decType    = reflect.TypeOf(decimal.Decimal{})
	boolType   = reflect.TypeOf(false)
	intType    = reflect.TypeOf(0)
	stringType = reflect.TypeOf("")
)

// kindOf names the kind of a checked expression's type, or "" when the type
// is none a rule file can declare.
func kindOf(t reflect.Type) Kind {
	switch t {
	case boolType:
		return KindBool
	case intType:
		return KindInt
	case decType:
		return KindDecimal
	case stringType:
		return KindText
	case timeType:
		return KindDate
	case communeType:
		return KindCommune
	}
	return ""
}
