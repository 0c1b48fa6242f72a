package allocation

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/hotro-vn/hotro/eligibility"
	"github.com/shopspring/decimal"
)

// UnitRecord is one unit as read from a file: the unit, where it was read,
// and what is wrong with it (nil when fine). docs/records.md describes the
// fields.
type UnitRecord struct {
	Line int // 1-based line in a CSV file (header = 1); index in a JSON array
	Unit Unit
	Err  error
}

// CommitmentRecord is one commitment as read from a file.
type CommitmentRecord struct {
	Line       int
	Commitment Commitment
	Err        error
}

var (
	unitFields       = []string{"unit_id", "name", "level", "kind", "place", "staff", "source", "capacity_persons", "monthly_amount", "reach"}
	unitRequired     = []string{"unit_id", "level", "kind", "place"}
	commitFields     = []string{"commitment_id", "sponsor_id", "beneficiary_ids", "monthly_amount", "first_month", "duration", "method", "focal_id"}
	commitRequired   = []string{"commitment_id", "sponsor_id", "beneficiary_ids", "first_month"}
	digits           = regexp.MustCompile(`^[0-9]+$`)
	durationPattern  = regexp.MustCompile(`^([0-9]+)\s*(m|months?|y|years?)?$`)
	msgNotWholeDong  = "not whole đồng (write digits only, e.g. 450000, without separators)"
	msgNotWholeCount = "not a whole number"
)

// ReadUnits reads a .csv or .json file of units. Every row gives a record;
// a bad row has Err set and is never dropped. The error return is for a
// file that cannot be read at all (no header, a required column missing).
func ReadUnits(path string) ([]UnitRecord, []string, error) {
	rows, warnings, err := readFile(path, unitFields, unitRequired)
	if err != nil {
		return nil, warnings, err
	}
	out := make([]UnitRecord, len(rows))
	for i, r := range rows {
		out[i] = UnitRecord{Line: r.line, Err: r.err}
		if r.err == nil {
			out[i].Unit, out[i].Err = r.unit()
		}
	}
	return out, warnings, nil
}

// ReadCommitments reads a .csv or .json file of commitments, like ReadUnits.
func ReadCommitments(path string) ([]CommitmentRecord, []string, error) {
	rows, warnings, err := readFile(path, commitFields, commitRequired)
	if err != nil {
		return nil, warnings, err
	}
	out := make([]CommitmentRecord, len(rows))
	for i, r := range rows {
		out[i] = CommitmentRecord{Line: r.line, Err: r.err}
		if r.err == nil {
			out[i].Commitment, out[i].Err = r.commitment()
		}
	}
	return out, warnings, nil
}

// row is one record's fields as text.
type row struct {
	line  int
	label string // "line 7" in a CSV file, "record 7" in a JSON array
	vals  map[string]string
	err   error
	errs  []error
}

func (r *row) fail(field, value, msg string) {
	if value != "" {
		r.errs = append(r.errs, fmt.Errorf("%s %q: %s", field, value, msg))
	} else {
		r.errs = append(r.errs, fmt.Errorf("%s: %s", field, msg))
	}
}

func (r *row) done() error {
	if len(r.errs) == 0 {
		return nil
	}
	return fmt.Errorf("%s: %w", r.label, errors.Join(r.errs...))
}

func (r *row) count(field string) int {
	s := r.vals[field]
	if s == "" {
		return 0
	}
	if !digits.MatchString(s) || len(s) > 9 {
		r.fail(field, s, msgNotWholeCount)
		return 0
	}
	n, _ := strconv.Atoi(s)
	return n
}

func (r *row) money(field string) decimal.Decimal {
	s := r.vals[field]
	if s == "" {
		return decimal.Zero
	}
	if !digits.MatchString(s) || len(s) > 15 {
		r.fail(field, s, msgNotWholeDong)
		return decimal.Zero
	}
	return decimal.RequireFromString(s)
}

func (r *row) oneOf(field string, options []string) string {
	s := r.vals[field]
	if s != "" && !slices.Contains(options, s) {
		r.fail(field, s, "want one of "+strings.Join(options, ", "))
	}
	return s
}

func (r *row) need(fields ...string) {
	for _, f := range fields {
		if r.vals[f] == "" {
			r.fail(f, "", "missing")
		}
	}
}

func (r *row) unit() (Unit, error) {
	r.need(unitRequired...)
	u := Unit{ID: r.vals["unit_id"], Name: r.vals["name"], Level: r.vals["level"], Place: r.vals["place"], Reach: r.vals["reach"]}
	u.Kind = r.oneOf("kind", Kinds)
	u.Source = r.oneOf("source", Sources)
	u.Staff, u.Persons, u.Amount = r.count("staff"), r.count("capacity_persons"), r.money("monthly_amount")
	if u.Kind == KindAgency && u.Staff == 0 && r.vals["staff"] == "" {
		r.fail("staff", "", "an agency needs its number of staff (CBCC-NLĐ)")
	}
	return u, r.done()
}

