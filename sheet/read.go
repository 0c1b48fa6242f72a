package sheet

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"
)

// Format is the kind of file a [Reader] reads.
type Format int

const (
	// XLSX is an Excel workbook (Office Open XML, .xlsx or .xlsm).
	XLSX Format = iota + 1
	// CSV is comma- or semicolon-separated text.
	CSV
)

func (f Format) String() string {
	switch f {
	case XLSX:
		return "xlsx"
	case CSV:
		return "csv"
	}
	return "unknown"
}

// ErrNotSheet is returned (wrapped) by [Open] for a file that is not a sheet
// this package reads: JSON, an old .xls workbook, or an unknown kind.
var ErrNotSheet = errors.New("not a sheet")

// Options tune [Open].
type Options struct {
	// Sheet names the worksheet of a workbook to read; empty means the
	// first sheet in the workbook's order. Ignored for CSV.
	Sheet string
	// IsHeader tells the header row: the first non-empty row for which it
	// returns true is the header, and the rows above it (a title block)
	// are skipped. The caller matches its declared column names and
	// aliases. Nil takes the first non-empty row. Cells are trimmed and
	// NFC-normalised, as every cell the Reader yields.
	IsHeader func(cells []string) bool
}

// Row is one data record.
type Row struct {
	// Cells holds the values under the header, padded with "" to the
	// header's width. A row longer than the header (a value under no
	// header) keeps its extra cells, so len(Cells) > len(Header()): it is
	// the caller's to report, never dropped here.
	Cells []string
	// Index is the 1-based number of the record among the data rows
	// (blank rows are not records and are not counted).
	Index int
	// Where gives the position of cell col (0-based) as staff find it in
	// Excel: "Danh sách!D17" for a workbook (sheet name, column letter, row
	// number) and "persons.csv!D17" for a CSV (file name, column letter,
	// the line on which the record starts — the row number Excel shows
	// when it opens the file, unless a quoted value spans lines).
	Where func(col int) string
}

// Reader yields the records of one sheet, one at a time.
type Reader struct {
	format    Format
	name      string // sheet name (xlsx) or file base name (csv)
	header    []string
	headerRow int
	index     int
	next      func() (cells []string, row int, err error)
	close     func() error
	done      bool
}

// Format tells what was read.
func (r *Reader) Format() Format { return r.format }

// Name is the sheet name (workbook) or the file's base name (CSV), as used
// in positions.
func (r *Reader) Name() string { return r.name }

// Header returns the header row's cells (trimmed, trailing empty cells
// removed).
func (r *Reader) Header() []string { return r.header }

// HeaderWhere gives the position of header cell col, as Row.Where does.
func (r *Reader) HeaderWhere(col int) string { return where(r.name, col, r.headerRow) }

// Next returns the next data record, or io.EOF after the last. Blank rows
// are skipped. Any other error is fatal to the file (a broken workbook, a
// CSV quote that never closes): it names the position and the Reader
// yields nothing more.
func (r *Reader) Next() (row Row, err error) {
	if r.done {
		return Row{}, io.EOF
	}
	defer func() {
		if p := recover(); p != nil {
			r.done = true
			row, err = Row{}, fmt.Errorf("%s: tệp hỏng, không đọc được (%v) / broken file", r.name, p)
		}
	}()
	for {
		cells, line, err := r.next()
		if err != nil {
			r.done = true
			_ = r.Close()
			return Row{}, err
		}
		if blank(cells) {
			continue
		}
		r.index++
		cells = fit(cells, len(r.header))
		name := r.name
		return Row{Cells: cells, Index: r.index, Where: func(col int) string { return where(name, col, line) }}, nil
	}
}

// Close releases the workbook's temporary files; reading to io.EOF also
// does.
func (r *Reader) Close() error {
	if r.close == nil {
		return nil
	}
	c := r.close
	r.close = nil
	return c()
}

