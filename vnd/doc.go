// Package vnd writes Vietnamese money and dates the way offices print them.
//
// Money in figures: [Format] gives "1.500.000 đ" (dot grouping, decimal comma
// for a non-whole amount, a leading minus), [Group] the same without the
// currency sign.
//
// Money in words: [Words] gives the amount as it is written on a commitment or
// a receipt under "Bằng chữ": 450.000 → "bốn trăm năm mươi nghìn đồng". The
// reading follows common Vietnamese (Northern) usage:
//
//   - digits three by three with nghìn, triệu, tỷ; above 999 tỷ the tỷ is
//     repeated ("một nghìn tỷ", "năm tỷ tỷ");
//   - "mười" for the tens digit 1, "X mươi" otherwise; "mốt" for a final 1
//     after "mươi" (21 "hai mươi mốt", but 11 "mười một"), "lăm" for a final
//     5 after a tens digit (15 "mười lăm", 25 "hai mươi lăm", but 105 "một
//     trăm linh năm"); a final 4 stays "bốn" (the formal spelling, not "tư");
//   - "linh" (not "lẻ") for an empty tens digit before a units digit: 105
//     "một trăm linh năm";
//   - a group of three below a non-zero higher one is read in full, so an
//     empty hundreds digit is "không trăm": 1.005.000 "một triệu không trăm
//     linh năm nghìn"; a group that is all zero is skipped: 2.000.000.000
//     "hai tỷ", 1.000.500 "một triệu năm trăm".
//
// Words refuses a negative or non-whole amount: a paper does not state such
// a sum.
//
// Dates: [Date] gives "05/07/2025" (layout 02/01/2006) and [LongDate] the
// form of an administrative document's place-and-date line, "ngày 05 tháng
// 7 năm 2025", with the leading zero for days below 10 and for months 1 and
// 2 that Nghị định 30/2020/NĐ-CP asks for ("ngày 03 tháng 02 năm 2026").
package vnd
