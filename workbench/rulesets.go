package workbench

import (
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/hotro-vn/hotro/eligibility"
	"github.com/hotro-vn/hotro/rules"
	"github.com/shopspring/decimal"
)

// setView is a rule set as the Bộ quy tắc page shows it.
type setView struct {
	ID, Title, Status, Policy string
	Draft                     bool
	From, To                  string
	Hash, Short               string
	Dir                       string
	Sources                   []rules.Source
	Interps                   []interpView
	Rules                     []ruleView
	Formulas                  []formulaView
	Params                    []paramView
	Cases                     []caseView
	Passed, Failed            int
	RulesCov, ValuesCov       int
	Uncovered                 []string
}

type interpView struct {
	ID, Text string
	Applies  []string
}

type ruleView struct {
	ID, Words, Expr, Cites, Status string
}

type formulaView struct {
	Name, Words, Expr, Cites, Status, Unit string
}

type paramView struct {
	Name, Words, Unit, Kind, Status, By string
	Keys                                []string
	Values                              []valueView
	Timeline                            *chart
}

type valueView struct {
	From, To, Text, Source string
}

type caseView struct {
	Name, Date, File string
	Line             int
	OK               bool
	Failures         []string
}

func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("02/01/2006")
}

// formatValue writes a parameter value for staff: money as 1.500.000 đ.
func formatValue(p *rules.Param, v any) string {
	if d, ok := v.(decimal.Decimal); ok && p.Kind == rules.KindMoney {
		return money(d)
	}
	return rules.FormatValue(v)
}

// viewSet builds the page of a rule set; cases are run with eng when it is
// not nil.
func viewSet(s *rules.Set, lib *rules.Library, eng *eligibility.Engine, lang string) setView {
	v := setView{ID: s.Meta.ID, Title: s.Meta.Title, Status: s.Meta.Status, Policy: s.Meta.Policy, Draft: s.Meta.Status == "draft",
		From: day(s.Meta.From), To: day(s.Meta.To), Hash: s.Hash, Short: s.ShortHash(), Dir: s.Dir, Sources: s.Meta.Sources}
	for _, in := range s.Meta.Interpretations {
		v.Interps = append(v.Interps, interpView{ID: in.ID, Text: in.Text.In(lang), Applies: in.Applies})
	}
	for _, name := range s.Models() {
		m := s.Model(name)
		for _, r := range m.Rules {
			words := r.Message.In(lang)
			if words == "" {
				words = r.Description.In(lang)
			}
			v.Rules = append(v.Rules, ruleView{ID: r.ID, Words: words, Expr: strings.TrimSpace(r.Expr), Cites: r.Cites, Status: status(r.Status)})
		}
		for _, f := range m.Formulas {
			v.Formulas = append(v.Formulas, formulaView{Name: f.Name, Words: f.Description.In(lang), Expr: strings.TrimSpace(f.Expr), Cites: f.Cites, Status: status(f.Status), Unit: f.Unit})
		}
	}
	for _, p := range s.Params {
		v.Params = append(v.Params, viewParam(s, p, lang))
	}
	if eng != nil {
		set := map[*rules.Set]bool{s: true}
		var mine []rules.CaseResult
		for _, r := range lib.RunCases(eng.Runners()) {
			if set[r.Set] {
				mine = append(mine, r)
				v.Cases = append(v.Cases, caseView{Name: r.Case.Name, Date: day(r.Case.Date), File: path.Base(r.Case.Pos.File), Line: r.Case.Pos.Line, OK: r.OK(), Failures: r.Failures})
				if r.OK() {
					v.Passed++
				} else {
					v.Failed++
				}
			}
		}
		cov := lib.Coverage(mine)
		rc, vc := 0, 0
		nr, nv := 0, 0
		for _, r := range cov.Rules {
			if r.Set != s {
				continue
			}
			nr++
			if r.Covered() {
				rc++
			} else {
				v.Uncovered = append(v.Uncovered, "rule "+r.Rule.ID)
			}
		}
		for _, x := range cov.Values {
			if x.Set != s {
				continue
			}
			nv++
			if x.Cases > 0 {
				vc++
			} else {
				v.Uncovered = append(v.Uncovered, "parameter "+x.Param.Name+" from "+day(x.From))
			}
		}
		v.RulesCov, v.ValuesCov = pct(rc, nr), pct(vc, nv)
	}
	return v
}

func pct(a, b int) int {
	if b == 0 {
		return 100
	}
	return a * 100 / b
}

func status(s string) string {
	if s == "" {
		return "enacted"
	}
	return s
}

func viewParam(s *rules.Set, p *rules.Param, lang string) paramView {
	pv := paramView{Name: p.Name, Words: p.Description.In(lang), Unit: p.Unit, Kind: string(p.Kind), Status: status(p.Status), By: p.By, Keys: p.Keys}
	var segs []segment
	for i, x := range p.Values {
		to := x.To
		if i+1 < len(p.Values) {
			to = p.Values[i+1].From.AddDate(0, 0, -1)
		}
		var text string
		if x.ByKey != nil {
			var parts []string
			for _, k := range p.Keys {
				parts = append(parts, k+" "+formatValue(p, x.ByKey[k]))
			}
			text = strings.Join(parts, " · ")
		} else {
			text = formatValue(p, x.Value)
		}
		pv.Values = append(pv.Values, valueView{From: day(x.From), To: day(to), Text: text, Source: x.Source})
		segs = append(segs, segment{from: x.From, to: to, label: text})
	}
	pv.Timeline = timeline(segs, s.Meta.From, s.Meta.To)
	return pv
}

func (w *Workbench) handleRuleSets(rw http.ResponseWriter, r *http.Request) {
	lib, _, _, err := w.inForce()
	if err != nil {
		w.fail(rw, r, http.StatusInternalServerError, err.Error())
		return
	}
	type row struct {
		ID, Title, Status, From, To, Short string
	}
	var data struct {
		Sets   []row
		Drafts []draftInfo
	}
	for _, s := range lib.Sets() {
		data.Sets = append(data.Sets, row{s.Meta.ID, s.Meta.Title, s.Meta.Status, day(s.Meta.From), day(s.Meta.To), s.ShortHash()})
	}
	data.Drafts, _ = w.listDrafts()
	w.render(rw, r, http.StatusOK, "rulesets", "rules", messages[lang(r)]["nav_rules"], data)
}

func (w *Workbench) handleRuleSet(rw http.ResponseWriter, r *http.Request) {
	lib, _, eng, err := w.inForce()
	if err != nil {
		w.fail(rw, r, http.StatusInternalServerError, err.Error())
		return
	}
	for _, s := range lib.Sets() {
		if s.Meta.ID == r.PathValue("id") {
			w.render(rw, r, http.StatusOK, "ruleset", "rules", s.Meta.ID, viewSet(s, lib, eng, lang(r)))
			return
		}
	}
	w.fail(rw, r, http.StatusNotFound, messages[lang(r)]["not_found"])
}
