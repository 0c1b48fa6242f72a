package records

import (
	"io"

	"github.com/hotro-vn/hotro/sheet"
)

// ReadSheet reads a workbook (.xlsx) or a CSV file as offices make them: the
// header found under a title block by the declared columns and aliases,
// `;` or `,` separators, a BOM, UTF-16 or certain Windows-1258 converted;
// dates as date cells or dd/mm/yyyy, money as numbers or 1.500.000, a
// coefficient as 1,5. Errors name the cell (Danh sách!D17). sheetName picks
// a worksheet ("" = the first).
func (s *Schema) ReadSheet(r io.Reader, filename, sheetName string, each func(Record)) ([]string, error) {
	rd, err := sheet.Open(r, filename, sheet.Options{Sheet: sheetName, IsHeader: s.IsHeader})
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	return s.ReadSource(sheetSource{rd}, each)
}

type sheetSource struct{ r *sheet.Reader }

func (s sheetSource) Header() []string { return s.r.Header() }

func (s sheetSource) Next() ([]string, int, func(int) string, error) {
	row, err := s.r.Next()
	if err != nil {
		return nil, 0, nil, err
	}
	return row.Cells, row.Index, row.Where, nil
}