func (r *row) commitment() (Commitment, error) {
	r.need(commitRequired...)
	c := Commitment{ID: r.vals["commitment_id"], Sponsor: r.vals["sponsor_id"], Focal: r.vals["focal_id"]}
	for _, id := range strings.Split(r.vals["beneficiary_ids"], ";") {
		if id = strings.TrimSpace(id); id != "" {
			c.Beneficiaries = append(c.Beneficiaries, id)
		}
	}
	c.Amount = r.money("monthly_amount")
	if r.vals["monthly_amount"] == "" {
		r.fail("monthly_amount", "", "missing: a commitment must state its monthly amount (plan I.2)")
	}
	if s := r.vals["first_month"]; s != "" {
		m, err := eligibility.ParseMonth(s)
		if err != nil {
			r.fail("first_month", s, "want YYYY-MM")
		}
		c.First = m
	}
	switch d := strings.ToLower(r.vals["duration"]); {
	case d == "":
		r.fail("duration", "", "missing: a commitment must state how long it runs (months, years, or phase) (plan I.2)")
	case d == "phase":
		c.WholePhase = true
	default:
		m := durationPattern.FindStringSubmatch(d)
		if m == nil {
			r.fail("duration", d, "want a number of months (24), of years (2y), or phase")
			break
		}
		n, _ := strconv.Atoi(m[1])
		if strings.HasPrefix(m[2], "y") {
			n *= 12
		}
		if n <= 0 || n > 1200 {
			r.fail("duration", d, "must be between 1 month and 100 years")
		}
		c.Months = n
	}
	c.Method = r.oneOf("method", Methods)
	if c.Method == "" {
		r.fail("method", "", "missing: want one of "+strings.Join(Methods, ", "))
	}
	return c, r.done()
}

// readFile reads a CSV or JSON file into rows of text fields.
func readFile(path string, fields, required []string) ([]*row, []string, error) {
	var read func(io.Reader, []string, []string) ([]*row, []string, error)
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".csv":
		read = readCSV
	case ".json":
		read = readJSON
	default:
		return nil, nil, fmt.Errorf("%s: unsupported file type %q (want .csv or .json)", path, ext)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	rows, warnings, err := read(f, fields, required)
	if err != nil {
		return nil, warnings, fmt.Errorf("%s: %w", path, err)
	}
	return rows, warnings, nil
}

func readCSV(rd io.Reader, fields, required []string) ([]*row, []string, error) {
	br := bufio.NewReader(rd)
	if b, _ := br.Peek(3); bytes.Equal(b, []byte("\uFEFF")) {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err == io.EOF {
		return nil, nil, errors.New("empty file: no header row")
	}
	if err != nil {
		return nil, nil, fmt.Errorf("cannot read the header row: %w", err)
	}
	var warnings []string
	cols := make([]string, len(header))
	where := map[string]int{}
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(h))
		switch {
		case !slices.Contains(fields, name):
			warnings = append(warnings, fmt.Sprintf("unknown column %q ignored", strings.TrimSpace(h)))
		case where[name] != 0:
			return nil, warnings, fmt.Errorf("column %q appears twice (columns %d and %d)", name, where[name], i+1)
		default:
			where[name], cols[i] = i+1, name
		}
	}
	var missing []string
	for _, f := range required {
		if where[f] == 0 {
			missing = append(missing, f)
		}
	}
	if len(missing) > 0 {
		return nil, warnings, fmt.Errorf("missing required column(s): %s", strings.Join(missing, ", "))
	}
	var rows []*row
	for {
		cells, err := cr.Read()
		if err == io.EOF {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			rows = append(rows, &row{line: pe.StartLine, err: fmt.Errorf("line %d: cannot read this row: %v", pe.StartLine, pe.Err)})
			continue
		}
		if err != nil {
			return nil, warnings, err
		}
		line, _ := cr.FieldPos(0)
		r := &row{line: line, label: fmt.Sprintf("line %d", line), vals: map[string]string{}}
		blank := true
		for i, cell := range cells {
			if s := strings.TrimSpace(cell); s != "" {
				blank = false
				if i < len(cols) && cols[i] != "" {
					r.vals[cols[i]] = s
				}
			}
		}
		if blank {
			continue
		}
		if len(cells) != len(header) {
			r.fail("row", "", fmt.Sprintf("has %d cells but the header has %d", len(cells), len(header)))
		}
		rows = append(rows, r)
	}
	return rows, warnings, nil
}

func readJSON(rd io.Reader, fields, _ []string) ([]*row, []string, error) {
	var items []json.RawMessage
	dec := json.NewDecoder(rd)
	dec.UseNumber()
	if err := dec.Decode(&items); err != nil {
		return nil, nil, fmt.Errorf("want a JSON array of records: %w", err)
	}
	var warnings []string
	unknown := map[string]bool{}
	rows := make([]*row, len(items))
	for i, raw := range items {
		r := &row{line: i + 1, label: fmt.Sprintf("record %d", i+1), vals: map[string]string{}}
		rows[i] = r
		var obj map[string]any
		d := json.NewDecoder(bytes.NewReader(raw))
		d.UseNumber()
		if err := d.Decode(&obj); err != nil || obj == nil {
			r.err = fmt.Errorf("record %d: not a JSON object", i+1)
			continue
		}
		for _, k := range sortedKeys(obj) {
			if !slices.Contains(fields, k) {
				if !unknown[k] {
					unknown[k] = true
					warnings = append(warnings, fmt.Sprintf("unknown key %q ignored", k))
				}
				continue
			}
			switch v := obj[k].(type) {
			case nil:
			case string:
				r.vals[k] = strings.TrimSpace(v)
			case json.Number:
				r.vals[k] = v.String()
			case bool:
				r.vals[k] = strconv.FormatBool(v)
			case []any:
				var parts []string
				for _, x := range v {
					parts = append(parts, fmt.Sprint(x))
				}
				r.vals[k] = strings.Join(parts, ";")
			default:
				r.fail(k, "", "want a string or a number")
			}
		}
	}
	return rows, warnings, nil
}
