package vnd

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

func TestWords(t *testing.T) {
	cases := []struct {
		in   string
		want string
	}{
		// The list.
		{"0", "không đồng"},
		{"1000", "một nghìn đồng"},
		{"15000", "mười lăm nghìn đồng"},
		{"21000", "hai mươi mốt nghìn đồng"},
		{"105000", "một trăm linh năm nghìn đồng"},
		{"450000", "bốn trăm năm mươi nghìn đồng"},
		{"1500000", "một triệu năm trăm nghìn đồng"},
		{"2000000000", "hai tỷ đồng"},
		// Units and tens: mười, mươi, mốt, lăm, bốn.
		{"1", "một đồng"},
		{"5", "năm đồng"},
		{"10", "mười đồng"},
		{"11", "mười một đồng"},
		{"14", "mười bốn đồng"},
		{"15", "mười lăm đồng"},
		{"20", "hai mươi đồng"},
		{"21", "hai mươi mốt đồng"},
		{"24", "hai mươi bốn đồng"},
		{"25", "hai mươi lăm đồng"},
		{"99", "chín mươi chín đồng"},
		// Hundreds: linh.
		{"100", "một trăm đồng"},
		{"101", "một trăm linh một đồng"},
		{"105", "một trăm linh năm đồng"},
		{"110", "một trăm mười đồng"},
		{"111", "một trăm mười một đồng"},
		{"115", "một trăm mười lăm đồng"},
		{"121", "một trăm hai mươi mốt đồng"},
		// Inner groups: không trăm; empty groups skipped.
		{"1005000", "một triệu không trăm linh năm nghìn đồng"},
		{"1001000", "một triệu không trăm linh một nghìn đồng"},
		{"1010000", "một triệu không trăm mười nghìn đồng"},
		{"1021000", "một triệu không trăm hai mươi mốt nghìn đồng"},
		{"1000500", "một triệu năm trăm đồng"},
		{"1000005", "một triệu không trăm linh năm đồng"},
		{"1230000", "một triệu hai trăm ba mươi nghìn đồng"},
		{"2000000005", "hai tỷ không trăm linh năm đồng"},
		{"100000000000", "một trăm tỷ đồng"},
		// Amounts of this project: the Hà Tĩnh plan's monthly total and a budget.
		{"5943065000", "năm tỷ chín trăm bốn mươi ba triệu không trăm sáu mươi lăm nghìn đồng"},
		{"26405170000", "hai mươi sáu tỷ bốn trăm linh năm triệu một trăm bảy mươi nghìn đồng"},
		// tỷ repeated above 999 tỷ.
		{"1000000000000", "một nghìn tỷ đồng"},
		{"1000000001000", "một nghìn tỷ không trăm linh một nghìn đồng"},
		{"1000000000000000000", "một tỷ tỷ đồng"},
		{"5000000003000000000", "năm tỷ không trăm linh ba tỷ đồng"},
		// A whole amount with a zero scale.
		{"1500000.00", "một triệu năm trăm nghìn đồng"},
	}
	for _, c := range cases {
		got, err := Words(decimal.RequireFromString(c.in))
		if err != nil {
			t.Errorf("Words(%s): %v", c.in, err)
			continue
		}
		if got != c.want {
			t.Errorf("Words(%s) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestWordsRefuses(t *testing.T) {
	for _, in := range []string{"-1000", "1500.5", "0.01"} {
		if got, err := Words(decimal.RequireFromString(in)); err == nil {
			t.Errorf("Words(%s) = %q, want an error", in, got)
		}
	}
}

func TestFormat(t *testing.T) {
	cases := []struct{ in, want string }{
		{"0", "0 đ"},
		{"999", "999 đ"},
		{"1000", "1.000 đ"},
		{"1500000", "1.500.000 đ"},
		{"-1500000", "-1.500.000 đ"},
		{"1500.5", "1.500,5 đ"},
		{"1500.50", "1.500,5 đ"},
		{"-0.5", "-0,5 đ"},
		{"26405170000", "26.405.170.000 đ"},
		{"123456789.125", "123.456.789,125 đ"},
	}
	for _, c := range cases {
		if got := Format(decimal.RequireFromString(c.in)); got != c.want {
			t.Errorf("Format(%s) = %q, want %q", c.in, got, c.want)
		}
	}
	if got := Group(decimal.RequireFromString("12345")); got != "12.345" {
		t.Errorf("Group(12345) = %q", got)
	}
}

func TestDates(t *testing.T) {
	d := time.Date(2025, 7, 5, 0, 0, 0, 0, time.UTC)
	if got := Date(d); got != "05/07/2025" {
		t.Errorf("Date = %q", got)
	}
	if got := LongDate(d); got != "ngày 05 tháng 7 năm 2025" {
		t.Errorf("LongDate = %q", got)
	}
	feb := time.Date(2026, 2, 15, 0, 0, 0, 0, time.UTC)
	if got := LongDate(feb); got != "ngày 15 tháng 02 năm 2026" {
		t.Errorf("LongDate = %q", got)
	}
	if got := LongDate(time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC)); got != "ngày 31 tháng 12 năm 2025" {
		t.Errorf("LongDate = %q", got)
	}
	if got := MonthYear(d); got != "tháng 7/2025" {
		t.Errorf("MonthYear = %q", got)
	}
	if got := MonthYear(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)); got != "tháng 01/2026" {
		t.Errorf("MonthYear = %q", got)
	}
}
