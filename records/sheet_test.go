package records_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/hotro-vn/hotro/records"
	"github.com/hotro-vn/hotro/rules"
	"github.com/hotro-vn/hotro/rulesets"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

func personSchema(t *testing.T) *records.Schema {
	lib, err := rules.LoadPolicy(rulesets.FS, ".", rulesets.DefaultPolicy)
	require.NoError(t, err)
	s, err := records.New(lib.Sets()[0].Model("person").Record)
	require.NoError(t, err)
	return s
}

// An office's workbook: a merged title, Vietnamese headers and spellings,
// a date cell and a text date, grouped money and a decimal comma read as
// the same record as the plain CSV.
func TestWorkbookAsOfficesKeepIt(t *testing.T) {
	f := excelize.NewFile()
	sh := "Danh sách"
	require.NoError(t, f.SetSheetName("Sheet1", sh))
	require.NoError(t, f.SetCellValue(sh, "A1", "DANH SÁCH ĐỐI TƯỢNG HỖ TRỢ — XÃ THẠCH HẠ"))
	require.NoError(t, f.MergeCell(sh, "A1", "H1"))
	header := []any{"Mã đối tượng", "Mã hộ", "Ngày sinh", "Mã xã", "Hộ nghèo", "Loại hộ", "Mức độ khuyết tật", "Hệ số", "Trợ cấp hằng tháng"}
	require.NoError(t, f.SetSheetRow(sh, "A3", &header))
	require.NoError(t, f.SetSheetRow(sh, "A4", &[]any{"HT-1", "H-1", "15/03/1950", "18112", "Có", "BTXH", "Không", "", "1.500.000"}))
	require.NoError(t, f.SetSheetRow(sh, "A5", &[]any{"HT-2", "H-1", "30/02/1950", "18112", "Có", "BTXH", "Nặng", "1,5", ""}))
	var buf bytes.Buffer
	require.NoError(t, f.Write(&buf))

	s := personSchema(t)
	var got []records.Record
	_, err := s.ReadSheet(&buf, "danh-sach.xlsx", "", func(r records.Record) { got = append(got, r) })
	require.NoError(t, err)
	require.Len(t, got, 2)

	var want []records.Record
	csv := "person_id,household_id,birth_date,commune_code,household_poor,household_category,disability,monthly_allowance\nHT-1,H-1,1950-03-15,18112,true,btxh,none,1500000\n"
	_, err = s.ReadCSV(strings.NewReader(csv), func(r records.Record) { want = append(want, r) })
	require.NoError(t, err)
	require.NoError(t, got[0].Err)
	require.Equal(t, want[0].Values, got[0].Values)

	// The impossible date is an error naming the sheet and cell.
	require.EqualError(t, got[1].Err, `Danh sách!C5: birth_date "30/02/1950": not a real date (want YYYY-MM-DD)`)
	c, ok := got[1].Get("allowance_coefficient")
	require.True(t, ok)
	require.Equal(t, "1.5", rules.FormatValue(c))
}
