package main

import (
	"math"
	"testing"

	"github.com/shopspring/decimal"
)

func TestMoneySumAsDecimal(t *testing.T) {
	for _, amounts := range [][]decimal.Decimal{
		nil,
		{decimal.New(1230000, 0), decimal.New(500000, 0), decimal.Zero},
		{decimal.New(math.MaxInt64, 0), decimal.New(1, 0), decimal.New(-5, 0)}, // past int64
		{decimal.New(math.MinInt64, 0), decimal.New(-1, 0)},
		{decimal.New(1500, 0), decimal.New(12345, -2), decimal.New(7, 3)}, // decimals and an exponent
		{decimal.RequireFromString("99999999999999999999"), decimal.New(1, 0)},
	} {
		var m moneySum
		want := decimal.Zero
		for _, a := range amounts {
			m.add(a)
			want = want.Add(a)
		}
		got := m.sum()
		if !got.Equal(want) || got.Exponent() != want.Exponent() || got.String() != want.String() {
			t.Errorf("%v: sum %s (exponent %d), want %s (exponent %d)", amounts, got, got.Exponent(), want, want.Exponent())
		}
	}
}
