package rules

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/expr-lang/expr/vm"
	"github.com/shopspring/decimal"
	"gopkg.in/yaml.v3"
)

// Record is the record a model reads, as its rule file declares it: the
// fields a file of records (CSV, JSON, a workbook) carries, with their
// columns, accepted headers, types, defaults and descriptions. A model with
// a record is evaluated from a record: its fields, then the values the
// `derived:` section computes from them, are the model's inputs.
type Record struct {
	Fields []*Field
	// Key is the field that identifies a record; it must be unique within a
	// file. Group optionally names the field that groups records (a
	// household), for Checks.
	Key, Group string
	Checks     []GroupCheck
	Pos        Pos
}

// Field returns the field called name (its expression name), and its index.
func (r *Record) Field(name string) (*Field, int) {
	for i, f := range r.Fields {
		if f.Name == name {
			return f, i
		}
	}
	return nil, -1
}

// FieldType is the type of a record field as a rule file names it.
type FieldType string

// The field types. An enum is text limited to its values, each with the
// spellings a file may use for it; a commune_code is a 5-digit GSO code,
// old or new, that commune_on resolves on a date; a month is read as its
// first day.
const (
	FieldBool        FieldType = "bool"
	FieldInt         FieldType = "int"
	FieldDecimal     FieldType = "decimal"
	FieldMoney       FieldType = "money"
	FieldText        FieldType = "text"
	FieldEnum        FieldType = "enum"
	FieldDate        FieldType = "date"
	FieldMonth       FieldType = "month"
	FieldCommuneCode FieldType = "commune_code"
)

// Field is one declared field of a record.
type Field struct {
	// Name is what expressions call the field; Column is its column or JSON
	// key (Name unless the file says otherwise); Aliases are other headers
	// a file may use for it, matched ignoring case (the Vietnamese headers
	// of an office's list).
	Name, Column string
	Aliases      []string
	Type         FieldType
	Kind         Kind // the kind expressions see
	// Values are an enum's values, in order; Spellings maps each accepted
	// spelling, lower case, to its value (the values themselves included).
	Values    []string
	Spellings map[string]string
	// Required fields must be given; an optional field that is absent takes
	// Default when it has one, and is otherwise absent (has_<name> false).
	Required bool
	Default  any
	// Min is the least value of a number field; money is never negative.
	Min *decimal.Decimal
	// Hint is added to the message for a wrong enum value.
	Hint        string
	Description Text
	Pos         Pos
}

// Headers returns every header the field is accepted under: its column,
// then its aliases.
func (f *Field) Headers() []string { return append([]string{f.Column}, f.Aliases...) }

// GroupCheck flags the records of one group (for example a household) that
// pass rule Among but fail rule Flag: data that contradicts itself.
type GroupCheck struct {
	ID          string
	Among, Flag string
	Message     Text // {group} and {ids} are replaced by the group and the records' keys
	Pos         Pos
}

// Derived is a value a model computes from its record before its rules
// run (an age on the date, the commune in force, the zone); it is an input
// of the model's rules and formulas.
type Derived = Formula

// dateName is the variable that holds the evaluation date in derived values.
const dateName = "date"

