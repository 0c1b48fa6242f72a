package workbench

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hotro-vn/hotro/eligibility"
	"github.com/hotro-vn/hotro/impact"
	"github.com/shopspring/decimal"
)

type totalRow struct {
	Label, Base, New, Delta string
	Gained, Lost            int
}

type impactData struct {
	ID                  string
	Pops                []string
	Pop                 string
	Date, From, To      string
	Error               string
	Broken              bool
	Shown               bool
	Source              string
	BaseSet, NewSet     string
	Summary             impact.Summary
	Totals              totalRow
	ByRule              []impact.RuleChange
	Months, Years       []totalRow
	Districts, Communes []totalRow
	MonthChart          *chart
	YearChart           *chart
	DistrictChart       *chart
	CommuneChart        *chart
	Errors              []totalRow
	MoreErrors          int
}

func (w *Workbench) handleImpact(rw http.ResponseWriter, r *http.Request) {
	root, id, c, ok := w.openDraft(rw, r)
	if !ok {
		return
	}
	root.Close()
	l := lang(r)
	d := impactData{ID: id, Pop: r.FormValue("pop"), Date: r.FormValue("date"), From: r.FormValue("from"), To: r.FormValue("to")}
	for _, p := range w.opts.Populations {
		d.Pops = append(d.Pops, p.Name)
	}
	if c.Engine == nil {
		d.Broken = true
		w.render(rw, r, http.StatusOK, "impact", "draft", messages[l]["impact"], d)
		return
	}
	if d.Date == "" && d.From == "" {
		d.Date = defaultImpactDate(c).Format(time.DateOnly)
	}
	run := r.Method == http.MethodPost || r.URL.Query().Has("pop")
	if !run {
		w.render(rw, r, http.StatusOK, "impact", "draft", messages[l]["impact"], d)
		return
	}
	_, _, base, err := w.inForce()
	if err != nil {
		w.fail(rw, r, http.StatusInternalServerError, err.Error())
		return
	}
	var date time.Time
	var from, to eligibility.Month
	if d.From != "" || d.To != "" {
		var e1, e2 error
		from, e1 = eligibility.ParseMonth(d.From)
		to, e2 = eligibility.ParseMonth(d.To)
		if e1 != nil || e2 != nil {
			d.Error = messages[l]["bad_month"]
		}
		d.Date = ""
	} else if date, err = time.Parse(time.DateOnly, d.Date); err != nil {
		d.Error = messages[l]["bad_date"]
	}
	readDate := date
	if readDate.IsZero() {
		readDate = from.First()
	}
	var recs []eligibility.Record
	if d.Error == "" {
		schema, err := base.Schema(readDate)
		if err != nil {
			d.Error = err.Error()
		} else if r.Method == http.MethodPost && r.MultipartForm != nil && len(r.MultipartForm.File["file"]) > 0 {
			d.Source, recs, _, err = w.readUpload(r, "file", schema)
			if err != nil {
				d.Error = err.Error()
			}
		} else {
			i, err := strconv.Atoi(d.Pop)
			if err != nil || i < 0 || i >= len(w.opts.Populations) {
				d.Error = messages[l]["choose_pop"]
			} else {
				p := w.opts.Populations[i]
				d.Source = p.Name
				data, err := os.ReadFile(p.Path)
				if err == nil {
					each := func(rec eligibility.Record) { recs = append(recs, rec) }
					if strings.EqualFold(filepath.Ext(p.Path), ".json") {
						_, err = schema.ReadJSON(bytes.NewReader(data), each)
					} else {
						_, err = schema.ReadSheet(bytes.NewReader(data), filepath.Base(p.Path), "", each)
					}
				}
				if err != nil {
					d.Error = err.Error()
				}
			}
		}
	}
	if d.Error != "" {
		w.render(rw, r, http.StatusUnprocessableEntity, "impact", "draft", messages[l]["impact"], d)
		return
	}
	change := impact.Change{Base: base, New: c.Engine}
	var rep *impact.Report
	if date.IsZero() {
		rep, err = change.Months(recs, from, to)
	} else {
		rep, err = change.On(recs, date)
	}
	if err != nil {
		d.Error = err.Error()
		w.render(rw, r, http.StatusUnprocessableEntity, "impact", "draft", messages[l]["impact"], d)
		return
	}
	fillImpact(&d, rep, l)
	w.render(rw, r, http.StatusOK, "impact", "draft", messages[l]["impact"], d)
}

