package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/hotro-vn/hotro/eligibility"
	"github.com/hotro-vn/hotro/rules"
	"github.com/shopspring/decimal"
)

// chunk is how many records a batch decides between two looks at the
// request's deadline.
const chunk = 1024

// DecideResponse is the answer of POST /v1/decide.
type DecideResponse struct {
	RuleSet   RuleSetRef     `json:"ruleset"`
	RequestID string         `json:"request_id"`
	Date      string         `json:"date"`
	Results   []DecideResult `json:"results"`
	Warnings  []string       `json:"warnings"`
}

// DecideResult is the decision for one record, or its error. Money is a
// JSON string of whole đồng.
type DecideResult struct {
	DecisionID   string         `json:"decision_id"`
	PersonID     string         `json:"person_id"`
	Eligible     *bool          `json:"eligible,omitempty"`
	MonthlyTopup *string        `json:"monthly_topup,omitempty"`
	FailedRules  []string       `json:"failed_rules"`
	Error        string         `json:"error,omitempty"`
	Problems     []FieldProblem `json:"problems,omitempty"`
	Reasons      []ReasonJSON   `json:"reasons,omitempty"`
}

// FieldProblem is one problem of a record in error.
type FieldProblem struct {
	Field   string `json:"field,omitempty"`
	Value   string `json:"value,omitempty"`
	Message string `json:"message"`
}

// ReasonJSON is one rule's outcome, with the values it read as text.
type ReasonJSON struct {
	Rule    string            `json:"rule"`
	Pass    bool              `json:"pass"`
	Cites   string            `json:"cites"`
	Status  string            `json:"status"`
	Message rules.Text        `json:"message"`
	Values  map[string]string `json:"values"`
}

func parseDate(w http.ResponseWriter, r *http.Request, s string) (time.Time, bool) {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		writeProblem(w, r, problem(http.StatusBadRequest, probBadRequest, fmt.Sprintf("date %q: want YYYY-MM-DD", s), fmt.Sprintf("ngày %q không hợp lệ (YYYY-MM-DD)", s)))
		return time.Time{}, false
	}
	return d, true
}

// setOn returns the set in force on date, checked against policy.
func setOn(w http.ResponseWriter, r *http.Request, st *state, date time.Time, policy string) (*rules.Set, bool) {
	set, err := st.lib.For(date)
	if err != nil {
		writeProblem(w, r, problem(http.StatusUnprocessableEntity, probNoRuleSet, err.Error(), "không có bộ quy tắc nào có hiệu lực vào ngày "+date.Format(time.DateOnly)))
		return nil, false
	}
	if policy != "" && policy != set.Meta.ID {
		writeProblem(w, r, problem(http.StatusUnprocessableEntity, probNoRuleSet,
			fmt.Sprintf("policy %q is not in force on %s (%s is)", policy, date.Format(time.DateOnly), set.Meta.ID),
			fmt.Sprintf("chính sách %q không có hiệu lực vào ngày %s", policy, date.Format(time.DateOnly))))
		return nil, false
	}
	return set, true
}

// records decodes the person records of a request and checks the batch
// limit; extra counts other records of the request (units).
func (s *Server) records(w http.ResponseWriter, r *http.Request, raw json.RawMessage, extra int) ([]eligibility.Record, []string, bool) {
	if len(raw) == 0 || string(raw) == "null" {
		writeProblem(w, r, problem(http.StatusBadRequest, probBadRequest, "records is required: a JSON array of person records", "thiếu danh sách bản ghi (records)"))
		return nil, nil, false
	}
	recs, warnings, err := s.decodeRecords(raw)
	if err != nil {
		writeProblem(w, r, problem(http.StatusBadRequest, probBadRequest, "records: "+err.Error(), "danh sách bản ghi không đọc được"))
		return nil, nil, false
	}
	if len(recs)+extra > s.opts.MaxBatch {
		writeProblem(w, r, batchTooBig(len(recs)+extra, s.opts.MaxBatch))
		return nil, nil, false
	}
	if warnings == nil {
		warnings = []string{}
	}
	return recs, warnings, true
}

func batchTooBig(n, max int) *Problem {
	return problem(http.StatusRequestEntityTooLarge, probBatchTooBig,
		fmt.Sprintf("%d records; at most %d per request", n, max),
		fmt.Sprintf("%d bản ghi; tối đa %d bản ghi mỗi yêu cầu", n, max))
}

// wholeDong is an amount as the answers write money, d.StringFixed(0),
// without its allocations when the amount is a whole number of đồng.
func wholeDong(d decimal.Decimal) string {
	if exp := int(d.Exponent()); exp >= 0 && d.NumDigits()+exp <= 18 {
		n := d.CoefficientInt64()
		for range exp {
			n *= 10
		}
		return strconv.FormatInt(n, 10)
	}
	return d.StringFixed(0)
}