// readRecord reads a model's `record:` section.
func (b *builder) readRecord(r *reader, m *Model, key, n *yaml.Node) {
	if m.Record != nil {
		r.errorf(key, CodeDuplicate, "model %s declares its record twice", m.Name)
		return
	}
	rm := r.mapping(n, "record", "fields!", "key!", "group", "checks")
	if rm == nil {
		return
	}
	rec := &Record{Key: r.str(rm, "key"), Group: r.str(rm, "group"), Pos: b.pos(r, key)}
	columns := map[string]string{}
	if fv, ok := rm["fields"]; ok {
		for _, e := range r.entries(fv.value, "fields") {
			if !b.checkName(r, e.key, "field") {
				continue
			}
			if e.key.Value == dateName {
				r.errorf(e.key, CodeBadValue, "a field cannot be called %q: that name is the evaluation date", dateName)
				continue
			}
			f := b.readField(r, e)
			if f == nil {
				continue
			}
			for _, h := range f.Headers() {
				low := strings.ToLower(strings.TrimSpace(h))
				if prev, dup := columns[low]; dup {
					r.errorf(e.key, CodeDuplicate, "field %s: header %q is already the header of field %s", f.Name, h, prev)
				}
				columns[low] = f.Name
			}
			rec.Fields = append(rec.Fields, f)
		}
	}
	for _, k := range []string{"key", "group"} {
		name := r.str(rm, k)
		if name == "" {
			continue
		}
		if f, _ := rec.Field(name); f == nil {
			r.errorf(rm[k].value, CodeUnknownName, "record %s %q is not a declared field", k, name)
		} else if k == "key" && !f.Required {
			r.errorf(rm[k].value, CodeBadValue, "the record key %s must be required: true", name)
		}
	}
	if cv, ok := rm["checks"]; ok {
		for _, cn := range r.sequence(cv.value, "checks") {
			cm := r.mapping(cn, "a check", "id!", "among!", "flag!", "message!")
			if cm == nil {
				continue
			}
			if rec.Group == "" {
				r.errorf(cn, CodeMissingKey, "a check compares the records of one group: give the record a `group:` field")
			}
			rec.Checks = append(rec.Checks, GroupCheck{ID: r.str(cm, "id"), Among: r.str(cm, "among"), Flag: r.str(cm, "flag"),
				Message: r.text(cm, "message"), Pos: b.pos(r, cn)})
		}
	}
	m.Record = rec
}

// readField reads one field of a record.
func (b *builder) readField(r *reader, e field) *Field {
	fm := r.mapping(e.value, "field "+e.key.Value, "type!", "column", "aliases", "values", "required", "default", "min", "hint", "description")
	if fm == nil {
		return nil
	}
	f := &Field{Name: e.key.Value, Column: r.str(fm, "column"), Aliases: r.strList(fm, "aliases"),
		Required: r.boolean(fm, "required"), Hint: r.str(fm, "hint"), Description: r.text(fm, "description"), Pos: b.pos(r, e.key)}
	if f.Column == "" {
		f.Column = f.Name
	}
	f.Type = FieldType(r.oneOf(fm, "type", "", "bool", "int", "decimal", "money", "text", "enum", "date", "month", "commune_code"))
	switch f.Type {
	case FieldBool:
		f.Kind = KindBool
	case FieldInt:
		f.Kind = KindInt
	case FieldDecimal:
		f.Kind = KindDecimal
	case FieldMoney:
		f.Kind = KindMoney
		zero := decimal.Zero
		f.Min = &zero
	case FieldDate, FieldMonth:
		f.Kind = KindDate
	default:
		f.Kind = KindText
	}
	if v, ok := fm["values"]; ok {
		if f.Type != FieldEnum {
			r.errorf(v.key, CodeBadValue, "only an enum field lists its values")
		} else {
			f.Spellings = map[string]string{}
			b.readEnumValues(r, f, v.value)
		}
	} else if f.Type == FieldEnum {
		r.errorf(e.key, CodeMissingKey, "enum field %s: list its `values`", f.Name)
	}
	if v, ok := fm["min"]; ok {
		if f.Kind != KindInt && f.Kind != KindDecimal && f.Kind != KindMoney {
			r.errorf(v.key, CodeBadValue, "only a number field has a `min`")
		} else if d, err := decimal.NewFromString(v.value.Value); err != nil {
			r.errorf(v.value, CodeBadValue, "min must be a number, not %q", v.value.Value)
		} else {
			f.Min = &d
		}
	}
	if v, ok := fm["default"]; ok {
		if f.Required {
			r.errorf(v.key, CodeBadValue, "field %s is required, so it has no default", f.Name)
		} else {
			val, msg := f.Parse(v.value.Value, false)
			if msg != "" {
				r.errorf(v.value, CodeBadValue, "default of field %s: %s", f.Name, msg)
			} else {
				f.Default = val
			}
		}
	}
	return f
}

