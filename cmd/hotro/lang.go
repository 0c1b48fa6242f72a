package main

import (
	"os"
	"strings"

	"github.com/hotro-vn/hotro/eligibility"
	"github.com/hotro-vn/hotro/vnd"
	"github.com/shopspring/decimal"
)

// lang is the language of what the program says to people: "vi" or "en".
// Machine outputs (CSV and JSON keys, rule ids, codes) are the same in both.
//
// --lang chooses it; without the flag it is Vietnamese when the locale of
// the environment is (the first set of LC_ALL, LC_MESSAGES and LANG, as
// POSIX orders them, starts with "vi"), else English. The library never
// reads the environment: only this command does.
var lang = envLang(os.Getenv)

// envLang is the language the environment asks for.
func envLang(getenv func(string) string) string {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := getenv(k); v != "" {
			if strings.HasPrefix(strings.ToLower(v), "vi") {
				return "vi"
			}
			return "en"
		}
	}
	return "en"
}

// langOf finds --lang (or -lang, with = or a separate value) among args
// before the flags are parsed, so that help and usage are in that language.
func langOf(args []string) (string, bool) {
	for i, a := range args {
		if a == "--" {
			break
		}
		name, val, eq := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || name != "lang" {
			continue
		}
		if !eq {
			if i+1 >= len(args) {
				return "", false
			}
			val = args[i+1]
		}
		return val, true
	}
	return "", false
}

// tr picks the text of the current language.
func tr(en, vi string) string {
	if lang == "vi" {
		return vi
	}
	return en
}

// explain is a decision's explanation in lang: in Vietnamese with the rule
// file's labels (eligibility.ExplainIn), in English as eligibility.Explain
// writes it.
func explain(d *eligibility.Decision, lang string) string {
	return eligibility.ExplainIn(d, lang)
}

// summariesVI are the commands' one-line summaries in Vietnamese.
var summariesVI = map[string]string{
	"check":     "nạp và kiểm tra bộ quy tắc; liệt kê các quy tắc và hiệu lực của chúng",
	"test":      "chạy các trường hợp kiểm thử đi kèm bộ quy tắc",
	"eval":      "xét điều kiện và mức hỗ trợ hằng tháng cho từng người trong danh sách",
	"schedule":  "mức hỗ trợ của từng người theo từng tháng, với các tham số đã dùng",
	"quota":     "số đối tượng mỗi đơn vị phải nhận đỡ đầu theo quy định (Kế hoạch, mục III.1)",
	"allocate":  "lập kế hoạch ai nhận đỡ đầu ai, theo từng cấp, và kiểm tra mọi định mức",
	"monitor":   "đối chiếu cam kết với mức hỗ trợ phải chi, từng tháng, và các khoản chi",
	"reconcile": "đối chiếu khoản đã chi với mức phải hỗ trợ và cam kết: chưa chi, nợ đọng, chi thừa, nguồn vận động",
	"schema":    "in JSON Schema của tệp quy tắc, cho trình soạn thảo (xem docs/schema.md)",
	"diff":      "tác động của thay đổi quy tắc: cùng danh sách theo hai bộ quy tắc, người được thêm, người mất và tổng tiền",
	"serve":     "chạy dịch vụ HTTP xét điều kiện",
	"version":   "in phiên bản chương trình và các bộ quy tắc có sẵn",
	"papers":    "in giấy cam kết nhận đỡ đầu, danh sách chi trả, danh sách đối tượng (HTML để in khổ A4)",
}

// moneyOut writes an amount of đồng for the reader: 1.500.000 in
// Vietnamese (the unit follows in the sentence), 1500000 in English.
func moneyOut(d decimal.Decimal) string {
	if lang == "vi" {
		return vnd.Group(d)
	}
	return d.StringFixed(0)
}
