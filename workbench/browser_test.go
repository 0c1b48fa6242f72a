package workbench

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"github.com/hotro-vn/hotro/internal/browsertest"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/hotro-vn/hotro/rulesets"
	"github.com/hotro-vn/hotro/service"
	"github.com/xuri/excelize/v2"
)

// copySets writes rule sets of the module into dir, as an office's rules
// directory.
func copySets(t *testing.T, dir string, sets ...string) {
	for _, s := range sets {
		err := fs.WalkDir(rulesets.FS, s, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := fs.ReadFile(rulesets.FS, p)
			if err != nil {
				return err
			}
			if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(p)), 0o755); err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(dir, p), b, 0o644)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// browser drives one headless Chromium over a server.
type browser struct {
	t    *testing.T
	ctx  context.Context
	base string
	dir  string
}

func (b *browser) do(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.t.Fatal(err)
	}
}

func (b *browser) open(path string) {
	b.t.Helper()
	b.do(chromedp.Navigate(b.base+path), chromedp.WaitReady(chromedp.CSS("footer")))
}

// submit clicks sel and waits until the page it leads to has loaded.
func (b *browser) submit(sel string) {
	b.t.Helper()
	if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`document.body.dataset.stale = "1"; true`)); err != nil {
		b.t.Fatal(err)
	}
	b.do(chromedp.Click(chromedp.CSS(sel)), chromedp.WaitNotPresent(chromedp.CSS("body[data-stale]")), chromedp.WaitReady(chromedp.CSS("footer")))
}

func (b *browser) set(sel, value string) {
	b.t.Helper()
	b.do(chromedp.SetValue(chromedp.CSS(sel), value))
}

func (b *browser) text(sel string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("%s: %v", sel, err)
	}
	return s
}