// readEnumValues reads `values:` of an enum: a list of values, or a mapping
// of each value to its other accepted spellings.
func (b *builder) readEnumValues(r *reader, f *Field, n *yaml.Node) {
	add := func(spelling, value string, at *yaml.Node) {
		low := strings.ToLower(strings.TrimSpace(spelling))
		if prev, dup := f.Spellings[low]; dup && prev != value {
			r.errorf(at, CodeDuplicate, "field %s: %q already spells %s", f.Name, spelling, prev)
			return
		}
		f.Spellings[low] = value
	}
	switch n.Kind {
	case yaml.SequenceNode:
		for _, v := range n.Content {
			if v.Kind != yaml.ScalarNode {
				r.errorf(v, CodeBadValue, "field %s: a value must be text", f.Name)
				continue
			}
			f.Values = append(f.Values, v.Value)
			add(v.Value, v.Value, v)
		}
	case yaml.MappingNode:
		for _, e := range r.entries(n, "values of "+f.Name) {
			f.Values = append(f.Values, e.key.Value)
			add(e.key.Value, e.key.Value, e.key)
			if e.value.Kind == yaml.ScalarNode && e.value.Tag == "!!null" {
				continue
			}
			for _, s := range r.sequence(e.value, "spellings of "+e.key.Value) {
				add(s.Value, e.key.Value, s)
			}
		}
	default:
		r.errorf(n, CodeBadValue, "field %s: values must be a list, or a mapping of each value to its spellings", f.Name)
	}
}

// readDerived reads a model's `derived:` section.
func (b *builder) readDerived(r *reader, m *Model, n *yaml.Node) {
	for _, e := range r.entries(n, "derived") {
		if !b.checkName(r, e.key, "derived value") {
			continue
		}
		fm := r.mapping(e.value, "derived value "+e.key.Value, "type!", "expr!", "values", "unit", "cites", "status", "description")
		if fm == nil {
			continue
		}
		d := &Derived{Name: e.key.Value, Model: m.Name + derivedSuffix, Unit: r.str(fm, "unit"), Cites: r.str(fm, "cites"),
			Description: r.text(fm, "description"), Values: r.strList(fm, "values"), Pos: b.pos(r, e.key)}
		d.Kind = Kind(r.oneOf(fm, "type", "", "bool", "int", "decimal", "money", "text", "date", "commune"))
		d.Status = r.oneOf(fm, "status", "enacted", "enacted", "interpretation")
		if len(d.Values) > 0 && d.Kind != KindText {
			r.errorf(fm["values"].key, CodeBadValue, "only a text value can list its values")
		}
		m.Derived = append(m.Derived, d)
		if x, ok := fm["expr"]; ok {
			d.Expr = x.value.Value
			b.pending = append(b.pending, pendingExpr{r: r, node: x.value, formula: d})
		}
	}
}

// derivedSuffix names the internal model that computes a model's derived values.
const derivedSuffix = "·derived"

// buildRecordModels turns each record and its derived values into inputs:
// the model's inputs become the record's fields then the derived values,
// and an internal model computes the derived values from the fields and
// the evaluation date.
func (b *builder) buildRecordModels() {
	s := b.set
	for _, name := range s.order {
		m := s.models[name]
		if m.Record == nil {
			if len(m.Derived) > 0 {
				p := m.Derived[0].Pos
				b.errs.add(p.File, p.Line, p.Column, CodeMissingKey, "model %s has derived values but no record to derive them from: declare its `record:`", m.Name)
			}
			continue
		}
		if len(m.Inputs) > 0 {
			// Reported once; the inputs are then built from the record, so
			// that the expressions are checked against them without a train
			// of errors that follow from this one.
			p := m.Inputs[0].Pos
			b.errs.add(p.File, p.Line, p.Column, CodeBadValue, "model %s declares a record: its inputs are the record's fields and its `derived:` values, not `inputs:`", m.Name)
			m.Inputs = nil
		}
		d := &Model{Name: m.Name + derivedSuffix, Formulas: m.Derived}
		for _, f := range m.Record.Fields {
			in := &Input{Name: f.Name, Kind: f.Kind, Values: f.Values, Optional: !f.Required && f.Default == nil,
				Description: f.Description, Pos: f.Pos}
			d.Inputs = append(d.Inputs, in)
			m.Inputs = append(m.Inputs, in)
		}
		d.Inputs = append(d.Inputs, &Input{Name: dateName, Kind: KindDate, Pos: m.Record.Pos})
		for _, f := range m.Derived {
			m.Inputs = append(m.Inputs, &Input{Name: f.Name, Kind: f.Kind, Unit: f.Unit, Values: f.Values, Description: f.Description, Pos: f.Pos})
		}
		m.derive = d
	}
}

