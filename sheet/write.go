package sheet

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// Kind is how a column's values are written.
type Kind int

const (
	// Text writes a string (also a fmt.Stringer); nil is an empty cell.
	Text Kind = iota
	// Int writes a whole number cell (int, int64, or a whole decimal.Decimal).
	Int
	// Money writes whole đồng as a number cell with the format #,##0 (built-in
	// format 3), so Excel sums it and a Vietnamese Excel shows 1.500.000.
	// A value that is not whole, or beyond ±2^53 (where Excel's numbers stop
	// being exact), is an error.
	Money
	// Decimal writes a number cell in the General format (a coefficient
	// 1.5). Excel holds numbers as binary floating point with 15 significant
	// digits; a decimal with more is rounded by Excel.
	Decimal
	// Date writes a time.Time as a real date cell with the format dd/mm/yyyy
	// (its calendar date; the clock time is dropped); the zero time is an
	// empty cell.
	Date
	// Bool writes "Có" or "Không" as text, as offices write it.
	Bool
)

// Column describes one column of a table.
type Column struct {
	Label string  // the header, in Vietnamese for staff
	Kind  Kind    // how values are written
	Width float64 // in characters; 0 chooses one from the kind and label
}

// Meta is the provenance printed at the top of every table sheet.
type Meta struct {
	RuleSet string // the rule set's id, "hatinh-2020-2025"
	Draft   bool   // "dự thảo" when true, "đã ban hành" when false
	Hash    string // the rule set's hash
	// Extra lines, label then value ("Ngày áp dụng", "01/07/2024").
	Extra [][2]string
}

// Workbook writes an .xlsx of tables, one per sheet, streaming each table's
// rows to a temporary buffer (excelize's StreamWriter) instead of building
// cells in memory. Add tables in order; a table is finished when the next
// one is added or when the workbook is written.
type Workbook struct {
	f      *excelize.File
	meta   *Meta
	cur    *Table
	sheets int
	st     styles
}

type styles struct {
	title, metaKey, header, money, integer, decimal, date, totalLabel, totalMoney, totalInt, totalDecimal int
}

// NewXLSX starts a workbook; meta (may be nil) is printed above every table.
func NewXLSX(meta *Meta) (*Workbook, error) {
	f := excelize.NewFile()
	w := &Workbook{f: f, meta: meta}
	ddmmyyyy := "dd/mm/yyyy"
	border := []excelize.Border{{Type: "left", Color: "999999", Style: 1}, {Type: "right", Color: "999999", Style: 1}, {Type: "top", Color: "999999", Style: 1}, {Type: "bottom", Color: "999999", Style: 1}}
	bold := &excelize.Font{Bold: true}
	defs := []struct {
		id *int
		s  excelize.Style
	}{
		{&w.st.title, excelize.Style{Font: &excelize.Font{Bold: true, Size: 13}}},
		{&w.st.metaKey, excelize.Style{Font: &excelize.Font{Italic: true, Color: "555555"}}},
		{&w.st.header, excelize.Style{Font: bold, Border: border, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDE5F0"}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}}},
		{&w.st.money, excelize.Style{NumFmt: 3}},
		{&w.st.integer, excelize.Style{NumFmt: 1}},
		{&w.st.decimal, excelize.Style{NumFmt: 0}},
		{&w.st.date, excelize.Style{CustomNumFmt: &ddmmyyyy}},
		{&w.st.totalLabel, excelize.Style{Font: bold, Border: border}},
		{&w.st.totalMoney, excelize.Style{Font: bold, Border: border, NumFmt: 3}},
		{&w.st.totalInt, excelize.Style{Font: bold, Border: border, NumFmt: 1}},
		{&w.st.totalDecimal, excelize.Style{Font: bold, Border: border}},
	}
	for _, d := range defs {
		id, err := f.NewStyle(&d.s)
		if err != nil {
			_ = f.Close()
			return nil, err
		}
		*d.id = id
	}
	return w, nil
}

// Table is one sheet being written.
type Table struct {
	w         *Workbook
	sheet     string
	cols      []Column
	sw        *excelize.StreamWriter
	headerRow int
	row       int // last row written
	lastData  int
	sums      []decimal.Decimal
	totalled  bool
}

// AddTable finishes the previous table and starts a sheet named sheet
// (at most 31 characters, no []:*?/\) with a bold title line, the Meta
// block, and the header row, which is frozen and carries an auto-filter
// over the data rows.
func (w *Workbook) AddTable(sheet, title string, cols []Column) (*Table, error) {
	if err := w.finish(); err != nil {
		return nil, err
	}
	if len(cols) == 0 {
		return nil, fmt.Errorf("sheet: table %q has no columns", sheet)
	}
	if w.sheets == 0 {
		if err := w.f.SetSheetName("Sheet1", sheet); err != nil {
			return nil, fmt.Errorf("sheet: %q: %w", sheet, err)
		}
	} else if _, err := w.f.NewSheet(sheet); err != nil {
		return nil, fmt.Errorf("sheet: %q: %w", sheet, err)
	}
	w.sheets++
	sw, err := w.f.NewStreamWriter(sheet)
	if err != nil {
		return nil, err
	}
	t := &Table{w: w, sheet: sheet, cols: cols, sw: sw, sums: make([]decimal.Decimal, len(cols))}
	for i, c := range cols {
		if err := sw.SetColWidth(i+1, i+1, width(c)); err != nil {
			return nil, err
		}
	}
	var top [][]any
	if title != "" {
		top = append(top, []any{excelize.Cell{StyleID: w.st.title, Value: title}})
	}
	if m := w.meta; m != nil {
		status := "đã ban hành"
		if m.Draft {
			status = "dự thảo"
		}
		lines := [][2]string{{"Bộ quy tắc", m.RuleSet}, {"Trạng thái", status}, {"Mã băm", m.Hash}}
		for _, l := range append(lines, m.Extra...) {
			top = append(top, []any{excelize.Cell{StyleID: w.st.metaKey, Value: l[0]}, l[1]})
		}
	}
	if len(top) > 0 {
		top = append(top, nil)
	}
	t.headerRow = len(top) + 1
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: t.headerRow, TopLeftCell: cell(0, t.headerRow+1), ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}
	for i, r := range top {
		if r == nil {
			continue
		}
		if err := sw.SetRow(cell(0, i+1), r); err != nil {
			return nil, err
		}
	}
	header := make([]any, len(cols))
	for i, c := range cols {
		header[i] = excelize.Cell{StyleID: w.st.header, Value: c.Label}
	}
	if err := sw.SetRow(cell(0, t.headerRow), header, excelize.RowOpts{Height: 32}); err != nil {
		return nil, err
	}
	t.row, t.lastData = t.headerRow, t.headerRow
	w.cur = t
	return t, nil
}

func cell(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col+1, row)
	return name
}

