package records

import (
	"encoding/json"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"

	"github.com/hotro-vn/hotro/rules"
)

// JSONSchema returns the JSON Schema (draft 2020-12) of one record of s as
// a JSON object, so that an embedding system can check its export before
// sending it. Keys are the columns; each field accepts what the reader
// accepts: numbers as JSON numbers or text, yes/no as booleans or their
// spellings, an enum's values and spellings. Unknown keys are allowed (the
// reader warns of them once).
func (s *Schema) JSONSchema(title string) map[string]any {
	props := map[string]any{}
	var required []string
	for _, f := range s.decl.Fields {
		props[f.Column] = fieldSchema(f)
		if f.Required {
			required = append(required, f.Column)
		}
	}
	out := map[string]any{
		"$schema":              "https://json-schema.org/draft/2020-12/schema",
		"title":                title,
		"type":                 "object",
		"properties":           props,
		"additionalProperties": true,
	}
	if len(required) > 0 {
		out["required"] = required
	}
	return out
}

// ArraySchema is the schema of a file of records: a JSON array of them.
func (s *Schema) ArraySchema(title string) map[string]any {
	item := s.JSONSchema(title)
	delete(item, "$schema")
	return map[string]any{
		"$schema": "https://json-schema.org/draft/2020-12/schema",
		"title":   title,
		"type":    "array",
		"items":   item,
	}
}

var (
	wholeText   = `^[+-]?([0-9]+|[0-9]{1,3}(\.[0-9]{3})+)$`
	decimalText = `^[+-]?([0-9]+([.,][0-9]+)?|[.,][0-9]+)$`
	dateText    = `^([0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{1,2}/[0-9]{1,2}/[0-9]{4})$`
	monthText   = `^([0-9]{4}-[0-9]{2}|[0-9]{1,2}/[0-9]{4})$`
)

func fieldSchema(f *rules.Field) map[string]any {
	m := map[string]any{"title": f.Description.In("vi"), "description": f.Description.In("en")}
	if len(f.Aliases) > 0 {
		m["x-aliases"] = f.Aliases
	}
	if f.Default != nil {
		m["default"] = defaultJSON(f.Default)
	}
	str := func(pattern string) map[string]any { return map[string]any{"type": "string", "pattern": pattern} }
	switch f.Type {
	case rules.FieldBool:
		m["anyOf"] = []any{map[string]any{"type": "boolean"},
			map[string]any{"type": "string", "pattern": "^(" + strings.Join([]string{anyCase("true"), anyCase("false"), "1", "0", anyCase("có"), anyCase("không")}, "|") + ")$"}}
	case rules.FieldInt, rules.FieldMoney:
		num := map[string]any{"type": "integer"}
		if f.Min != nil {
			num["minimum"] = f.Min.IntPart()
		}
		m["anyOf"] = []any{num, str(wholeText)}
	case rules.FieldDecimal:
		num := map[string]any{"type": "number"}
		if f.Min != nil {
			num["minimum"] = json.Number(f.Min.String())
		}
		m["anyOf"] = []any{num, str(decimalText)}
	case rules.FieldDate:
		m["type"], m["pattern"] = "string", dateText
	case rules.FieldMonth:
		m["type"], m["pattern"] = "string", monthText
	case rules.FieldCommuneCode:
		m["type"], m["pattern"] = "string", `^[0-9]{5}$`
	case rules.FieldEnum:
		// Spellings match ignoring case: the schema lists them as a
		// case-insensitive pattern.
		var alts []string
		for sp := range f.Spellings {
			alts = append(alts, anyCase(sp))
		}
		sort.Strings(alts)
		m["type"] = "string"
		m["pattern"] = "^(" + strings.Join(alts, "|") + ")$"
		m["x-values"] = slices.Clone(f.Values)
	default:
		m["type"] = "string"
	}
	return m
}

// anyCase is a pattern matching s in any case (JSON Schema patterns have
// no case-insensitive flag).
func anyCase(s string) string {
	var b strings.Builder
	for _, r := range s {
		lo, up := unicode.ToLower(r), unicode.ToUpper(r)
		if lo == up {
			b.WriteString(regexp.QuoteMeta(string(r)))
		} else {
			b.WriteString("[" + string(lo) + string(up) + "]")
		}
	}
	return b.String()
}

func defaultJSON(v any) any {
	switch x := v.(type) {
	case bool, int, string:
		return x
	}
	return rules.FormatValue(v)
}
