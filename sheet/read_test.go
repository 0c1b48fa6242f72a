package sheet

import (
	"bytes"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"
)

func hasCell(name string) func([]string) bool {
	return func(cells []string) bool {
		for _, c := range cells {
			if c == name {
				return true
			}
		}
		return false
	}
}

// readAll reads every row, failing the test on an error.
func readAll(t *testing.T, r *Reader) []Row {
	t.Helper()
	var rows []Row
	for {
		row, err := r.Next()
		if err == io.EOF {
			return rows
		}
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, row)
	}
}

// officeWorkbook builds a list shaped like a commune's: two title rows
// (merged), a blank row, Vietnamese headers on row 4, then cells of every
// kind an office types.
func officeWorkbook(t *testing.T) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	const s = "Danh sách"
	if err := f.SetSheetName("Sheet1", s); err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	style := func(st *excelize.Style) int {
		id, err := f.NewStyle(st)
		must(err)
		return id
	}
	ddmmyyyy, thousands, dong, dateTime := "dd/mm/yyyy", "#,##0", `#,##0 "đ"`, "dd/mm/yyyy hh:mm"
	sDate14 := style(&excelize.Style{NumFmt: 14})
	sDateCustom := style(&excelize.Style{CustomNumFmt: &ddmmyyyy})
	sThousands := style(&excelize.Style{CustomNumFmt: &thousands})
	sDong := style(&excelize.Style{CustomNumFmt: &dong})
	sDateTime := style(&excelize.Style{CustomNumFmt: &dateTime})
	sText := style(&excelize.Style{NumFmt: 49})

	must(f.SetCellValue(s, "A1", "ỦY BAN NHÂN DÂN XÃ THẠCH HẠ"))
	must(f.MergeCell(s, "A1", "I1"))
	must(f.SetCellValue(s, "A2", "DANH SÁCH ĐỐI TƯỢNG HỘ NGHÈO THUỘC CHÍNH SÁCH BẢO TRỢ XÃ HỘI"))
	must(f.MergeCell(s, "A2", "I2"))
	must(f.SetSheetRow(s, "A4", &[]any{"STT", "Mã đối tượng", "Họ và tên", "Ngày sinh", "Mã xã", "Trợ cấp hằng tháng", "Hệ số", "Thu nhập khác", "Ghi chú"}))
	// Row 5: everything typed as text.
	must(f.SetSheetRow(s, "A5", &[]any{1, "DT001", "  Nguyễn Văn An ", "15/03/1950", "18073", "1.500.000", "1,5", "0"}))
	// Row 6: cells: a date cell in the system short date, money with thousands, a coefficient.
	must(f.SetSheetRow(s, "A6", &[]any{2, "DT002", "Trần Thị Bình", time.Date(1948, 7, 20, 0, 0, 0, 0, time.UTC), "00004", 1500000, 1.5, 250000}))
	must(f.SetCellStyle(s, "D6", "D6", sDate14))
	must(f.SetCellStyle(s, "E6", "E6", sText))
	must(f.SetCellStyle(s, "F6", "F6", sThousands))
	must(f.SetCellStyle(s, "H6", "H6", sDong))
	// Row 7 blank; row 8: a dd/mm/yyyy date cell, decomposed marks, a float artefact, short row.
	must(f.SetSheetRow(s, "A8", &[]any{3, "DT003", "Nguye\u0302\u0303n Thị Cúc", time.Date(1960, 1, 2, 0, 0, 0, 0, time.UTC), "18073", nil, 0.1 + 0.2}))
	must(f.SetCellStyle(s, "D8", "D8", sDateCustom))
	// Row 9: a date-and-time cell at midnight, and a value beyond the header.
	must(f.SetSheetRow(s, "A9", &[]any{4, "DT004", "Lê Văn Dũng", time.Date(1955, 12, 31, 0, 0, 0, 0, time.UTC)}))
	must(f.SetCellStyle(s, "D9", "D9", sDateTime))
	must(f.SetCellValue(s, "K9", "lạc cột"))
	_, err := f.NewSheet("Ghi chú")
	must(err)
	must(f.SetSheetRow("Ghi chú", "A1", &[]any{"Mã đối tượng", "Nội dung"}))
	must(f.SetSheetRow("Ghi chú", "A2", &[]any{"DT001", "đã xác minh"}))
	var buf bytes.Buffer
	must(f.Write(&buf))
	return buf.Bytes()
}

