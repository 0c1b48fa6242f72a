package eligibility

import (
	"encoding/csv"
	"fmt"
	"io"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/hotro-vn/hotro/rules"
)

// Outcome is the result for one input record: a decision, or the error that
// kept the record from being decided. Exactly one of the two is set.
type Outcome struct {
	Record   Record
	Decision *Decision
	Err      error
}

// DecideAll decides every record on date, using every core. It returns one
// outcome per record, in input order: a record in error gets an outcome
// with Err, and never stops the batch. The error return is only for a date
// no rule set covers.
func (e *Engine) DecideAll(recs []Record, date time.Time) ([]Outcome, error) {
	ev, err := e.lib.At(date)
	if err != nil {
		return nil, err
	}
	out := make([]Outcome, len(recs))
	eachRecord(recs, func(i int, s *scratch) (err error) {
		out[i].Record = recs[i]
		out[i].Decision, err = e.decide(ev, recs[i].Person, s)
		return err
	}, func(i int, err error) { out[i].Record, out[i].Err = recs[i], err })
	return out, nil
}

// eachRecord calls do for every valid record, on all cores, with a scratch
// of its goroutine; fail receives the error of a record that is invalid or
// that do failed on, with the record's line.
func eachRecord(recs []Record, do func(i int, s *scratch) error, fail func(i int, err error)) {
	parallel(len(recs), func(lo, hi int) {
		s := newScratch()
		for i := lo; i < hi; i++ {
			err := recs[i].Err
			if err == nil {
				err = do(i, s)
			}
			if err != nil {
				fail(i, withLine(err, recs[i].Line))
			}
		}
	})
}

// parallel splits [0, n) into chunks run on all cores.
func parallel(n int, work func(lo, hi int)) {
	workers := runtime.GOMAXPROCS(0)
	const minChunk = 256
	if n < 2*minChunk || workers == 1 {
		work(0, n)
		return
	}
	chunk := max(minChunk, (n+workers*4-1)/(workers*4))
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for lo := range next {
				work(lo, min(lo+chunk, n))
			}
		}()
	}
	for lo := 0; lo < n; lo += chunk {
		next <- lo
	}
	close(next)
	wg.Wait()
}

func withLine(err error, line int) error {
	if fe, ok := err.(*FieldError); ok && fe.Line == 0 {
		c := *fe
		c.Line = line
		return &c
	}
	return err
}

// HouseholdIssue is a household whose records contradict each other.
type HouseholdIssue struct {
	HouseholdID string
	PersonIDs   []string // members that fail no_labour_capacity_group
	Msg         string
}

// Inconsistent lists the households marked btxh (no member with labour
// capacity) in which some member fails the rule no_labour_capacity_group:
// the plan demands exact eligibility, so such data must be corrected.
func Inconsistent(outs []Outcome) []HouseholdIssue {
	bad := map[string][]string{}
	for _, o := range outs {
		if o.Decision == nil || o.Record.Person.HouseholdCategory != "btxh" {
			continue
		}
		if pass, ok := o.Decision.Passed("no_labour_capacity_group"); ok && !pass {
			h := o.Record.Person.HouseholdID
			bad[h] = append(bad[h], o.Record.Person.ID)
		}
	}
	var issues []HouseholdIssue
	for h, ids := range bad {
		issues = append(issues, HouseholdIssue{HouseholdID: h, PersonIDs: ids,
			Msg: fmt.Sprintf("household %s is marked btxh (no member with labour capacity) but %s in no group without labour capacity", h, strings.Join(ids, ", ")+plural(len(ids), " is", " are"))})
	}
	sort.Slice(issues, func(i, j int) bool { return issues[i].HouseholdID < issues[j].HouseholdID })
	return issues
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// OutputHeader is the header of the evaluation output (POLICY.md §10).
var OutputHeader = []string{"person_id", "eligible", "monthly_topup", "failed_rules", "error"}

// WriteCSV writes one row per outcome, in order, with the columns of
// OutputHeader; explain adds a column with each decision's reasons in
// Vietnamese, and the rule set applied.
func WriteCSV(w io.Writer, outs []Outcome, explain bool) error {
	cw := csv.NewWriter(w)
	header := OutputHeader
	if explain {
		header = append(append([]string{}, header...), "rule_set", "explanation")
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, o := range outs {
		row := []string{o.Record.Person.ID, "", "", "", ""}
		if o.Err != nil {
			row[4] = oneLine(o.Err.Error())
		} else {
			d := o.Decision
			row[1] = fmt.Sprint(d.Eligible)
			row[2] = d.MonthlyTopup.StringFixed(0)
			row[3] = strings.Join(d.Failed(), ";")
		}
		if explain {
			if o.Decision != nil {
				row = append(row, o.Decision.RuleSet+"@"+o.Decision.RuleSetHash[:12], Explain(o.Decision, "vi"))
			} else {
				row = append(row, "", "")
			}
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func oneLine(s string) string { return strings.ReplaceAll(s, "\n", "; ") }

// Explain writes a decision's reasons in one paragraph, in lang ("vi" or "en").
func Explain(d *Decision, lang string) string {
	var b strings.Builder
	yes, no, topup := "đạt", "không đạt", "mức hỗ trợ"
	if lang == "en" {
		yes, no, topup = "passes", "fails", "top-up"
	}
	for i, r := range d.Reasons() {
		if i > 0 {
			b.WriteString("; ")
		}
		verdict := yes
		if !r.Pass {
			verdict = no
		}
		fmt.Fprintf(&b, "[%s] %s — %s (%s", verdict, r.Message.In(lang), r.Rule, r.Cites)
		if vals := r.Values(); len(vals) > 0 {
			b.WriteString(": ")
			for j, v := range vals {
				if j > 0 {
					b.WriteString(", ")
				}
				fmt.Fprintf(&b, "%s=%s", v.Name, rules.FormatValue(v.Value))
			}
		}
		b.WriteString(")")
	}
	fmt.Fprintf(&b, "; %s %s đ", topup, d.MonthlyTopup.StringFixed(0))
	for _, vs := range [][]rules.Value{d.Used(), d.Computed()} {
		for _, v := range vs {
			fmt.Fprintf(&b, ", %s=%s", v.Name, rules.FormatValue(v.Value))
		}
	}
	return b.String()
}
