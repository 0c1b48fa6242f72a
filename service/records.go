package service

// This file is the one seam between the service and the record format of
// today's rule sets. Everything that reads a record (person, unit) from a
// request or describes a record in the OpenAPI document is here, so that
// when rule sets declare their own records (a generic reader and record
// type) only these functions change:
//
//   - decodeRecords: a JSON array of person records → eligibility.Record,
//     one per element, in order, a bad element with Err set;
//   - decodeUnits: a JSON array of unit records → allocation.UnitRecord;
//   - recordSchema / unitSchema: the JSON Schema of one record of a rule set.

import (
	"bytes"
	"encoding/json"
	"os"

	"github.com/hotro-vn/hotro/allocation"
	"github.com/hotro-vn/hotro/eligibility"
	"github.com/hotro-vn/hotro/records"
	"github.com/hotro-vn/hotro/rules"
)

// decodeRecords reads the person records of a request: a JSON array of
// objects with the keys of the person record. It returns one record per
// element (an element in error has Err set), the reader's warnings, and an
// error only when raw is not a JSON array at all.
func (s *Server) decodeRecords(raw json.RawMessage) ([]eligibility.Record, []string, error) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, nil, nil
	}
	st := s.state.Load()
	// The first phase's declaration reads the records; a decision under
	// another phase takes their fields by name.
	schema, err := st.engine.Schema(st.lib.Sets()[0].Meta.From)
	if err != nil {
		return nil, nil, err
	}
	var recs []eligibility.Record
	warnings, err := schema.ReadJSON(bytes.NewReader(raw), func(r eligibility.Record) { recs = append(recs, r) })
	if err != nil {
		return nil, warnings, err
	}
	return recs, warnings, nil
}

// decodeUnits reads the sponsoring units of a request, a JSON array of
// objects with the keys of docs/records.md.
//
// allocation.ReadUnits takes a path today, so the array goes through a
// temporary file; when it takes an io.Reader this becomes one call.
func (s *Server) decodeUnits(raw json.RawMessage) ([]allocation.UnitRecord, []string, error) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, nil, nil
	}
	f, err := os.CreateTemp("", "hotro-units-*.json")
	if err != nil {
		return nil, nil, err
	}
	defer os.Remove(f.Name())
	_, err = f.Write(raw)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, nil, err
	}
	recs, warnings, err := allocation.ReadUnits(f.Name())
	if err != nil {
		// The path of the temporary file means nothing to a client.
		return nil, warnings, errString(trimPath(err.Error(), f.Name()))
	}
	return recs, warnings, nil
}

// recordSchema is the JSON Schema of one person record of a rule set, as
// its rule files declare the record (package records).
func recordSchema(s *rules.Set) map[string]any {
	m := s.Model(eligibility.Model)
	if m == nil || m.Record == nil {
		return map[string]any{"type": "object"}
	}
	rs, err := records.New(m.Record)
	if err != nil {
		return map[string]any{"type": "object"}
	}
	sch := rs.JSONSchema(s.Meta.ID + ": a person record")
	delete(sch, "$schema")
	sch["description"] = "Một thành viên hộ, theo khai báo của bộ quy tắc / one household member, as the rule set declares the record (docs/rules.md §14). Unknown keys are reported as warnings."
	return sch
}

// unitSchema returns the JSON Schema of one sponsoring unit under set s;
// its levels are the set's.
func unitSchema(s *rules.Set) map[string]any {
	var levels []any
	if s != nil {
		for _, l := range s.Meta.Levels {
			levels = append(levels, l.ID)
		}
	}
	kinds := []any{}
	for _, k := range allocation.Kinds {
		kinds = append(kinds, k)
	}
	str := func(desc string) map[string]any {
		return map[string]any{"type": []any{"string", "integer"}, "description": desc}
	}
	return map[string]any{
		"type":        "object",
		"description": "Một đơn vị nhận đỡ đầu / a sponsoring unit (docs/records.md)",
		"properties": map[string]any{
			"unit_id":          str("unique within the batch"),
			"name":             map[string]any{"type": "string"},
			"level":            map[string]any{"type": "string", "examples": levels},
			"kind":             map[string]any{"type": "string", "examples": kinds},
			"place":            str("GSO code of the commune, district or province"),
			"staff":            str("CBCC-NLĐ of an agency"),
			"source":           map[string]any{"type": "string"},
			"capacity_persons": str("at most this many beneficiaries"),
			"monthly_amount":   str("whole đồng"),
			"reach":            map[string]any{"type": "string"},
		},
		"required":             []any{"unit_id", "level", "kind", "place"},
		"additionalProperties": true,
	}
}