// decideAll decides recs in chunks, looking at ctx between them.
func decideAll(ctx context.Context, e *eligibility.Engine, recs []eligibility.Record, date time.Time) ([]eligibility.Outcome, error) {
	if len(recs) <= chunk {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		return e.DecideAll(ctx, recs, date)
	}
	outs := make([]eligibility.Outcome, 0, len(recs))
	for lo := 0; lo < len(recs); lo += chunk {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		o, err := e.DecideAll(ctx, recs[lo:min(lo+chunk, len(recs))], date)
		if err != nil {
			return nil, err
		}
		outs = append(outs, o...)
	}
	return outs, nil
}

func (s *Server) handleDecide(w http.ResponseWriter, r *http.Request) {
	st := s.state.Load() // the whole request decides with these rules
	req, ok := s.readDecide(w, r, st)
	if !ok {
		return
	}
	defer req.release()
	date, ok := parseDate(w, r, req.date)
	if !ok {
		return
	}
	set, ok := setOn(w, r, st, date, req.policy)
	if !ok {
		return
	}
	switch {
	case !req.given:
		writeProblem(w, r, problem(http.StatusBadRequest, probBadRequest, "records is required: a JSON array of person records", "thiếu danh sách bản ghi (records)"))
		return
	case req.recsErr != nil:
		writeProblem(w, r, problem(http.StatusBadRequest, probBadRequest, "records: "+req.recsErr.Error(), "danh sách bản ghi không đọc được"))
		return
	case req.n > s.opts.MaxBatch:
		writeProblem(w, r, batchTooBig(req.n, s.opts.MaxBatch))
		return
	}
	warnings := req.warnings
	if warnings == nil {
		warnings = []string{}
	}
	outs, err := decideAll(r.Context(), st.engine, req.recs, date)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
			writeTimeout(w, r)
			return
		}
		writeProblem(w, r, problem(http.StatusUnprocessableEntity, probNoRuleSet, err.Error(), ""))
		return
	}
	// Each result is appended to the answer as it is made; the decision
	// log, if any, gets them all.
	id, rs := requestID(r), ref(set)
	var logged []DecideResult
	if s.declog != nil {
		logged = make([]DecideResult, 0, len(outs))
	}
	bp := bufPool.Get().(*[]byte)
	b := appendDecideHead((*bp)[:0], rs, id, req.date)
	b = append(b, '[')
	var eligible, notEligible, inError int
	var res DecideResult
	for i, o := range outs {
		res = DecideResult{DecisionID: id + "-" + strconv.Itoa(i+1), PersonID: o.Record.ID, FailedRules: []string{}}
		if o.Err != nil {
			inError++
			res.Error, res.Problems = o.Err.Error(), fieldProblems(o.Err)
		} else {
			d := o.Decision
			if d.RuleSetHash != set.Hash { // cannot happen: one state, one set per date
				panic("decision under another rule set than the request's")
			}
			el, amount := d.Eligible, wholeDong(d.MonthlyTopup)
			res.Eligible, res.MonthlyTopup = &el, &amount
			if f := d.Failed(); f != nil {
				res.FailedRules = f
			}
			if el {
				eligible++
			} else {
				notEligible++
			}
			if req.explain {
				res.Reasons = reasons(d)
			}
		}
		if i > 0 {
			b = append(b, ',')
		}
		b = appendResult(b, &res)
		if logged != nil {
			logged = append(logged, res)
		}
	}
	b = append(b, ']')
	b = appendDecideTail(b, warnings)
	s.metrics.decisions.WithLabelValues("eligible").Add(float64(eligible))
	s.metrics.decisions.WithLabelValues("not_eligible").Add(float64(notEligible))
	s.metrics.decisions.WithLabelValues("error").Add(float64(inError))
	if s.declog != nil {
		s.declog.logDecisions(rs, req.date, req.raws, logged)
	}
	writeAnswer(w, bp, b)
}

func reasons(d *eligibility.Decision) []ReasonJSON {
	rs := d.Reasons()
	out := make([]ReasonJSON, len(rs))
	for i, r := range rs {
		vals := map[string]string{}
		for _, v := range r.Values() {
			vals[v.Name] = rules.FormatValue(v.Value)
		}
		out[i] = ReasonJSON{Rule: r.Rule, Pass: r.Pass, Cites: r.Cites, Status: r.Status, Message: r.Message, Values: vals}
	}
	return out
}

// fieldProblems lists the *eligibility.FieldError of err, joined or not.
func fieldProblems(err error) []FieldProblem {
	var out []FieldProblem
	var walk func(error)
	walk = func(e error) {
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			for _, x := range j.Unwrap() {
				walk(x)
			}
			return
		}
		var fe *eligibility.FieldError
		if errors.As(e, &fe) {
			out = append(out, FieldProblem{Field: fe.Field, Value: fe.Value, Message: fe.Msg})
			return
		}
		out = append(out, FieldProblem{Message: e.Error()})
	}
	walk(err)
	return out
}
