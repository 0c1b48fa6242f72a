package eligibility

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"

	"github.com/hotro-vn/hotro/rules"
)

// outcomeJSON is one outcome as WriteJSON writes it; money is a string of
// whole đồng, so that no JSON reader turns it into a float.
type outcomeJSON struct {
	PersonID     string   `json:"person_id"`
	Eligible     *bool    `json:"eligible"`
	MonthlyTopup string   `json:"monthly_topup,omitempty"`
	FailedRules  []string `json:"failed_rules"`
	Error        string   `json:"error,omitempty"`
	RuleSet      string   `json:"rule_set,omitempty"`
	RuleSetHash  string   `json:"rule_set_hash,omitempty"`
	Explanation  string   `json:"explanation,omitempty"`
}

func outcomeOf(o Outcome, explain Explainer) outcomeJSON {
	j := outcomeJSON{PersonID: o.Record.ID, FailedRules: []string{}}
	if o.Err != nil {
		j.Error = oneLine(o.Err.Error())
		return j
	}
	d := o.Decision
	j.Eligible = &d.Eligible
	j.MonthlyTopup = d.MonthlyTopup.StringFixed(0)
	if f := d.Failed(); f != nil {
		j.FailedRules = f
	}
	j.RuleSet, j.RuleSetHash = d.RuleSet, d.RuleSetHash
	if explain != nil {
		j.Explanation = explain(d)
	}
	return j
}

// WriteJSON writes the outcomes as a JSON array, one object per outcome in
// order, with the keys of the CSV output (money as strings of whole đồng).
func WriteJSON(w io.Writer, outs []Outcome, explain bool) error {
	jw := NewJSONWriter(w, explain)
	for _, o := range outs {
		if err := jw.Write(o); err != nil {
			return err
		}
	}
	return jw.Close()
}

// NewJSONWriter returns the streaming form of WriteJSON.
func NewJSONWriter(w io.Writer, explain bool) OutcomeWriter {
	return NewJSONWriterWith(w, explainer(explain))
}

// NewJSONWriterWith is NewJSONWriter with the explanations written by
// explain (nil: none).
func NewJSONWriterWith(w io.Writer, explain Explainer) OutcomeWriter {
	return &jsonOutcomes{w: w, explain: explain}
}

type jsonOutcomes struct {
	w       io.Writer
	explain Explainer
	n       int
}

func (j *jsonOutcomes) Write(o Outcome) error {
	b, err := json.Marshal(outcomeOf(o, j.explain))
	if err != nil {
		return err
	}
	sep := "[\n  "
	if j.n > 0 {
		sep = ",\n  "
	}
	j.n++
	_, err = fmt.Fprintf(j.w, "%s%s", sep, b)
	return err
}

func (j *jsonOutcomes) Close() error {
	end := "\n]\n"
	if j.n == 0 {
		end = "[\n]\n"
	}
	_, err := io.WriteString(j.w, end)
	return err
}

// ScheduleWriter writes schedules one at a time, as a stream gives them.
type ScheduleWriter interface {
	Write(ScheduleOutcome) error
	Close() error // flushes; does not close the underlying writer
}

// WriteScheduleCSV writes a row per person and month (person_id, month,
// eligible, monthly_topup, the values named by values, rule_set, error),
// then a total row per person; a record in error has one row with its
// error, and a month in error a row with that month's error.
func WriteScheduleCSV(w io.Writer, outs []ScheduleOutcome, values []string) error {
	sw := NewScheduleCSVWriter(w, values)
	for _, o := range outs {
		if err := sw.Write(o); err != nil {
			return err
		}
	}
	return sw.Close()
}

// NewScheduleCSVWriter returns the streaming form of WriteScheduleCSV.
func NewScheduleCSVWriter(w io.Writer, values []string) ScheduleWriter {
	return &scheduleCSV{cw: csv.NewWriter(w), values: values}
}

type scheduleCSV struct {
	cw      *csv.Writer
	values  []string
	started bool
}

