package workbench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"github.com/hotro-vn/hotro/eligibility"
	"github.com/hotro-vn/hotro/records"
	"github.com/hotro-vn/hotro/sheet"
	"github.com/shopspring/decimal"
)

type batchRow struct {
	Line                    int
	ID, Name, Topup, Failed string
	Eligible, Err           bool
}

type cellError struct {
	Line                       int
	Cell, Column, Value, Error string
}

type batchData struct {
	Date, File, RuleSet    string
	Draft                  bool
	Error                  string
	Warnings               []string
	Rows                   []batchRow
	Errors                 []cellError
	Records, Eligible, Bad int
	Total, Download        string
	Shown                  bool
}

// readUpload reads the persons file of a form's field, with its size
// bounded, by its kind (workbook, CSV or JSON).
func (w *Workbench) readUpload(r *http.Request, field string, schema *records.Schema) (string, []eligibility.Record, []string, error) {
	f, hdr, err := r.FormFile(field)
	if err != nil {
		return "", nil, nil, errNoFile
	}
	defer f.Close()
	if hdr.Size > w.opts.MaxUpload {
		return hdr.Filename, nil, nil, fmt.Errorf("tệp lớn hơn %d MB / the file is larger than %d MB", w.opts.MaxUpload>>20, w.opts.MaxUpload>>20)
	}
	data, err := io.ReadAll(io.LimitReader(f, w.opts.MaxUpload+1))
	if err != nil {
		return hdr.Filename, nil, nil, err
	}
	if int64(len(data)) > w.opts.MaxUpload {
		return hdr.Filename, nil, nil, fmt.Errorf("tệp lớn hơn %d MB / the file is larger than %d MB", w.opts.MaxUpload>>20, w.opts.MaxUpload>>20)
	}
	name := filepath.Base(hdr.Filename)
	var recs []eligibility.Record
	each := func(rec eligibility.Record) { recs = append(recs, rec) }
	var warnings []string
	if strings.EqualFold(filepath.Ext(name), ".json") {
		warnings, err = schema.ReadJSON(bytes.NewReader(data), each)
	} else {
		warnings, err = schema.ReadSheet(bytes.NewReader(data), name, "", each)
	}
	return name, recs, warnings, err
}

var errNoFile = errors.New("chưa chọn tệp / no file chosen")

func (w *Workbench) handleBatch(rw http.ResponseWriter, r *http.Request) {
	l := lang(r)
	_, _, eng, err := w.inForce()
	if err != nil {
		w.fail(rw, r, http.StatusInternalServerError, err.Error())
		return
	}
	d := batchData{Date: r.FormValue("date")}
	date := w.today()
	if d.Date != "" {
		if date, err = time.Parse(time.DateOnly, d.Date); err != nil {
			d.Error = messages[l]["bad_date"]
		}
	}
	if date.IsZero() {
		date = latestStart(eng)
	}
	d.Date = date.Format(time.DateOnly)
	if r.Method != http.MethodPost || d.Error != "" {
		w.render(rw, r, http.StatusOK, "batch", "batch", messages[l]["nav_batch"], d)
		return
	}
	schema, err := eng.Schema(date)
	if err != nil {
		d.Error = err.Error()
		w.render(rw, r, http.StatusUnprocessableEntity, "batch", "batch", messages[l]["nav_batch"], d)
		return
	}
	set, _ := eng.Library().For(date)
	d.RuleSet, d.Draft = set.Meta.ID+" @ "+set.ShortHash(), set.Meta.Status == "draft"
	name, recs, warnings, err := w.readUpload(r, "file", schema)
	d.File, d.Warnings = name, warnings
	if err != nil {
		d.Error = err.Error()
		w.render(rw, r, http.StatusUnprocessableEntity, "batch", "batch", messages[l]["nav_batch"], d)
		return
	}
	outs, err := eng.DecideAll(context.Background(), recs, date)
	if err != nil {
		d.Error = err.Error()
		w.render(rw, r, http.StatusUnprocessableEntity, "batch", "batch", messages[l]["nav_batch"], d)
		return
	}
	total := decimal.Zero
	d.Shown, d.Records = true, len(outs)
	for _, o := range outs {
		row := batchRow{Line: o.Record.Line, ID: o.Record.ID, Name: o.Record.Text("full_name")}
		if o.Err != nil {
			row.Err = true
			d.Bad++
			fes := fieldErrors(o.Err)
			for _, fe := range fes {
				d.Errors = append(d.Errors, cellError{Line: o.Record.Line, Cell: fe.Cell, Column: fe.Field, Value: fe.Value, Error: fe.Msg})
			}
			if len(fes) == 0 {
				d.Errors = append(d.Errors, cellError{Line: o.Record.Line, Error: o.Err.Error()})
			}
		} else {
			row.Eligible, row.Topup, row.Failed = o.Decision.Eligible, money(o.Decision.MonthlyTopup), strings.Join(o.Decision.Failed(), ", ")
			if o.Decision.Eligible {
				d.Eligible++
			}
			total = total.Add(o.Decision.MonthlyTopup)
		}
		d.Rows = append(d.Rows, row)
	}
	d.Total = money(total)
	xlsx, err := batchXLSX(set.Meta.ID, set.Meta.Status == "draft", set.Hash, date, outs)
	if err != nil {
		d.Error = err.Error()
	} else {
		base := strings.TrimSuffix(name, filepath.Ext(name))
		d.Download = w.keep(download{name: "ket-qua-" + base + ".xlsx", ctype: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", data: xlsx})
	}
	w.render(rw, r, http.StatusOK, "batch", "batch", messages[l]["nav_batch"], d)
}

// batchXLSX writes the decisions as a workbook: one row per input record,
// in order, with its error if any, and a total.
func batchXLSX(id string, draft bool, hash string, date time.Time, outs []eligibility.Outcome) ([]byte, error) {
	wb, err := sheet.NewXLSX(&sheet.Meta{RuleSet: id, Draft: draft, Hash: hash, Extra: [][2]string{{"Ngày xét", date.Format("02/01/2006")}}})
	if err != nil {
		return nil, err
	}
	defer wb.Close()
	t, err := wb.AddTable("Kết quả", "Kết quả xét hỗ trợ", []sheet.Column{
		{Label: "Dòng", Width: 8}, {Label: "Mã đối tượng"}, {Label: "Họ và tên", Width: 24}, {Label: "Đủ điều kiện", Kind: sheet.Bool},
		{Label: "Mức hỗ trợ (đ/tháng)", Kind: sheet.Money}, {Label: "Điều kiện không đạt", Width: 30}, {Label: "Lỗi", Width: 50}})
	if err != nil {
		return nil, err
	}
	for _, o := range outs {
		if o.Err != nil {
			err = t.Row(fmt.Sprint(o.Record.Line), o.Record.ID, o.Record.Text("full_name"), nil, nil, "", o.Err.Error())
		} else {
			err = t.Row(fmt.Sprint(o.Record.Line), o.Record.ID, o.Record.Text("full_name"), o.Decision.Eligible, o.Decision.MonthlyTopup, strings.Join(o.Decision.Failed(), ", "), "")
		}
		if err != nil {
			return nil, err
		}
	}
	if err := t.Total("Tổng cộng"); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if _, err := wb.WriteTo(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
