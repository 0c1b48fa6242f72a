package workbench

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/hotro-vn/hotro/eligibility"
	"github.com/hotro-vn/hotro/records"
	"github.com/hotro-vn/hotro/rules"
)

// fieldView is one input of a form generated from a record declaration.
type fieldView struct {
	Column, Label, Type, Input, Value, Placeholder, Error string
	Required                                              bool
	Options                                               [][2]string // value, label
}

func fieldsOf(s *records.Schema, lang string, values map[string]string) []fieldView {
	var out []fieldView
	for _, f := range s.Decl().Fields {
		fv := fieldView{Column: f.Column, Label: f.Description.In(lang), Type: string(f.Type), Required: f.Required, Value: values[f.Column], Input: "text"}
		if fv.Label == "" {
			fv.Label = f.Column
		}
		if f.Default != nil {
			fv.Placeholder = rules.FormatValue(f.Default)
		}
		switch f.Type {
		case rules.FieldBool:
			fv.Input = "select"
			fv.Options = [][2]string{{"", ""}, {"true", messages[lang]["yes"]}, {"false", messages[lang]["no"]}}
		case rules.FieldEnum:
			fv.Input = "select"
			fv.Options = [][2]string{{"", ""}}
			for _, v := range f.Values {
				label := v
				var sp []string
				for k, to := range f.Spellings {
					if to == v && k != strings.ToLower(v) {
						sp = append(sp, k)
					}
				}
				slices.Sort(sp)
				if len(sp) > 0 {
					label = v + " — " + sp[0]
				}
				fv.Options = append(fv.Options, [2]string{v, label})
			}
		case rules.FieldDate:
			fv.Input = "date"
		case rules.FieldMonth:
			fv.Input = "month"
		case rules.FieldMoney, rules.FieldInt, rules.FieldDecimal:
			fv.Input = "number"
		}
		out = append(out, fv)
	}
	return out
}

// fieldErrors lists the *records.FieldError of err.
func fieldErrors(err error) []*records.FieldError {
	var out []*records.FieldError
	var walk func(error)
	walk = func(e error) {
		if e == nil {
			return
		}
		var fe *records.FieldError
		if m, ok := e.(interface{ Unwrap() []error }); ok {
			for _, x := range m.Unwrap() {
				walk(x)
			}
			return
		}
		if errors.As(e, &fe) {
			out = append(out, fe)
		}
	}
	walk(err)
	return out
}

type reasonView struct {
	Rule, Words, Cites, Status, Values string
	Pass                               bool
}

type monthView struct {
	Month, Topup, Error string
	Eligible            bool
}

type tryData struct {
	Date, From, To string
	Fields         []fieldView
	RuleSet        string
	Draft          bool
	Error          string
	Decided        bool
	Eligible       bool
	Topup          string
	Reasons        []reasonView
	Computed       [][2]string
	Months         []monthView
	Total          string
}

func (w *Workbench) handleTry(rw http.ResponseWriter, r *http.Request) {
	l := lang(r)
	_, _, eng, err := w.inForce()
	if err != nil {
		w.fail(rw, r, http.StatusInternalServerError, err.Error())
		return
	}
	d := tryData{Date: r.FormValue("date"), From: r.FormValue("from"), To: r.FormValue("to")}
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
	schema, err := eng.Schema(date)
	if err != nil {
		d.Error = err.Error()
		w.render(rw, r, http.StatusOK, "try", "try", messages[l]["nav_try"], d)
		return
	}
	values := map[string]string{}
	for _, f := range schema.Decl().Fields {
		if v := strings.TrimSpace(r.PostFormValue("f_" + f.Column)); v != "" {
			values[f.Column] = v
		}
	}
	d.Fields = fieldsOf(schema, l, values)
	if set, err := eng.Library().For(date); err == nil {
		d.RuleSet, d.Draft = set.Meta.ID+" @ "+set.ShortHash(), set.Meta.Status == "draft"
	}
	if r.Method != http.MethodPost || d.Error != "" {
		w.render(rw, r, http.StatusOK, "try", "try", messages[l]["nav_try"], d)
		return
	}
	rec := schema.NewReader().Cells(0, values)
	if rec.Err != nil {
		byField := map[string]string{}
		for _, fe := range fieldErrors(rec.Err) {
			if byField[fe.Field] != "" {
				byField[fe.Field] += "; "
			}
			byField[fe.Field] += fe.Msg
		}
		for i := range d.Fields {
			d.Fields[i].Error = byField[d.Fields[i].Column]
		}
		d.Error = messages[l]["fix_fields"]
		w.render(rw, r, http.StatusUnprocessableEntity, "try", "try", messages[l]["nav_try"], d)
		return
	}
	day, err := eng.On(date)
	if err == nil {
		var dec *eligibility.Decision
		if dec, err = day.DecideRecord(rec); err == nil {
			d.Decided, d.Eligible, d.Topup = true, dec.Eligible, money(dec.MonthlyTopup)
			for _, rs := range dec.Reasons() {
				var vals []string
				for _, v := range rs.Values() {
					vals = append(vals, v.Name+" = "+rules.FormatValue(v.Value))
				}
				d.Reasons = append(d.Reasons, reasonView{Rule: rs.Rule, Words: rs.Message.In(l), Cites: rs.Cites, Status: status(rs.Status), Pass: rs.Pass, Values: strings.Join(vals, ", ")})
			}
			for _, v := range dec.Computed() {
				d.Computed = append(d.Computed, [2]string{v.Name, rules.FormatValue(v.Value)})
			}
		}
	}
	if err != nil {
		d.Error = err.Error()
	}
	if err == nil && d.From != "" && d.To != "" {
		from, e1 := eligibility.ParseMonth(d.From)
		to, e2 := eligibility.ParseMonth(d.To)
		if e1 != nil || e2 != nil {
			d.Error = messages[l]["bad_month"]
		} else if outs, err := eng.ScheduleAll(context.Background(), []eligibility.Record{rec}, from, to); err != nil {
			d.Error = err.Error()
		} else if o := outs[0]; o.Err != nil {
			d.Error = o.Err.Error()
		} else {
			for _, m := range o.Schedule.Months {
				mv := monthView{Month: m.Month.String()}
				if m.Err != nil {
					mv.Error = m.Err.Error()
				} else {
					mv.Eligible, mv.Topup = m.Eligible, money(m.MonthlyTopup)
				}
				d.Months = append(d.Months, mv)
			}
			d.Total = money(o.Schedule.Total)
		}
	}
	w.render(rw, r, http.StatusOK, "try", "try", messages[l]["nav_try"], d)
}

// latestStart is the first day of the last phase, a date every form can
// start with when the program gives no today.
func latestStart(eng *eligibility.Engine) time.Time {
	sets := eng.Library().Sets()
	if len(sets) == 0 {
		return time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC)
	}
	return sets[len(sets)-1].Meta.From
}