func (s *scheduleCSV) header() error {
	if s.started {
		return nil
	}
	s.started = true
	return s.cw.Write(append(append([]string{"person_id", "month", "eligible", "monthly_topup"}, s.values...), "rule_set", "error"))
}

func (s *scheduleCSV) Write(o ScheduleOutcome) error {
	if err := s.header(); err != nil {
		return err
	}
	cw, values := s.cw, s.values
	id := o.Record.ID
	if o.Err != nil {
		row := make([]string, 4+len(values)+2)
		row[0], row[len(row)-1] = id, oneLine(o.Err.Error())
		return cw.Write(row)
	}
	for _, m := range o.Schedule.Months {
		if m.Err != nil {
			row := make([]string, 4+len(values)+2)
			row[0], row[1], row[len(row)-1] = id, m.Month.String(), oneLine(m.Err.Error())
			if err := cw.Write(row); err != nil {
				return err
			}
			continue
		}
		row := []string{id, m.Month.String(), fmt.Sprint(m.Eligible), m.MonthlyTopup.StringFixed(0)}
		for _, p := range values {
			v, _ := m.Value(p)
			row = append(row, rules.FormatValue(v))
		}
		if err := cw.Write(append(row, m.RuleSet, "")); err != nil {
			return err
		}
	}
	total := []string{id, "total", "", o.Schedule.Total.StringFixed(0)}
	return cw.Write(append(total, make([]string, len(values)+2)...))
}

func (s *scheduleCSV) Close() error {
	if err := s.header(); err != nil {
		return err
	}
	s.cw.Flush()
	return s.cw.Error()
}

type monthJSON struct {
	Month        Month    `json:"month"`
	Eligible     *bool    `json:"eligible,omitempty"`
	MonthlyTopup string   `json:"monthly_topup,omitempty"`
	FailedRules  []string `json:"failed_rules,omitempty"`
	RuleSet      string   `json:"rule_set,omitempty"`
	Error        string   `json:"error,omitempty"`
}

type scheduleJSON struct {
	PersonID string      `json:"person_id"`
	Months   []monthJSON `json:"months,omitempty"`
	Total    string      `json:"total,omitempty"`
	Error    string      `json:"error,omitempty"`
}

func scheduleOf(o ScheduleOutcome) scheduleJSON {
	j := scheduleJSON{PersonID: o.Record.ID}
	if o.Err != nil {
		j.Error = oneLine(o.Err.Error())
		return j
	}
	for _, m := range o.Schedule.Months {
		mj := monthJSON{Month: m.Month}
		if m.Err != nil {
			mj.Error = oneLine(m.Err.Error())
		} else {
			mj.Eligible, mj.MonthlyTopup, mj.FailedRules, mj.RuleSet = &m.Eligible, m.MonthlyTopup.StringFixed(0), m.Failed(), m.RuleSet
		}
		j.Months = append(j.Months, mj)
	}
	j.Total = o.Schedule.Total.StringFixed(0)
	return j
}

// WriteScheduleJSON writes the schedules as a JSON array, one object per
// record in order, each with its months.
func WriteScheduleJSON(w io.Writer, outs []ScheduleOutcome) error {
	sw := NewScheduleJSONWriter(w)
	for _, o := range outs {
		if err := sw.Write(o); err != nil {
			return err
		}
	}
	return sw.Close()
}

// NewScheduleJSONWriter returns the streaming form of WriteScheduleJSON.
func NewScheduleJSONWriter(w io.Writer) ScheduleWriter { return &scheduleJSONWriter{w: w} }

type scheduleJSONWriter struct {
	w io.Writer
	n int
}

func (s *scheduleJSONWriter) Write(o ScheduleOutcome) error {
	b, err := json.Marshal(scheduleOf(o))
	if err != nil {
		return err
	}
	sep := "[\n  "
	if s.n > 0 {
		sep = ",\n  "
	}
	s.n++
	_, err = fmt.Fprintf(s.w, "%s%s", sep, b)
	return err
}

func (s *scheduleJSONWriter) Close() error {
	end := "\n]\n"
	if s.n == 0 {
		end = "[\n]\n"
	}
	_, err := io.WriteString(s.w, end)
	return err
}
