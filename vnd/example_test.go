package vnd_test

import (
	"fmt"
	"time"

	"github.com/hotro-vn/hotro/vnd"
	"github.com/shopspring/decimal"
)

func Example() {
	amount := decimal.NewFromInt(450000)
	words, _ := vnd.Words(amount)
	fmt.Println(vnd.Format(amount))
	fmt.Println(words)
	fmt.Println(vnd.LongDate(time.Date(2025, 7, 5, 0, 0, 0, 0, time.UTC)))
	// Output:
	// 450.000 đ
	// bốn trăm năm mươi nghìn đồng
	// ngày 05 tháng 7 năm 2025
}

func ExampleWords() {
	for _, n := range []int64{21000, 105000, 1005000, 2000000000} {
		w, _ := vnd.Words(decimal.NewFromInt(n))
		fmt.Printf("%s: %s\n", vnd.Group(decimal.NewFromInt(n)), w)
	}
	_, err := vnd.Words(decimal.RequireFromString("1500.5"))
	fmt.Println(err)
	// Output:
	// 21.000: hai mươi mốt nghìn đồng
	// 105.000: một trăm linh năm nghìn đồng
	// 1.005.000: một triệu không trăm linh năm nghìn đồng
	// 2.000.000.000: hai tỷ đồng
	// vnd: số tiền 1.500,5 không phải số đồng chẵn / amount is not a whole number of đồng
}

func ExampleFormat() {
	fmt.Println(vnd.Format(decimal.NewFromInt(-1500000)))
	fmt.Println(vnd.Format(decimal.RequireFromString("1500.5")))
	// Output:
	// -1.500.000 đ
	// 1.500,5 đ
}
