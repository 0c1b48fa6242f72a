package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

func TestMain(m *testing.M) {
	lang = "en" // the tests do not depend on the locale of the machine
	os.Exit(m.Run())
}

// openBook opens a workbook the CLI wrote.
func openBook(t *testing.T, path string) *excelize.File {
	t.Helper()
	f, err := excelize.OpenFile(path)
	require.NoError(t, err)
	t.Cleanup(func() { f.Close() })
	return f
}

// findRow returns the row number (1-based) whose first cell is first.
func findRow(t *testing.T, f *excelize.File, sheet, first string) int {
	t.Helper()
	rows, err := f.GetRows(sheet)
	require.NoError(t, err)
	for i, r := range rows {
		if len(r) > 0 && r[0] == first {
			return i + 1
		}
	}
	t.Fatalf("%s: no row starts with %q", sheet, first)
	return 0
}

// raw is a cell's stored value (not its display).
func raw(t *testing.T, f *excelize.File, sheet, cell string) string {
	t.Helper()
	v, err := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
	require.NoError(t, err)
	return v
}

// numFmt is the number format id of a cell's style.
func numFmt(t *testing.T, f *excelize.File, sheet, cell string) int {
	t.Helper()
	id, err := f.GetCellStyle(sheet, cell)
	require.NoError(t, err)
	st, err := f.GetStyle(id)
	require.NoError(t, err)
	return st.NumFmt
}

func TestEvalXLSX(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ket-qua.xlsx")
	code, out, errOut := hotro("eval", "--date", "2024-07-01", "--format", "xlsx", "--out", path, "../../examples/persons.csv")
	require.Equal(t, 0, code, errOut)
	assert.Empty(t, out)
	f := openBook(t, path)
	assert.Equal(t, []string{"Kết quả xét", "Theo xã", "Theo huyện"}, f.GetSheetList())

	s := "Kết quả xét"
	h := findRow(t, f, s, "Mã đối tượng")
	header, _ := f.GetRows(s)
	assert.Equal(t, []string{"Mã đối tượng", "Họ và tên", "Mã xã", "Đủ điều kiện", "Mức hỗ trợ hằng tháng (đồng)", "Quy tắc không đạt", "Lỗi"}, header[h-1])
	// Provenance above the header.
	assert.Equal(t, "hatinh-nq179-2020-2025", raw(t, f, s, "B2"))
	assert.Equal(t, "đã ban hành", raw(t, f, s, "B3"))
	assert.Len(t, raw(t, f, s, "B4"), 64)
	// As the CSV: HT-0001 eligible, 1230000; HT-0006 fails no_labour_capacity_group.
	r := findRow(t, f, s, "HT-0001")
	assert.Equal(t, "1230000", raw(t, f, s, "E"+itoa(r)))
	assert.Equal(t, 3, numFmt(t, f, s, "E"+itoa(r)), "money has the #,##0 format")
	disp, _ := f.GetCellValue(s, "E"+itoa(r))
	assert.Equal(t, "1,230,000", disp) // excelize shows format 3 with its own separators; Excel uses the locale's
	assert.Equal(t, "Có", raw(t, f, s, "D"+itoa(r)))
	assert.Equal(t, "18112", raw(t, f, s, "C"+itoa(r)), "a code stays text")
	r = findRow(t, f, s, "HT-0006")
	assert.Equal(t, "Không", raw(t, f, s, "D"+itoa(r)))
	assert.Equal(t, "no_labour_capacity_group", raw(t, f, s, "F"+itoa(r)))
	total := findRow(t, f, s, "Tổng cộng")
	assert.Equal(t, h+13, total, "12 rows, then the total")
	assert.Equal(t, "6080000", raw(t, f, s, "E"+itoa(total)))

	// By commune: 18112 has HT-0001 (1.230.000), HT-0002 (500.000) eligible
	// and HT-0007 not; 18100 has HT-0010 (0) and HT-0011 (1.000.000).
	s = "Theo xã"
	r = findRow(t, f, s, "18112")
	row, _ := f.GetRows(s)
	assert.Equal(t, []string{"18112", row[r-1][1], "3", "2", "0", "1,730,000"}, row[r-1])
	assert.Equal(t, "1730000", raw(t, f, s, "F"+itoa(r)))
	r = findRow(t, f, s, "18100")
	assert.Equal(t, "1000000", raw(t, f, s, "F"+itoa(r)))
	assert.Equal(t, "2", raw(t, f, s, "D"+itoa(r)))
	total = findRow(t, f, s, "Tổng cộng")
	assert.Equal(t, "12", raw(t, f, s, "C"+itoa(total)))
	assert.Equal(t, "7", raw(t, f, s, "D"+itoa(total)))
	assert.Equal(t, "6080000", raw(t, f, s, "F"+itoa(total)))
	s = "Theo huyện"
	total = findRow(t, f, s, "Tổng cộng")
	assert.Equal(t, "6080000", raw(t, f, s, "F"+itoa(total)))
	panes, err := f.GetPanes("Kết quả xét")
	require.NoError(t, err)
	assert.True(t, panes.Freeze)
	assert.Equal(t, h, panes.YSplit)
}

