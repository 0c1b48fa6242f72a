package service

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"slices"
	"sort"
	"strings"
	"testing/fstest"
	"time"

	"github.com/hotro-vn/hotro/eligibility"
	"github.com/hotro-vn/hotro/impact"
	"github.com/hotro-vn/hotro/rules"
	"gopkg.in/yaml.v3"
)

type impactRequest struct {
	Date    string          `json:"date"`
	From    string          `json:"from"`
	To      string          `json:"to"`
	Records json.RawMessage `json:"records"`
	// Overrides give parameters a new value from the comparison's first
	// day (the date, or the first day of from) on: a whole-đồng string or
	// number, or an object keyed like the parameter (poverty_line: {rural,
	// urban}).
	Overrides map[string]json.RawMessage `json:"overrides"`
	// Against names a rule set of a candidate library (serve --candidate).
	Against string `json:"against"`
}

// ImpactResponse is the answer of POST /v1/impact: the base rule set in
// force, the proposed one, and the comparison as package impact writes it.
type ImpactResponse struct {
	RuleSet   RuleSetRef      `json:"ruleset"`
	New       []RuleSetRef    `json:"new_rulesets"`
	RequestID string          `json:"request_id"`
	Report    *impact.Report  `json:"report"`
	Warnings  []string        `json:"warnings"`
	Overrides map[string]bool `json:"overridden,omitempty"`
}

func (s *Server) handleImpact(w http.ResponseWriter, r *http.Request) {
	st := s.state.Load()
	var req impactRequest
	if !readJSON(w, r, &req) {
		return
	}
	onDate := req.Date != ""
	if onDate == (req.From != "" || req.To != "") {
		writeProblem(w, r, problem(http.StatusBadRequest, probBadRequest, "give either date, or from and to", "cần ngày (date) hoặc khoảng tháng (from, to)"))
		return
	}
	if (len(req.Overrides) > 0) == (req.Against != "") {
		writeProblem(w, r, problem(http.StatusBadRequest, probBadRequest, "give either overrides (parameter values) or against (a candidate rule set id)", "cần overrides hoặc against"))
		return
	}
	var date time.Time
	var from, to eligibility.Month
	var base RuleSetRef
	if onDate {
		var ok bool
		if date, ok = parseDate(w, r, req.Date); !ok {
			return
		}
		set, ok := setOn(w, r, st, date, "")
		if !ok {
			return
		}
		base = ref(set)
		from = eligibility.MonthOf(date)
	} else {
		var used []RuleSetRef
		var ok bool
		if from, to, used, ok = s.months(w, r, st, req.From, req.To, ""); !ok {
			return
		}
		base = used[0]
		date = from.First()
	}
	recs, warnings, ok := s.records(w, r, req.Records, 0)
	if !ok {
		return
	}
	var proposed *eligibility.Engine
	if req.Against != "" {
		for _, c := range st.candidates {
			for _, set := range c.engine.Library().Sets() {
				if set.Meta.ID == req.Against {
					proposed = c.engine
				}
			}
		}
		if proposed == nil {
			writeProblem(w, r, problem(http.StatusUnprocessableEntity, probNoRuleSet, fmt.Sprintf("no candidate rule set %q is loaded (start the server with --candidate DIR)", req.Against), "không có bộ quy tắc đề xuất "+req.Against))
			return
		}
	} else {
		lib, err := overridden(st, req.Overrides, date)
		if err != nil {
			p := problem(http.StatusUnprocessableEntity, probBadRules, "the overrides do not make valid rules: "+err.Error(), "giá trị thay thế không hợp lệ")
			p.Errors = ruleErrors(err)
			p.Detail = "the overrides do not make valid rules; see errors"
			writeProblem(w, r, p)
			return
		}
		if proposed, err = eligibility.New(lib); err != nil {
			p := problem(http.StatusUnprocessableEntity, probBadRules, "the overrides do not make valid rules; see errors", "giá trị thay thế không hợp lệ")
			p.Errors = ruleErrors(err)
			writeProblem(w, r, p)
			return
		}
	}
	if r.Context().Err() != nil {
		writeTimeout(w, r)
		return
	}
	change := impact.Change{Base: st.engine, New: proposed}
	var rep *impact.Report
	var err error
	if onDate {
		rep, err = change.On(recs, date)
	} else {
		rep, err = change.Months(recs, from, to)
	}
	if err != nil {
		writeProblem(w, r, problem(http.StatusUnprocessableEntity, probNoRuleSet, err.Error(), "bộ quy tắc đề xuất không áp dụng được cho khoảng thời gian này"))
		return
	}
	resp := ImpactResponse{RuleSet: base, RequestID: requestID(r), Report: rep, Warnings: warnings, New: []RuleSetRef{}}
	for _, n := range rep.New {
		for _, set := range proposed.Library().Sets() {
			if set.Hash == n.Hash {
				resp.New = append(resp.New, ref(set))
			}
		}
	}
	writeJSON(w, http.StatusOK, resp)
}

// overridden returns the library in force with the parameters of ov set
// to their new values from start on, in every set that has them. The rule
// files are edited as YAML and loaded again, so a bad value is reported as
// the loader reports any, with its place in the edited file.
func overridden(st *state, ov map[string]json.RawMessage, start time.Time) (*rules.Library, error) {
	names := make([]string, 0, len(ov))
	for n := range ov {
		names = append(names, n)
	}
	sort.Strings(names)
	known := map[string]bool{}
	out := fstest.MapFS{}
	for _, set := range st.lib.Sets() {
		dir := set.Dir
		entries, err := fs.ReadDir(st.src, dir)
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			if e.IsDir() {
				continue
			}
			data, err := fs.ReadFile(st.src, path.Join(dir, e.Name()))
			if err != nil {
				return nil, err
			}
			if strings.HasSuffix(e.Name(), ".yaml") || strings.HasSuffix(e.Name(), ".yml") {
				edited, hit, err := overrideFile(data, set, ov, start)
				if err != nil {
					return nil, err
				}
				for _, h := range hit {
					known[h] = true
				}
				data = edited
			}
			out[path.Join("override", path.Base(dir), e.Name())] = &fstest.MapFile{Data: data}
		}
	}
	for _, n := range names {
		if !known[n] {
			return nil, fmt.Errorf("overrides: no parameter %q in the rule sets in force", n)
		}
	}
	return rules.Load(out, "override")
}