func (b *browser) has(sel string) bool {
	b.t.Helper()
	n, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelectorAll(`+jsString(sel)+`).length`))
	if err != nil {
		b.t.Fatal(err)
	}
	return n > 0
}

func jsString(s string) string {
	j, _ := json.Marshal(s)
	return string(j)
}

// shot keeps a screenshot of the window, scrolled to the element at (if
// any), as a test artifact.
func (b *browser) shot(name string, at ...string) {
	b.t.Helper()
	if len(at) > 0 {
		b.do(chromedp.ScrollIntoView(chromedp.CSS(at[0])))
	}
	png, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Fatal(err)
	}
	p := filepath.Join(b.dir, name+".png")
	if err := os.WriteFile(p, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("screenshot %s", p)
}

func (b *browser) fetch(path string) []byte {
	b.t.Helper()
	resp, err := http.Get(b.base + path)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		b.t.Fatalf("GET %s: %d %v", path, resp.StatusCode, err)
	}
	return body
}

func contains(t *testing.T, what, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("%s lacks %q; it reads:\n%.3000s", what, w, got)
		}
	}
}

// The workbench as an officer uses it, in a real browser, served by the
// service as `hotro serve` does, over a rules directory on disk.
func TestInBrowser(t *testing.T) {
	ctx := browsertest.Context(t, 1280, 1000, 5*time.Minute)
	tmp := t.TempDir()
	rulesDir := filepath.Join(tmp, "rules")
	copySets(t, rulesDir, "hatinh-2020-2025", "hatinh-2026-2030-draft")
	svc, err := service.New(service.Options{Rules: rulesDir})
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	wb, err := New(Options{InForce: svc.InForce, Workspace: filepath.Join(tmp, "ws"),
		Today:       func() time.Time { return time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC) },
		Populations: []Population{{Name: "Hà Tĩnh (ví dụ)", Path: "../examples/hatinh/persons.csv"}}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(wb.Mount(svc))
	defer srv.Close()
	inForceHash := func() string {
		var body struct {
			RuleSets []struct{ ID, Hash string } `json:"rulesets"`
		}
		resp, err := http.Get(srv.URL + "/v1/rulesets")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
			t.Fatal(err)
		}
		for _, s := range body.RuleSets {
			if s.ID == "hatinh-draft-2026-2030" {
				return s.Hash
			}
		}
		t.Fatalf("no hatinh-draft-2026-2030 in force: %+v", body)
		return ""
	}
	hashBefore := inForceHash()
	paramsBefore, _ := os.ReadFile(filepath.Join(rulesDir, "hatinh-2026-2030-draft", "parameters.yaml"))

	b := &browser{t: t, ctx: ctx, base: srv.URL, dir: browsertest.ArtifactDir(t, "workbench")}

	t.Run("each page", func(t *testing.T) {
		b.t = t
		for _, p := range []struct{ path, name, want string }{
			{"/", "01-bo-quy-tac", "hatinh-draft-2026-2030"},
			{"/bo-quy-tac/hatinh-nq179-2020-2025", "02-bo-quy-tac-2020-2025", "Chuẩn nghèo về thu nhập"},
			{"/thu", "03-thu", "Ngày sinh"},
			{"/danh-sach", "04-danh-sach", "Tải lên danh sách người"},
			{"/soan", "05-soan", "Bắt đầu dự thảo"},
			{"/bo-quy-tac/hatinh-nq179-2020-2025?lang=en", "06-rules-en", "Government poverty line"},
		} {
			b.open(p.path)
			contains(t, p.path, b.text("main"), p.want)
			b.shot(p.name)
		}
	})

	// HT-0002 of examples/persons.csv on 2024-07-01: 2.0 × 500.000 =
	// 1.000.000 đ allowance, top-up 1.500.000 − 1.000.000 = 500.000 đ; over
	// 2021-05…2022-02, 1.880.000 đ (docs/huong-dan.md step 6).
	t.Run("try a person", func(t *testing.T) {
		b.t = t
		b.open("/thu")
		for k, v := range map[string]string{"date": "2024-07-01", "f_person_id": "HT-0002", "f_household_id": "HH-001", "f_full_name": "Trần Văn Bốn",
			"f_birth_date": "1938-09-30", "f_commune_code": "18112", "f_resident": "true", "f_household_poor": "true", "f_household_category": "btxh",
			"f_disability": "severe", "f_serious_illness": "false", "f_in_care_facility": "false", "f_allowance_coefficient": "2.0", "from": "2021-05", "to": "2022-02"} {
			b.set(`#try-form [name="`+k+`"]`, v)
		}
		b.submit("#try-submit")
		contains(t, "the decision", b.text("#decision"), "Là đối tượng được hỗ trợ", "500.000 đ", "Hộ nghèo thuộc chính sách bảo trợ xã hội", "Điều 2 Nghị quyết 179/2019/NQ-HĐND")
		if got := b.text("#months-total"); got != "1.880.000 đ" {
			t.Errorf("total over the months: %q", got)
		}
		b.shot("07-thu-ket-qua", "#decision")
	})

	// examples/persons.csv on 2024-07-01: 12 records, 7 eligible, 6.080.000 đ
	// a month (docs/huong-dan.md step 6); HT-0001: 1.500.000 − 270.000 =
	// 1.230.000 đ.
	t.Run("upload a list and download the xlsx", func(t *testing.T) {
		b.t = t
		b.open("/danh-sach")
		abs, _ := filepath.Abs("../examples/persons.csv")
		b.set(`#batch-form [name="date"]`, "2024-07-01")
		b.do(chromedp.SetUploadFiles(chromedp.CSS(`#batch-form input[name="file"]`), []string{abs}))
		b.submit("#batch-submit")
		contains(t, "the summary", b.text("#batch-summary"), "12 hồ sơ, 7 đối tượng, 0 có lỗi", "6.080.000 đ")
		b.shot("08-danh-sach-ket-qua")
		attr, err := chromedp.Run(b.ctx, chromedp.AttributeValue(chromedp.CSS("#download"), "href"))
		if err != nil {
			t.Fatal(err)
		}
		href := attr.Value
		f, err := excelize.OpenReader(bytes.NewReader(b.fetch(href)))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := f.GetRows("Kết quả", excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		found := map[string][]string{}
		for _, r := range rows {
			if len(r) > 1 && strings.HasPrefix(r[1], "HT-") {
				found[r[1]] = r
			}
		}
		if len(found) != 12 {
			t.Errorf("%d persons in the workbook, want 12", len(found))
		}
		if r := found["HT-0001"]; len(r) < 5 || r[4] != "1230000" || r[3] != "Có" {
			t.Errorf("HT-0001 in the workbook: %q", r)
		}
		if r := found["HT-0006"]; len(r) < 6 || r[3] != "Không" || r[5] != "no_labour_capacity_group" {
			t.Errorf("HT-0006 in the workbook: %q", r)
		}

		abs, _ = filepath.Abs("../examples/persons-with-errors.csv")
		b.open("/danh-sach")
		b.set(`#batch-form [name="date"]`, "2024-07-01")
		b.do(chromedp.SetUploadFiles(chromedp.CSS(`#batch-form input[name="file"]`), []string{abs}))
		b.submit("#batch-submit")
		contains(t, "the record errors", b.text("#record-errors"), "person_id", "birth_date")
		b.shot("09-danh-sach-loi", "#results")
	})

	// docs/huong-dan.md step 8, in forms: the 2027 poverty line becomes
	// 2.300.000 / 2.900.000 đ, the three 2027 cases fail, are worked again
	// (2.900.000 − 500.000 = 2.400.000; 2.300.000 − 500.000 = 1.800.000;
	// 2.300.000 − 750.000 = 1.550.000) and pass; the impact on the province
	// on 2027-06-01 is 16.361 × 100.000 = 1.636.100.000 đ a month more.
	var draft string
	t.Run("the 2027 poverty line of the guide", func(t *testing.T) {
		b.t = t
		b.open("/soan")
		b.set(`#new-draft [name="set"]`, "hatinh-draft-2026-2030")
		b.submit("#new-draft-submit")
		loc, err := chromedp.Run(b.ctx, chromedp.Location())
		if err != nil {
			t.Fatal(err)
		}
		draft = loc[strings.LastIndex(loc, "/")+1:]
		if draft != "hatinh-2026-2030-draft" {
			t.Fatalf("the draft is %q", draft)
		}
		b.set(`#pv-poverty_line-2 [name="value_rural"]`, "2.300.000")
		b.set(`#pv-poverty_line-2 [name="value_urban"]`, "2900000")
		b.set(`#pv-poverty_line-2 [name="source"]`, "Quyết định giả định số 01/2027 (ví dụ trong hướng dẫn)")
		b.submit(`#pv-poverty_line-2 button`)
		contains(t, "the check", b.text("#check"), "Kiểm tra: không có lỗi", "26 đạt, 3 không đạt")
		b.shot("10-soan-sau-khi-sua", "#p-poverty_line")
		names := map[int]string{
			1: "2027 line 01/2027 (giả định), urban (đô thị): 2,900,000 − 500,000 = 2,400,000",
			2: "2027 line 01/2027 (giả định), rural: 2,300,000 − 500,000 = 1,800,000 (new code 18133, Xã Hương Sơn)",
			5: "coefficient 1.5 × 500,000 = 750,000 in 2027 rural: 2,300,000 − 750,000 = 1,550,000",
		}
		for _, i := range []int{1, 2, 5} {
			sel := "#c-" + string(rune('0'+i))
			contains(t, "case", b.text(sel), "monthly_topup: expected")
			b.submit(sel + ` button[value="accept"]`)
			b.set(sel+` [name="name"]`, names[i])
			b.submit(sel + ` button[value="save"]`)
		}
		contains(t, "the check", b.text("#check"), "Kiểm tra: không có lỗi", "29 đạt, 0 không đạt")
		b.shot("11-soan-ca-kiem-thu-dat", "#c-1")

		b.open("/soan/" + draft + "/tac-dong")
		b.do(chromedp.Click(chromedp.CSS(`#impact-form input[name="pop"][value="0"]`)))
		b.set(`#impact-form [name="date"]`, "2027-06-01")
		b.submit("#impact-submit")
		if got := b.text("#delta-total"); got != "+1.636.100.000 đ" {
			t.Errorf("the change a month: %q", got)
		}
		if got := b.text("#gained") + "/" + b.text("#lost"); got != "0/0" {
			t.Errorf("gained/lost: %s", got)
		}
		if !b.has("#months svg.chart rect.new") || !b.has("#years svg.chart") || !b.has("#communes svg.chart") {
			t.Error("the cost charts are missing")
		}
		contains(t, "the year", b.text("#years"), "+19.633.200.000 đ")
		b.shot("12-tac-dong", "#impact")

		// The rule set downloaded equals the one the guide builds by hand.
		zipped := b.fetch("/soan/" + draft + "/tai")
		z, err := zip.NewReader(bytes.NewReader(zipped), int64(len(zipped)))
		if err != nil {
			t.Fatal(err)
		}
		byHand := guideByHand(t)
		got := map[string]string{}
		for _, f := range z.File {
			rc, _ := f.Open()
			body, _ := io.ReadAll(rc)
			rc.Close()
			got[f.Name] = string(body)
		}
		if len(got) != len(byHand) {
			t.Errorf("the zip holds %d files, the guide's directory %d", len(got), len(byHand))
		}
		for name, want := range byHand {
			if got[name] != want {
				t.Errorf("%s differs from the guide's:\n%s", name, got[name])
			}
		}
	})

	// A broken edit shows its positioned error and never reaches the rules
	// in force.
	t.Run("a broken edit", func(t *testing.T) {
		b.t = t
		if draft == "" {
			t.Skip("no draft")
		}
		b.open("/soan/" + draft)
		b.set(`#pv-poverty_line-2 [name="value_rural"]`, "23OOOOO")
		b.submit(`#pv-poverty_line-2 button`)
		contains(t, "the errors", b.text("#check-errors"), "parameters.yaml:18:")
		b.shot("13-loi-co-vi-tri", "#check")
		b.open("/soan/" + draft + "/yaml?file=parameters.yaml")
		if !b.has(`#L18 .inline-error[data-line="18"]`) {
			t.Error("the YAML view does not show the error under line 18")
		}
		b.shot("14-yaml-loi", "#L16")
		if h := inForceHash(); h != hashBefore {
			t.Errorf("the rules in force changed: %s → %s", hashBefore, h)
		}
		if now, _ := os.ReadFile(filepath.Join(rulesDir, "hatinh-2026-2030-draft", "parameters.yaml")); !bytes.Equal(now, paramsBefore) {
			t.Error("the rules directory was written")
		}
		// The rules in force still decide 2027 on NĐ 351: 2.200.000 − 500.000.
		b.open("/thu")
		for k, v := range map[string]string{"date": "2027-06-01", "f_person_id": "p", "f_household_id": "h", "f_birth_date": "1950-03-15",
			"f_commune_code": "18133", "f_household_poor": "true", "f_household_category": "btxh", "f_monthly_allowance": "500000"} {
			b.set(`#try-form [name="`+k+`"]`, v)
		}
		b.submit("#try-submit")
		if got := b.text("#topup"); got != "1.700.000 đ" {
			t.Errorf("the rules in force give %q", got)
		}
	})
}