func TestXLSXNotToTerminal(t *testing.T) {
	tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0)
	if err != nil {
		t.Skip("no terminal")
	}
	defer tty.Close()
	var errOut strings.Builder
	code := run([]string{"eval", "--date", "2024-07-01", "--format", "xlsx", "../../examples/persons.csv"}, tty, &errOut)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut.String(), "not written to a terminal")
}

func TestCSVForExcel(t *testing.T) {
	code, out, errOut := hotro("eval", "--date", "2024-07-01", "--excel", "../../examples/persons.csv")
	require.Equal(t, 0, code, errOut)
	assert.True(t, strings.HasPrefix(out, "\uFEFFperson_id,eligible,monthly_topup,failed_rules,error\n"))
	_, plain, _ := hotro("eval", "--date", "2024-07-01", "../../examples/persons.csv")
	assert.Equal(t, plain, strings.TrimPrefix(out, "\uFEFF"))
}

func itoa(n int) string { return strconv.Itoa(n) }

// cellOf is the raw value of the column labelled label in the row whose
// first cell is first.
func cellOf(t *testing.T, f *excelize.File, sheet, first, label string) string {
	t.Helper()
	rows, err := f.GetRows(sheet)
	require.NoError(t, err)
	r := findRow(t, f, sheet, first)
	for _, hr := range rows {
		for j, h := range hr {
			if h == label {
				name, _ := excelize.CoordinatesToCellName(j+1, r)
				return raw(t, f, sheet, name)
			}
		}
	}
	t.Fatalf("%s: no column %q", sheet, label)
	return ""
}

func TestAllocateXLSX(t *testing.T) {
	units, persons := allocSmall(t)
	dir := filepath.Join(t.TempDir(), "new") + "/" // a directory, created
	code, _, errs := runAlloc("allocate", "--date", "2020-06-01", "--units", units, "--persons", persons, "--format", "xlsx", "--out", dir)
	assert.Equal(t, 1, code, errs) // records in error, as with CSV
	f := openBook(t, filepath.Join(dir, "ke-hoach.xlsx"))
	assert.Equal(t, []string{"Đơn vị", "Địa bàn", "Danh sách tỉnh", "Nhận đỡ đầu", "Đóng góp CBCC", "Người con quê hương", "Hình thức chi trả", "Thay đổi", "Tổng hợp"}, f.GetSheetList())
	// As TestAllocateCommand: cty sponsors 430.000 đ a month, xa's quota is unmet.
	assert.Equal(t, "430000", cellOf(t, f, "Đơn vị", "cty", "Tổng tiền hằng tháng (đồng)"))
	assert.Equal(t, "Không", cellOf(t, f, "Đơn vị", "xa", "Đạt"))
	assert.Equal(t, "2", cellOf(t, f, "Đơn vị", "xa", "Số phải nhận"))
	assert.Equal(t, "commune_min", cellOf(t, f, "Đơn vị", "xa", "Quy tắc"))
	// Three beneficiaries at 430.000 đ: 1.290.000 đ in the total row.
	assert.Equal(t, "1290000", cellOf(t, f, "Nhận đỡ đầu", "Tổng cộng", "Mức hỗ trợ hằng tháng (đồng)"))
	r := findRow(t, f, "Nhận đỡ đầu", "p1")
	assert.Equal(t, 3, numFmt(t, f, "Nhận đỡ đầu", "C"+itoa(r)))
	assert.Equal(t, "3", cellOf(t, f, "Tổng hợp", "Số đối tượng", "Giá trị"))
	assert.Equal(t, "1290000", cellOf(t, f, "Tổng hợp", "Tổng tiền hằng tháng (đồng)", "Giá trị"))
	assert.Equal(t, "1", cellOf(t, f, "Tổng hợp", "Số đơn vị lỗi", "Giá trị"))
	assert.Equal(t, "hatinh-nq179-2020-2025", raw(t, f, "Tổng hợp", "B2"))

	path := filepath.Join(t.TempDir(), "dinh-muc.xlsx")
	code, _, _ = runAlloc("quota", "--date", "2020-06-01", "--units", units, "--persons", persons, "--format", "xlsx", "--out", path)
	assert.Equal(t, 1, code)
	f = openBook(t, path)
	assert.Equal(t, "3", cellOf(t, f, "Định mức", "xa", "Số khuyến khích"))
	assert.Equal(t, "3", cellOf(t, f, "Tổng hợp", "Số đối tượng các đơn vị phải nhận đỡ đầu", "Giá trị"))
}

