package service

import (
	"github.com/hotro-vn/hotro/rules"
)

// RuleSetDetail is GET /v1/rulesets/{id}: the rules with their citations
// and status, the parameters with their dated values and sources, and the
// interpretations.
type RuleSetDetail struct {
	RuleSetSummary
	Description     string           `json:"description"`
	Jurisdiction    map[string]any   `json:"jurisdiction"`
	Levels          []map[string]any `json:"levels"`
	Sources         []map[string]any `json:"sources"`
	Interpretations []map[string]any `json:"interpretations"`
	ModelDetails    []ModelDetail    `json:"model_details"`
	Parameters      []ParamDetail    `json:"parameters"`
	Cases           int              `json:"cases"`
}

// ModelDetail is one model of a rule set.
type ModelDetail struct {
	Name     string           `json:"name"`
	Inputs   []map[string]any `json:"inputs"`
	Rules    []map[string]any `json:"rules"`
	Formulas []map[string]any `json:"formulas"`
}

// ParamDetail is one parameter with its dated values, as text.
type ParamDetail struct {
	Name        string        `json:"name"`
	Type        string        `json:"type"`
	Unit        string        `json:"unit,omitempty"`
	By          string        `json:"by,omitempty"`
	Keys        []string      `json:"keys,omitempty"`
	Status      string        `json:"status"`
	Description rules.Text    `json:"description"`
	Values      []ParamDetVal `json:"values"`
}

// ParamDetVal is one dated value of a parameter.
type ParamDetVal struct {
	From   string            `json:"from,omitempty"`
	To     string            `json:"to,omitempty"`
	Value  *string           `json:"value,omitempty"`
	ByKey  map[string]string `json:"by_key,omitempty"`
	Source string            `json:"source"`
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func detailOf(s *rules.Set) RuleSetDetail {
	d := RuleSetDetail{RuleSetSummary: summaryOf(s), Description: s.Meta.Description, Cases: len(s.Cases),
		Jurisdiction: map[string]any{"code": s.Meta.Jurisdiction.Code, "name": s.Meta.Jurisdiction.Name},
		Levels:       []map[string]any{}, Sources: []map[string]any{}, Interpretations: []map[string]any{},
		ModelDetails: []ModelDetail{}, Parameters: []ParamDetail{}}
	for _, l := range s.Meta.Levels {
		d.Levels = append(d.Levels, map[string]any{"id": l.ID, "name": l.Name})
	}
	for _, src := range s.Meta.Sources {
		d.Sources = append(d.Sources, map[string]any{"id": src.ID, "citation": src.Citation, "date": day(src.Date), "status": src.Status, "note": src.Note})
	}
	for _, in := range s.Meta.Interpretations {
		d.Interpretations = append(d.Interpretations, map[string]any{"id": in.ID, "text": in.Text, "applies_to": orEmpty(in.Applies)})
	}
	for _, name := range s.Models() {
		m := s.Model(name)
		md := ModelDetail{Name: name, Inputs: []map[string]any{}, Rules: []map[string]any{}, Formulas: []map[string]any{}}
		for _, in := range m.Inputs {
			md.Inputs = append(md.Inputs, map[string]any{"name": in.Name, "type": string(in.Kind), "unit": in.Unit,
				"values": orEmpty(in.Values), "optional": in.Optional, "description": in.Description})
		}
		for _, r := range m.Rules {
			md.Rules = append(md.Rules, map[string]any{"id": r.ID, "when": r.Expr, "cites": r.Cites, "status": r.Status,
				"message": r.Message, "description": r.Description})
		}
		for _, f := range m.Formulas {
			md.Formulas = append(md.Formulas, map[string]any{"name": f.Name, "type": string(f.Kind), "unit": f.Unit, "expr": f.Expr,
				"cites": f.Cites, "status": f.Status, "description": f.Description})
		}
		d.ModelDetails = append(d.ModelDetails, md)
	}
	for _, p := range s.Params {
		pd := ParamDetail{Name: p.Name, Type: string(p.Kind), Unit: p.Unit, By: p.By, Keys: p.Keys, Status: p.Status, Description: p.Description, Values: []ParamDetVal{}}
		for _, v := range p.Values {
			pv := ParamDetVal{From: day(v.From), To: day(v.To), Source: v.Source}
			if v.ByKey != nil {
				pv.ByKey = map[string]string{}
				for k, x := range v.ByKey {
					pv.ByKey[k] = rules.FormatValue(x)
				}
			} else {
				t := rules.FormatValue(v.Value)
				pv.Value = &t
			}
			pd.Values = append(pd.Values, pv)
		}
		d.Parameters = append(d.Parameters, pd)
	}
	return d
}
