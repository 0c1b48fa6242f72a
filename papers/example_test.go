package papers_test

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/hotro-vn/hotro/papers"
	"github.com/shopspring/decimal"
)

func ExampleCommitments() {
	c := papers.Commitment{
		Heading:       papers.Heading{Issuer: "Ủy ban nhân dân xã Thạch Hạ"},
		Place:         "Thạch Hạ",
		Date:          time.Date(2025, 7, 5, 0, 0, 0, 0, time.UTC),
		Level:         "xã Thạch Hạ",
		Sponsor:       papers.Party{Name: "Công an huyện Thạch Hà"},
		Subjects:      []papers.Subject{{Name: "Trần Thị Lài"}},
		MonthlyAmount: decimal.NewFromInt(450000),
		From:          time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC),
		To:            time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC),
		Method:        "Chuyển khoản",
		Focal:         "Ủy ban MTTQ Việt Nam xã Thạch Hạ",
	}
	var b bytes.Buffer
	if err := papers.Commitments(&b, []papers.Commitment{c}); err != nil {
		fmt.Println(err)
		return
	}
	html := b.String()
	for _, s := range []string{"Bốn trăm năm mươi nghìn đồng", "từ tháng 7/2025 đến tháng 6/2026 (12 tháng)", "ngày 05 tháng 7 năm 2025"} {
		fmt.Println(strings.Contains(html, s), s)
	}
	// Output:
	// true Bốn trăm năm mươi nghìn đồng
	// true từ tháng 7/2025 đến tháng 6/2026 (12 tháng)
	// true ngày 05 tháng 7 năm 2025
}
