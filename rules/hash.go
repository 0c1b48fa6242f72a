package rules

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"sort"
	"time"
)

// decisionHash is the SHA-256 of what decides, in a canonical form: the
// set's id, policy, jurisdiction, phase and levels; every parameter with
// its dated values; every model's record declaration, derived values,
// inputs, rules and formulas, each expression as its parsed tree prints.
// Test cases, comments, descriptions, messages, citations and the files'
// layout and formatting are left out, so that adding a case or mending a
// text does not make identical decisions look like a new version.
func (s *Set) decisionHash() string {
	type value struct {
		From, To string
		Value    string            `json:",omitempty"`
		ByKey    map[string]string `json:",omitempty"`
	}
	type param struct {
		Name, Kind, By string
		Keys           []string
		Values         []value
	}
	type field struct {
		Name, Column, Type string
		Aliases, Values    []string
		Spellings          map[string]string
		Required           bool
		Default, Min       string
	}
	type expr struct{ Name, Kind, Expr string }
	type model struct {
		Name            string
		Key, Group      string
		Fields          []field
		Checks          []GroupCheck
		Derived         []expr
		Inputs          []string
		Rules, Formulas []expr
	}
	day := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format(time.DateOnly)
	}
	str := func(v any) string {
		if v == nil {
			return ""
		}
		return FormatValue(v)
	}
	code := func(f *Formula) string {
		if f.program != nil {
			return f.program.Node().String()
		}
		return f.Expr
	}
	c := struct {
		ID, Policy, Jurisdiction, Status, From, To string
		Levels                                     []string
		Params                                     []param
		Models                                     []model
	}{ID: s.Meta.ID, Policy: s.Meta.Policy, Jurisdiction: s.Meta.Jurisdiction.Code, Status: s.Meta.Status,
		From: day(s.Meta.From), To: day(s.Meta.To)}
	for _, l := range s.Meta.Levels {
		c.Levels = append(c.Levels, l.ID)
	}
	for _, p := range s.Params {
		cp := param{Name: p.Name, Kind: string(p.Kind), By: p.By, Keys: p.Keys}
		for _, v := range p.Values {
			cv := value{From: day(v.From), To: day(v.To), Value: str(v.Value)}
			if v.ByKey != nil {
				cv.ByKey = map[string]string{}
				for k, x := range v.ByKey {
					cv.ByKey[k] = str(x)
				}
			}
			cp.Values = append(cp.Values, cv)
		}
		c.Params = append(c.Params, cp)
	}
	sort.Slice(c.Params, func(i, j int) bool { return c.Params[i].Name < c.Params[j].Name })
	for _, name := range s.order {
		m := s.models[name]
		cm := model{Name: m.Name}
		if m.Record != nil {
			cm.Key, cm.Group = m.Record.Key, m.Record.Group
			for _, f := range m.Record.Fields {
				cf := field{Name: f.Name, Column: f.Column, Type: string(f.Type), Aliases: f.Aliases, Values: f.Values,
					Spellings: f.Spellings, Required: f.Required, Default: str(f.Default)}
				if f.Min != nil {
					cf.Min = f.Min.String()
				}
				cm.Fields = append(cm.Fields, cf)
			}
			for _, ch := range m.Record.Checks {
				cm.Checks = append(cm.Checks, GroupCheck{ID: ch.ID, Among: ch.Among, Flag: ch.Flag})
			}
			for _, d := range m.Derived {
				cm.Derived = append(cm.Derived, expr{d.Name, string(d.Kind), code(d)})
			}
		} else {
			for _, in := range m.Inputs {
				cm.Inputs = append(cm.Inputs, in.Name+":"+string(in.Kind))
			}
		}
		for _, r := range m.Rules {
			e := r.Expr
			if r.program != nil {
				e = r.program.Node().String()
			}
			cm.Rules = append(cm.Rules, expr{r.ID, r.Status, e})
		}
		for _, f := range m.Formulas {
			cm.Formulas = append(cm.Formulas, expr{f.Name, string(f.Kind), code(f)})
		}
		sort.Slice(cm.Formulas, func(i, j int) bool { return cm.Formulas[i].Name < cm.Formulas[j].Name })
		c.Models = append(c.Models, cm)
	}
	b, err := json.Marshal(c) // maps are written with sorted keys
	if err != nil {
		panic("rules: the canonical form of a set does not encode: " + err.Error())
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
