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
	"slices"
	"time"

	"github.com/hotro-vn/hotro/allocation"
	"github.com/hotro-vn/hotro/eligibility"
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
// objects with the keys of docs/records.md, with the declarations of set
// as on date.
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

// personFields describes the person record of today's rule sets, in column
// order: key, JSON type, required, description. The enumerations are taken
// from the inputs of the set's person model where a field feeds an input of
// the same name.
var personFields = []struct {
	name, typ string
	required  bool
	desc      string
}{
	{"person_id", "text", true, "Mã người, duy nhất trong lô / person id, unique within the batch"},
	{"household_id", "text", true, "Mã hộ / household id"},
	{"full_name", "text", false, "Họ tên (không dùng để xét) / full name (informational)"},
	{"birth_date", "date", true, "Ngày sinh YYYY-MM-DD / birth date"},
	{"commune_code", "commune", true, "Mã xã thường trú (GSO, 5 chữ số, mã cũ hoặc mới) / commune of permanent residence"},
	{"zone", "enum", false, "Khu vực; bỏ trống = theo loại xã / zone; empty = from the commune type"},
	{"resident", "bool", false, "Thường trú (mặc định true) / permanent resident (default true)"},
	{"household_poor", "bool", true, "Hộ nghèo trong năm / on the poor-household list"},
	{"household_category", "enum", true, "btxh = hộ nghèo thuộc chính sách bảo trợ xã hội"},
	{"disability", "enum", false, "Mức độ khuyết tật (mặc định none) / disability (default none)"},
	{"serious_illness", "bool", false, "Mắc bệnh hiểm nghèo (mặc định false)"},
	{"in_care_facility", "bool", false, "Nuôi dưỡng tập trung (mặc định false)"},
	{"allowance_coefficient", "decimal", false, "Hệ số trợ cấp; trợ cấp = hệ số × mức chuẩn"},
	{"monthly_allowance", "money", false, "Trợ cấp hằng tháng, đồng; ưu tiên hơn hệ số"},
	{"other_income", "money", false, "Thu nhập khác hằng tháng, đồng (mặc định 0)"},
}

// recordSchema returns the JSON Schema of one person record under set s.
// Values may come as JSON strings too (as in a CSV file): the reader
// accepts both and reports a bad value on its record only.
func recordSchema(s *rules.Set) map[string]any {
	props := map[string]any{}
	var required []string
	var m *rules.Model
	if s != nil {
		m = s.Model(eligibility.Model)
	}
	for _, f := range personFields {
		var p map[string]any
		switch f.typ {
		case "text":
			p = map[string]any{"type": []any{"string", "integer"}}
		case "date":
			p = map[string]any{"type": "string", "format": "date"}
		case "commune":
			p = map[string]any{"type": []any{"string", "integer"}, "pattern": `^[0-9]{5}$`}
		case "bool":
			p = map[string]any{"type": []any{"boolean", "string", "integer"}}
		case "enum":
			p = map[string]any{"type": []any{"string", "null"}}
			if m != nil {
				if in, ok := m.Input(f.name); ok && len(in.Values) > 0 {
					p["examples"] = slices.Clone(in.Values)
					p["x-hotro-values"] = slices.Clone(in.Values)
				}
			}
		case "decimal":
			p = map[string]any{"type": []any{"string", "number", "null"}}
		case "money":
			p = map[string]any{"type": []any{"string", "integer", "null"}, "description": "whole đồng"}
		}
		p["description"] = f.desc
		props[f.name] = p
		if f.required {
			required = append(required, f.name)
		}
	}
	return map[string]any{
		"type":                 "object",
		"description":          "Một thành viên hộ / one household member (docs/records.md). Unknown keys are reported as warnings.",
		"properties":           props,
		"required":             required,
		"additionalProperties": true,
	}
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
	if s != nil {
		if m := s.Model(allocation.UnitRecordModel); m != nil && m.Record != nil {
			if f, _ := m.Record.Field("kind"); f != nil {
				for _, k := range f.Values {
					kinds = append(kinds, k)
				}
			}
		}
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
