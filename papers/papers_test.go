package papers

import (
	"bytes"
	"github.com/hotro-vn/hotro/internal/browsertest"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/shopspring/decimal"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func sampleCommitment() Commitment {
	return Commitment{
		Heading: Heading{Parent: "Ủy ban nhân dân huyện Thạch Hà", Issuer: "Ủy ban nhân dân xã Thạch Hạ"},
		Place:   "Thạch Hạ", Date: day(2025, 7, 5), Level: "xã Thạch Hạ",
		Sponsor: Party{Name: "Công an huyện Thạch Hà", Representative: "Nguyễn Văn Hùng", Address: "Thị trấn Thạch Hà, huyện Thạch Hà", Phone: "0239 3845 123"},
		Subjects: []Subject{{Code: "DT001", Name: "Trần Thị Lài", BirthDate: day(1941, 3, 15), Address: "Thôn Trung Tiến, xã Thạch Hạ",
			Circumstances: "Người cao tuổi sống một mình, không có lương hưu"}},
		MonthlyAmount: decimal.NewFromInt(450000),
		From:          day(2025, 7, 1), To: day(2025, 12, 1),
		Method: "Trao trực tiếp", Focal: "Ủy ban MTTQ Việt Nam xã Thạch Hạ",
	}
}

func samplePayments() PaymentList {
	return PaymentList{
		Heading: Heading{Parent: "Ủy ban MTTQ Việt Nam huyện Thạch Hà", Issuer: "Ban Thường trực Ủy ban MTTQ xã Thạch Hạ", Number: "07/DS-MTTQ"},
		Place:   "Thạch Hạ", Date: day(2025, 7, 25), Month: day(2025, 7, 1), Focal: "Ủy ban MTTQ Việt Nam xã Thạch Hạ",
		Rows: []PaymentRow{
			{Code: "DT001", Subject: "Trần Thị Lài", Address: "Thôn Trung Tiến", Sponsor: "Công an huyện Thạch Hà", Method: "Trao trực tiếp", Amount: decimal.NewFromInt(450000)},
			{Code: "DT002", Subject: "Nguyễn Văn Tứ", Address: "Thôn Đông Hà", Sponsor: "Hội Nông dân xã; Ông Lê Văn Ba", Method: "Chuyển khoản", Amount: decimal.NewFromInt(1230000)},
			{Code: "DT003", Subject: "Phan Thị Mến", Address: "Thôn Bắc Sơn", Sponsor: "Trường THCS Thạch Hạ", Method: "Trao trực tiếp", Amount: decimal.NewFromInt(320000)},
		},
	}
}

func sampleBeneficiaries() BeneficiaryList {
	return BeneficiaryList{
		Heading: Heading{Parent: "Ủy ban nhân dân huyện Thạch Hà", Issuer: "Ủy ban nhân dân xã Thạch Hạ"},
		Place:   "Thạch Hạ", Date: day(2024, 7, 1), Commune: "Xã Thạch Hạ", District: "Huyện Thạch Hà", Province: "Tỉnh Hà Tĩnh",
		EffectiveDate: day(2024, 7, 1), RuleSet: "hatinh-2020-2025", Hash: "sha256:9f2c…",
		Rows: []Beneficiary{
			{Code: "DT001", Name: "Trần Thị Lài", BirthDate: day(1941, 3, 15), Household: "H0012", Category: "Người cao tuổi", Topup: decimal.NewFromInt(450000)},
			{Code: "DT002", Name: "Nguyễn Văn Tứ", BirthDate: day(1958, 11, 2), Household: "H0031", Category: "Người khuyết tật nặng", Topup: decimal.NewFromInt(1230000)},
		},
	}
}