func TestReadOfficeWorkbook(t *testing.T) {
	r, err := Open(bytes.NewReader(officeWorkbook(t)), "ds.xlsx", Options{IsHeader: hasCell("Mã đối tượng")})
	if err != nil {
		t.Fatal(err)
	}
	if r.Format() != XLSX || r.Name() != "Danh sách" {
		t.Fatalf("format %v name %q", r.Format(), r.Name())
	}
	wantHeader := []string{"STT", "Mã đối tượng", "Họ và tên", "Ngày sinh", "Mã xã", "Trợ cấp hằng tháng", "Hệ số", "Thu nhập khác", "Ghi chú"}
	if !reflect.DeepEqual(r.Header(), wantHeader) {
		t.Fatalf("header %q", r.Header())
	}
	if got := r.HeaderWhere(1); got != "Danh sách!B4" {
		t.Errorf("HeaderWhere = %q", got)
	}
	rows := readAll(t, r)
	want := [][]string{
		{"1", "DT001", "Nguyễn Văn An", "15/03/1950", "18073", "1.500.000", "1,5", "0", ""},
		{"2", "DT002", "Trần Thị Bình", "1948-07-20", "00004", "1500000", "1.5", "250000", ""},
		{"3", "DT003", "Nguyễn Thị Cúc", "1960-01-02", "18073", "", "0.3", "", ""},
		{"4", "DT004", "Lê Văn Dũng", "1955-12-31", "", "", "", "", "", "", "lạc cột"},
	}
	if len(rows) != len(want) {
		t.Fatalf("%d rows, want %d", len(rows), len(want))
	}
	for i, row := range rows {
		if !reflect.DeepEqual(row.Cells, want[i]) {
			t.Errorf("row %d: %q\nwant %q", i+1, row.Cells, want[i])
		}
		if row.Index != i+1 {
			t.Errorf("row %d: Index %d", i+1, row.Index)
		}
	}
	// Positions: rows 5, 6, 8, 9 of the sheet (row 7 is blank).
	for i, w := range []string{"Danh sách!D5", "Danh sách!D6", "Danh sách!D8", "Danh sách!K9"} {
		col := 3
		if i == 3 {
			col = 10
		}
		if got := rows[i].Where(col); got != w {
			t.Errorf("Where = %q, want %q", got, w)
		}
	}
}

func TestReadNamedSheet(t *testing.T) {
	data := officeWorkbook(t)
	r, err := Open(bytes.NewReader(data), "ds.xlsx", Options{Sheet: "Ghi chú"})
	if err != nil {
		t.Fatal(err)
	}
	rows := readAll(t, r)
	if len(rows) != 1 || rows[0].Cells[1] != "đã xác minh" || rows[0].Where(1) != "Ghi chú!B2" {
		t.Fatalf("rows %+v", rows)
	}
	_, err = Open(bytes.NewReader(data), "ds.xlsx", Options{Sheet: "Không có"})
	if err == nil || !strings.Contains(err.Error(), "Danh sách, Ghi chú") {
		t.Fatalf("missing sheet: %v", err)
	}
	_, err = Open(bytes.NewReader(data), "ds.xlsx", Options{IsHeader: hasCell("person_id")})
	if err == nil || !strings.Contains(err.Error(), "không tìm thấy dòng tiêu đề") {
		t.Fatalf("no header: %v", err)
	}
}

func TestClassify(t *testing.T) {
	cases := map[string]fmtKind{
		"dd/mm/yyyy": kindDate, "d-mmm-yy": kindDate, "mmm yyyy": kindDate, "mmmm": kindDate,
		"dd/mm/yyyy hh:mm": kindDateTime, "hh:mm:ss": kindTime, "[h]:mm": kindTime,
		"#,##0": kindNumber, `#,##0 "đ"`: kindNumber, "0.00E+00": kindNumber, "[$₫-42A]#,##0": kindNumber,
		`#,##0_);[Red](#,##0)`: kindNumber, "General": kindNumber, "@": kindNumber, `0 "ngày"`: kindNumber,
		"0%": kindNumber,
	}
	for code, want := range cases {
		if got := classify(code); got != want {
			t.Errorf("classify(%q) = %v, want %v", code, got, want)
		}
	}
}

func TestReadCSVSemicolonBOM(t *testing.T) {
	data := "\uFEFFDANH SÁCH ĐỐI TƯỢNG;;\r\n;;\r\nMã đối tượng;Họ và tên;Hệ số;Trợ cấp hằng tháng\r\nDT001;Nguyễn Văn An;1,5;1.500.000\r\n\r\nDT002;\"Trần; Thị Bình\";2\r\n"
	r, err := Open(strings.NewReader(data), "ds.csv", Options{IsHeader: hasCell("Mã đối tượng")})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(r.Header(), []string{"Mã đối tượng", "Họ và tên", "Hệ số", "Trợ cấp hằng tháng"}) {
		t.Fatalf("header %q", r.Header())
	}
	rows := readAll(t, r)
	if len(rows) != 2 {
		t.Fatalf("%d rows", len(rows))
	}
	if !reflect.DeepEqual(rows[0].Cells, []string{"DT001", "Nguyễn Văn An", "1,5", "1.500.000"}) ||
		!reflect.DeepEqual(rows[1].Cells, []string{"DT002", "Trần; Thị Bình", "2", ""}) {
		t.Fatalf("rows %q %q", rows[0].Cells, rows[1].Cells)
	}
	if got := rows[0].Where(3); got != "ds.csv!D4" {
		t.Errorf("Where = %q", got)
	}
	if got := rows[1].Where(1); got != "ds.csv!B6" {
		t.Errorf("Where = %q", got)
	}
}