// guideByHand is docs/huong-dan.md step 8 done by hand: the files of
// hatinh-2026-2030-draft with the 2027 value and source changed in
// parameters.yaml and the three 2027 cases worked again in cases.yaml.
func guideByHand(t *testing.T) map[string]string {
	out := map[string]string{}
	entries, _ := fs.ReadDir(rulesets.FS, "hatinh-2026-2030-draft")
	for _, e := range entries {
		b, _ := fs.ReadFile(rulesets.FS, "hatinh-2026-2030-draft/"+e.Name())
		out["hatinh-2026-2030-draft/"+e.Name()] = string(b)
	}
	edit := func(file string, pairs ...string) {
		s := out[file]
		for i := 0; i < len(pairs); i += 2 {
			if !strings.Contains(s, pairs[i]) {
				t.Fatalf("%s has no %q", file, pairs[i])
			}
			s = strings.Replace(s, pairs[i], pairs[i+1], 1)
		}
		out[file] = s
	}
	edit("hatinh-2026-2030-draft/parameters.yaml",
		"      - from: 2027-01-01\n        value: {rural: 2200000, urban: 2800000}\n        source: NĐ 351/2025/NĐ-CP\n",
		"      - from: 2027-01-01\n        value: {rural: 2300000, urban: 2900000}\n        source: Quyết định giả định số 01/2027 (ví dụ trong hướng dẫn)\n")
	edit("hatinh-2026-2030-draft/cases.yaml",
		`"2027 line NĐ 351/2025, urban (đô thị): 2,800,000 − 500,000 = 2,300,000"`, `"2027 line 01/2027 (giả định), urban (đô thị): 2,900,000 − 500,000 = 2,400,000"`,
		`outputs: {monthly_topup: "2300000", zone: "urban", poverty_line: "2800000"}`, `outputs: {monthly_topup: "2400000", zone: "urban", poverty_line: "2900000"}`,
		`"2027 line NĐ 351/2025, rural: 2,200,000 − 500,000 = 1,700,000 (new code 18133, Xã Hương Sơn)"`, `"2027 line 01/2027 (giả định), rural: 2,300,000 − 500,000 = 1,800,000 (new code 18133, Xã Hương Sơn)"`,
		`outputs: {monthly_topup: "1700000", zone: "rural", poverty_line: "2200000"}`, `outputs: {monthly_topup: "1800000", zone: "rural", poverty_line: "2300000"}`,
		`"coefficient 1.5 × 500,000 = 750,000 in 2027 rural: 2,200,000 − 750,000 = 1,450,000"`, `"coefficient 1.5 × 500,000 = 750,000 in 2027 rural: 2,300,000 − 750,000 = 1,550,000"`,
		`outputs: {monthly_topup: "1450000", allowance: "750000"}`, `outputs: {monthly_topup: "1550000", allowance: "750000"}`)
	return out
}