// Parse reads a field's value from its text in a file (a CSV cell, a JSON
// string or literal, a case input): "" for an absent value, else the value
// of the field's kind (bool, int, decimal.Decimal, string, time.Time) or a
// message saying what is wrong, in plain words. jsonBool says the text is a
// JSON true or false.
func (f *Field) Parse(s string, jsonBool bool) (any, string) {
	switch f.Type {
	case FieldBool:
		if v, ok := parseBool(s); ok {
			return v, ""
		}
		return nil, "not a yes/no value (want true/false, 1/0 or có/không)"
	case FieldInt, FieldDecimal, FieldMoney:
		if jsonBool {
			return nil, "not a number"
		}
		// The common case, plain digits that fit an int64 and no minimum
		// above 0 to check: the value without decimal.NewFromString, the
		// same as parseNumber gives.
		if len(s) > 0 && len(s) <= 18 && digits(s) && (f.Min == nil || f.Min.Sign() <= 0) {
			var n int64
			for i := 0; i < len(s); i++ {
				n = n*10 + int64(s[i]-'0')
			}
			switch {
			case f.Type == FieldInt && n <= 1<<53:
				return int(n), ""
			case f.Type == FieldInt:
			case n == 0:
				return boxedZero, ""
			default:
				return decimal.New(n, 0), ""
			}
		}
		return f.parseNumber(s)
	case FieldDate, FieldMonth:
		return f.parseDate(s)
	}
	if jsonBool {
		return nil, "want text, not true/false"
	}
	switch f.Type {
	case FieldEnum:
		if v, ok := f.Spellings[strings.ToLower(s)]; ok {
			return v, ""
		}
		return nil, f.WantValues()
	case FieldCommuneCode:
		if msg := communeCodeProblem(s); msg != "" {
			return nil, msg
		}
	}
	return s, ""
}

// WantValues says which values an enum takes, as a message.
func (f *Field) WantValues() string {
	msg := "want " + orList(f.Values)
	if f.Hint != "" {
		msg += " (" + f.Hint + ")"
	}
	return msg
}

// Missing is the message for a required field that is absent.
func (f *Field) Missing() string {
	switch f.Type {
	case FieldBool:
		return "missing (want true or false)"
	case FieldDate:
		return "missing (want YYYY-MM-DD)"
	case FieldMonth:
		return "missing (want YYYY-MM)"
	case FieldCommuneCode:
		return "missing (want the 5-digit GSO commune code)"
	case FieldEnum:
		return "missing (want " + orList(f.Values) + ")"
	}
	return "missing"
}

func orList(vals []string) string {
	switch len(vals) {
	case 0:
		return ""
	case 1:
		return vals[0]
	}
	return strings.Join(vals[:len(vals)-1], ", ") + " or " + vals[len(vals)-1]
}

// boxedZero is 0 boxed once: decimal values are never changed in place.
var boxedZero any = decimal.New(0, 0)

const (
	msgNotWhole = "not whole đồng (write digits only, e.g. 650000, without decimals or thousands separators)"
	msgNegative = "negative (must be 0 or more)"
)

func (f *Field) parseNumber(s string) (any, string) {
	if strings.ContainsAny(s, "eE") && strings.Trim(s, "+-0123456789.eE") == "" {
		return nil, "write the number in full, without an exponent"
	}
	text := s
	switch f.Type {
	case FieldMoney, FieldInt:
		if grouped(text) {
			text = strings.ReplaceAll(text, ".", "")
		}
	case FieldDecimal:
		if strings.Count(text, ",") == 1 && !strings.Contains(text, ".") {
			text = strings.Replace(text, ",", ".", 1)
		}
	}
	if !numberText(text) {
		if strings.Trim(s, "+-0123456789.,") == "" {
			switch f.Type {
			case FieldMoney:
				return nil, msgNotWhole
			case FieldDecimal:
				return nil, "not a number (use a dot for decimals, e.g. 1.5)"
			}
		}
		return nil, "not a number"
	}
	d, err := decimal.NewFromString(text)
	if err != nil {
		return nil, "not a number"
	}
	if f.Type == FieldMoney || f.Type == FieldInt {
		if !d.IsInteger() {
			if f.Type == FieldInt {
				return nil, "not a whole number"
			}
			if d.IsNegative() {
				return nil, msgNegative
			}
			return nil, msgNotWhole
		}
		d = d.Truncate(0)
	}
	if f.Min != nil && d.LessThan(*f.Min) {
		if f.Min.IsZero() {
			return nil, msgNegative
		}
		return nil, "less than " + f.Min.String()
	}
	if f.Type == FieldInt {
		if !d.IsInteger() || d.Abs().Cmp(decimal.NewFromInt(1<<53)) > 0 {
			return nil, "too large"
		}
		return int(d.IntPart()), ""
	}
	return d, ""
}