// overrideFile edits the parameters of one rule file.
func overrideFile(data []byte, set *rules.Set, ov map[string]json.RawMessage, start time.Time) ([]byte, []string, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return data, nil, nil
	}
	params := mapGet(doc.Content[0], "parameters")
	if params == nil || params.Kind != yaml.MappingNode {
		return data, nil, nil
	}
	var hit []string
	for i := 0; i+1 < len(params.Content); i += 2 {
		name, body := params.Content[i].Value, params.Content[i+1]
		raw, ok := ov[name]
		if !ok || body.Kind != yaml.MappingNode {
			continue
		}
		p := set.Param(name)
		if p == nil {
			continue
		}
		val, err := overrideValue(p, raw)
		if err != nil {
			return nil, nil, err
		}
		hit = append(hit, name)
		if !set.Meta.To.IsZero() && set.Meta.To.Before(start) {
			continue // a phase over before the comparison: unchanged
		}
		from := start
		if from.Before(set.Meta.From) {
			from = set.Meta.From
		}
		// Keep the values that start before the override, ending them the
		// day before it; drop the others; add the override.
		var kept []*yaml.Node
		var before []rules.ParamValue
		for _, v := range p.Values {
			if v.From.IsZero() {
				v.From = set.Meta.From
			}
			if v.From.Before(from) {
				before = append(before, v)
			}
		}
		for i, v := range before {
			to := v.To
			if i == len(before)-1 && (to.IsZero() || !to.Before(from)) {
				to = from.AddDate(0, 0, -1)
			}
			kept = append(kept, valueNode(p, v, to))
		}
		kept = append(kept, mapping("from", scalar(day(from), false), "value", val, "source", scalar("what-if override in a request to /v1/impact", true)))
		var rest []*yaml.Node
		for j := 0; j+1 < len(body.Content); j += 2 {
			switch body.Content[j].Value {
			case "value", "values", "source":
			default:
				rest = append(rest, body.Content[j], body.Content[j+1])
			}
		}
		body.Content = append(rest, scalar("values", false), &yaml.Node{Kind: yaml.SequenceNode, Content: kept})
	}
	if hit == nil {
		return data, nil, nil
	}
	// (a file whose parameters all belong to a past phase is rewritten
	// unchanged in meaning)
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	if err := enc.Encode(&doc); err != nil {
		return nil, nil, err
	}
	return buf.Bytes(), hit, nil
}

func mapGet(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func scalar(s string, quoted bool) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Value: s}
	if quoted {
		n.Style = yaml.DoubleQuotedStyle
	}
	return n
}

func mapping(kv ...any) *yaml.Node {
	n := &yaml.Node{Kind: yaml.MappingNode}
	for i := 0; i < len(kv); i += 2 {
		n.Content = append(n.Content, scalar(kv[i].(string), false), kv[i+1].(*yaml.Node))
	}
	return n
}

// valueNode writes an existing dated value back, ending on to (zero: until
// the next value).
func valueNode(p *rules.Param, v rules.ParamValue, to time.Time) *yaml.Node {
	lit := func(x any) *yaml.Node { return scalar(rules.FormatValue(x), p.Kind == rules.KindText) }
	var val *yaml.Node
	if v.ByKey != nil {
		val = &yaml.Node{Kind: yaml.MappingNode}
		for _, k := range p.Keys {
			val.Content = append(val.Content, scalar(k, false), lit(v.ByKey[k]))
		}
	} else {
		val = lit(v.Value)
	}
	n := mapping("from", scalar(day(v.From), false), "value", val, "source", scalar(v.Source, true))
	if !to.IsZero() {
		n.Content = append(n.Content, scalar("to", false), scalar(day(to), false))
	}
	return n
}

// overrideValue turns a JSON value into the YAML of a parameter value.
func overrideValue(p *rules.Param, raw json.RawMessage) (*yaml.Node, error) {
	one := func(r json.RawMessage) (*yaml.Node, error) {
		dec := json.NewDecoder(bytes.NewReader(r))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil {
			return nil, fmt.Errorf("overrides.%s: %v", p.Name, err)
		}
		switch x := v.(type) {
		case string:
			return scalar(x, p.Kind == rules.KindText), nil
		case json.Number:
			return scalar(x.String(), false), nil
		case bool:
			return scalar(fmt.Sprint(x), false), nil
		}
		return nil, fmt.Errorf("overrides.%s: want a string, number or boolean", p.Name)
	}
	if p.By == "" {
		return one(raw)
	}
	var keyed map[string]json.RawMessage
	if err := json.Unmarshal(raw, &keyed); err != nil {
		return nil, fmt.Errorf("overrides.%s: the parameter is keyed by %s: give an object with %s", p.Name, p.By, strings.Join(p.Keys, ", "))
	}
	n := &yaml.Node{Kind: yaml.MappingNode}
	keys := make([]string, 0, len(keyed))
	for k := range keyed {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		v, err := one(keyed[k])
		if err != nil {
			return nil, err
		}
		n.Content = append(n.Content, scalar(k, false), v)
	}
	return n, nil
}