// where writes "Name!D17".
func where(name string, col, row int) string {
	letter, err := excelize.ColumnNumberToName(col + 1)
	if err != nil {
		letter = fmt.Sprintf("C%d", col+1)
	}
	return fmt.Sprintf("%s!%s%d", name, letter, row)
}

// Open reads the sheet in r. The format comes from the content (a ZIP
// archive is a workbook) or else from the file name (.xlsx, .xlsm, .csv,
// .txt, .tsv); a .json, a legacy .xls or an unknown name is refused with an
// error wrapping [ErrNotSheet]. Open finds the header row (see
// [Options.IsHeader]); an error names the file and says what to do.
//
// The file is held in memory as bytes (an office list of 100,000 rows is a
// few megabytes); rows are decoded one at a time on Next, never all at once.
func Open(r io.Reader, filename string, opt Options) (rd *Reader, err error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filename, err)
	}
	defer func() {
		if p := recover(); p != nil {
			rd, err = nil, fmt.Errorf("%s: tệp hỏng, không đọc được (%v) / broken file", filename, p)
		}
	}()
	base := filepath.Base(filename)
	ext := strings.ToLower(filepath.Ext(filename))
	switch {
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return openXLSX(data, base, opt)
	case bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		return nil, fmt.Errorf("%s: đây là tệp Excel cũ (.xls) hoặc tệp được đặt mật khẩu; hãy mở trong Excel và lưu thành \"Sổ làm việc Excel (*.xlsx)\" / an old .xls or password-protected workbook: save it as \"Excel Workbook (*.xlsx)\": %w", base, ErrNotSheet)
	}
	switch ext {
	case ".xlsx", ".xlsm":
		return nil, fmt.Errorf("%s: không phải tệp Excel .xlsx hợp lệ / not a valid .xlsx workbook", base)
	case ".csv", ".txt", ".tsv":
		return openCSV(data, base, opt)
	case ".json":
		return nil, fmt.Errorf("%s: JSON không phải bảng tính / JSON is not a sheet: %w", base, ErrNotSheet)
	}
	return nil, fmt.Errorf("%s: không nhận ra loại tệp %q (cần .xlsx hoặc .csv) / unsupported file type: %w", base, ext, ErrNotSheet)
}

// clean trims a cell and composes its marks (NFC), so that a header typed
// with combining tone marks matches its declared spelling.
func clean(s string) string {
	s = strings.TrimSpace(s)
	if !norm.NFC.IsNormalString(s) {
		s = norm.NFC.String(s)
	}
	return s
}

func blank(cells []string) bool {
	for _, c := range cells {
		if c != "" {
			return false
		}
	}
	return true
}

// trimRight drops trailing empty cells.
func trimRight(cells []string) []string {
	n := len(cells)
	for n > 0 && cells[n-1] == "" {
		n--
	}
	return cells[:n]
}

// fit pads cells to width and drops empty cells beyond it.
func fit(cells []string, width int) []string {
	cells = trimRight(cells)
	for len(cells) < width {
		cells = append(cells, "")
	}
	return cells
}

// findHeader reads rows until the header: the first non-blank row that
// isHeader accepts (or the first non-blank row when isHeader is nil).
func findHeader(next func() ([]string, int, error), isHeader func([]string) bool, name string) ([]string, int, error) {
	for {
		cells, row, err := next()
		if err == io.EOF {
			if isHeader == nil {
				return nil, 0, fmt.Errorf("%s: trang trống, không có dòng tiêu đề / empty sheet, no header row", name)
			}
			return nil, 0, fmt.Errorf("%s: không tìm thấy dòng tiêu đề cột (tên cột khai báo trong bộ quy tắc) / no header row with the declared column names found", name)
		}
		if err != nil {
			return nil, 0, err
		}
		if blank(cells) {
			continue
		}
		if isHeader == nil || isHeader(cells) {
			return trimRight(cells), row, nil
		}
	}
}

var ioEOF = io.EOF
