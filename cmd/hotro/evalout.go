package main

import (
	"cmp"
	"io"
	"slices"
	"time"

	"github.com/hotro-vn/hotro/admin"
	"github.com/hotro-vn/hotro/eligibility"
	"github.com/hotro-vn/hotro/rules"
	"github.com/hotro-vn/hotro/sheet"
	"github.com/hotro-vn/hotro/vnd"
	"github.com/shopspring/decimal"
)

// The writing of eval's and schedule's output, kept apart from the
// commands so that how the outcomes are produced can change alone.

// writeEvalOutput writes the decisions to --out (or stdout) as CSV, JSON or
// a workbook.
func writeEvalOutput(o evalOut, stdout io.Writer) error {
	if o.format == "xlsx" {
		return writeEvalXLSX(o, stdout)
	}
	w, closeOut, err := output(o.out, stdout)
	if err != nil {
		return err
	}
	if o.format == "json" {
		err = eligibility.WriteJSON(w, o.outs, o.explain)
	} else {
		err = eligibility.WriteCSV(bomWriter(w, o.excel), o.outs, o.explain)
	}
	if cerr := closeOut(); err == nil {
		err = cerr
	}
	return err
}

// evalOut is what eval writes.
type evalOut struct {
	outs           []eligibility.Outcome
	date           time.Time
	lib            *rules.Library
	explain, excel bool
	format, out    string
}

// area is one commune's or district's totals in eval's summary.
type area struct {
	code, name, district string
	persons, eligible    int
	errors               int
	topups               decimal.Decimal
}

// evalAreas totals the decisions by commune and by district, as the
// commune code of each record stood on date.
func evalAreas(outs []eligibility.Outcome, date time.Time) (communes, districts []*area) {
	reg := admin.Default()
	byC, byD := map[string]*area{}, map[string]*area{}
	for _, o := range outs {
		code := o.Record.Text("commune_code")
		c, err := reg.On(code, date)
		name, dcode, dname := "", "", ""
		if err == nil {
			code, name, dcode, dname = c.Code, c.Name, c.DistrictCode, c.DistrictName
		}
		for _, k := range []struct {
			m          map[string]*area
			code, name string
			list       *[]*area
		}{{byC, code, name, &communes}, {byD, dcode, dname, &districts}} {
			a := k.m[k.code]
			if a == nil {
				a = &area{code: k.code, name: k.name, district: dname, topups: decimal.Zero}
				k.m[k.code] = a
				*k.list = append(*k.list, a)
			}
			a.persons++
			switch {
			case o.Err != nil:
				a.errors++
			case o.Decision.Eligible:
				a.eligible++
				a.topups = a.topups.Add(o.Decision.MonthlyTopup)
			}
		}
	}
	by := func(a, b *area) int { return cmp.Compare(a.code, b.code) }
	slices.SortFunc(communes, by)
	slices.SortFunc(districts, by)
	return communes, districts
}

