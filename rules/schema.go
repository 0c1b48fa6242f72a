package rules

import (
	"bytes"
	"encoding/json"
	"slices"
)

// Editors check YAML as they type against a JSON Schema: the YAML extension
// of VS Code (redhat.vscode-yaml) and every editor built on
// yaml-language-server complete keys, show each key's help on hover and
// underline a misspelt key, a missing one or a value of the wrong form.
// The schemas below describe the files Load reads, key for key: each object
// mirrors one call of the loader's reader.mapping, and schema_test.go reads
// those calls from the loader's source to prove that they agree. The
// schemas check the form of a file; `hotro check` (Load) still checks the
// meaning: that names exist, expressions type-check, dated values cover the
// phase.
//
// They are draft-07 documents, the draft every YAML editor supports, and
// they use only type, enum, pattern, properties, required,
// additionalProperties, propertyNames, items, dependencies, anyOf, oneOf,
// allOf, not and if/then/else, with description on every key.

// MetaSchema returns the JSON Schema of a rule set's metadata file,
// ruleset.yaml (MetaFile).
func MetaSchema() []byte {
	s := metaSchema()
	s.Schema, s.Title = draft07, "hotro rule set metadata (ruleset.yaml)"
	return encodeSchema(s)
}

// FileSchema returns the JSON Schema of a rule file: any file of a rule set
// other than ruleset.yaml, holding a model's inputs, parameters, rules,
// formulas or test cases.
func FileSchema() []byte {
	s := fileSchema()
	s.Schema, s.Title = draft07, "hotro rule file"
	return encodeSchema(s)
}

// Schema returns one JSON Schema for every file of a rule set: a document
// with a key only ruleset.yaml has (id, title, in_force …) is checked as
// the metadata, any other as a rule file. It suits an editor setting that
// maps a whole directory to one schema; MetaSchema and FileSchema suit a
// mapping by file name or a schema named in the file itself.
func Schema() []byte { return encodeSchema(combinedSchema()) }

func combinedSchema() *jsonSchema {
	meta, file := metaSchema(), fileSchema()
	var only []*jsonSchema
	for _, p := range meta.Properties {
		if !slices.ContainsFunc(file.Properties, func(q prop) bool { return q.name == p.name }) {
			only = append(only, &jsonSchema{Required: []string{p.name}})
		}
	}
	return &jsonSchema{
		Schema: draft07,
		Title:  "hotro rule set file",
		Description: "A file of a hotro rule set: ruleset.yaml, the rule set's metadata, or a rule file " +
			"holding a model's inputs, parameters, rules, formulas and test cases.",
		If:   &jsonSchema{AnyOf: only},
		Then: meta,
		Else: file,
	}
}

const draft07 = "http://json-schema.org/draft-07/schema#"

func encodeSchema(s *jsonSchema) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(s); err != nil {
		panic("rules: the schema does not encode: " + err.Error()) // only literals go in
	}
	return b.Bytes()
}

// jsonSchema is the part of JSON Schema draft-07 the schemas use.
type jsonSchema struct {
	Schema      string `json:"$schema,omitempty"`
	Title       string `json:"title,omitempty"`
	Description string `json:"description,omitempty"`
	// Type is a type name or a list of them.
	Type                any         `json:"type,omitempty"`
	Enum                []any       `json:"enum,omitempty"`
	Default             any         `json:"default,omitempty"`
	Pattern             string      `json:"pattern,omitempty"`
	PatternErrorMessage string      `json:"patternErrorMessage,omitempty"` // shown by VS Code instead of the pattern
	Properties          props       `json:"properties,omitempty"`
	Required            []string    `json:"required,omitempty"`
	PropertyNames       *jsonSchema `json:"propertyNames,omitempty"`
	// AdditionalProperties is false (an object of fixed keys) or the schema
	// of every value (a mapping of names chosen by the author).
	AdditionalProperties any                 `json:"additionalProperties,omitempty"`
	Dependencies         map[string][]string `json:"dependencies,omitempty"`
	Items                *jsonSchema         `json:"items,omitempty"`
	AnyOf                []*jsonSchema       `json:"anyOf,omitempty"`
	OneOf                []*jsonSchema       `json:"oneOf,omitempty"`
	AllOf                []*jsonSchema       `json:"allOf,omitempty"`
	Not                  *jsonSchema         `json:"not,omitempty"`
	If                   *jsonSchema         `json:"if,omitempty"`
	Then                 *jsonSchema         `json:"then,omitempty"`
	Else                 *jsonSchema         `json:"else,omitempty"`

	// loader is the description the loader gives reader.mapping for the
	// object this schema mirrors (its literal part), e.g. "a rule" or
	// "input "; schema_test.go matches the two.
	loader string
}

