package main

import (
	"github.com/hotro-vn/hotro/internal/browsertest"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// papersFiles is a hand-worked case: the district police (Công an huyện
// Thạch Hà, place 445) sponsor Trần Thị Lài of commune 18112 (Xã Thạch Bình) with 450.000 đ
// a month from 01/2025 for 6 months, in cash, through the commune's Front.
func papersFiles(t *testing.T) (units, persons, commits string) {
	dir := t.TempDir()
	persons = allocFile(t, dir, "persons.csv", "person_id,household_id,full_name,birth_date,commune_code,household_poor,household_category,monthly_allowance",
		"p1,h1,Trần Thị Lài,1941-03-15,18112,true,btxh,270000")
	units = allocFile(t, dir, "units.csv", "unit_id,name,level,kind,place,staff",
		"ca,Công an huyện Thạch Hà,district,agency,445,40",
		"mt,Ủy ban MTTQ Việt Nam xã Thạch Bình,commune,commune,18112,")
	commits = allocFile(t, dir, "commitments.csv", "commitment_id,sponsor_id,beneficiary_ids,monthly_amount,first_month,duration,method,focal_id",
		"c1,ca,p1,450000,2025-01,6,cash,mt")
	return units, persons, commits
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(b)
}

func TestPapersCommitments(t *testing.T) {
	units, persons, commits := papersFiles(t)
	out := filepath.Join(t.TempDir(), "cam-ket.html")
	code, _, errs := runAlloc("papers", "commitments", "--lang", "vi", "--date", "2025-01-05", "--units", units, "--persons", persons, "--commitments", commits, "--out", out)
	require.Equal(t, 0, code, errs)
	html := readFile(t, out)
	for _, want := range []string{"450.000 đ", "bốn trăm năm mươi nghìn đồng", "Trần Thị Lài", "15/03/1941", "Công an huyện Thạch Hà",
		"từ tháng 01/2025 đến tháng 6/2025 (6 tháng)", "ngày 05 tháng 01 năm 2025", "Trao trực tiếp", "Ủy ban MTTQ Việt Nam xã Thạch Bình", "Xã Thạch Bình",
		// The basis is the rule set's sources: the resolution, then the plan.
		"Căn cứ Nghị quyết 179/2019/NQ-HĐND tỉnh Hà Tĩnh; Kế hoạch của Ban Thường trực Ủy ban MTTQ tỉnh Hà Tĩnh",
		// Signed at the sponsor's level (the district) by its Committee and Front, and by the sponsor.
		"Ủy ban nhân dân huyện Thạch Hà", "TM. Ủy ban nhân dân", "TM. Ban Thường trực Ủy ban MTTQ Việt Nam", "Bên nhận đỡ đầu"} {
		assert.Contains(t, strings.ToLower(html), strings.ToLower(want))
	}
	assert.NotContains(t, html, "Nghị định 136/2013") // a source of the amounts, not a basis of the commitment

	// A directory gets one file per focal organisation.
	dir := filepath.Join(t.TempDir(), "papers") + "/"
	code, _, errs = runAlloc("papers", "commitments", "--date", "2025-01-05", "--units", units, "--persons", persons, "--commitments", commits, "--out", dir)
	require.Equal(t, 0, code, errs)
	assert.FileExists(t, filepath.Join(dir, "cam-ket-mt.html"))
}

func TestPapersPaymentsAndBeneficiaries(t *testing.T) {
	units, persons, commits := papersFiles(t)
	code, out, errs := runAlloc("papers", "payments", "--lang", "vi", "--month", "2025-03", "--units", units, "--persons", persons, "--commitments", commits)
	require.Equal(t, 0, code, errs)
	for _, want := range []string{"Tháng 3/2025", "Trần Thị Lài", "Công an huyện Thạch Hà", "450.000", "Bốn trăm năm mươi nghìn đồng", "Ký nhận"} {
		assert.Contains(t, out, want)
	}
	// HT-0001 and HT-0002 of examples/persons.csv, commune 18112, on
	// 2024-07-01: 1.230.000 + 500.000 = 1.730.000 (see TestEvalRowsInRowsOut).
	dir := filepath.Join(t.TempDir(), "ds") + "/"
	code, _, errs = runAlloc("papers", "beneficiaries", "--lang", "vi", "--date", "2024-07-01", "--persons", "../../examples/persons.csv", "--out", dir)
	require.Equal(t, 0, code, errs)
	html := readFile(t, filepath.Join(dir, "danh-sach-18112.html"))
	for _, want := range []string{"Nguyễn Thị Lài", "1.230.000", "1.730.000", "Một triệu bảy trăm ba mươi nghìn đồng", "hatinh-nq179-2020-2025"} {
		assert.Contains(t, html, want)
	}
}

func TestPapersUsage(t *testing.T) {
	code, _, errs := runAlloc("papers", "--lang", "vi")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "thiếu loại giấy tờ")
	code, _, errs = runAlloc("papers", "payments", "--lang", "en", "--units", "u.csv")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "--month is required")
}

