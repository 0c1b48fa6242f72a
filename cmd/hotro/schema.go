package main

import (
	"fmt"
	"io"

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
	file := fs.Bool("rules", false, "print the schema of rule files (every file but ruleset.yaml) only")
	outPath := fs.String("out", "", "write to this file instead of standard output")
	pos, code := parse(fs, args)
	if code >= 0 {
		return code
	}
	if len(pos) > 0 || *meta && *file {
		fmt.Fprintln(stderr, "usage: hotro schema [--ruleset | --rules] [--out FILE]")
		return 2
	}
	schema := rules.Schema()
	switch {
	case *meta:
		schema = rules.MetaSchema()
	case *file:
		schema = rules.FileSchema()
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