// prop is one key of an object.
type prop struct {
	name     string
	required bool
	schema   *jsonSchema
}

// props keeps an object's keys in the order the format documents them,
// which is the order an editor lists them in.
type props []prop

func (ps props) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, p := range ps {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(p.name)
		v, err := json.Marshal(p.schema)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func req(name string, s *jsonSchema) prop { return prop{name, true, s} }
func opt(name string, s *jsonSchema) prop { return prop{name, false, s} }

// object is a mapping of fixed keys, any other key being an error, as
// reader.mapping(n, loader, keys…) reads it.
func object(loader, desc string, ps ...prop) *jsonSchema {
	s := &jsonSchema{Description: desc, Type: "object", Properties: ps, AdditionalProperties: false, loader: loader}
	for _, p := range ps {
		if p.required {
			s.Required = append(s.Required, p.name)
		}
	}
	return s
}

// mapOf is a mapping whose keys the author chooses (names of inputs,
// parameters …), as reader.entries reads it.
func mapOf(desc string, key, value *jsonSchema) *jsonSchema {
	return &jsonSchema{Description: desc, Type: "object", PropertyNames: key, AdditionalProperties: value}
}

func list(desc string, item *jsonSchema) *jsonSchema {
	return &jsonSchema{Description: desc, Type: "array", Items: item}
}

// scalarTypes are the JSON types of a YAML scalar an editor may see: the
// loader reads every scalar as its text, so 700000, "700000" and 0.70 are
// all values.
var scalarTypes = []string{"string", "number", "boolean"}

func str(desc string) *jsonSchema    { return &jsonSchema{Description: desc, Type: "string"} }
func scalar(desc string) *jsonSchema { return &jsonSchema{Description: desc, Type: scalarTypes} }
func boolean(desc string) *jsonSchema {
	return &jsonSchema{Description: desc, Type: "boolean", Default: false}
}

// name is a name used in expressions, checked by the loader's namePattern.
func name(desc string) *jsonSchema {
	return &jsonSchema{Description: desc, Type: "string", Pattern: namePattern,
		PatternErrorMessage: "lower case letters, digits and _, starting with a letter (names are used in expressions)"}
}

func date(desc string) *jsonSchema {
	return &jsonSchema{Description: desc, Type: "string", Pattern: `^[0-9]{4}-[0-9]{2}-[0-9]{2}$`,
		PatternErrorMessage: "a date written YYYY-MM-DD"}
}

func enum(desc, def string, options ...string) *jsonSchema {
	s := &jsonSchema{Description: desc, Type: "string", Default: def}
	for _, o := range options {
		s.Enum = append(s.Enum, o)
	}
	if def == "" {
		s.Default = nil
	}
	return s
}

// kind is the type of an input, parameter or formula: the loader's kinds.
func kind(desc string) *jsonSchema {
	return enum(desc+" bool: true or false; int: a whole number; decimal: an exact number such as a coefficient "+
		"or a share; money: a whole number of đồng; text.", "", kinds...)
}

// text is a message, plain or in Vietnamese and English, as reader.text
// reads it.
func text(desc string) *jsonSchema {
	return &jsonSchema{Description: desc, AnyOf: []*jsonSchema{
		{Type: "string"},
		object("(key)", "The text in Vietnamese and in English; each language falls back to the other.",
			opt("vi", str("The text in Vietnamese.")),
			opt("en", str("The text in English."))),
	}}
}

// strList is a list of text or a single text, as reader.strList reads it.
func strList(desc string) *jsonSchema {
	return &jsonSchema{Description: desc, AnyOf: []*jsonSchema{
		{Type: scalarTypes},
		{Type: "array", Items: &jsonSchema{Type: scalarTypes}},
	}}
}

// expression is an expr expression; true, 0 or 1000 are expressions too.
func expression(desc string) *jsonSchema {
	return &jsonSchema{Description: desc + " Expressions are those of expr (expr-lang.org) over exact decimals: " +
		"0.70 is a decimal, never a float; round_up(x, step), round_down, round, max, min, ceil, floor and dec(x) " +
		"are there; has_<input> tells whether an optional input is given. Write a long expression as a block " +
		"(`when: >` or `|`) on the lines below.", Type: scalarTypes}
}

func status(what string) *jsonSchema {
	return enum("Whether "+what+" is the text of a legal instrument (enacted) or a choice made where the sources "+
		"are silent (interpretation); `hotro check` lists the interpretations for review.",
		"enacted", "enacted", "interpretation")
}

func metaSchema() *jsonSchema {
	return object("the rule set's metadata",
		"The metadata of a rule set: ruleset.yaml, the file that makes a directory a rule set (one policy in "+
			"one phase). The other YAML files of the directory are its rule files.",
		req("id", str("The rule set's id, unique among the rule sets loaded together; decisions and reports name it. "+
			"Example: hatinh-nq179-2020-2025.")),
		opt("policy", str("The policy the rule set is a phase of, e.g. nq179-2019. Rule sets of one policy form "+
			"one library, one per phase; rule sets of two policies in force together are loaded separately "+
			"(hotro --policy NAME).")),
		req("title", str("The title of the policy and its phase, as people know it.")),
		req("jurisdiction", object("jurisdiction", "The administrative unit the rule set applies to.",
			req("code", str(`The unit's GSO code, quoted so that leading zeros stay: "42" for Hà Tĩnh.`)),
			req("name", str("The unit's name, e.g. Tỉnh Hà Tĩnh.")))),
		opt("status", enum("Whether the rule set is law (enacted) or an example or proposal (draft). Where the "+
			"phases of two sets overlap, an enacted set wins over a draft.", "enacted", "enacted", "draft")),
		req("in_force", object("in_force", "The phase: the days the rule set applies to, both ends included. "+
			"Every dated parameter must have a value on each of them.",
			req("from", date("The first day of the phase, YYYY-MM-DD.")),
			req("to", date("The last day of the phase, YYYY-MM-DD.")))),
		opt("description", text("What the policy does, for readers; the engine does not use it.")),
		opt("sources", list("The legal instruments and documents the rule set encodes.",
			object("a source", "A legal instrument or document the rule set encodes.",
				req("id", str("A short id for the source, e.g. nq179.")),
				req("citation", str("The instrument as it is cited, e.g. Nghị quyết 179/2019/NQ-HĐND tỉnh Hà Tĩnh.")),
				opt("date", date("The date of the instrument, YYYY-MM-DD.")),
				opt("status", str("How the source is used, e.g. primary, or full text not available.")),
				opt("note", str("A note for readers."))))),
		opt("interpretations", list("Choices made where the sources are silent or unclear, so that policy staff "+
			"can see and change them.",
			object("an interpretation", "A choice made where the sources are silent or unclear.",
				req("id", str("A short id for the choice.")),
				req("text", text("The choice, in words a reviewer can check against the sources.")),
				opt("applies_to", strList("The ids of the rules, parameters or formulas the choice shapes."))))),
		opt("levels", list("The administrative levels that take part, in order (e.g. commune, district, province); "+
			"rule sets use them as data.",
			object("a level", "An administrative level that takes part.",
				req("id", str("The level's id, e.g. commune; unit records name it.")),
				opt("name", text("The level's name, e.g. Cấp xã."))))),
	)
}

func fileSchema() *jsonSchema {
	nameKey := &jsonSchema{Pattern: namePattern,
		PatternErrorMessage: "lower case letters, digits and _, starting with a letter (names are used in expressions)"}
	input := object("input ", "An input of the model: a value the program embedding the rules supplies for "+
		"each subject, named in expressions by its key.",
		req("type", kind("The input's type.")),
		opt("unit", str("The unit, for readers, e.g. đ/tháng or năm.")),
		opt("values", strList("The values a text input can take; any other is refused when the model is "+
			"evaluated. Only for type text.")),
		opt("optional", boolean("Whether the input may be absent. An absent optional input is zero (false, 0, "+
			`"") and has_<name> is false.`)),
		opt("description", text("What the input is, for readers and reports.")))
	input.If = &jsonSchema{Required: []string{"values"}}
	input.Then = &jsonSchema{Properties: props{{name: "type", schema: &jsonSchema{Enum: []any{"text"}}}}}

	paramValue := func(desc string) *jsonSchema {
		return &jsonSchema{Description: desc, AnyOf: []*jsonSchema{
			{Type: scalarTypes},
			{Type: "object", AdditionalProperties: &jsonSchema{Type: scalarTypes}},
		}}
	}
	param := object("parameter ", "A parameter: a value fixed by a legal instrument, named in expressions by its "+
		"key. Give either one value (value and source) or dated values (values). Every model of the rule set can "+
		"read it.",
		req("type", kind("The parameter's type.")),
		opt("unit", str("The unit, for readers, e.g. đ/người/tháng.")),
		opt("by", name("The text input whose value selects the parameter's value, e.g. zone. With by, every value "+
			"is a mapping with a value for each of keys.")),
		opt("keys", strList("The values of the input named by `by` that every value must cover, e.g. [rural, urban].")),
		opt("description", text("What the parameter is, for readers and reports.")),
		opt("status", status("the value")),
		opt("value", paramValue("The one value, for every day of the phase: a number or a text, or with `by` a "+
			"mapping such as {rural: 700000, urban: 900000}. Amounts are written without separators (1500000, "+
			"or 1_500_000).")),
		opt("source", str("The legal instrument that fixes the one value, or `interpretation`. Dated values each "+
			"give their own source instead.")),
		opt("values", list("Dated values in order of their dates. Each holds from its date until the next one "+
			"starts (or until its own to); together they must cover every day of the phase.",
			object("a dated value of ", "A value of the parameter from a date.",
				req("from", date("The first day the value holds, YYYY-MM-DD.")),
				opt("to", date("The last day the value holds, YYYY-MM-DD; without it, until the next value starts "+
					"or the phase ends.")),
				req("value", paramValue("The value: a number or a text, or with `by` a mapping with a value for "+
					"each key.")),
				req("source", str("The legal instrument that fixes this value, e.g. NĐ 07/2021/NĐ-CP Điều 3, or "+
					"`interpretation`.")),
				opt("note", str("A note for readers."))))))
	param.Dependencies = map[string][]string{"by": {"keys"}, "keys": {"by"}, "value": {"source"}}
	param.OneOf = []*jsonSchema{{Required: []string{"value"}}, {Required: []string{"values"}}}
	// With by, every value is a mapping of keys; without, a single value.
	valuesOf := func(t any) *jsonSchema {
		v := props{{name: "value", schema: &jsonSchema{Type: t}}}
		return &jsonSchema{Properties: append(v, prop{name: "values", schema: &jsonSchema{Items: &jsonSchema{Properties: v}}})}
	}
	param.AllOf = []*jsonSchema{
		{If: &jsonSchema{Required: []string{"values"}}, Then: &jsonSchema{Not: &jsonSchema{Required: []string{"source"}}}},
		{If: &jsonSchema{Required: []string{"by"}}, Then: valuesOf("object"), Else: valuesOf(scalarTypes)},
	}

	rule := object("a rule", "A rule: a condition the subject must meet. The model's evaluation passes when all "+
		"its rules pass; a decision lists each rule with its outcome and the values it read.",
		req("id", name("The rule's id, unique in the rule set; decisions and test cases (failed_rules) name it.")),
		req("when", expression("The condition: an expression giving true or false over the model's inputs, the "+
			"parameters and the model's formulas.")),
		req("cites", str("The provision the rule encodes, e.g. Điều 2 Nghị quyết 179/2019/NQ-HĐND.")),
		opt("status", status("the rule")),
		opt("message", text("What the condition requires, in plain words, for the explanation of a decision.")),
		opt("description", text("More about the rule, for readers.")))

	formula := object("formula ", "A formula: a derived value such as an allowance or a top-up, named in "+
		"expressions by its key. Formulas are computed in the order of their dependencies.",
		req("type", kind("The type of the value; the expression must give it.")),
		req("expr", expression("The expression that computes the value, of the declared type: money and "+
			"decimal a decimal, int a whole number, bool true or false, text a text.")),
		opt("unit", str("The unit, for readers, e.g. đ/tháng.")),
		opt("cites", str("The provision the formula encodes.")),
		opt("status", status("the formula")),
		opt("description", text("What the value is, for readers and reports.")))

	testCase := object("a case", "A test case: inputs, a date and the expected outcome. `hotro test` and go "+
		"test run them.",
		req("name", str("What the case shows; reports name the case by it.")),
		opt("model", name("The model the case tests; by default the model of the file.")),
		req("date", date("The day the case is decided on, YYYY-MM-DD; inside the phase unless the case "+
			"expects an error.")),
		opt("input", mapOf("The inputs, each as a single value: the model's inputs, or the fields of the record "+
			"the program reads (for the person model, the columns of a person record).",
			nil, scalar("An input value, as it would be written in a record."))),
		req("expect", object("the case's expect", "What the case expects; a key left out is not checked.",
			opt("eligible", boolean("Whether every rule passes.")),
			opt("failed_rules", strList("Exactly the ids of the rules that fail; [] when none may.")),
			opt("outputs", mapOf("Expected values of formulas, by name, written as in rule files; decimals "+
				"compare by value (1.0 equals 1.00).", nil, scalar("The expected value."))),
			opt("error", str("The evaluation must fail with an error containing this text."))),
		),
		opt("note", str("A note for readers.")))

	field := object("field ", "A field of the record: a column of a CSV file or a workbook, a key of a JSON "+
		"record, named in expressions by its key.",
		req("type", enum("The field's type. bool: true/false (also 1/0, có/không); int; decimal: 1.5 or 1,5; "+
			"money: whole đồng, never negative (650000 or 1.500.000); text; enum: one of values; date: "+
			"YYYY-MM-DD or dd/mm/yyyy; month: YYYY-MM; commune_code: a 5-digit GSO code, old or new.", "",
			"bool", "int", "decimal", "money", "text", "enum", "date", "month", "commune_code")),
		opt("column", str("The column or JSON key; the field's name when left out.")),
		opt("aliases", strList("Other headers accepted for the column, matched ignoring case, e.g. the Vietnamese "+
			"header of an office's list.")),
		opt("values", &jsonSchema{Description: "An enum's values: a list, or a mapping of each value to the other " +
			"spellings accepted for it (matched ignoring case), e.g. {rural: [Nông thôn]}."}),
		opt("required", boolean("Whether every record must give the field.")),
		opt("default", scalar("The value of an optional field that a record leaves out.")),
		opt("min", scalar("The least value of a number field.")),
		opt("hint", str("Added to the message for a value an enum does not take.")),
		opt("description", text("What the field is, in Vietnamese and English, for forms, schemas and reports.")))
	field.If = &jsonSchema{Properties: props{{name: "type", schema: &jsonSchema{Enum: []any{"enum"}}}}, Required: []string{"type"}}
	field.Then = &jsonSchema{Required: []string{"values"}}
	check := object("a check", "A check across the records of one group: the records that pass rule `among` "+
		"and fail rule `flag` are reported, with the message.",
		req("id", str("The check's id.")),
		req("among", name("The rule whose passing records are checked.")),
		req("flag", name("The rule such a record should pass.")),
		req("message", text("The warning; {group} and {ids} are replaced.")))
	record := object("record", "The record the model reads: its fields, the field that identifies a record, "+
		"and checks across records.",
		req("fields", mapOf("The fields, by name, in the order of the columns.", nameKey, field)),
		req("key", name("The field that identifies a record, unique within a file.")),
		opt("group", name("The field that groups records (a household), for checks.")),
		opt("checks", list("Checks across the records of one group.", check)))
	record.Dependencies = map[string][]string{"checks": {"group"}}
	derived := object("derived value ", "A value computed from the record before the rules run, named in "+
		"expressions by its key; `date` is the evaluation date.",
		req("type", enum("The value's type.", "", "bool", "int", "decimal", "money", "text", "date", "commune")),
		req("expr", expression("The expression over the record's fields, date and parameters, e.g. "+
			"age_on(birth_date, date) or commune_on(commune_code, date).")),
		opt("values", strList("The values a text value can take.")),
		opt("unit", str("The unit, for readers.")),
		opt("cites", str("The provision the value encodes.")),
		opt("status", status("the value")),
		opt("description", text("What the value is, for readers and reports.")))

	file := object("a rule file", "A rule file of a rule set: a model's inputs, parameters, rules, formulas and "+
		"test cases. A model may be spread over several files; parameters belong to the whole rule set.",
		opt("model", name("The model (the kind of subject: person, unit …) the inputs, rules, formulas and "+
			"cases of this file belong to. Required with inputs, rules or formulas.")),
		opt("description", text("What the file holds, for readers; the engine does not use it.")),
		opt("record", record),
		opt("derived", mapOf("Values derived from the record, by name.", nameKey, derived)),
		opt("inputs", mapOf("The model's inputs, by name.", nameKey, input)),
		opt("parameters", mapOf("Parameters, by name: values fixed by legal instruments, usually dated.",
			nameKey, param)),
		opt("rules", list("The conditions a subject must all meet.", rule)),
		opt("formulas", mapOf("Formulas, by name: values derived from the inputs, the parameters and other "+
			"formulas.", nameKey, formula)),
		opt("cases", list("Test cases, run by `hotro test` and by go test.", testCase)))
	file.Dependencies = map[string][]string{"record": {"model"}, "derived": {"model", "record"}, "inputs": {"model"}, "rules": {"model"}, "formulas": {"model"}}
	file.If = &jsonSchema{Not: &jsonSchema{Required: []string{"model"}}}
	file.Then = &jsonSchema{Properties: props{{name: "cases", schema: &jsonSchema{Items: &jsonSchema{Required: []string{"model"}}}}}}
	return file
}
