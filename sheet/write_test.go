package sheet

import (
	"archive/zip"
	"bytes"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

func writeReport(t *testing.T) []byte {
	t.Helper()
	w, err := NewXLSX(&Meta{RuleSet: "hatinh-2020-2025", Hash: "sha256:abc123"})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	tb, err := w.AddTable("Kết quả", "KẾT QUẢ XÉT HỖ TRỢ NGÀY 01/07/2024", []Column{
		{Label: "Mã đối tượng", Kind: Text},
		{Label: "Ngày sinh", Kind: Date},
		{Label: "Đủ điều kiện", Kind: Bool},
		{Label: "Số tháng", Kind: Int},
		{Label: "Mức hỗ trợ hằng tháng", Kind: Money},
		{Label: "Hệ số", Kind: Decimal},
	})
	if err != nil {
		t.Fatal(err)
	}
	rows := [][]any{
		{"DT001", time.Date(1950, 3, 15, 0, 0, 0, 0, time.UTC), true, 12, decimal.NewFromInt(450000), decimal.RequireFromString("1.5")},
		{"DT002", time.Date(1948, 7, 20, 0, 0, 0, 0, time.UTC), false, int64(0), decimal.Zero, decimal.RequireFromString("2")},
		{"DT003", time.Time{}, true, 6, decimal.NewFromInt(1230000), nil},
	}
	for _, r := range rows {
		if err := tb.Row(r...); err != nil {
			t.Fatal(err)
		}
	}
	if err := tb.Total("Tổng cộng"); err != nil {
		t.Fatal(err)
	}
	// A wrong type names the cell.
	sum, err := w.AddTable("Tổng hợp", "TỔNG HỢP THEO XÃ", []Column{{Label: "Xã", Kind: Text}, {Label: "Số đối tượng", Kind: Int}, {Label: "Kinh phí", Kind: Money}})
	if err != nil {
		t.Fatal(err)
	}
	if err := sum.Row("Xã Thạch Hạ", 2, "450000"); err == nil || !strings.Contains(err.Error(), "Tổng hợp!C7 (Kinh phí)") {
		t.Fatalf("wrong type: %v", err)
	}
	if err := sum.Row("Xã Thạch Hạ", 2, decimal.RequireFromString("1500.5")); err == nil || !strings.Contains(err.Error(), "không phải số nguyên") {
		t.Fatalf("non-whole money: %v", err)
	}
	if err := sum.Row("Xã Thạch Hạ", 2, decimal.NewFromInt(1680000)); err != nil {
		t.Fatal(err)
	}
	if err := sum.Total("Tổng cộng"); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := w.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestWriteXLSX(t *testing.T) {
	data := writeReport(t)
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !reflect.DeepEqual(got, []string{"Kết quả", "Tổng hợp"}) {
		t.Fatalf("sheets %q", got)
	}
	const s = "Kết quả"
	// Title, the metadata block, a blank row, the header on row 6.
	for ref, want := range map[string]string{
		"A1": "KẾT QUẢ XÉT HỖ TRỢ NGÀY 01/07/2024", "A2": "Bộ quy tắc", "B2": "hatinh-2020-2025",
		"A3": "Trạng thái", "B3": "đã ban hành", "A4": "Mã băm", "B4": "sha256:abc123",
		"A6": "Mã đối tượng", "E6": "Mức hỗ trợ hằng tháng",
		"A7": "DT001", "C7": "Có", "C8": "Không", "B9": "", "F9": "",
		"A10": "Tổng cộng",
	} {
		if got, _ := f.GetCellValue(s, ref); got != want {
			t.Errorf("%s = %q, want %q", ref, got, want)
		}
	}
	// Raw stored values: numbers, and the date as Excel's serial day.
	raw := excelize.Options{RawCellValue: true}
	for ref, want := range map[string]string{
		"B7": "18337", // 1950-03-15: 18,337 days after Excel's day 0 (1899-12-30)
		"D7": "12", "E7": "450000", "F7": "1.5", "E8": "0", "F8": "2", "E9": "1230000",
		"D10": "18", "E10": "1680000", "F10": "3.5",
	} {
		if got, _ := f.GetCellValue(s, ref, raw); got != want {
			t.Errorf("raw %s = %q, want %q", ref, got, want)
		}
	}
	// Types and formats: money #,##0 (built-in 3), dates dd/mm/yyyy.
	for ref, want := range map[string]string{"E7": "#,##0", "E10": "#,##0", "B7": "dd/mm/yyyy", "D7": "0"} {
		id, _ := f.GetCellStyle(s, ref)
		st, err := f.GetStyle(id)
		if err != nil {
			t.Fatal(err)
		}
		got := map[int]string{3: "#,##0", 1: "0"}[st.NumFmt]
		if st.CustomNumFmt != nil {
			got = *st.CustomNumFmt
		}
		if got != want {
			t.Errorf("%s format %q (NumFmt %d), want %q", ref, got, st.NumFmt, want)
		}
	}
	if typ, _ := f.GetCellType(s, "E7"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("E7 type %v", typ)
	}
	if got, _ := f.GetCellValue(s, "B7"); got != "15/03/1950" {
		t.Errorf("B7 shown as %q", got)
	}
	panes, err := f.GetPanes(s)
	if err != nil || !panes.Freeze || panes.YSplit != 6 || panes.TopLeftCell != "A7" {
		t.Errorf("panes %+v %v", panes, err)
	}
	// The filter covers the header and the data, not the total.
	xml := sheetXML(t, data, "xl/worksheets/sheet1.xml")
	if !strings.Contains(xml, `<autoFilter ref="$A$6:$F$9"`) {
		t.Errorf("no auto-filter A6:F9 in %s", xml)
	}
	if !strings.Contains(sheetXML(t, data, "xl/worksheets/sheet2.xml"), `<autoFilter ref="$A$6:$C$7"`) {
		t.Errorf("no auto-filter on the summary")
	}
	if got, _ := f.GetCellValue("Tổng hợp", "C8", raw); got != "1680000" {
		t.Errorf("summary total %q", got)
	}
	if w, _ := f.GetColWidth(s, "E"); w != 23 {
		t.Errorf("money column width %v", w)
	}
}

// A written report reads back through Open: the title and metadata block
// are skipped, dates come back ISO, money plain.
func TestWriteReadBack(t *testing.T) {
	r, err := Open(bytes.NewReader(writeReport(t)), "out.xlsx", Options{IsHeader: hasCell("Mã đối tượng")})
	if err != nil {
		t.Fatal(err)
	}
	rows := readAll(t, r)
	want := [][]string{
		{"DT001", "1950-03-15", "Có", "12", "450000", "1.5"},
		{"DT002", "1948-07-20", "Không", "0", "0", "2"},
		{"DT003", "", "Có", "6", "1230000", ""},
		{"Tổng cộng", "", "", "18", "1680000", "3.5"},
	}
	for i := range want {
		if !reflect.DeepEqual(rows[i].Cells, want[i]) {
			t.Errorf("row %d: %q, want %q", i+1, rows[i].Cells, want[i])
		}
	}
}

func sheetXML(t *testing.T, data []byte, name string) string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	rc, err := z.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, _ := io.ReadAll(rc)
	return string(b)
}

func TestCSVForExcel(t *testing.T) {
	var buf bytes.Buffer
	cw, err := NewCSV(&buf, CSVOptions{Excel: true, Comma: ';'})
	if err != nil {
		t.Fatal(err)
	}
	_ = cw.Write([]string{"person_id", "full_name"})
	_ = cw.Write([]string{"P1", "Nguyễn Văn An"})
	cw.Flush()
	if got := buf.String(); got != "\uFEFFperson_id;full_name\r\nP1;Nguyễn Văn An\r\n" {
		t.Fatalf("%q", got)
	}
	buf.Reset()
	cw, _ = NewCSV(&buf, CSVOptions{})
	_ = cw.Write([]string{"a", "b"})
	cw.Flush()
	if got := buf.String(); got != "a,b\n" {
		t.Fatalf("%q", got)
	}
}
