package vnd

import (
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Currency is the suffix [Format] appends.
const Currency = "đ"

// Group writes d with "." between groups of three digits and "," before the
// decimals, without trailing zeros: 1500000 → "1.500.000", -1500.5 →
// "-1.500,5".
func Group(d decimal.Decimal) string {
	s := d.String() // plain digits, '.' before decimals, trailing zeros trimmed
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	if hasFrac {
		b.WriteByte(',')
		b.WriteString(frac)
	}
	return b.String()
}

// Format writes d as Vietnamese money: "1.500.000 đ", "-1.500.000 đ",
// "1.500,5 đ".
func Format(d decimal.Decimal) string {
	return Group(d) + " " + Currency
}

var digits = [10]string{"không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"}

var billion = big.NewInt(1_000_000_000)

// Words writes a whole, non-negative amount of đồng in words, ending in
// "đồng": 0 → "không đồng", 21.000 → "hai mươi mốt nghìn đồng",
// 1.005.000 → "một triệu không trăm linh năm nghìn đồng". See the package
// documentation for the reading. A negative or non-whole amount is an error.
func Words(d decimal.Decimal) (string, error) {
	if d.Sign() < 0 {
		return "", fmt.Errorf("vnd: không đọc được số tiền âm %s / cannot write a negative amount in words", Group(d))
	}
	if !d.IsInteger() {
		return "", fmt.Errorf("vnd: số tiền %s không phải số đồng chẵn / amount is not a whole number of đồng", Group(d))
	}
	n := d.BigInt()
	if n.Sign() == 0 {
		return "không đồng", nil
	}
	return read(n, false) + " đồng", nil
}

// read writes n > 0; inner means a higher part was already read, so the
// leading group is read in full ("không trăm …").
func read(n *big.Int, inner bool) string {
	if n.Cmp(billion) < 0 {
		return readBelowBillion(n.Int64(), inner)
	}
	hi, lo := new(big.Int).QuoRem(n, billion, new(big.Int))
	s := read(hi, inner) + " tỷ"
	if lo.Sign() > 0 {
		s += " " + readBelowBillion(lo.Int64(), true)
	}
	return s
}

// readBelowBillion writes 0 < n < 10^9.
func readBelowBillion(n int64, inner bool) string {
	groups := [3]struct {
		v    int64
		unit string
	}{{n / 1_000_000, "triệu"}, {n / 1000 % 1000, "nghìn"}, {n % 1000, ""}}
	var parts []string
	for _, g := range groups {
		if g.v == 0 {
			continue
		}
		parts = append(parts, triple(int(g.v), inner))
		if g.unit != "" {
			parts = append(parts, g.unit)
		}
		inner = true
	}
	return strings.Join(parts, " ")
}

// triple writes 0 < v < 1000; full reads an empty hundreds digit as
// "không trăm" (a group below a higher one).
func triple(v int, full bool) string {
	h, t, u := v/100, v/10%10, v%10
	var w []string
	if h > 0 || full {
		w = append(w, digits[h], "trăm")
	}
	hundreds := len(w) > 0
	switch t {
	case 0:
		if u > 0 {
			if hundreds {
				w = append(w, "linh")
			}
			w = append(w, digits[u])
		}
	case 1:
		w = append(w, "mười")
		switch u {
		case 0:
		case 5:
			w = append(w, "lăm")
		default:
			w = append(w, digits[u])
		}
	default:
		w = append(w, digits[t], "mươi")
		switch u {
		case 0:
		case 1:
			w = append(w, "mốt")
		case 5:
			w = append(w, "lăm")
		default:
			w = append(w, digits[u])
		}
	}
	return strings.Join(w, " ")
}

// Date writes t as dd/mm/yyyy: "05/07/2025".
func Date(t time.Time) string { return t.Format("02/01/2006") }

// LongDate writes t as in the date line of an administrative document:
// "ngày 05 tháng 7 năm 2025", "ngày 15 tháng 02 năm 2026" (a leading zero
// for days below 10 and for months 1 and 2).
func LongDate(t time.Time) string {
	return fmt.Sprintf("ngày %02d tháng %s năm %d", t.Day(), monthNumber(t.Month()), t.Year())
}

// MonthYear writes the month of t as "tháng 7/2025" ("tháng 02/2026" for
// months 1 and 2), as in the title of a monthly list.
func MonthYear(t time.Time) string {
	return fmt.Sprintf("tháng %s/%d", monthNumber(t.Month()), t.Year())
}

func monthNumber(m time.Month) string {
	if m <= 2 {
		return fmt.Sprintf("%02d", int(m))
	}
	return fmt.Sprint(int(m))
}
