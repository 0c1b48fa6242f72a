package main

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/hotro-vn/hotro/records"
	"github.com/hotro-vn/hotro/rulesets"

	"github.com/hotro-vn/hotro/rules"
)

func init() {
	commands["schema"] = command{"print the JSON Schema of rule files, for editors (see docs/schema.md)", cmdSchema}
}

// cmdSchema prints a JSON Schema: by default one for every file of a rule
// set, which suits an editor setting mapping a whole directory to it; with
// --ruleset the one of ruleset.yaml, with --rules the one of the other
// files, which suit a mapping by file name or a schema named in the file.
func cmdSchema(args []string, stdout, stderr io.Writer) int {
	fs := flags("schema", stderr)
	meta := fs.Bool("ruleset", false, "print the schema of ruleset.yaml only")
	file := fs.Bool("files", false, "print the schema of rule files (every file but ruleset.yaml) only")
	recs := fs.Bool("records", false, "print the JSON Schema of a file of records (a JSON array) that a model declares")
	model := fs.String("model", "person", "with --records: the model whose record to print")
	dir := fs.String("rules", "", "with --records: rule set directory (default: the embedded rules)")
	dateS := fs.String("date", "", "with --records: the rule set in force on this date YYYY-MM-DD (default: the first phase)")
	outPath := fs.String("out", "", "write to this file instead of standard output")
	pos, code := parse(fs, args)
	if code >= 0 {
		return code
	}
	if len(pos) > 0 || *meta && *file || *recs && (*meta || *file) {
		fmt.Fprintln(stderr, "usage: hotro schema [--ruleset | --files | --records [--model NAME] [--rules DIR] [--date YYYY-MM-DD]] [--out FILE]")
		return 2
	}
	schema := rules.Schema()
	switch {
	case *meta:
		schema = rules.MetaSchema()
	case *file:
		schema = rules.FileSchema()
	case *recs:
		var ok bool
		if schema, ok = recordSchema(*dir, *model, *dateS, stderr); !ok {
			return 1
		}
	}
	w, closeOut, err := output(*outPath, stdout)
	if err != nil {
		fmt.Fprintf(stderr, "hotro schema: %v\n", err)
		return 1
	}
	_, err = w.Write(schema)
	if cerr := closeOut(); err == nil {
		err = cerr
	}
	if err != nil {
		fmt.Fprintf(stderr, "hotro schema: %v\n", err)
		return 1
	}
	return 0
}

// recordSchema is the JSON Schema of a file of records of a model.
func recordSchema(dir, model, dateS string, stderr io.Writer) ([]byte, bool) {
	var lib *rules.Library
	var err error
	if dir == "" {
		lib, err = rules.LoadPolicy(rulesets.PolicyFS(rulesets.DefaultPolicy), ".", rulesets.DefaultPolicy)
	} else {
		lib, err = rules.LoadDirPolicy(dir, policy)
	}
	if err != nil {
		printRuleErrors(err, stderr)
		return nil, false
	}
	set := lib.Sets()[0]
	if dateS != "" {
		date, err := time.Parse(time.DateOnly, dateS)
		if err == nil {
			set, err = lib.For(date)
		}
		if err != nil {
			fmt.Fprintf(stderr, "hotro schema: %v\n", err)
			return nil, false
		}
	}
	m := set.Model(model)
	if m == nil || m.Record == nil {
		fmt.Fprintf(stderr, "hotro schema: rule set %s has no model %q with a declared record\n", set.Meta.ID, model)
		return nil, false
	}
	s, err := records.New(m.Record)
	if err != nil {
		fmt.Fprintf(stderr, "hotro schema: %v\n", err)
		return nil, false
	}
	b, err := json.MarshalIndent(s.ArraySchema(set.Meta.ID+": "+model+" records"), "", "  ")
	if err != nil {
		fmt.Fprintf(stderr, "hotro schema: %v\n", err)
		return nil, false
	}
	return append(b, '\n'), true
}
