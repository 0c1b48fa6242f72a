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

func outcomeOf(o Outcome, explain bool) outcomeJSON {
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
	if explain {
		j.Explanation = Explain(d, "vi")
	}
	return j
}

// WriteJSON writes the outcomes as a JSON array, one object per outcome in
// order, with the keys of the CSV output (money as strings of whole đồng).
func WriteJSON(w io.Writer, outs []Outcome, explain bool) error {
	if _, err := io.WriteString(w, "[\n"); err != nil {
		return err
	}
	for i, o := range outs {
		b, err := json.Marshal(outcomeOf(o, explain))
		if err != nil {
			return err
		}
		sep := ",\n"
		if i == len(outs)-1 {
			sep = "\n"
		}
		if _, err := fmt.Fprintf(w, "  %s%s", b, sep); err != nil {
			return err
		}
	}
	_, err := io.WriteString(w, "]\n")
	return err
}

// WriteScheduleCSV writes a row per person and month (person_id, month,
// eligible, monthly_topup, the values named by values, rule_set, error),
// then a total row per person; a record in error has one row with its
// error, and a month in error a row with that month's error.
func WriteScheduleCSV(w io.Writer, outs []ScheduleOutcome, values []string) error {
	cw := csv.NewWriter(w)
	cw.Write(append(append([]string{"person_id", "month", "eligible", "monthly_topup"}, values...), "rule_set", "error"))
	for _, o := range outs {
		id := o.Record.ID
		if o.Err != nil {
			row := make([]string, 4+len(values)+2)
			row[0], row[len(row)-1] = id, oneLine(o.Err.Error())
			cw.Write(row)
			continue
		}
		for _, m := range o.Schedule.Months {
			if m.Err != nil {
				row := make([]string, 4+len(values)+2)
				row[0], row[1], row[len(row)-1] = id, m.Month.String(), oneLine(m.Err.Error())
				cw.Write(row)
				continue
			}
			row := []string{id, m.Month.String(), fmt.Sprint(m.Eligible), m.MonthlyTopup.StringFixed(0)}
			for _, p := range values {
				v, _ := m.Value(p)
				row = append(row, rules.FormatValue(v))
			}
			cw.Write(append(row, m.RuleSet, ""))
		}
		total := []string{id, "total", "", o.Schedule.Total.StringFixed(0)}
		cw.Write(append(total, make([]string, len(values)+2)...))
	}
	cw.Flush()
	return cw.Error()
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

// WriteScheduleJSON writes the schedules as a JSON array, one object per
// record in order, each with its months.
func WriteScheduleJSON(w io.Writer, outs []ScheduleOutcome) error {
	all := make([]scheduleJSON, len(outs))
	for i, o := range outs {
		j := scheduleJSON{PersonID: o.Record.ID}
		if o.Err != nil {
			j.Error = oneLine(o.Err.Error())
		} else {
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
		}
		all[i] = j
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(all)
}
