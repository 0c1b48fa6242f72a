package main

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hotro-vn/hotro/rules"
	"github.com/hotro-vn/hotro/sheet"
	"github.com/shopspring/decimal"
)

// The workbooks of --format xlsx are built from the CSV reports the
// commands already write: each report becomes a sheet whose header row
// holds the Vietnamese label of every machine key (the CSV and JSON keep
// the keys), money columns are number cells shown 1.500.000, counts are
// whole numbers, true/false are "Có"/"Không". A summary sheet of key
// figures comes last. Every sheet names the rule set, its status and hash.

// colKind is how a report column is written to a sheet.
type colKind int

const (
	kText  colKind = iota
	kMoney         // whole đồng
	kAuto          // true/false → Có/Không, whole numbers → numbers, else text
	kDec           // a decimal share or coefficient
	kDate          // YYYY-MM-DD → a date cell
)

type colInfo struct {
	label string
	kind  colKind
}

// columns maps the machine keys of the CSV reports to their Vietnamese
// headers and the kind of their values.
var columns = map[string]colInfo{
	"person_id":              {"Mã đối tượng", kText},
	"household_id":           {"Mã hộ", kText},
	"full_name":              {"Họ và tên", kText},
	"eligible":               {"Đủ điều kiện", kAuto},
	"monthly_topup":          {"Mức hỗ trợ hằng tháng (đồng)", kMoney},
	"topup":                  {"Mức hỗ trợ hằng tháng (đồng)", kMoney},
	"failed_rules":           {"Quy tắc không đạt", kText},
	"error":                  {"Lỗi", kText},
	"rule_set":               {"Bộ quy tắc", kText},
	"explanation":            {"Giải thích", kText},
	"month":                  {"Tháng", kText},
	"year":                   {"Năm", kText},
	"months":                 {"Số tháng", kAuto},
	"annualised":             {"Quy ra cả năm", kAuto},
	"zone":                   {"Khu vực", kText},
	"poverty_line":           {"Chuẩn nghèo (đồng)", kMoney},
	"social_assistance_base": {"Mức chuẩn trợ giúp xã hội (đồng)", kMoney},
	"allowance":              {"Trợ cấp hằng tháng (đồng)", kMoney},
	"other_income":           {"Thu nhập khác (đồng)", kMoney},
	"income":                 {"Thu nhập tính (đồng)", kMoney},
	"level":                  {"Cấp", kText},
	"code":                   {"Mã", kText},
	"name":                   {"Tên", kText},
	"beneficiaries":          {"Số đối tượng", kAuto},
	"sponsored_local":        {"Được địa phương nhận đỡ đầu", kAuto},
	"sponsored_before":       {"Đã được nhận đỡ đầu trước", kAuto},
	"sponsored":              {"Được nhận đỡ đầu", kAuto},
	"local_share":            {"Tỷ lệ địa phương nhận", kDec},
	"local_share_required":   {"Tỷ lệ phải đạt", kDec},
	"province_list":          {"Chuyển danh sách tỉnh", kAuto},
	"uncovered":              {"Chưa có người nhận đỡ đầu", kAuto},
	"small_agencies":         {"Cơ quan dưới 15 CBCC-NLĐ", kAuto},
	"small_agency_subjects":  {"Đối tượng của cơ quan nhỏ", kAuto},
	"met":                    {"Đạt", kAuto},
	"reason":                 {"Lý do", kText},
	"commune_code":           {"Mã xã", kText},
	"district_code":          {"Mã huyện", kText},
	"near":                   {"Cấp nhận", kText},
	"sponsors":               {"Bên nhận đỡ đầu", kText},
	"focal":                  {"Đầu mối chi trả", kText},
	"focal_id":               {"Mã đầu mối chi trả", kText},
	"note":                   {"Ghi chú", kText},
	"unit_id":                {"Mã đơn vị", kText},
	"kind":                   {"Loại", kText},
	"place":                  {"Địa bàn", kText},
	"staff":                  {"Số CBCC-NLĐ", kAuto},
	"source":                 {"Nguồn vận động", kText},
	"capacity_persons":       {"Khả năng nhận (người)", kAuto},
	"monthly_amount":         {"Số tiền hằng tháng (đồng)", kMoney},
	"reach":                  {"Phạm vi", kText},
	"rule":                   {"Quy tắc", kText},
	"obligation":             {"Số phải nhận", kAuto},
	"target":                 {"Số khuyến khích", kAuto},
	"group":                  {"Nhóm", kText},
	"policy_silent":          {"Chính sách chưa quy định", kAuto},
	"counted":                {"Số được tính", kAuto},
	"shared":                 {"Nhận chung", kAuto},
	"monthly":                {"Tổng tiền hằng tháng (đồng)", kMoney},
	"warning":                {"Cảnh báo", kText},
	"commitment_id":          {"Mã cam kết", kText},
	"sponsor_id":             {"Mã bên nhận đỡ đầu", kText},
	"beneficiary_ids":        {"Mã đối tượng", kText},
	"first_month":            {"Tháng đầu", kText},
	"duration":               {"Thời hạn", kText},
	"last_month":             {"Tháng cuối", kText},
	"method":                 {"Hình thức chi trả", kText},
	"flag":                   {"Lưu ý", kText},
	"due":                    {"Phải hỗ trợ (đồng)", kMoney},
	"pledged":                {"Đã cam kết (đồng)", kMoney},
	"shortfall":              {"Còn thiếu (đồng)", kMoney},
	"sponsor_count":          {"Số bên nhận đỡ đầu", kAuto},
	"amount":                 {"Số tiền (đồng)", kMoney},
	"line":                   {"Dòng", kAuto},
	"payer_id":               {"Mã người chi", kText},
	"receipt_no":             {"Số biên nhận", kText},
	"paid":                   {"Đã chi (đồng)", kMoney},
	"unpaid":                 {"Cam kết chưa chi (đồng)", kMoney},
	"arrears":                {"Nợ đọng (đồng)", kMoney},
	"overpaid":               {"Chi thừa (đồng)", kMoney},
	"short":                  {"Thiếu so với mức hỗ trợ (đồng)", kMoney},
	"eligibility_change":     {"Thay đổi về điều kiện", kText},
	"rules_changed":          {"Quy tắc thay đổi kết quả", kText},
	"changed":                {"Thay đổi", kAuto},
	"gained":                 {"Số người được thêm", kAuto},
	"lost":                   {"Số người mất", kAuto},
	"required":               {"Số phải đạt", kAuto},
	"delta":                  {"Chênh lệch (đồng)", kMoney},
	"base":                   {"Tổng hỗ trợ, quy tắc hiện hành (đồng)", kMoney},
	"new":                    {"Tổng hỗ trợ, quy tắc đề xuất (đồng)", kMoney},
	"birth_date":             {"Ngày sinh", kDate},
	"date":                   {"Ngày", kDate},
}

