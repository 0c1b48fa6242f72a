package sheet

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/xuri/excelize/v2"
)

// unzipLimit bounds the unpacked size of a workbook, against zip bombs.
const unzipLimit = 1 << 30

func openXLSX(data []byte, base string, opt Options) (*Reader, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: unzipLimit})
	if err != nil {
		return nil, fmt.Errorf("%s: không đọc được tệp Excel / cannot read the workbook: %v", base, err)
	}
	fail := func(err error) (*Reader, error) {
		_ = f.Close()
		return nil, err
	}
	sheets := f.GetSheetList()
	name := opt.Sheet
	if name == "" {
		if len(sheets) == 0 {
			return fail(fmt.Errorf("%s: tệp Excel không có trang nào / the workbook has no sheet", base))
		}
		name = sheets[0]
	} else if !contains(sheets, name) {
		return fail(fmt.Errorf("%s: không có trang %q; các trang: %s / no sheet %q", base, name, strings.Join(sheets, ", "), name))
	}
	if err := markStyles(f); err != nil {
		return fail(fmt.Errorf("%s: kiểu định dạng ô hỏng / broken cell styles: %v", base, err))
	}
	rows, err := f.Rows(name)
	if err != nil {
		return fail(fmt.Errorf("%s: không đọc được trang %q / cannot read sheet: %v", base, name, err))
	}
	rowNum := 0
	next := func() ([]string, int, error) {
		if !rows.Next() {
			if err := rows.Error(); err != nil {
				return nil, 0, fmt.Errorf("%s!%d: %v", name, rowNum+1, err)
			}
			return nil, 0, ioEOF
		}
		rowNum++
		cols, err := rows.Columns()
		if err != nil {
			return nil, 0, fmt.Errorf("%s!%d: không đọc được dòng / cannot read the row: %v", name, rowNum, err)
		}
		for i, c := range cols {
			cols[i] = cellValue(c)
		}
		return cols, rowNum, nil
	}
	header, hrow, err := findHeader(next, opt.IsHeader, name)
	if err != nil {
		_ = rows.Close()
		return fail(err)
	}
	return &Reader{
		format: XLSX, name: name, header: header, headerRow: hrow, next: next,
		close: func() error { _ = rows.Close(); return f.Close() },
	}, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

var midnight = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\d{4}-\d{2}-\d{2} 00:00:00$`) })

// cellValue cleans a value as markStyles made excelize format it.
func cellValue(s string) string {
	s = clean(s)
	if midnight().MatchString(s) {
		s = s[:10]
	}
	return s
}

// noFormat is a number format id that is neither built in nor declared, so
// excelize returns the cell's value unformatted.
const noFormat = 1 << 24

// markStyles rewrites the number formats of the workbook's cell styles, in
// memory, so that excelize's formatted values are the values this package
// promises:
//
//   - a style whose format shows a date (or a date and time, or a time)
//     gets the format yyyy-mm-dd (yyyy-mm-dd hh:mm:ss, hh:mm:ss), so a date
//     cell reads "1950-03-15" whatever its display format (dd/mm/yyyy,
//     m/d/yy, d-mmm-yy …);
//   - every other style gets no format, so a number cell reads as excelize
//     writes a stored number without format: plain digits, "." before the
//     decimals, no grouping, at most 15 significant digits as Excel shows
//     them ("1500000", "1.5", "0.3" for a stored 0.30000000000000004);
//     a text cell reads as typed, so a code "00004" keeps its zeros.
//
// excelize's Rows iterator gives no cell style, and raw values cannot tell
// a date serial (18337) from a count; rewriting the styles is how the
// iterator is made to tell them apart while streaming.
func markStyles(f *excelize.File) error {
	ids := map[fmtKind]int{}
	for kind, code := range map[fmtKind]string{kindDate: "yyyy-mm-dd", kindDateTime: "yyyy-mm-dd hh:mm:ss", kindTime: "hh:mm:ss"} {
		code := code
		sid, err := f.NewStyle(&excelize.Style{CustomNumFmt: &code})
		if err != nil {
			return err
		}
		xf := f.Styles.CellXfs.Xf[sid]
		if xf.NumFmtID == nil {
			return fmt.Errorf("style %d has no number format", sid)
		}
		ids[kind] = *xf.NumFmtID
	}
	custom := map[int]string{}
	if f.Styles.NumFmts != nil {
		for _, nf := range f.Styles.NumFmts.NumFmt {
			if nf != nil {
				custom[nf.NumFmtID] = nf.FormatCode
			}
		}
	}
	for i := range f.Styles.CellXfs.Xf {
		xf := &f.Styles.CellXfs.Xf[i]
		id := 0
		if xf.NumFmtID != nil {
			id = *xf.NumFmtID
		}
		var kind fmtKind
		if code, ok := custom[id]; ok {
			kind = classify(code)
		} else {
			kind = builtinKind(id)
		}
		to := noFormat
		if kind != kindNumber {
			to = ids[kind]
		}
		xf.NumFmtID = &to
	}
	return nil
}

type fmtKind int

const (
	kindNumber fmtKind = iota
	kindDate
	kindDateTime
	kindTime
)

// builtinKind classifies the built-in number formats: 14–17 and 22 are
// dates (14 is the system's short date, dd/mm/yyyy on a Vietnamese
// Windows), 18–21 and 45–47 times, 27–36 and 50–58 the East Asian dates.
func builtinKind(id int) fmtKind {
	switch {
	case id >= 14 && id <= 17, id >= 27 && id <= 36, id >= 50 && id <= 58:
		return kindDate
	case id == 22:
		return kindDateTime
	case id >= 18 && id <= 21, id >= 45 && id <= 47:
		return kindTime
	}
	return kindNumber
}

// classify reads a custom format code: after dropping quoted text,
// [bracketed] parts (colours, locales, conditions), escaped characters and
// the padding of _ and *, a y or d (year, day) makes it a date, an h or s
// a time, and an m alone a date (mmm yyyy).
func classify(code string) fmtKind {
	var b strings.Builder
	for i := 0; i < len(code); i++ {
		c := code[i]
		switch c {
		case '"':
			j := strings.IndexByte(code[i+1:], '"')
			if j < 0 {
				i = len(code)
			} else {
				i += j + 1
			}
		case '[':
			j := strings.IndexByte(code[i+1:], ']')
			inner := ""
			if j < 0 {
				i = len(code)
			} else {
				inner = strings.ToLower(code[i+1 : i+1+j])
				i += j + 1
			}
			if inner == "h" || inner == "hh" || inner == "m" || inner == "mm" || inner == "s" || inner == "ss" {
				b.WriteByte('h') // elapsed time
			}
		case '\\', '_', '*':
			i++
		default:
			b.WriteByte(c)
		}
	}
	s := strings.ToLower(b.String())
	if strings.Contains(s, "general") {
		s = strings.ReplaceAll(s, "general", "")
	}
	date := strings.ContainsAny(s, "yd")
	tm := strings.ContainsAny(s, "hs")
	switch {
	case date && tm:
		return kindDateTime
	case date:
		return kindDate
	case tm:
		return kindTime
	case strings.Contains(s, "m") && !strings.ContainsAny(s, "0#?"):
		return kindDate
	}
	return kindNumber
}
