package eligibility

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
)

// The CSV writer builds rows by hand; these check it against encoding/csv
// and StringFixed, whose output it must reproduce byte for byte.

func TestAppendCSVFieldAsEncodingCSV(t *testing.T) {
	fields := []string{"", "a", "a,b", `say "x"`, "line\nbreak", "cr\rlf", `\.`, `\.x`, " lead", "\tlead",
		"\u00a0nbsp", "\u3000ideographic", "trail ", "Xã Cẩm Xuyên", "a;b;c", "\"", ",", "Phường 5, Quận 3"}
	for _, f := range fields {
		var want bytes.Buffer
		cw := csv.NewWriter(&want)
		if err := cw.Write([]string{f}); err != nil {
			t.Fatal(err)
		}
		cw.Flush()
		got := append(appendCSVField(nil, f), '\n')
		if !bytes.Equal(got, want.Bytes()) {
			t.Errorf("field %q: got %q, want %q", f, got, want.Bytes())
		}
	}
}

func TestAppendWholeAsStringFixed(t *testing.T) {
	ds := []decimal.Decimal{decimal.Zero, decimal.New(1230000, 0), decimal.New(-5, -1), decimal.New(5, -1),
		decimal.New(-15, -1), decimal.New(149, -2), decimal.New(-149, -2), decimal.New(150, -2),
		decimal.New(999999999999999999, -18), decimal.New(-999999999999999999, -18), decimal.New(5, -18),
		decimal.New(123, 3), decimal.New(1, -19), decimal.RequireFromString("123456789012345678901234567890.5"),
		decimal.New(999999999999999999, 0), decimal.New(-999999999999999999, 0)}
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		ds = append(ds, decimal.New(r.Int64N(2_000_000_000)-1_000_000_000, -int32(r.IntN(12))))
	}
	for _, d := range ds {
		if got, want := string(appendWhole(nil, d)), d.StringFixed(0); got != want {
			t.Errorf("%s (coefficient %d, exponent %d): got %s, want %s", d, d.CoefficientInt64(), d.Exponent(), got, want)
		}
	}
}

func TestAppendWholeDoesNotAllocate(t *testing.T) {
	buf := make([]byte, 0, 64)
	for _, d := range []decimal.Decimal{decimal.New(1230000, 0), decimal.New(12345, -2)} {
		if n := testing.AllocsPerRun(100, func() { appendWhole(buf[:0], d) }); n != 0 {
			t.Errorf("%s: %v allocations", d, n)
		}
	}
}

// BenchmarkCSVWriter writes the outcomes of 1,000 persons, without and
// with explanations.
func BenchmarkCSVWriter(b *testing.B) {
	e, err := Default()
	if err != nil {
		b.Fatal(err)
	}
	ps := benchPersons(1000)
	recs := make([]Record, len(ps))
	for i, p := range ps {
		recs[i] = p.person().Record(i + 2)
	}
	outs, err := e.DecideAll(context.Background(), recs, benchDate)
	if err != nil {
		b.Fatal(err)
	}
	for _, explain := range []bool{false, true} {
		b.Run(map[bool]string{false: "plain", true: "explain"}[explain], func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := WriteCSV(io.Discard, outs, explain); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkJSONWriter writes the outcomes of 1,000 persons as JSON.
func BenchmarkJSONWriter(b *testing.B) {
	e, err := Default()
	if err != nil {
		b.Fatal(err)
	}
	ps := benchPersons(1000)
	recs := make([]Record, len(ps))
	for i, p := range ps {
		recs[i] = p.person().Record(i + 2)
	}
	outs, err := e.DecideAll(context.Background(), recs, benchDate)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteJSON(io.Discard, outs, false); err != nil {
			b.Fatal(err)
		}
	}
}
