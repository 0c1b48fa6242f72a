package service

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/hotro-vn/hotro/allocation"
	"github.com/hotro-vn/hotro/eligibility"
	"github.com/hotro-vn/hotro/rules"
)

// ---- schedule

type scheduleRequest struct {
	From    string          `json:"from"`
	To      string          `json:"to"`
	Records json.RawMessage `json:"records"`
	Policy  string          `json:"policy"`
}

// ScheduleResponse is the answer of POST /v1/schedule.
type ScheduleResponse struct {
	RuleSets  []RuleSetRef     `json:"rulesets"`
	RequestID string           `json:"request_id"`
	From      string           `json:"from"`
	To        string           `json:"to"`
	Results   []ScheduleResult `json:"results"`
	Warnings  []string         `json:"warnings"`
}

// ScheduleResult is one record's months, or its error.
type ScheduleResult struct {
	DecisionID string          `json:"decision_id"`
	PersonID   string          `json:"person_id"`
	Months     []ScheduleMonth `json:"months"`
	Total      *string         `json:"total,omitempty"`
	Error      string          `json:"error,omitempty"`
	Problems   []FieldProblem  `json:"problems,omitempty"`
}

// ScheduleMonth is one month of a schedule.
type ScheduleMonth struct {
	Month        string   `json:"month"`
	Eligible     bool     `json:"eligible"`
	MonthlyTopup string   `json:"monthly_topup"`
	FailedRules  []string `json:"failed_rules"`
	RuleSet      string   `json:"ruleset"`
	RuleSetHash  string   `json:"ruleset_hash"`
}

// months parses a range and checks it against the limit and the rules.
func (s *Server) months(w http.ResponseWriter, r *http.Request, st *state, fromS, toS, policy string) (eligibility.Month, eligibility.Month, []RuleSetRef, bool) {
	from, err1 := eligibility.ParseMonth(fromS)
	to, err2 := eligibility.ParseMonth(toS)
	var ms []eligibility.Month
	err := errors.Join(err1, err2)
	if err == nil {
		ms, err = eligibility.Months(from, to)
	}
	if err != nil {
		writeProblem(w, r, problem(http.StatusBadRequest, probBadRequest, fmt.Sprintf("from %q, to %q: want two months YYYY-MM, from not after to: %v", fromS, toS, err), "khoảng tháng không hợp lệ (YYYY-MM)"))
		return from, to, nil, false
	}
	if len(ms) > s.opts.MaxMonths {
		writeProblem(w, r, problem(http.StatusRequestEntityTooLarge, probBatchTooBig, fmt.Sprintf("%d months; at most %d per request", len(ms), s.opts.MaxMonths), fmt.Sprintf("%d tháng; tối đa %d tháng mỗi yêu cầu", len(ms), s.opts.MaxMonths)))
		return from, to, nil, false
	}
	var used []RuleSetRef
	for _, m := range ms {
		set, ok := setOn(w, r, st, m.First(), policy)
		if !ok {
			return from, to, nil, false
		}
		if len(used) == 0 || used[len(used)-1].Hash != set.Hash {
			used = append(used, ref(set))
		}
	}
	return from, to, used, true
}

func (s *Server) handleSchedule(w http.ResponseWriter, r *http.Request) {
	st := s.state.Load()
	var req scheduleRequest
	if !readJSON(w, r, &req) {
		return
	}
	from, to, used, ok := s.months(w, r, st, req.From, req.To, req.Policy)
	if !ok {
		return
	}
	recs, warnings, ok := s.records(w, r, req.Records, 0)
	if !ok {
		return
	}
	var outs []eligibility.ScheduleOutcome
	step := max(1, chunk/max(1, len(used)*12))
	for lo := 0; lo < len(recs); lo += step {
		if err := r.Context().Err(); err != nil {
			writeTimeout(w, r)
			return
		}
		o, err := st.engine.ScheduleAll(r.Context(), recs[lo:min(lo+step, len(recs))], from, to)
		if err != nil {
			writeProblem(w, r, problem(http.StatusUnprocessableEntity, probNoRuleSet, err.Error(), ""))
			return
		}
		outs = append(outs, o...)
	}
	id := requestID(r)
	resp := ScheduleResponse{RuleSets: used, RequestID: id, From: from.String(), To: to.String(), Results: make([]ScheduleResult, len(outs)), Warnings: warnings}
	for i, o := range outs {
		res := ScheduleResult{DecisionID: fmt.Sprintf("%s-%d", id, i+1), PersonID: o.Record.ID, Months: []ScheduleMonth{}}
		if o.Err != nil {
			res.Error, res.Problems = o.Err.Error(), fieldProblems(o.Err)
		} else {
			total := o.Schedule.Total.StringFixed(0)
			res.Total = &total
			for _, m := range o.Schedule.Months {
				failed := m.Failed()
				if failed == nil {
					failed = []string{}
				}
				res.Months = append(res.Months, ScheduleMonth{Month: m.Month.String(), Eligible: m.Eligible, MonthlyTopup: m.MonthlyTopup.StringFixed(0),
					FailedRules: failed, RuleSet: m.RuleSet, RuleSetHash: m.RuleSetHash})
			}
		}
		resp.Results[i] = res
	}
	writeJSON(w, http.StatusOK, resp)
}

// ---- quota and plan

type planRequest struct {
	Date    string          `json:"date"`
	Units   json.RawMessage `json:"units"`
	Persons json.RawMessage `json:"persons"`
	Policy  string          `json:"policy"`
}

