package eligibility_test

import (
	"strings"
	"testing"
	"time"

	"github.com/hotro-vn/hotro/eligibility"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A hand-worked person on 2024-07-01 under hatinh-2020-2025: born
// 12/04/1941 (83), a poor btxh household of commune 18112 (rural: poverty
// line 1.500.000 đ), no disability, a monthly allowance of 270.000 đ and
// no other income: top-up 1.500.000 − 270.000 = 1.230.000 đ.
func TestExplainIn(t *testing.T) {
	e := engine(t)
	date := time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC)
	recs, _, err := e.ReadCSV(strings.NewReader("person_id,household_id,full_name,birth_date,commune_code,household_poor,household_category,disability,monthly_allowance,other_income\n"+
		"HT-0001,HH-001,Nguyễn Thị Lài,1941-04-12,18112,true,btxh,none,270000,0\n"), date)
	require.NoError(t, err)
	outs, err := e.DecideAll(t.Context(), recs, date)
	require.NoError(t, err)
	d := outs[0].Decision
	require.NotNil(t, d)
	vi := eligibility.ExplainIn(d, "vi")
	for _, want := range []string{
		"Đủ điều kiện.",
		"Mức độ khuyết tật: Không", // disability=none, by the field's description and the value's spelling
		"Hộ nghèo thuộc chính sách bảo trợ xã hội (btxh) hay khác: BTXH", // household_category=btxh
		"Tuổi tròn tại ngày xét: 83",
		"Hộ nghèo trong năm: có",
		"Mức hỗ trợ hằng tháng: 1.230.000 đ",
		"Chuẩn nghèo về thu nhập (nông thôn / thành thị): 1.500.000 đ",
		"Trợ cấp xã hội hằng tháng đang hưởng: 270.000 đ",
		"Có ghi trợ cấp xã hội hằng tháng (ưu tiên hơn hệ số): có",
		"Không đang được nuôi dưỡng tập trung tại cơ sở trợ giúp xã hội (khoản 1 Điều 3 Nghị quyết 179/2019/NQ-HĐND",
	} {
		assert.Contains(t, vi, want)
	}
	// No variable name, no machine value.
	for _, name := range []string{"disability", "household_category", "poverty_line", "=none", "1230000", "true", "false", "topup"} {
		assert.NotContains(t, vi, name)
	}
	// English keeps Explain's text.
	assert.Equal(t, eligibility.Explain(d, "en"), eligibility.ExplainIn(d, "en"))
	assert.Contains(t, eligibility.ExplainIn(d, "en"), "disability=none")
}

// A person not eligible: the failed rules come first, enum values by their spelling.
func TestExplainInNotEligible(t *testing.T) {
	e := engine(t)
	date := time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC)
	recs, _, err := e.ReadCSV(strings.NewReader("person_id,household_id,birth_date,commune_code,household_poor,household_category\nX,H,2015-05-05,18112,false,other\n"), date)
	require.NoError(t, err)
	outs, err := e.DecideAll(t.Context(), recs, date)
	require.NoError(t, err)
	vi := eligibility.ExplainIn(outs[0].Decision, "vi")
	assert.Contains(t, vi, "Không đủ điều kiện. Không đạt: ")
	assert.Contains(t, vi, "Hộ nghèo trong năm: không")
	assert.Contains(t, vi, ": Khác")
}
