package sheet_test

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/hotro-vn/hotro/sheet"
	"github.com/shopspring/decimal"
)

// A list saved as CSV by Excel on a Vietnamese Windows: a title line, ';'
// separators, a BOM.
func ExampleOpen() {
	data := "\uFEFFDANH SÁCH ĐỐI TƯỢNG;;\r\nMã đối tượng;Họ và tên;Trợ cấp hằng tháng\r\nDT001;Nguyễn Văn An;1.500.000\r\nDT002;Trần Thị Bình\r\n"
	isHeader := func(cells []string) bool { return len(cells) > 0 && cells[0] == "Mã đối tượng" }
	r, err := sheet.Open(strings.NewReader(data), "ds.csv", sheet.Options{IsHeader: isHeader})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%q\n", r.Header())
	for {
		row, err := r.Next()
		if err == io.EOF {
			break
		}
		fmt.Printf("%d %q %s\n", row.Index, row.Cells, row.Where(2))
	}
	// Output:
	// ["Mã đối tượng" "Họ và tên" "Trợ cấp hằng tháng"]
	// 1 ["DT001" "Nguyễn Văn An" "1.500.000"] ds.csv!C3
	// 2 ["DT002" "Trần Thị Bình" ""] ds.csv!C4
}

func ExampleNewXLSX() {
	w, _ := sheet.NewXLSX(&sheet.Meta{RuleSet: "hatinh-2020-2025", Hash: "sha256:…"})
	defer w.Close()
	t, _ := w.AddTable("Kết quả", "KẾT QUẢ XÉT HỖ TRỢ", []sheet.Column{
		{Label: "Mã đối tượng", Kind: sheet.Text},
		{Label: "Mức hỗ trợ", Kind: sheet.Money},
	})
	_ = t.Row("DT001", decimal.NewFromInt(450000))
	_ = t.Row("DT002", decimal.NewFromInt(1230000))
	_ = t.Total("Tổng cộng")
	var buf bytes.Buffer
	_, err := w.WriteTo(&buf)
	fmt.Println(err, t.Sums()[1])
	// Output:
	// <nil> 1680000
}
