package eligibility

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"unicode"
	"unicode/utf8"

	"github.com/hotro-vn/hotro/rules"
	"github.com/shopspring/decimal"
)

// csvOutcomes is the CSV writer of NewCSVWriterWith. It writes what
// encoding/csv's Writer writes for the same rows (comma, "\n" line ends,
// the same quoting), through a buffer of the same size, but builds each row
// in a reused byte slice: a row without an error or explanation allocates
// only the list of failed rules.
type csvOutcomes struct {
	w       *bufio.Writer
	explain Explainer
	started bool
	row     []byte
}

func newCSVOutcomes(w io.Writer, explain Explainer) *csvOutcomes {
	return &csvOutcomes{w: bufio.NewWriter(w), explain: explain}
}

// header writes the header once, before the first row or at Close.
func (c *csvOutcomes) header() error {
	if c.started {
		return nil
	}
	c.started = true
	header := OutputHeader()
	if c.explain != nil {
		header = append(header, "rule_set", "explanation")
	}
	b := c.row[:0]
	for i, h := range header {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendCSVField(b, h)
	}
	c.row = append(b, '\n')
	_, err := c.w.Write(c.row)
	return err
}

func (c *csvOutcomes) Write(o Outcome) error {
	if err := c.header(); err != nil {
		return err
	}
	b := appendCSVField(c.row[:0], o.Record.ID)
	if o.Err != nil {
		b = append(b, ",,,,"...)
		b = appendCSVField(b, oneLine(o.Err.Error()))
	} else {
		d := o.Decision
		b = append(b, ',')
		b = strconv.AppendBool(b, d.Eligible)
		b = append(b, ',')
		b = appendWhole(b, d.MonthlyTopup)
		b = append(b, ',')
		if failed := d.Failed(); len(failed) > 0 {
			start := len(b)
			for i, id := range failed {
				if i > 0 {
					b = append(b, ';')
				}
				b = append(b, id...)
			}
			if field := string(b[start:]); csvNeedsQuotes(field) { // rare: a rule id with a comma or quote
				b = appendCSVField(b[:start], field)
			}
		}
		b = append(b, ',')
	}
	if c.explain != nil {
		b = append(b, ',')
		if d := o.Decision; d != nil {
			start := len(b)
			b = append(append(append(b, d.RuleSet...), '@'), d.RuleSetHash[:12]...)
			if field := b[start:]; csvNeedsQuotes(string(field)) {
				b = appendCSVField(b[:start], string(field))
			}
			b = append(b, ',')
			b = appendCSVField(b, c.explain(d))
		} else {
			b = append(b, ',')
		}
	}
	c.row = append(b, '\n')
	_, err := c.w.Write(c.row)
	return err
}

func (c *csvOutcomes) Close() error {
	if err := c.header(); err != nil { // no outcome: the header alone
		return err
	}
	return c.w.Flush()
}

// csvNeedsQuotes reports whether encoding/csv's Writer quotes field.
func csvNeedsQuotes(field string) bool {
	if field == "" {
		return false
	}
	if field == `\.` {
		return true
	}
	for i := 0; i < len(field); i++ {
		if c := field[i]; c == '\n' || c == '\r' || c == '"' || c == ',' {
			return true
		}
	}
	r, _ := utf8.DecodeRuneInString(field)
	return unicode.IsSpace(r)
}

// appendCSVField appends field as encoding/csv's Writer writes it: quoted,
// with quotes doubled, when it must be.
func appendCSVField(b []byte, field string) []byte {
	if !csvNeedsQuotes(field) {
		return append(b, field...)
	}
	b = append(b, '"')
	for i := 0; i < len(field); i++ {
		if field[i] == '"' {
			b = append(b, '"')
		}
		b = append(b, field[i])
	}
	return append(b, '"')
}

// appendWhole appends d.StringFixed(0): d rounded half away from zero to
// whole units. A coefficient of at most 18 digits with an exponent from
// -18 to 0 (whole đồng and any amount of đồng with decimals) is written
// without allocating; others through StringFixed.
func appendWhole(b []byte, d decimal.Decimal) []byte {
	exp := d.Exponent()
	if exp > 0 || exp < -18 || d.NumDigits() > 18 {
		return append(b, d.StringFixed(0)...)
	}
	c := d.CoefficientInt64()
	if exp == 0 {
		return strconv.AppendInt(b, c, 10)
	}
	p := int64(1)
	for range -exp {
		p *= 10
	}
	q, r := c/p, c%p
	if r < 0 {
		r = -r
	}
	if 2*r >= p { // |r| < p <= 1e18, so 2*r cannot overflow
		if c < 0 {
			q--
		} else {
			q++
		}
	}
	return strconv.AppendInt(b, q, 10)
}

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
	j := &jsonOutcomes{w: w, explain: explain}
	j.enc = json.NewEncoder(&j.buf) // escapes as json.Marshal does
	return j
}

// jsonOutcomes encodes each outcome, with the separator before it, into one
// reused buffer, and writes it with one call.
type jsonOutcomes struct {
	w       io.Writer
	explain Explainer
	n       int
	buf     bytes.Buffer
	enc     *json.Encoder
	row     outcomeJSON
}

func (j *jsonOutcomes) Write(o Outcome) error {
	j.buf.Reset()
	if j.n == 0 {
		j.buf.WriteString("[\n  ")
	} else {
		j.buf.WriteString(",\n  ")
	}
	j.row = outcomeOf(o, j.explain)
	if err := j.enc.Encode(&j.row); err != nil {
		return err
	}
	j.n++
	b := j.buf.Bytes()
	_, err := j.w.Write(b[:len(b)-1]) // without the newline Encode ends with
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
