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
	"time"

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
// objects with the keys the rule set's unit record declares.
func (s *Server) decodeUnits(raw json.RawMessage, set *rules.Set, date time.Time) ([]allocation.UnitRecord, []string, error) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, nil, nil
	}
	v, err := allocation.VocabularyOf(set, date)
	if err != nil {
		return nil, nil, err
	}
	return allocation.ReadUnits(bytes.NewReader(raw), allocation.JSON, v)
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

// unitSchema returns the JSON Schema of one sponsoring unit under set s,
// as its rule files declare the unit record.
func unitSchema(s *rules.Set) map[string]any {
	if s != nil {
		if m := s.Model(allocation.UnitRecordModel); m != nil && m.Record != nil {
			if rs, err := records.New(m.Record); err == nil {
				sch := rs.JSONSchema(s.Meta.ID + ": a sponsoring unit")
				delete(sch, "$schema")
				sch["description"] = "Một đơn vị nhận đỡ đầu / a sponsoring unit, as the rule set declares it (docs/records.md)"
				return sch
			}
		}
	}
	return map[string]any{"type": "object", "description": "Một đơn vị nhận đỡ đầu / a sponsoring unit (docs/records.md)"}
}