// Without a browser: the pages hold the texts, amounts and words worked by hand.
func TestRenderTexts(t *testing.T) {
	var b bytes.Buffer
	if err := Commitments(&b, []Commitment{sampleCommitment()}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "450.000 đ",
		"Bốn trăm năm mươi nghìn đồng", "từ tháng 7/2025 đến tháng 12/2025 (6 tháng)", "ngày 05 tháng 7 năm 2025",
		"15/03/1941", "TM. Ủy ban nhân dân", "TM. Ban Thường trực Ủy ban MTTQ Việt Nam", "Bên nhận đỡ đầu"} {
		if !strings.Contains(strings.ToUpper(b.String()), strings.ToUpper(want)) {
			t.Errorf("commitment lacks %q", want)
		}
	}
	b.Reset()
	if err := PaymentLists(&b, []PaymentList{samplePayments()}); err != nil {
		t.Fatal(err)
	}
	// 450.000 + 1.230.000 + 320.000 = 2.000.000.
	for _, want := range []string{"2.000.000", "Hai triệu đồng", "Ký nhận", "Tháng 7/2025", "Hội Nông dân xã; Ông Lê Văn Ba"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("payment list lacks %q", want)
		}
	}
	b.Reset()
	if err := BeneficiaryLists(&b, []BeneficiaryList{sampleBeneficiaries()}); err != nil {
		t.Fatal(err)
	}
	// 450.000 + 1.230.000 = 1.680.000.
	for _, want := range []string{"1.680.000", "Một triệu sáu trăm tám mươi nghìn đồng", "hatinh-2020-2025"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("beneficiary list lacks %q", want)
		}
	}
	bad := sampleCommitment()
	bad.MonthlyAmount = decimal.Zero
	if err := Commitments(&b, []Commitment{bad}); err == nil {
		t.Error("a commitment without amount was printed")
	}
}

// Each paper is rendered by headless Chromium; the test reads the texts as
// laid out on the page and keeps a screenshot.
func TestRenderInBrowser(t *testing.T) {
	ctx := browsertest.Context(t, 1000, 1400, 2*time.Minute)
	docs := map[string]func(*bytes.Buffer) error{
		"cam-ket":   func(b *bytes.Buffer) error { return Commitments(b, []Commitment{sampleCommitment()}) },
		"chi-tra":   func(b *bytes.Buffer) error { return PaymentLists(b, []PaymentList{samplePayments()}) },
		"danh-sach": func(b *bytes.Buffer) error { return BeneficiaryLists(b, []BeneficiaryList{sampleBeneficiaries()}) },
	}
	mux := http.NewServeMux()
	for name, render := range docs {
		var b bytes.Buffer
		if err := render(&b); err != nil {
			t.Fatal(err)
		}
		html := b.Bytes()
		mux.HandleFunc("/"+name, func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = w.Write(html)
		})
	}
	srv := httptest.NewServer(mux) // listens on 127.0.0.1
	defer srv.Close()

	want := map[string][]string{
		"cam-ket":   {"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "GIẤY CAM KẾT NHẬN ĐỠ ĐẦU", "450.000 đ", "Bằng chữ: Bốn trăm năm mươi nghìn đồng"},
		"chi-tra":   {"DANH SÁCH CHI TRẢ", "2.000.000", "Tổng số tiền bằng chữ: Hai triệu đồng"},
		"danh-sach": {"DANH SÁCH ĐỐI TƯỢNG", "1.680.000", "Một triệu sáu trăm tám mươi nghìn đồng"},
	}
	dir := browsertest.ArtifactDir(t, "")
	for _, name := range []string{"cam-ket", "chi-tra", "danh-sach"} {
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/"+name), chromedp.WaitVisible(chromedp.CSS("section.page"))); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		pages, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("section.page").length`))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("body")))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if pages != 1 {
			t.Errorf("%s: %d pages", name, pages)
		}
		// innerText applies text-transform, so upper-cased headings read in capitals.
		for _, w := range want[name] {
			if !strings.Contains(text, w) {
				t.Errorf("%s: the page lacks %q; it reads:\n%s", name, w, text)
			}
		}
		path := filepath.Join(dir, name+".png")
		if err := os.WriteFile(path, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot %s (%d bytes)", path, len(png))
	}
}