// grouped reports whether s is a whole number with dots grouping its
// thousands, as a Vietnamese writes 1.500.000.
func grouped(s string) bool {
	parts := strings.Split(strings.TrimLeft(s, "+-"), ".")
	if len(parts) < 2 || len(parts[0]) == 0 || len(parts[0]) > 3 || !digits(parts[0]) {
		return false
	}
	for _, p := range parts[1:] {
		if len(p) != 3 || !digits(p) {
			return false
		}
	}
	return true
}

// numberText reports whether s is a plain decimal: sign, digits, one dot.
func numberText(s string) bool {
	s = strings.TrimLeft(s, "+-")
	if len(s) == 0 || strings.Count(s, ".") > 1 {
		return false
	}
	intPart, frac, _ := strings.Cut(s, ".")
	return (digits(intPart) || intPart == "" && frac != "") && (frac == "" || digits(frac))
}

func digits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func (f *Field) parseDate(s string) (any, string) {
	if f.Type == FieldMonth {
		for _, layout := range []string{"2006-01", "01/2006", "1/2006"} {
			if t, err := time.Parse(layout, s); err == nil {
				return t, ""
			}
		}
		return nil, "not a month (want YYYY-MM)"
	}
	layout := time.DateOnly
	if strings.Contains(s, "/") {
		layout = "2/1/2006"
	}
	if layout == time.DateOnly && !(len(s) == 10 && digits(s[:4]) && s[4] == '-' && digits(s[5:7]) && s[7] == '-' && digits(s[8:])) ||
		layout != time.DateOnly && strings.Count(s, "/") != 2 {
		return nil, "not a date (want YYYY-MM-DD)"
	}
	t, err := time.Parse(layout, s)
	if err != nil {
		return nil, "not a real date (want YYYY-MM-DD)"
	}
	return t, ""
}

// communeCodeProblem says what is wrong with a commune code, or "".
func communeCodeProblem(s string) string {
	if digits(s) {
		if len(s) == 5 {
			return ""
		}
		if len(s) < 5 {
			return "not a 5-digit GSO commune code (a leading zero lost in a spreadsheet?)"
		}
	}
	return "not a 5-digit GSO commune code"
}

// parseBool reads a yes/no value: true/false, 1/0, có/không
// (case-insensitive, also in decomposed Unicode form).
func parseBool(s string) (v, ok bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "1", "có", "co\u0301":
		return true, true
	case "false", "0", "không", "kho\u0302ng":
		return false, true
	}
	return false, false
}

// FieldFault is a record field that the derived values could not use on a
// date (a commune code that names no commune, or that the 2025 reform made
// ambiguous): an error of the record, for that date only.
type FieldFault struct {
	Field string // the field's name
	Value string
	Msg   string
}

func (e *FieldFault) Error() string {
	return fmt.Sprintf("%s %q: %s", e.Field, e.Value, e.Msg)
}

// checkRecords checks what refers across a record: the rules its checks
// name, and that derived values read no parameter keyed by an input (they
// are computed before the inputs that select such a value exist).
func (b *builder) checkRecords() {
	s := b.set
	for _, name := range s.order {
		m := s.models[name]
		if m.Record == nil || m.derive == nil {
			continue
		}
		for _, c := range m.Record.Checks {
			for _, id := range []string{c.Among, c.Flag} {
				if r, ok := b.rules[id]; !ok || r.Model != m.Name {
					b.errs.add(c.Pos.File, c.Pos.Line, c.Pos.Column, CodeUnknownName, "check %s names rule %q, which model %s does not have", c.ID, id, m.Name)
				}
			}
		}
		for _, d := range m.Derived {
			for _, v := range d.Vars {
				if p := s.Param(v); p != nil && p.By != "" {
					b.errs.add(d.Pos.File, d.Pos.Line, d.Pos.Column, CodeBadValue, "derived value %s reads %s, a parameter keyed by %s; derived values are computed before %s, so read it in a formula", d.Name, v, p.By, p.By)
				}
			}
		}
	}
}

