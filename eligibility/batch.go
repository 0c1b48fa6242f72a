package eligibility

import (
	"context"
	"fmt"
	"io"
	"runtime"
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
func (e *Engine) DecideAll(ctx context.Context, recs []Record, date time.Time) ([]Outcome, error) {
	ev, err := e.lib.At(date)
	if err != nil {
		return nil, err
	}
	out := make([]Outcome, len(recs))
	return out, eachRecord(ctx, recs, func(i int, s *scratch) (err error) {
		out[i].Record = recs[i]
		out[i].Decision, err = e.decide(ev, &recs[i], s)
		return err
	}, func(i int, err error) { out[i].Record, out[i].Err = recs[i], err })
}

// eachRecord calls do for every valid record, on all cores, with a scratch
// of its goroutine; fail receives the error of a record that is invalid or
// that do failed on, with the record's line. It stops early, returning
// ctx's error, when ctx is done.
func eachRecord(ctx context.Context, recs []Record, do func(i int, s *scratch) error, fail func(i int, err error)) error {
	parallel(len(recs), func(lo, hi int) {
		if ctx.Err() != nil {
			return
		}
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
	return ctx.Err()
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

// HouseholdIssue is a group of records (a household) that contradict each
// other, as a check of the record's declaration finds them.
type HouseholdIssue struct {
	Check       string   // the check's id
	HouseholdID string   // the group
	PersonIDs   []string // the records flagged
	Msg         string   // in English
	Text        rules.Text
}

// Inconsistent runs the checks the records declare: in each group, the
// records that pass the check's rule Among and fail its rule Flag (for the
// Hà Tĩnh record: members of a household marked btxh that are in no group
// without labour capacity).
func Inconsistent(outs []Outcome) []HouseholdIssue {
	g := NewGroupChecker()
	for _, o := range outs {
		g.Add(o)
	}
	return g.Issues()
}

// OutputHeader returns the header of the evaluation output: the record's
// key, then eligible, monthly_topup, failed_rules, error.
func OutputHeader() []string {
	return []string{"person_id", "eligible", "monthly_topup", "failed_rules", "error"}
}

// WriteCSV writes one row per outcome, in order, with the columns of
// OutputHeader; explain adds a column with each decision's reasons in
// Vietnamese, and the rule set applied.
func WriteCSV(w io.Writer, outs []Outcome, explain bool) error {
	ow := NewCSVWriter(w, explain)
	for _, o := range outs {
		if err := ow.Write(o); err != nil {
			return err
		}
	}
	return ow.Close()
}

// OutcomeWriter writes outcomes one at a time, as a stream gives them.
type OutcomeWriter interface {
	Write(Outcome) error
	Close() error // flushes; does not close the underlying writer
}

// An Explainer writes a decision's reasons for the explanation column;
// nil writes no such column.
type Explainer func(*Decision) string

// explainer is the explanation the writers give when asked for one: the
// reasons in Vietnamese, as Explain writes them.
func explainer(explain bool) Explainer {
	if !explain {
		return nil
	}
	return func(d *Decision) string { return Explain(d, "vi") }
}

// NewCSVWriter returns the streaming form of WriteCSV.
func NewCSVWriter(w io.Writer, explain bool) OutcomeWriter {
	return NewCSVWriterWith(w, explainer(explain))
}

// NewCSVWriterWith is NewCSVWriter with the explanation column written by
// explain (nil: no column), such as ExplainIn's labelled reasons.
func NewCSVWriterWith(w io.Writer, explain Explainer) OutcomeWriter {
	return newCSVOutcomes(w, explain) // in output.go
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