func TestReadCSVComma(t *testing.T) {
	data := "person_id,full_name,allowance_coefficient\nP1,\"Nguyễn, Văn\",\"1,5\"\n"
	r, err := Open(strings.NewReader(data), "p.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	rows := readAll(t, r)
	if len(r.Header()) != 3 || len(rows) != 1 || rows[0].Cells[1] != "Nguyễn, Văn" || rows[0].Cells[2] != "1,5" {
		t.Fatalf("header %q rows %+v", r.Header(), rows)
	}
}

// Windows-1258 spells most toned letters as a base letter and a combining
// tone mark: "Nguyễn" is N g u y ê(0xEA) ˜(0xDE) n.
var cp1258 = []byte("Ma\xDE \xF0\xF4\xECi t\xFD\xF5\xF2ng;Ho\xF2 v\xE0 t\xEAn;Ma\xDE xa\xDE\r\n" +
	"DT001;Nguy\xEA\xDEn V\xE3n \xD0\xFD\xECc;18073\r\n" +
	"DT002;L\xEA Thi\xF2 H\xE0 Ti\xDEnh;18073\r\n")

func TestReadWindows1258(t *testing.T) {
	r, err := Open(bytes.NewReader(cp1258), "ds.csv", Options{IsHeader: hasCell("Mã đối tượng")})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(r.Header(), []string{"Mã đối tượng", "Họ và tên", "Mã xã"}) {
		t.Fatalf("header %q", r.Header())
	}
	rows := readAll(t, r)
	if len(rows) != 2 || rows[0].Cells[1] != "Nguyễn Văn Đức" || rows[1].Cells[1] != "Lê Thị Hà Tĩnh" {
		t.Fatalf("rows %+v", rows)
	}
}

func TestReadUTF16(t *testing.T) {
	text := "Mã đối tượng\tHọ và tên\r\nDT001\tNguyễn Văn An\r\n"
	le := []byte{0xFF, 0xFE}
	be := []byte{0xFE, 0xFF}
	for _, u := range utf16.Encode([]rune(text)) {
		le = append(le, byte(u), byte(u>>8))
		be = append(be, byte(u>>8), byte(u))
	}
	for name, data := range map[string][]byte{"le": le, "be": be} {
		r, err := Open(bytes.NewReader(data), "ds.txt", Options{IsHeader: hasCell("Mã đối tượng")})
		if err != nil {
			t.Fatal(name, err)
		}
		rows := readAll(t, r)
		if len(rows) != 1 || rows[0].Cells[1] != "Nguyễn Văn An" {
			t.Fatalf("%s: rows %+v", name, rows)
		}
	}
	// Without its BOM, UTF-16 is refused, not guessed.
	_, err := Open(bytes.NewReader(le[2:]), "ds.csv", Options{})
	if err == nil || !strings.Contains(err.Error(), "CSV UTF-8") {
		t.Fatalf("UTF-16 without BOM: %v", err)
	}
}

func TestRefuseUncertainEncodings(t *testing.T) {
	cases := map[string][]byte{
		// German in Latin-1: ü and ß are no Vietnamese letters.
		"german": []byte("Name;Ort\nJ\xFCrgen M\xFCller;Stra\xDFe\n"),
		// Portuguese in Latin-1: ã reads as ă, but "Săo Joăo" is no Vietnamese.
		"portuguese": []byte("Nome;Cidade\nJo\xE3o;S\xE3o Paulo\n"),
		// Italian in Latin-1: ò reads as a dot below, "perọ" is no Vietnamese word.
		"italian": []byte("Nome;Nota\nLuca;per\xF2\n"),
		// A UTF-8 file with one broken byte, and Windows-1252 quotes in it.
		"broken utf-8": []byte("Mã;Tên\nDT001;Nguy\xE1\xBB\x85n \x93An\x94 \xC3\n"),
	}
	for name, data := range cases {
		_, err := Open(bytes.NewReader(data), "ds.csv", Options{})
		if err == nil {
			t.Errorf("%s: read, want refused", name)
			continue
		}
		for _, want := range []string{"không phải UTF-8", "CSV UTF-8", "Save As", "dòng 2"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%s: %v\nwant %q", name, err, want)
			}
		}
	}
}

func TestRefuseOtherFiles(t *testing.T) {
	for name, data := range map[string]string{"a.json": "[]", "a.xls": "\xD0\xCF\x11\xE0rest", "a.ods": "x", "a.xlsx": "not a zip"} {
		_, err := Open(strings.NewReader(data), name, Options{})
		if err == nil {
			t.Errorf("%s: opened", name)
		} else if name != "a.xlsx" && !errors.Is(err, ErrNotSheet) {
			t.Errorf("%s: %v is not ErrNotSheet", name, err)
		}
	}
	// A quote that never closes stops the file with its line.
	r, err := Open(strings.NewReader("a;b\n1;2\n3;\"4\n5;6\n"), "q.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Next(); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Next(); err == nil || !strings.Contains(err.Error(), "q.csv, dòng") {
		t.Fatalf("broken quote: %v", err)
	}
	if _, err := r.Next(); err != io.EOF {
		t.Fatalf("after a fatal error: %v", err)
	}
}