// Derive computes the inputs of a model that declares a record: fields
// holds the record's field values in the order of Record.Fields (nil for
// an absent one; an absent field takes its default), and in receives the
// model's inputs (the fields, then the derived values), ready for
// EvalInputs; in must have room for len(Model.Inputs). A record value that
// a derived value cannot use on the Evaluator's date is a *FieldFault.
func (e *Evaluator) Derive(model string, fields []any, in []any) error {
	m := e.set.models[model]
	if m == nil {
		return fmt.Errorf("rule set %s has no model %q", e.set.Meta.ID, model)
	}
	if m.derive == nil {
		return fmt.Errorf("model %s declares no record", model)
	}
	nf := len(m.Record.Fields)
	if len(fields) != nf || len(in) < len(m.Inputs) {
		return fmt.Errorf("model %s: %d fields given for %d, room for %d inputs of %d", model, len(fields), nf, len(in), len(m.Inputs))
	}
	d := m.derive
	dn := d.Inputs[:nf+1] // the fields, then the date
	for i, f := range m.Record.Fields {
		v := fields[i]
		if v == nil && f.Default != nil {
			v = f.Default
		}
		in[i] = v
	}
	in[nf] = e.dateBox
	if err := e.run(d, in[:len(dn)], in[nf:]); err != nil {
		var le *lookupError
		if errors.As(err, &le) {
			return &FieldFault{Field: e.faultField(d, m, in[:nf+1]), Value: le.Value, Msg: le.Msg}
		}
		return err
	}
	return nil
}

// faultField finds which field a failed derivation read: the first field
// read by the first derived value that fails on its own.
func (e *Evaluator) faultField(d, m *Model, vals []any) string {
	env := map[string]any{}
	for i, in := range d.Inputs {
		v := vals[i]
		if v == nil {
			v = in.Kind.zero()
		}
		env[in.Name] = v
		if d.hasNames[i] != "" {
			env[d.hasNames[i]] = vals[i] != nil
		}
	}
	for _, p := range e.plain {
		env[e.set.Params[p.index].Name] = p.value
	}
	machine := new(vm.VM)
	for _, f := range d.Formulas {
		out, err := machine.Run(f.program, env)
		if err != nil {
			for _, v := range f.Vars {
				if fld, _ := m.Record.Field(v); fld != nil {
					return fld.Name
				}
			}
			return f.Name
		}
		env[f.Name] = out
	}
	return ""
}

// Check says what is wrong with a value a program gives for the field (the
// Go type of its kind, an enum's value, money whole and not negative, the
// field's minimum), or "".
func (f *Field) Check(v any) string {
	switch f.Kind {
	case KindBool:
		if _, ok := v.(bool); !ok {
			return fmt.Sprintf("want true or false, got %T", v)
		}
	case KindInt, KindDecimal, KindMoney:
		var d decimal.Decimal
		switch x := v.(type) {
		case int:
			if f.Kind != KindInt {
				return fmt.Sprintf("want a decimal.Decimal, got %T", v)
			}
			d = decimal.NewFromInt(int64(x))
		case decimal.Decimal:
			if f.Kind == KindInt {
				return fmt.Sprintf("want an int, got %T", v)
			}
			d = x
		default:
			return fmt.Sprintf("want a number, got %T", v)
		}
		if f.Min != nil && d.LessThan(*f.Min) {
			if f.Min.IsZero() {
				return msgNegative
			}
			return "less than " + f.Min.String()
		}
		if f.Kind == KindMoney && !d.IsInteger() {
			return msgNotWhole
		}
	case KindDate:
		if _, ok := v.(time.Time); !ok {
			return fmt.Sprintf("want a date (time.Time), got %T", v)
		}
	default:
		s, ok := v.(string)
		switch {
		case !ok:
			return fmt.Sprintf("want text, got %T", v)
		case f.Type == FieldEnum && !contains(f.Values, s):
			return f.WantValues()
		case f.Type == FieldCommuneCode:
			return communeCodeProblem(s)
		}
	}
	return ""
}
