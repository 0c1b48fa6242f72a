package service

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/hotro-vn/hotro/eligibility"
	"github.com/hotro-vn/hotro/internal/table"
)

// decideBody is a POST /v1/decide request, read in one pass over the body
// (readDecide): the records are decoded into their declared fields as the
// body streams in, not kept as JSON text to read again.
type decideBody struct {
	date, policy string
	explain      bool
	// given: the request has records (not absent, not null). recsErr is
	// what is wrong with them as a whole (not an array); it is answered
	// after the date and rule-set checks, as for the other endpoints.
	given   bool
	recsErr error
	n       int // records in the request; only the first MaxBatch are read
	recs    []eligibility.Record
	// raws are the records as written, kept for the decision log only.
	raws     []string
	warnings []string
}

// recordsPool holds the record slices of finished requests.
var recordsPool sync.Pool

// release gives the request's record slice back for another request; the
// records must no longer be used.
func (req *decideBody) release() {
	if req.recs != nil && cap(req.recs) <= 1<<16 {
		recs := req.recs[:cap(req.recs)]
		clear(recs)
		recordsPool.Put(&recs)
	}
	req.recs = nil
}

// The keys of a decide request (docs/api.md).
var decideKeys = []string{"date", "records", "explain", "policy"}

// readDecide reads the body of a decide request in one pass. It writes the
// problem and returns false when the body is too large, not JSON, not an
// object of the request's keys (each at most once, matched as
// encoding/json matches them, ignoring case) or has a key of the wrong type.
func (s *Server) readDecide(w http.ResponseWriter, r *http.Request, st *state) (*decideBody, bool) {
	if !jsonContent(w, r) {
		return nil, false
	}
	req := &decideBody{}
	d := table.NewDecoder(r.Body)
	defer d.Release()
	var seen [4]bool
	isObject, err := d.Object(func(key string) error {
		k := -1
		for i, name := range decideKeys {
			if key == name || strings.EqualFold(key, name) {
				k = i
				break
			}
		}
		if k < 0 {
			return fmt.Errorf("json: unknown field %q", key)
		}
		if seen[k] {
			return fmt.Errorf("key %q given twice", key)
		}
		seen[k] = true
		switch k {
		case 0:
			return stringMember(d, key, &req.date)
		case 3:
			return stringMember(d, key, &req.policy)
		case 2:
			lit, ok, err := d.Literal()
			if err != nil {
				return err
			}
			if !ok {
				return fmt.Errorf("%s: want true or false", key)
			}
			req.explain = lit == "true"
			return nil
		}
		return s.readRecords(d, st, req)
	})
	if err == nil && !isObject {
		err = errors.New("want a JSON object")
	}
	if err == nil {
		if err = d.End(); err != nil {
			if d.ReadError() == nil {
				err = errors.New("more than one JSON value in the body")
			}
		}
	}
	if err != nil {
		bodyProblem(w, r, err)
		return nil, false
	}
	return req, true
}

// stringMember reads a JSON string (or null: left empty) into v.
func stringMember(d *table.Decoder, key string, v *string) error {
	str, ok, err := d.String()
	if err != nil || ok {
		*v = str
		return err
	}
	lit, ok, err := d.Literal()
	if err != nil {
		return err
	}
	if !ok || lit != "null" {
		return fmt.Errorf("%s: want a JSON string", key)
	}
	return nil
}

// readRecords reads the records of a request with the person record of the
// first phase's rule set (a decision under another phase takes the fields
// by name), at most MaxBatch of them; the others are checked and counted.
func (s *Server) readRecords(d *table.Decoder, st *state, req *decideBody) error {
	c, ok := d.Peek()
	if !ok {
		return d.Skip() // the end of the body: its error
	}
	if c == 'n' {
		return d.Skip() // null: no records
	}
	req.given = true
	if c != '[' {
		req.recsErr = errors.New("the top level must be a JSON array of records")
		return d.Skip()
	}
	schema, err := st.engine.Schema(st.lib.Sets()[0].Meta.From)
	if err != nil {
		req.recsErr = err
		return d.Skip()
	}
	keep := s.declog != nil
	if rp, ok := recordsPool.Get().(*[]eligibility.Record); ok {
		req.recs = (*rp)[:0]
	}
	req.n, req.warnings, err = schema.DecodeJSON(d, s.opts.MaxBatch, func(rec eligibility.Record, raw string) {
		req.recs = append(req.recs, rec)
		if keep {
			req.raws = append(req.raws, raw)
		}
	})
	return err
}
