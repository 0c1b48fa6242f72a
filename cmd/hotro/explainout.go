package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/hotro-vn/hotro/eligibility"
)

// The writers of eval --explain under --lang vi: the columns and keys of
// eligibility's writers, with the explanation labelled from the rule file
// (eligibility.ExplainIn). Under --lang en eval keeps eligibility's own
// writers, whose text stays as it was.

// newExplainedWriter returns the writer of format ("csv" or "json") whose
// explanations are explain's.
func newExplainedWriter(w io.Writer, format string, explain func(*eligibility.Decision) string) eligibility.OutcomeWriter {
	if format == "json" {
		return &jsonExplained{w: w, explain: explain}
	}
	return &csvExplained{cw: csv.NewWriter(w), explain: explain}
}

type csvExplained struct {
	cw      *csv.Writer
	explain func(*eligibility.Decision) string
	started bool
}

func (c *csvExplained) header() error {
	if c.started {
		return nil
	}
	c.started = true
	return c.cw.Write(append(eligibility.OutputHeader(), "rule_set", "explanation"))
}

func (c *csvExplained) Write(o eligibility.Outcome) error {
	if err := c.header(); err != nil {
		return err
	}
	row := []string{o.Record.ID, "", "", "", "", "", ""}
	if o.Err != nil {
		row[4] = oneLine(o.Err.Error())
	} else {
		d := o.Decision
		row[1] = fmt.Sprint(d.Eligible)
		row[2] = d.MonthlyTopup.StringFixed(0)
		row[3] = strings.Join(d.Failed(), ";")
	}
	if d := o.Decision; d != nil {
		row[5], row[6] = d.RuleSet+"@"+d.RuleSetHash[:12], c.explain(d)
	}
	return c.cw.Write(row)
}

func (c *csvExplained) Close() error {
	if err := c.header(); err != nil {
		return err
	}
	c.cw.Flush()
	return c.cw.Error()
}

type jsonExplained struct {
	w       io.Writer
	explain func(*eligibility.Decision) string
	n       int
}

func (j *jsonExplained) Write(o eligibility.Outcome) error {
	v := struct {
		PersonID     string   `json:"person_id"`
		Eligible     *bool    `json:"eligible"`
		MonthlyTopup string   `json:"monthly_topup,omitempty"`
		FailedRules  []string `json:"failed_rules"`
		Error        string   `json:"error,omitempty"`
		RuleSet      string   `json:"rule_set,omitempty"`
		RuleSetHash  string   `json:"rule_set_hash,omitempty"`
		Explanation  string   `json:"explanation,omitempty"`
	}{PersonID: o.Record.ID, FailedRules: []string{}}
	if o.Err != nil {
		v.Error = oneLine(o.Err.Error())
	} else {
		d := o.Decision
		v.Eligible = &d.Eligible
		v.MonthlyTopup = d.MonthlyTopup.StringFixed(0)
		if f := d.Failed(); f != nil {
			v.FailedRules = f
		}
		v.RuleSet, v.RuleSetHash, v.Explanation = d.RuleSet, d.RuleSetHash, j.explain(d)
	}
	b, err := json.Marshal(v)
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

func (j *jsonExplained) Close() error {
	end := "\n]\n"
	if j.n == 0 {
		end = "[\n]\n"
	}
	_, err := io.WriteString(j.w, end)
	return err
}