// The commitment the command produces, rendered by headless Chromium: the
// page reads the amount in figures and in words; a screenshot is kept in
// testdata/artifacts (or $HOTRO_ARTIFACTS).
func TestPapersInBrowser(t *testing.T) {
	units, persons, commits := papersFiles(t)
	code, html, errs := runAlloc("papers", "commitments", "--date", "2025-01-05", "--units", units, "--persons", persons, "--commitments", commits)
	require.Equal(t, 0, code, errs)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(html))
	}))
	defer srv.Close()
	ctx := browsertest.Context(t, 1000, 1400, 2*time.Minute)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(srv.URL), chromedp.WaitVisible(chromedp.CSS("section.page"))))
	text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("body")))
	require.NoError(t, err)
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	require.NoError(t, err)
	for _, want := range []string{"GIẤY CAM KẾT NHẬN ĐỠ ĐẦU", "450.000 đ", "Bằng chữ: Bốn trăm năm mươi nghìn đồng", "Trần Thị Lài"} {
		assert.Contains(t, text, want)
	}
	path := filepath.Join(browsertest.ArtifactDir(t, ""), "papers-cam-ket.png")
	require.NoError(t, os.WriteFile(path, png, 0o644))
	t.Logf("screenshot %s (%d bytes)", path, len(png))
}

// eval --explain under --lang vi labels the values from the rule file; the
// columns stay those of --lang en, whose explanation is unchanged.
func TestEvalExplainVietnamese(t *testing.T) {
	code, out, errs := runAlloc("eval", "--lang", "vi", "--explain", "--date", "2024-07-01", "../../examples/persons.csv")
	require.Equal(t, 0, code, errs)
	rows := allocCSV(t, out)
	assert.Equal(t, []string{"person_id", "eligible", "monthly_topup", "failed_rules", "error", "rule_set", "explanation"}, rows[0])
	assert.Equal(t, "1230000", rows[1][2])
	assert.Contains(t, rows[1][6], "Mức độ khuyết tật: Không")
	assert.Contains(t, rows[1][6], "Mức hỗ trợ hằng tháng: 1.230.000 đ")
	assert.NotContains(t, rows[1][6], "disability=")
	code, out, _ = runAlloc("eval", "--lang", "en", "--explain", "--date", "2024-07-01", "../../examples/persons.csv")
	require.Equal(t, 0, code)
	assert.Contains(t, allocCSV(t, out)[1][6], "disability=none")
}

// Help under --lang vi describes every flag of every command in Vietnamese.
func TestFlagsVietnamese(t *testing.T) {
	var names []string
	for n := range commands {
		names = append(names, n)
	}
	viLetters := "ạảãàáâậầấẩẫăắằặẳẵêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
	for _, n := range names {
		args := []string{n, "--lang", "vi", "-h"}
		if n == "papers" {
			args = []string{n, "commitments", "--lang", "vi", "-h"}
		}
		code, out, errs := runAlloc(args...)
		require.Equal(t, 0, code, n+": "+errs)
		for _, line := range strings.Split(out, "\n") {
			// flag.PrintDefaults writes each description on a line of its own, indented by a tab.
			if d, ok := strings.CutPrefix(line, "    \t"); ok && !strings.ContainsAny(strings.ToLower(d), viLetters) {
				t.Errorf("hotro %s --lang vi -h: %q is not in Vietnamese", n, d)
			}
		}
	}
	code, out, _ := runAlloc("quota", "--lang", "vi", "-h")
	require.Equal(t, 0, code)
	assert.Contains(t, out, "ngày lập kế hoạch YYYY-MM-DD (bắt buộc)")
	code, out, _ = runAlloc("quota", "--lang", "en", "-h")
	require.Equal(t, 0, code)
	assert.Contains(t, out, "plan date YYYY-MM-DD (required)")
}

// The readers' warnings and errors print in Vietnamese under --lang vi.
func TestReaderMessagesVietnamese(t *testing.T) {
	defer func(l string) { lang = l }(lang)
	for en, vi := range map[string]string{
		`unknown column "Ghi chú" ignored`:                           `cột không xác định "Ghi chú" được bỏ qua`,
		`line 7: blank row ignored`:                                  `dòng 7: dòng trống được bỏ qua`,
		`missing required column(s): person_id, birth_date`:          `thiếu cột bắt buộc: person_id, birth_date`,
		`f.csv: column "birth_date" appears twice (columns 2 and 5)`: `f.csv: cột "birth_date" xuất hiện hai lần (cột 2 và cột 5)`,
		`something else`: `something else`,
	} {
		lang = "vi"
		assert.Equal(t, vi, readerMsg(en))
		lang = "en"
		assert.Equal(t, en, readerMsg(en))
	}
	// As the user sees it: a persons file with an unknown column and a blank row.
	dir := t.TempDir()
	persons := allocFile(t, dir, "persons.csv", "person_id,household_id,birth_date,commune_code,household_poor,household_category,Ghi chú",
		"p1,h1,1941-03-15,18112,true,btxh,x", "", "p2,h1,1941-03-15,18112,true,btxh,")
	code, _, errs := runAlloc("eval", "--lang", "vi", "--date", "2024-07-01", persons)
	assert.Equal(t, 0, code, errs)
	assert.Contains(t, errs, `cảnh báo: `+persons+`: cột không xác định "Ghi chú" được bỏ qua`)
	bad := allocFile(t, dir, "bad.csv", "person_id,household_id", "p1,h1")
	code, _, errs = runAlloc("eval", "--lang", "vi", "--date", "2024-07-01", bad)
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "thiếu cột bắt buộc: ")
}