func width(c Column) float64 {
	if c.Width > 0 {
		return c.Width
	}
	w := map[Kind]float64{Text: 18, Int: 8, Money: 16, Decimal: 10, Date: 12, Bool: 9}[c.Kind]
	if n := float64(utf8.RuneCountInString(c.Label)) + 2; n > w {
		w = math.Min(n, 28) // longer labels wrap in the header
	}
	return w
}

// Row writes one data row, a value per column (fewer values leave the last
// cells empty). A value of the wrong type for its column is an error naming
// the cell.
func (t *Table) Row(values ...any) error {
	if t.totalled {
		return fmt.Errorf("sheet: %s: row after the total", t.sheet)
	}
	if len(values) > len(t.cols) {
		return fmt.Errorf("sheet: %s!%s: %d values for %d columns", t.sheet, cell(len(t.cols), t.row+1), len(values), len(t.cols))
	}
	row := t.row + 1
	cells := make([]any, len(values))
	nums := make([]decimal.Decimal, len(values))
	for i, v := range values {
		c, err := t.value(i, v, &nums[i])
		if err != nil {
			return fmt.Errorf("sheet: %s!%s (%s): %w", t.sheet, cell(i, row), t.cols[i].Label, err)
		}
		cells[i] = c
	}
	// Only a row written whole counts: a refused row leaves no trace.
	if err := t.sw.SetRow(cell(0, row), cells); err != nil {
		return err
	}
	for i, n := range nums {
		t.sums[i] = t.sums[i].Add(n)
	}
	t.row, t.lastData = row, row
	return nil
}

const maxExact = 1 << 53

func (t *Table) value(i int, v any, num *decimal.Decimal) (any, error) {
	if v == nil {
		return nil, nil
	}
	st := t.w.st
	switch t.cols[i].Kind {
	case Text:
		switch x := v.(type) {
		case string:
			return x, nil
		case fmt.Stringer:
			return x.String(), nil
		}
	case Bool:
		if b, ok := v.(bool); ok {
			if b {
				return "Có", nil
			}
			return "Không", nil
		}
	case Date:
		if d, ok := v.(time.Time); ok {
			if d.IsZero() {
				return nil, nil
			}
			y, m, day := d.Date()
			return excelize.Cell{StyleID: st.date, Value: time.Date(y, m, day, 0, 0, 0, 0, time.UTC)}, nil
		}
	case Int, Money, Decimal:
		d, ok := number(v)
		if !ok {
			break
		}
		*num = d
		return t.numberCell(i, d, false)
	}
	return nil, fmt.Errorf("giá trị %T không hợp với cột / a %T value does not fit the column", v, v)
}

