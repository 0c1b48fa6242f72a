package rules

import (
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
)

// TestFastPathExact checks the int64 fast path against shopspring/decimal
// on random operands, whole and fractional, small and near the 18-digit
// bound: wherever it answers, the coefficient and exponent are exactly the
// decimal operation's (so printing is unchanged), and it declines rather
// than overflow.
func TestFastPathExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	num := func() dec {
		var c int64
		switch rng.IntN(4) {
		case 0:
			c = rng.Int64N(10_000_000)
		case 1:
			c = rng.Int64N(maxSmall)
		case 2:
			c = rng.Int64N(1000)
		default:
			c = rng.Int64N(1 << 40)
		}
		if rng.IntN(3) == 0 {
			c = -c
		}
		exp := int32(0)
		if rng.IntN(3) == 0 {
			exp = int32(rng.IntN(7) - 4)
		}
		d := decimal.New(c, exp)
		if rng.IntN(50) == 0 {
			d = d.Mul(decimal.New(1, 20)).Add(d) // beyond 18 digits
		}
		return d
	}
	same := func(op string, a, b, got, want dec) {
		t.Helper()
		if got.Exponent() != want.Exponent() || got.Coefficient().Cmp(want.Coefficient()) != 0 {
			t.Fatalf("%s(%s, %s): fast %s (exp %d), decimal %s (exp %d)", op, a, b, got, got.Exponent(), want, want.Exponent())
		}
	}
	fast := 0
	for i := 0; i < 200_000; i++ {
		a, b := num(), num()
		if rng.IntN(2) == 0 {
			b = decimal.New(b.CoefficientInt64(), a.Exponent()) // same exponent, as money has
		}
		if c, ok := addFast(a, b, false); ok {
			same("add", a, b, c, a.Add(b))
			fast++
		}
		if c, ok := addFast(a, b, true); ok {
			same("sub", a, b, c, a.Sub(b))
		}
		if c, ok := mulFast(a, b); ok {
			same("mul", a, b, c, a.Mul(b))
		}
		step := b.Abs()
		if step.Sign() == 0 {
			continue
		}
		for _, mode := range []int{1, -1, 0} {
			want, err := slowRound(a, step, mode)
			if err != nil {
				t.Fatal(err)
			}
			if c, ok := roundFast(a, step, mode); ok {
				same("round", a, step, c, want)
			}
		}
	}
	if fast < 50_000 {
		t.Fatalf("the fast path answered only %d times", fast)
	}
}

// slowRound is roundTo's decimal path.
func slowRound(x, step dec, mode int) (dec, error) {
	q, r := x.QuoRem(step, 0)
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