var yearKey = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(base|new|delta)_(\d{4})$`) })

// column returns the label and kind of a machine key; a key it does not
// know keeps its name, and its values are read as they come.
func column(key string) colInfo {
	if c, ok := columns[key]; ok {
		return c
	}
	if m := yearKey().FindStringSubmatch(key); m != nil {
		return colInfo{fmt.Sprintf("%s năm %s (đồng)", map[string]string{"base": "Hiện hành", "new": "Đề xuất", "delta": "Chênh lệch"}[m[1]], m[2]), kMoney}
	}
	for _, p := range []struct{ prefix, suffix, label string }{{"base_", "", "%s (hiện hành)"}, {"new_", "", "%s (đề xuất)"}, {"", "_delta", "%s: chênh lệch"}} {
		if rest, ok := strings.CutPrefix(key, p.prefix); ok && p.prefix != "" {
			if c, ok := columns[rest]; ok {
				return colInfo{fmt.Sprintf(p.label, c.label), c.kind}
			}
		}
		if rest, ok := strings.CutSuffix(key, p.suffix); ok && p.suffix != "" {
			if c, ok := columns[rest]; ok {
				return colInfo{fmt.Sprintf(p.label, c.label), c.kind}
			}
		}
	}
	return colInfo{key, kAuto}
}

// csvSheet adds the CSV report that write produces as a sheet of wb, with
// a total row when total is not "". It returns the number of data rows.
func csvSheet(wb *sheet.Workbook, name, title, total string, write func(io.Writer) error) (int, error) {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		return 0, err
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		return 0, err
	}
	if len(recs) == 0 {
		return 0, fmt.Errorf("report %s is empty", name)
	}
	return tableSheet(wb, name, title, total, recs[0], recs[1:])
}

// tableSheet writes a header of machine keys and rows of their CSV values
// as a sheet.
func tableSheet(wb *sheet.Workbook, name, title, total string, header []string, rows [][]string) (int, error) {
	infos := make([]colInfo, len(header))
	cols := make([]sheet.Column, len(header))
	for i, h := range header {
		infos[i] = column(h)
		cols[i] = sheet.Column{Label: infos[i].label, Kind: autoKind(infos[i].kind, i, rows)}
		if h == "explanation" || h == "reason" || h == "note" || h == "error" {
			cols[i].Width = 40
		}
	}
	t, err := wb.AddTable(name, title, cols)
	if err != nil {
		return 0, err
	}
	for _, r := range rows {
		vals := make([]any, len(r))
		for i, v := range r {
			if i >= len(cols) {
				break
			}
			if vals[i], err = cellValue(cols[i].Kind, v); err != nil {
				return 0, fmt.Errorf("%s: %s %q: %w", name, header[i], v, err)
			}
		}
		if err := t.Row(vals...); err != nil {
			return 0, err
		}
	}
	if total != "" && cols[0].Kind == sheet.Text {
		if err := t.Total(total); err != nil {
			return 0, err
		}
	}
	return len(rows), nil
}

// autoKind decides a column's kind; a kAuto column is Bool when every
// value is true or false, Int when every value is a whole number, else Text.
func autoKind(k colKind, col int, rows [][]string) sheet.Kind {
	switch k {
	case kMoney:
		return sheet.Money
	case kDec:
		return sheet.Decimal
	case kDate:
		return sheet.Date
	case kText:
		return sheet.Text
	}
	bools, ints, any := true, true, false
	for _, r := range rows {
		if col >= len(r) || r[col] == "" {
			continue
		}
		any = true
		v := r[col]
		if v != "true" && v != "false" {
			bools = false
		}
		if _, err := strconv.ParseInt(v, 10, 64); err != nil {
			ints = false
		}
	}
	switch {
	case !any:
		return sheet.Text
	case bools:
		return sheet.Bool
	case ints:
		return sheet.Int
	}
	return sheet.Text
}

func cellValue(k sheet.Kind, v string) (any, error) {
	if v == "" {
		return nil, nil
	}
	switch k {
	case sheet.Bool:
		return v == "true", nil
	case sheet.Int, sheet.Money, sheet.Decimal:
		return decimal.NewFromString(v)
	case sheet.Date:
		return time.Parse(time.DateOnly, v)
	}
	return v, nil
}

// metaOf is the provenance block of the rule set in force on date.
func metaOf(lib *rules.Library, date time.Time, extra ...[2]string) *sheet.Meta {
	s, err := lib.For(date)
	if err != nil {
		return &sheet.Meta{Extra: extra}
	}
	return &sheet.Meta{RuleSet: s.Meta.ID, Draft: s.Meta.Status == "draft", Hash: s.Hash, Extra: extra}
}

// figure is one line of a summary: a label and a number or text.
type figure struct {
	label string
	value any // int, decimal.Decimal (money) or string
}

// summarySheet writes the key figures of a run as a two-column sheet.
func summarySheet(wb *sheet.Workbook, title string, figs []figure) error {
	t, err := wb.AddTable("Tổng hợp", title, []sheet.Column{{Label: "Chỉ tiêu", Width: 48}, {Label: "Giá trị", Kind: sheet.Money, Width: 20}, {Label: "Ghi chú", Width: 30}})
	if err != nil {
		return err
	}
	for _, f := range figs {
		switch v := f.value.(type) {
		case string:
			err = t.Row(f.label, nil, v)
		default:
			err = t.Row(f.label, v)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// isTerminal reports whether w is a terminal, where a workbook must not go.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

var errTerminal = errors.New("an Excel workbook is not written to a terminal: give --out FILE.xlsx (or redirect the output) / không ghi tệp Excel ra màn hình: hãy dùng --out TỆP.xlsx")

// writeWorkbook writes wb to path (stdout when "" or "-"); a path that
// names a directory, or ends in a slash, gets the file name def inside it.
func writeWorkbook(wb *sheet.Workbook, path, def string, stdout io.Writer) error {
	defer wb.Close()
	if path != "" && path != "-" && (isDir(path) || strings.HasSuffix(path, "/") || strings.HasSuffix(path, string(filepath.Separator))) {
		if err := os.MkdirAll(path, 0o755); err != nil {
			return err
		}
		path = filepath.Join(path, def)
	}
	w, closeOut, err := output(path, stdout)
	if err != nil {
		return err
	}
	if path == "" || path == "-" {
		if isTerminal(w) {
			return errTerminal
		}
	}
	_, err = wb.WriteTo(w)
	if cerr := closeOut(); err == nil {
		err = cerr
	}
	return err
}