// PlanResponse is the answer of POST /v1/quota and POST /v1/plan: the plan
// as allocation.Plan writes it.
type PlanResponse struct {
	RuleSet   RuleSetRef       `json:"ruleset"`
	RequestID string           `json:"request_id"`
	Plan      *allocation.Plan `json:"plan"`
	Warnings  []string         `json:"warnings"`
}

func (s *Server) handleQuota(w http.ResponseWriter, r *http.Request) { s.plan(w, r, false) }
func (s *Server) handlePlan(w http.ResponseWriter, r *http.Request)  { s.plan(w, r, true) }

func (s *Server) plan(w http.ResponseWriter, r *http.Request, allocate bool) {
	st := s.state.Load()
	var req planRequest
	if !readJSON(w, r, &req) {
		return
	}
	date, ok := parseDate(w, r, req.Date)
	if !ok {
		return
	}
	set, ok := setOn(w, r, st, date, req.Policy)
	if !ok {
		return
	}
	if st.planner == nil {
		writeProblem(w, r, problem(http.StatusUnprocessableEntity, probNoRuleSet, "the rule sets in force have no quota rules (models unit and area)", "bộ quy tắc không có quy tắc chỉ tiêu nhận đỡ đầu"))
		return
	}
	if len(req.Units) == 0 || string(req.Units) == "null" {
		writeProblem(w, r, problem(http.StatusBadRequest, probBadRequest, "units is required: a JSON array of sponsoring units", "thiếu danh sách đơn vị (units)"))
		return
	}
	units, uw, err := s.decodeUnits(req.Units, set, date)
	if err != nil {
		writeProblem(w, r, problem(http.StatusBadRequest, probBadRequest, "units: "+err.Error(), "danh sách đơn vị không đọc được"))
		return
	}
	persons, pw, ok := s.records(w, r, req.Persons, len(units))
	if !ok {
		return
	}
	if r.Context().Err() != nil {
		writeTimeout(w, r)
		return
	}
	// PlanRecords takes no context: the batch limit bounds its work.
	plan, err := st.planner.PlanRecords(st.engine, date, units, persons, allocate)
	if err != nil {
		writeProblem(w, r, problem(http.StatusUnprocessableEntity, probNoRuleSet, err.Error(), ""))
		return
	}
	warnings := append(prefix("units: ", uw), prefix("persons: ", pw)...)
	writeJSON(w, http.StatusOK, PlanResponse{RuleSet: ref(set), RequestID: requestID(r), Plan: plan, Warnings: warnings})
}

func prefix(p string, ws []string) []string {
	out := []string{}
	for _, w := range ws {
		out = append(out, p+w)
	}
	return out
}

// ---- rule sets

// RuleSetSummary is one rule set in GET /v1/rulesets.
type RuleSetSummary struct {
	ID     string   `json:"id"`
	Title  string   `json:"title"`
	Phase  Phase    `json:"phase"`
	Status string   `json:"status"`
	Hash   string   `json:"hash"`
	Models []string `json:"models"`
}

// Phase is the days a rule set is in force, both included.
type Phase struct {
	From string `json:"from"`
	To   string `json:"to"`
}

func summaryOf(s *rules.Set) RuleSetSummary {
	return RuleSetSummary{ID: s.Meta.ID, Title: s.Meta.Title, Phase: Phase{day(s.Meta.From), day(s.Meta.To)},
		Status: s.Meta.Status, Hash: s.Hash, Models: s.Models()}
}

func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

func (s *Server) handleRulesets(w http.ResponseWriter, r *http.Request) {
	st := s.state.Load()
	out := struct {
		RuleSets []RuleSetSummary `json:"rulesets"`
	}{[]RuleSetSummary{}}
	for _, set := range st.lib.Sets() {
		out.RuleSets = append(out.RuleSets, summaryOf(set))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleRuleset(w http.ResponseWriter, r *http.Request) {
	st := s.state.Load()
	id := r.PathValue("id")
	for _, set := range st.lib.Sets() {
		if set.Meta.ID == id {
			writeJSON(w, http.StatusOK, detailOf(set))
			return
		}
	}
	writeProblem(w, r, problem(http.StatusNotFound, probNotFound, "no rule set "+id+" is loaded; see /v1/rulesets", "không có bộ quy tắc "+id))
}

// ---- status, health, readiness, OpenAPI, reload

func (s *Server) handleStatus(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.Status())
}

func (s *Server) handleHealthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) handleReadyz(w http.ResponseWriter, r *http.Request) {
	st := s.state.Load()
	if st == nil {
		writeProblem(w, r, problem(http.StatusServiceUnavailable, probNotReady, "", ""))
		return
	}
	writeJSON(w, http.StatusOK, struct {
		Ready    bool         `json:"ready"`
		RuleSets []RuleSetRef `json:"rulesets"`
	}{true, st.summary()})
}

func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(s.state.Load().openapi)
}

func (s *Server) handleReload(w http.ResponseWriter, r *http.Request) {
	// A reload is not cut short by the request's deadline: it runs to its
	// end and either swaps or keeps the rules.
	if err := s.Reload("POST /v1/admin/reload " + requestID(r)); err != nil {
		p := problem(http.StatusUnprocessableEntity, probReload, "the new rules were not taken; see errors and GET /v1/status", "không nạp được quy tắc mới; vẫn dùng quy tắc đang áp dụng")
		p.Errors = ruleErrors(err)
		writeProblem(w, r, p)
		return
	}
	writeJSON(w, http.StatusOK, s.Status())
}