func writeEvalXLSX(o evalOut, stdout io.Writer) error {
	wb, err := sheet.NewXLSX(metaOf(o.lib, o.date, [2]string{"Ngày xét", vnd.Date(o.date)}))
	if err != nil {
		return err
	}
	header := []string{"person_id", "full_name", "commune_code", "eligible", "monthly_topup", "failed_rules", "error"}
	if o.explain {
		header = append(header, "explanation")
	}
	rows := make([][]string, len(o.outs))
	for i, out := range o.outs {
		r := []string{out.Record.ID, out.Record.Text("full_name"), out.Record.Text("commune_code"), "", "", "", ""}
		if out.Err != nil {
			r[6] = oneLine(out.Err.Error())
		} else {
			d := out.Decision
			r[3] = map[bool]string{true: "true", false: "false"}[d.Eligible]
			r[4] = d.MonthlyTopup.StringFixed(0)
			r[5] = joinFailed(d.Failed())
		}
		if o.explain {
			x := ""
			if out.Decision != nil {
				x = explain(out.Decision, lang)
			}
			r = append(r, x)
		}
		rows[i] = r
	}
	if _, err := tableSheet(wb, "Kết quả xét", "Kết quả xét điều kiện và mức hỗ trợ hằng tháng ngày "+vnd.Date(o.date), "Tổng cộng", header, rows); err != nil {
		wb.Close()
		return err
	}
	communes, districts := evalAreas(o.outs, o.date)
	for _, part := range []struct {
		sheet, title, what string
		list               []*area
	}{{"Theo xã", "Tổng hợp theo xã", "Xã, phường, thị trấn", communes}, {"Theo huyện", "Tổng hợp theo huyện", "Huyện, thị xã, thành phố", districts}} {
		t, err := wb.AddTable(part.sheet, part.title, []sheet.Column{
			{Label: "Mã", Kind: sheet.Text, Width: 10}, {Label: part.what, Kind: sheet.Text, Width: 26},
			{Label: "Số người trong danh sách", Kind: sheet.Int, Width: 14}, {Label: "Số người đủ điều kiện", Kind: sheet.Int, Width: 14},
			{Label: "Số hồ sơ lỗi", Kind: sheet.Int, Width: 10}, {Label: "Tổng mức hỗ trợ hằng tháng (đồng)", Kind: sheet.Money, Width: 20}})
		if err != nil {
			wb.Close()
			return err
		}
		for _, a := range part.list {
			name := a.name
			if name == "" {
				name = "(không xác định)"
			}
			if err := t.Row(a.code, name, a.persons, a.eligible, a.errors, a.topups); err != nil {
				wb.Close()
				return err
			}
		}
		if err := t.Total("Tổng cộng"); err != nil {
			wb.Close()
			return err
		}
	}
	return writeWorkbook(wb, o.out, "ket-qua.xlsx", stdout)
}

func joinFailed(ids []string) string {
	s := ""
	for i, id := range ids {
		if i > 0 {
			s += ";"
		}
		s += id
	}
	return s
}

// scheduleOut is what schedule writes.
type scheduleOut struct {
	outs        []eligibility.ScheduleOutcome
	params      []string
	from, to    eligibility.Month
	lib         *rules.Library
	excel       bool
	format, out string
}

// writeScheduleOutput writes the schedules to --out (or stdout).
func writeScheduleOutput(o scheduleOut, stdout io.Writer) error {
	if o.format == "xlsx" {
		wb, err := sheet.NewXLSX(metaOf(o.lib, o.from.First(), [2]string{"Từ tháng", o.from.String()}, [2]string{"Đến tháng", o.to.String()}))
		if err != nil {
			return err
		}
		if _, err := csvSheet(wb, "Mức hỗ trợ theo tháng", "Mức hỗ trợ hằng tháng của từng người, từng tháng", "", func(w io.Writer) error {
			return eligibility.WriteScheduleCSV(w, o.outs, o.params)
		}); err != nil {
			wb.Close()
			return err
		}
		return writeWorkbook(wb, o.out, "lich-chi-tra.xlsx", stdout)
	}
	w, closeOut, err := output(o.out, stdout)
	if err != nil {
		return err
	}
	if o.format == "json" {
		err = eligibility.WriteScheduleJSON(w, o.outs)
	} else {
		err = eligibility.WriteScheduleCSV(bomWriter(w, o.excel), o.outs, o.params)
	}
	if cerr := closeOut(); err == nil {
		err = cerr
	}
	return err
}

// bomWriter starts w with a UTF-8 byte order mark when excel is set, so
// that Excel on Windows reads the CSV as UTF-8.
func bomWriter(w io.Writer, excel bool) io.Writer {
	if !excel {
		return w
	}
	return &bom{w: w}
}

type bom struct {
	w       io.Writer
	written bool
}

func (b *bom) Write(p []byte) (int, error) {
	if !b.written {
		b.written = true
		if _, err := io.WriteString(b.w, "\uFEFF"); err != nil {
			return 0, err
		}
	}
	return b.w.Write(p)
}