func (t *Table) numberCell(i int, d decimal.Decimal, total bool) (any, error) {
	st := t.w.st
	switch t.cols[i].Kind {
	case Int, Money:
		if !d.IsInteger() {
			return nil, fmt.Errorf("%s không phải số nguyên / is not whole", d)
		}
		if d.Abs().GreaterThan(decimal.NewFromInt(maxExact)) {
			return nil, fmt.Errorf("%s vượt quá độ chính xác của Excel / is beyond Excel's exact range", d)
		}
		id := st.money
		switch {
		case t.cols[i].Kind == Int && total:
			id = st.totalInt
		case t.cols[i].Kind == Int:
			id = st.integer
		case total:
			id = st.totalMoney
		}
		return excelize.Cell{StyleID: id, Value: d.IntPart()}, nil
	}
	f, _ := d.Float64()
	id := st.decimal
	if total {
		id = st.totalDecimal
	}
	return excelize.Cell{StyleID: id, Value: f}, nil
}

func number(v any) (decimal.Decimal, bool) {
	switch x := v.(type) {
	case decimal.Decimal:
		return x, true
	case *decimal.Decimal:
		if x != nil {
			return *x, true
		}
	case int:
		return decimal.NewFromInt(int64(x)), true
	case int64:
		return decimal.NewFromInt(x), true
	case int32:
		return decimal.NewFromInt(int64(x)), true
	}
	return decimal.Decimal{}, false
}

// Total writes a bold closing row: label in the first column, and in every
// Int, Money and Decimal column the exact sum of the values written (a
// value, not a formula, so any reader sees it). The auto-filter stops above
// it. No row may follow.
func (t *Table) Total(label string) error {
	if t.totalled {
		return fmt.Errorf("sheet: %s: total written twice", t.sheet)
	}
	t.totalled = true
	row := t.row + 1
	cells := make([]any, len(t.cols))
	for i, c := range t.cols {
		switch c.Kind {
		case Int, Money, Decimal:
			v, err := t.numberCell(i, t.sums[i], true)
			if err != nil {
				return fmt.Errorf("sheet: %s!%s: tổng / total: %w", t.sheet, cell(i, row), err)
			}
			cells[i] = v
		default:
			cells[i] = excelize.Cell{StyleID: t.w.st.totalLabel}
		}
	}
	if _, ok := cells[0].(excelize.Cell); ok && (t.cols[0].Kind == Text || t.cols[0].Kind == Bool || t.cols[0].Kind == Date) {
		cells[0] = excelize.Cell{StyleID: t.w.st.totalLabel, Value: label}
	}
	t.row = row
	return t.sw.SetRow(cell(0, row), cells)
}

// Sums returns the running sums of the numeric columns (zero elsewhere).
func (t *Table) Sums() []decimal.Decimal { return append([]decimal.Decimal(nil), t.sums...) }

func (w *Workbook) finish() error {
	t := w.cur
	if t == nil {
		return nil
	}
	w.cur = nil
	ref := cell(0, t.headerRow) + ":" + cell(len(t.cols)-1, t.lastData)
	if err := w.f.AutoFilter(t.sheet, ref, nil); err != nil {
		return err
	}
	return t.sw.Flush()
}

// WriteTo finishes the last table and writes the workbook.
func (w *Workbook) WriteTo(out io.Writer) (int64, error) {
	if err := w.finish(); err != nil {
		return 0, err
	}
	if w.sheets == 0 {
		return 0, fmt.Errorf("sheet: workbook has no table")
	}
	return w.f.WriteTo(out)
}

// Close releases the workbook's temporary files.
func (w *Workbook) Close() error { return w.f.Close() }

// CSVOptions tune [NewCSV].
type CSVOptions struct {
	// Excel starts the file with a UTF-8 BOM and ends lines with CRLF, so
	// that Excel on Windows shows Vietnamese letters instead of mojibake.
	Excel bool
	// Comma is the separator, ',' when zero. Excel on a Vietnamese Windows
	// splits a double-clicked CSV on ';' (the list separator there).
	Comma rune
}

// NewCSV returns a csv.Writer on out, having written the BOM when
// opt.Excel. The caller writes the records and calls Flush.
func NewCSV(out io.Writer, opt CSVOptions) (*csv.Writer, error) {
	if opt.Excel {
		if _, err := io.WriteString(out, "\uFEFF"); err != nil {
			return nil, err
		}
	}
	cw := csv.NewWriter(out)
	if opt.Comma != 0 {
		cw.Comma = opt.Comma
	}
	cw.UseCRLF = opt.Excel
	return cw, nil
}