func TestMonitorXLSX(t *testing.T) {
	dir := t.TempDir()
	persons := allocFile(t, dir, "persons.csv", allocPersonsHeader, "p1,h1,1950-03-15,18112,true,btxh,270000")
	commits := allocFile(t, dir, "commitments.csv", "commitment_id,sponsor_id,beneficiary_ids,monthly_amount,first_month,duration,method",
		"c1,u1,p1,450000,2020-01,phase,cash")
	path := filepath.Join(dir, "out", "theo-doi.xlsx") // a missing directory of a file is created
	code, _, errs := runAlloc("monitor", "--from", "2021-12", "--to", "2022-01", "--commitments", commits, "--persons", persons, "--format", "xlsx", "--out", path)
	require.Equal(t, 0, code, errs)
	f := openBook(t, path)
	// As TestMonitorCommand: due 1.230.000 in 2022-01, pledged 450.000, short 780.000.
	rows, _ := f.GetRows("Theo tháng")
	h := findRow(t, f, "Theo tháng", "Tháng")
	assert.Equal(t, []string{"2022-01", "p1", "Có", "1,230,000", "450,000", "780,000", "u1", "u1"}, rows[h+1])
	assert.Equal(t, "780000", cellOf(t, f, "Tổng hợp", "Tổng số tiền còn thiếu (đồng)", "Giá trị"))
}

func TestDiffAndScheduleXLSX(t *testing.T) {
	dir := t.TempDir()
	newRules := copyRules(t, [3]string{"parameters.yaml", "value: 360000", "value: 400000"})
	path := filepath.Join(dir, "d.xlsx")
	code, _, errs := hotro("diff", "--new", newRules, "--date", "2021-01-01", "--format", "xlsx", "--out", path, "../../examples/persons.csv")
	require.Equal(t, 0, code, errs)
	f := openBook(t, path)
	assert.Contains(t, f.GetSheetList(), "Từng người")
	_, out, _ := hotro("diff", "--new", newRules, "--date", "2021-01-01", "--per-person", "../../examples/persons.csv")
	rows := allocCSV(t, out)
	// Every per-person figure of the CSV is in the workbook as a number.
	for i := 1; i < len(rows); i++ {
		assert.Equal(t, allocColumn(rows, i, "new_topup"), cellOf(t, f, "Từng người", rows[i][0], "Mức hỗ trợ hằng tháng (đồng) (đề xuất)"), rows[i][0])
	}

	path = filepath.Join(dir, "s.xlsx")
	code, _, errs = hotro("schedule", "--from", "2024-06", "--to", "2024-07", "--format", "xlsx", "--out", path, "../../examples/persons.csv")
	require.Equal(t, 0, code, errs)
	f = openBook(t, path)
	s := f.GetSheetList()[0]
	rows, _ = f.GetRows(s)
	h := findRow(t, f, s, "Mã đối tượng")
	// HT-0001 in 2024-06: top-up 1.230.000, social assistance base 360.000.
	assert.Equal(t, []string{"HT-0001", "2024-06", "Có", "1,230,000", "rural", "1,500,000", "360,000", "270,000", "0", "270,000", "hatinh-nq179-2020-2025"}, rows[h])
}