// defaultImpactDate is the first day of the month after the latest dated
// value of the draft that starts within its phase (the change just made,
// usually), or the phase's first day.
func defaultImpactDate(c *check) time.Time {
	s := c.Set
	best := s.Meta.From
	for _, p := range s.Params {
		for _, v := range p.Values {
			if v.From.After(best) && !v.From.After(s.Meta.To) {
				best = v.From
			}
		}
	}
	return best
}

func row(label string, t impact.Total) totalRow {
	return totalRow{Label: label, Base: money(t.Base), New: money(t.New), Delta: signed(t.Delta)}
}

func signed(d decimal.Decimal) string {
	if d.IsPositive() {
		return "+" + money(d)
	}
	return money(d)
}

func fillImpact(d *impactData, rep *impact.Report, l string) {
	d.Shown = true
	names := func(rs []impact.RuleSet) string {
		var out []string
		for _, s := range rs {
			out = append(out, s.ID+" @ "+s.Hash[:12])
		}
		return strings.Join(out, ", ")
	}
	d.BaseSet, d.NewSet = names(rep.Base), names(rep.New)
	d.Summary = rep.Summary()
	d.Totals = row(messages[l]["total"], rep.Totals())
	d.ByRule = rep.ByRule()
	var labels []string
	var sb, sn []decimal.Decimal
	for _, m := range rep.Monthly() {
		tr := row(m.Month.String(), m.Total)
		tr.Gained, tr.Lost = m.Gained, m.Lost
		d.Months = append(d.Months, tr)
		labels = append(labels, m.Month.String())
		sb, sn = append(sb, m.Base), append(sn, m.New)
	}
	d.MonthChart = bars(messages[l]["cost_month"], labels, []series{{messages[l]["base"], "base", sb}, {messages[l]["new"], "new", sn}})
	labels, sb, sn = nil, nil, nil
	for _, y := range rep.Yearly() {
		label := strconv.Itoa(y.Year)
		if y.Annualised {
			label += " (12 × " + messages[l]["month"] + ")"
		} else {
			label += fmt.Sprintf(" (%d %s)", y.Months, messages[l]["months"])
		}
		d.Years = append(d.Years, row(label, y.Total))
		labels = append(labels, label)
		sb, sn = append(sb, y.Base), append(sn, y.New)
	}
	d.YearChart = bars(messages[l]["cost_year"], labels, []series{{messages[l]["base"], "base", sb}, {messages[l]["new"], "new", sn}})
	area := func(level string) ([]totalRow, *chart) {
		var rows []totalRow
		areas := rep.Areas(level)
		for _, a := range areas {
			tr := row(a.Name+" ("+a.Code+")", a.Total)
			tr.Gained, tr.Lost = a.Gained, a.Lost
			rows = append(rows, tr)
		}
		if len(areas) == 0 {
			return nil, nil
		}
		// The chart shows the areas the change moves most (all of them when few).
		top := slices.Clone(areas)
		slices.SortStableFunc(top, func(a, b impact.AreaTotal) int { return b.Delta.Abs().Cmp(a.Delta.Abs()) })
		if len(top) > 15 {
			top = top[:15]
		}
		var ls []string
		var ds []decimal.Decimal
		for _, a := range top {
			ls, ds = append(ls, a.Name), append(ds, a.Delta)
		}
		title := messages[l]["delta_by_"+level]
		if len(areas) > len(top) {
			title += fmt.Sprintf(" (%d/%d)", len(top), len(areas))
		}
		return rows, bars(title, ls, []series{{messages[l]["delta"], "delta", ds}})
	}
	d.Districts, d.DistrictChart = area(impact.LevelDistrict)
	d.Communes, d.CommuneChart = area(impact.LevelCommune)
	for i, p := range rep.Errors() {
		if i >= 100 {
			d.MoreErrors = len(rep.Errors()) - 100
			break
		}
		d.Errors = append(d.Errors, totalRow{Label: p.ID, Base: strconv.Itoa(p.Line), New: p.Err.Error()})
	}
}
