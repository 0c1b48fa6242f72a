package rules

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"maps"
	"math"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/hotro-vn/hotro/rulesets"
	"gopkg.in/yaml.v3"
)

// The schemas are checked three ways: every shipped rule file validates;
// each object of the schemas has the keys, required keys, enums and value
// forms of the loader's reads, taken from the loader's source; and
// mutating the shipped files (a key added, a key removed) is refused by the
// schema only where Load refuses it too, and always where Load reports an
// unknown or a missing key. A small validator for the part of JSON Schema
// the schemas use stands in for an editor's.

// schemaFor returns the schema an editor would apply to a file, by name.
func schemaFor(name string) *jsonSchema {
	if path.Base(name) == MetaFile {
		return metaSchema()
	}
	return fileSchema()
}

// validation is the outcome of validating one YAML document.
type validation struct {
	file string
	errs []string
	// objects are the mapping nodes that an object schema mirroring a
	// loader read accepted.
	objects map[*yaml.Node]*jsonSchema
}

func validateYAML(file string, data []byte, s *jsonSchema) *validation {
	v := &validation{file: file, objects: map[*yaml.Node]*jsonSchema{}}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		v.errs = []string{fmt.Sprintf("%s: not YAML: %v", file, err)}
		return v
	}
	if len(doc.Content) == 0 {
		return v // editors do not check an empty document
	}
	v.errs = v.check(doc.Content[0], s, "", v.objects)
	return v
}

// jsonType is the JSON type an editor sees for a node. YAML timestamps are
// strings to it, as to the loader.
func jsonType(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "object"
	case yaml.SequenceNode:
		return "array"
	case yaml.AliasNode:
		return jsonType(n.Alias)
	}
	switch n.ShortTag() {
	case "!!null":
		return "null"
	case "!!bool":
		return "boolean"
	case "!!int":
		return "integer"
	case "!!float":
		return "number"
	}
	return "string"
}

func hasType(n *yaml.Node, want string) bool {
	got := jsonType(n)
	switch {
	case got == want:
		return true
	case want == "number":
		return got == "integer"
	case want == "integer" && got == "number":
		var f float64
		return n.Decode(&f) == nil && f == math.Trunc(f)
	}
	return false
}

func typeNames(t any) []string {
	switch x := t.(type) {
	case string:
		return []string{x}
	case []string:
		return x
	}
	return nil
}

// check validates n against s and returns the problems, each with the
// node's line and path. Objects accepted by a schema with a loader label
// are added to found.
func (v *validation) check(n *yaml.Node, s *jsonSchema, at string, found map[*yaml.Node]*jsonSchema) []string {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	var errs []string
	fail := func(format string, args ...any) {
		errs = append(errs, fmt.Sprintf("%s:%d: %s: %s", v.file, n.Line, strings.TrimPrefix(at, "."), fmt.Sprintf(format, args...)))
	}
	if ts := typeNames(s.Type); ts != nil && !slices.ContainsFunc(ts, func(t string) bool { return hasType(n, t) }) {
		fail("want %s, not %s", strings.Join(ts, " or "), jsonType(n))
		return errs
	}
	if s.Enum != nil && !slices.ContainsFunc(s.Enum, func(e any) bool { return jsonType(n) == "string" && e == n.Value }) {
		fail("%q is not one of %v", n.Value, s.Enum)
	}
	if s.Pattern != "" && jsonType(n) == "string" && !regexp.MustCompile(s.Pattern).MatchString(n.Value) {
		fail("%q does not match %s", n.Value, s.Pattern)
	}
	if n.Kind == yaml.MappingNode {
		keys := map[string]*yaml.Node{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			keys[n.Content[i].Value] = n.Content[i+1]
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i].Value, n.Content[i+1]
			if s.PropertyNames != nil {
				errs = append(errs, v.check(n.Content[i], s.PropertyNames, at+"."+k+" (key)", found)...)
			}
			if j := slices.IndexFunc(s.Properties, func(p prop) bool { return p.name == k }); j >= 0 {
				errs = append(errs, v.check(val, s.Properties[j].schema, at+"."+k, found)...)
				continue
			}
			switch ap := s.AdditionalProperties.(type) {
			case bool:
				if !ap {
					fail("key %q is not allowed", k)
				}
			case *jsonSchema:
				errs = append(errs, v.check(val, ap, at+"."+k, found)...)
			}
		}
		for _, r := range s.Required {
			if keys[r] == nil {
				fail("key %q is missing", r)
			}
		}
		for _, k := range slices.Sorted(maps.Keys(s.Dependencies)) {
			if keys[k] == nil {
				continue
			}
			for _, d := range s.Dependencies[k] {
				if keys[d] == nil {
					fail("key %q is missing, which %q needs", d, k)
				}
			}
		}
	}
	if n.Kind == yaml.SequenceNode && s.Items != nil {
		for i, item := range n.Content {
			errs = append(errs, v.check(item, s.Items, fmt.Sprintf("%s[%d]", at, i), found)...)
		}
	}
	// branch validates a sub-schema, keeping its finds only if it passes.
	branch := func(b *jsonSchema) []string {
		mine := map[*yaml.Node]*jsonSchema{}
		e := v.check(n, b, at, mine)
		if len(e) == 0 {
			for k, x := range mine {
				found[k] = x
			}
		}
		return e
	}
	for _, b := range s.AllOf {
		errs = append(errs, branch(b)...)
	}
	if s.AnyOf != nil {
		var all []string
		ok := false
		for _, b := range s.AnyOf {
			e := branch(b)
			ok = ok || len(e) == 0
			all = append(all, e...)
		}
		if !ok {
			fail("matches none of its forms: %s", strings.Join(all, "; "))
		}
	}
	if s.OneOf != nil {
		passed := 0
		for _, b := range s.OneOf {
			if len(branch(b)) == 0 {
				passed++
			}
		}
		if passed != 1 {
			fail("matches %d of its %d exclusive forms, not exactly one", passed, len(s.OneOf))
		}
	}
	if s.Not != nil && len(v.check(n, s.Not, at, map[*yaml.Node]*jsonSchema{})) == 0 {
		fail("matches a form that is not allowed")
	}
	if s.If != nil {
		if len(v.check(n, s.If, at, map[*yaml.Node]*jsonSchema{})) == 0 {
			if s.Then != nil {
				errs = append(errs, branch(s.Then)...)
			}
		} else if s.Else != nil {
			errs = append(errs, branch(s.Else)...)
		}
	}
	if len(errs) == 0 && s.loader != "" && n.Kind == yaml.MappingNode {
		found[n] = s
	}
	return errs
}

// shipped returns every rule set directory the tests know: the embedded
// ones and those of testdata that load.
func shipped(t *testing.T) map[string]fstest.MapFS {
	t.Helper()
	sets := map[string]fstest.MapFS{}
	add := func(fsys fs.FS, root, prefix string) {
		err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".yaml") {
				return err
			}
			data, err := fs.ReadFile(fsys, p)
			if err != nil {
				return err
			}
			dir := prefix + path.Dir(p)
			if sets[dir] == nil {
				sets[dir] = fstest.MapFS{}
			}
			sets[dir][path.Base(p)] = &fstest.MapFile{Data: data}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	add(rulesets.FS, ".", "rulesets/")
	add(os.DirFS("testdata/childbenefit"), ".", "testdata/childbenefit/")
	if len(sets) < 3 {
		t.Fatalf("found only %d rule sets", len(sets))
	}
	return sets
}

// TestSchemaShippedFiles validates every shipped rule file against the
// schema for its name and against the combined schema.
func TestSchemaShippedFiles(t *testing.T) {
	for dir, set := range shipped(t) {
		for _, name := range slices.Sorted(maps.Keys(set)) {
			file := dir + "/" + name
			for _, s := range []*jsonSchema{schemaFor(name), combinedSchema()} {
				if v := validateYAML(file, set[name].Data, s); len(v.errs) > 0 {
					t.Errorf("%s", strings.Join(v.errs, "\n"))
				}
			}
		}
	}
}

// TestSchemaRejects shows what an editor underlines: a misspelt key at
// any depth, a missing required key, a value of the wrong form. Load
// refuses each with the code given.
func TestSchemaRejects(t *testing.T) {
	base := func() map[string]string {
		out := map[string]string{}
		for _, n := range []string{"ruleset.yaml", "benefit.yaml"} {
			data, err := os.ReadFile(filepath.Join("testdata", "childbenefit", n))
			if err != nil {
				t.Fatal(err)
			}
			out[n] = string(data)
		}
		return out
	}
	tests := []struct {
		name, file, old, new string
		code                 Code
		want                 string // in the schema's complaint
	}{
		{"misspelt top key", "benefit.yaml", "formulas:", "formulae:", CodeUnknownKey, `key "formulae" is not allowed`},
		{"misspelt rule key", "benefit.yaml", "    cites: Art. 1\n", "    cites: Art. 1\n    mesage: x\n", CodeUnknownKey, `rules[0]: key "mesage" is not allowed`},
		{"misspelt parameter key", "benefit.yaml", "max_age: {type: int, value: 6, source:", "max_age: {type: int, value: 6, sorce:", CodeUnknownKey, `parameters.max_age: key "sorce" is not allowed`},
		{"misspelt case key", "benefit.yaml", "    expect: {eligible: true,", "    expect: {eligble: true,", CodeUnknownKey, `expect: key "eligble" is not allowed`},
		{"misspelt message language", "benefit.yaml", "en: Under 6}", "eng: Under 6}", CodeUnknownKey, `key "eng" is not allowed`},
		{"misspelt metadata key", "ruleset.yaml", "title:", "titel:", CodeUnknownKey, `key "titel" is not allowed`},
		{"missing rule condition", "benefit.yaml", "    when: age < max_age\n", "", CodeMissingKey, `rules[0]: key "when" is missing`},
		{"missing input type", "benefit.yaml", "  siblings: {type: int}", "  siblings: {unit: children}", CodeMissingKey, `inputs.siblings: key "type" is missing`},
		{"missing phase end", "ruleset.yaml", ", to: 2026-12-31}", "}", CodeMissingKey, `in_force: key "to" is missing`},
		{"value without source", "benefit.yaml", "max_age: {type: int, value: 6, source: Decree 1/2024}", "max_age: {type: int, value: 6}", CodeMissingKey, `key "source" is missing, which "value" needs`},
		{"by without keys", "benefit.yaml", "    keys: [north, south]\n", "", CodeMissingKey, `key "keys" is missing, which "by" needs`},
		{"parameter without value", "benefit.yaml", "max_age: {type: int, value: 6, source: Decree 1/2024}", "max_age: {type: int}", CodeMissingKey, "exactly one"},
		{"unknown type", "benefit.yaml", "  age: {type: int}", "  age: {type: integer}", CodeBadValue, `"integer" is not one of`},
		{"bad status", "benefit.yaml", "    cites: Art. 2\n", "    cites: Art. 2\n    status: interpreted\n", CodeBadValue, `"interpreted" is not one of`},
		{"bad date", "ruleset.yaml", "from: 2024-01-01", "from: 1/1/2024", CodeBadValue, "does not match"},
		{"bad name", "benefit.yaml", "  age: {type: int}", "  Age: {type: int}", CodeBadValue, `"Age" does not match`},
		{"sources not a list", "ruleset.yaml", "sources:\n  - {id: decree", "sources: {id: decree", CodeBadValue, "sources: want array"},
		{"values of a number input", "benefit.yaml", "  age: {type: int}", "  age: {type: int, values: [1, 2]}", CodeBadValue, `inputs.age.type: "int" is not one of [text]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := base()
			if !strings.Contains(files[tt.file], tt.old) {
				t.Fatalf("%s has no %q", tt.file, tt.old)
			}
			files[tt.file] = strings.Replace(files[tt.file], tt.old, tt.new, 1)
			v := validateYAML(tt.file, []byte(files[tt.file]), schemaFor(tt.file))
			if !slices.ContainsFunc(v.errs, func(e string) bool { return strings.Contains(e, tt.want) }) {
				t.Errorf("the schema should say %q, it says:\n%s", tt.want, strings.Join(v.errs, "\n"))
			}
			if c := validateYAML(tt.file, []byte(files[tt.file]), combinedSchema()); len(c.errs) == 0 {
				t.Errorf("the combined schema accepts it")
			}
			fsys := fstest.MapFS{}
			for n, d := range files {
				fsys["set/"+n] = &fstest.MapFile{Data: []byte(d)}
			}
			_, err := Load(fsys, "set")
			if list, ok := err.(Errors); !ok || !list.Has(tt.code) {
				t.Errorf("Load should report %s, it says: %v", tt.code, err)
			}
		})
	}
}

// TestSchemaAgreesWithLoader mutates the shipped files: in each kind of
// object the loader reads, a key is added, and each key is removed in
// turn. The schema may let through what only Load can see (a name that no
// longer exists), but it must not refuse what Load accepts, and it must
// refuse what Load reports as an unknown or a missing key.
func TestSchemaAgreesWithLoader(t *testing.T) {
	mutations := 0
	sets := shipped(t)
	for _, dir := range slices.Sorted(maps.Keys(sets)) {
		set := sets[dir]
		if _, err := Load(set, "."); err != nil {
			t.Fatalf("%s does not load: %v", dir, err)
		}
		tried := map[string]bool{} // label + key: one mutation of each in each set
		for _, name := range slices.Sorted(maps.Keys(set)) {
			var doc yaml.Node
			if err := yaml.Unmarshal(set[name].Data, &doc); err != nil {
				t.Fatal(err)
			}
			v := &validation{file: name}
			objects := map[*yaml.Node]*jsonSchema{}
			if errs := v.check(doc.Content[0], schemaFor(name), "", objects); len(errs) > 0 {
				t.Fatalf("%v", errs)
			}
			// try loads the set with this file as doc now is.
			try := func(what string) {
				t.Helper()
				mutations++
				data, err := yaml.Marshal(&doc)
				if err != nil {
					t.Fatal(err)
				}
				mutated := fstest.MapFS{}
				for n, f := range set {
					mutated[n] = f
				}
				mutated[name] = &fstest.MapFile{Data: data}
				_, loadErr := Load(mutated, ".")
				schemaErrs := validateYAML(name, data, schemaFor(name)).errs
				list, _ := loadErr.(Errors)
				switch {
				case len(schemaErrs) > 0 && loadErr == nil:
					t.Errorf("%s/%s, %s: Load accepts it, the schema says:\n%s", dir, name, what, strings.Join(schemaErrs, "\n"))
				case len(schemaErrs) == 0 && (list.Has(CodeUnknownKey) || list.Has(CodeMissingKey)):
					t.Errorf("%s/%s, %s: the schema accepts it, Load says:\n%v", dir, name, what, loadErr)
				}
			}
			try("as it is")
			walk(doc.Content[0], func(n *yaml.Node) {
				s := objects[n]
				if s == nil || s.loader == "" {
					return
				}
				if !tried[s.loader+"+"] {
					tried[s.loader+"+"] = true
					n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: "zz_unknown"}, &yaml.Node{Kind: yaml.ScalarNode, Value: "1"})
					try(fmt.Sprintf("line %d: key zz_unknown added to %s", n.Line, s.loader))
					n.Content = n.Content[:len(n.Content)-2]
				}
				for i := 0; i+1 < len(n.Content); i += 2 {
					k := n.Content[i].Value
					if tried[s.loader+"-"+k] {
						continue
					}
					tried[s.loader+"-"+k] = true
					saved := slices.Clone(n.Content)
					n.Content = slices.Delete(n.Content, i, i+2)
					try(fmt.Sprintf("line %d: key %s removed from %s", n.Line, k, s.loader))
					n.Content = saved
				}
			})
		}
	}
	t.Logf("%d mutations", mutations)
}

func walk(n *yaml.Node, f func(*yaml.Node)) {
	f(n)
	for _, c := range n.Content {
		walk(c, f)
	}
}

// loaderRead is one read of a mapping in the loader's source.
type loaderRead struct {
	pos      string
	label    string   // the literal part of what the loader calls the mapping
	keys     []string // allowed keys, required ones ending in "!"
	dynamic  bool     // keys not literal (the keys of a keyed value)
	function string
	variable string // what the result is assigned to, if anything
}

// loaderSource reads the loader's calls of reader.mapping, and the reads
// of single keys (oneOf, date, boolean, text, strList) with the variable
// that holds the mapping they read from.
func loaderSource(t *testing.T) (maps []loaderRead, reads []keyRead) {
	t.Helper()
	fset := token.NewFileSet()
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	lit := func(e ast.Expr) (string, bool) {
		if b, ok := e.(*ast.BasicLit); ok && b.Kind == token.STRING {
			s, err := strconv.Unquote(b.Value)
			return s, err == nil
		}
		return "", false
	}
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			assigned := map[*ast.CallExpr]string{}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				if a, ok := n.(*ast.AssignStmt); ok && len(a.Lhs) == 1 && len(a.Rhs) == 1 {
					if c, ok := a.Rhs[0].(*ast.CallExpr); ok {
						assigned[c] = exprName(a.Lhs[0])
					}
				}
				return true
			})
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				c, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				sel, ok := c.Fun.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				pos := fset.Position(c.Pos()).String()
				switch m := sel.Sel.Name; m {
				case "mapping":
					if len(c.Args) < 2 {
						return true
					}
					r := loaderRead{pos: pos, function: fn.Name.Name, variable: assigned[c]}
					switch w := c.Args[1].(type) {
					case *ast.BasicLit:
						r.label, _ = lit(w)
					case *ast.BinaryExpr:
						r.label, _ = lit(w.X)
					case *ast.Ident:
						r.label = "(" + w.Name + ")"
					}
					for _, a := range c.Args[2:] {
						s, ok := lit(a)
						if !ok {
							r.dynamic = true
							break
						}
						r.keys = append(r.keys, s)
					}
					maps = append(maps, r)
				case "oneOf", "date", "boolean", "text", "strList":
					if len(c.Args) < 2 {
						return true
					}
					key, ok := lit(c.Args[1])
					if !ok {
						return true
					}
					r := keyRead{pos: pos, method: m, key: key, function: fn.Name.Name, variable: exprName(c.Args[0])}
					if m == "oneOf" {
						r.def, _ = lit(c.Args[2])
						for _, a := range c.Args[3:] {
							if id, ok := a.(*ast.Ident); ok && id.Name == "kinds" && c.Ellipsis.IsValid() {
								r.options = append(r.options, kinds...)
							} else if s, ok := lit(a); ok {
								r.options = append(r.options, s)
							} else {
								t.Errorf("%s: cannot read the options of oneOf", pos)
							}
						}
					}
					reads = append(reads, r)
				}
				return true
			})
		}
	}
	return maps, reads
}

// keyRead is a read of one key of a mapping.
type keyRead struct {
	pos, method, key, function, variable string
	def                                  string
	options                              []string
}

// exprName names an expression holding a mapping: a variable, or x.y.
func exprName(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.Ident:
		return x.Name
	case *ast.SelectorExpr:
		return exprName(x.X) + "." + x.Sel.Name
	}
	return ""
}

// labelled returns the objects of a schema that mirror a loader read.
func labelled(s *jsonSchema, out *[]*jsonSchema) {
	if s == nil {
		return
	}
	if s.loader != "" {
		*out = append(*out, s)
	}
	for _, p := range s.Properties {
		labelled(p.schema, out)
	}
	if ap, ok := s.AdditionalProperties.(*jsonSchema); ok {
		labelled(ap, out)
	}
	for _, sub := range [][]*jsonSchema{s.AnyOf, s.OneOf, s.AllOf, {s.Items, s.Not, s.If, s.Then, s.Else, s.PropertyNames}} {
		for _, x := range sub {
			labelled(x, out)
		}
	}
}

// TestSchemaMatchesLoader compares each object of the schemas with the
// loader's read of that mapping: the same keys, the same required keys;
// and each key the loader reads as an enum, a date, a boolean, a text or a
// list with a property of that form.
func TestSchemaMatchesLoader(t *testing.T) {
	maps, reads := loaderSource(t)
	if len(maps) < 10 || len(reads) < 10 {
		t.Fatalf("found %d mapping reads and %d key reads in the loader: has it changed shape?", len(maps), len(reads))
	}
	var objects []*jsonSchema
	labelled(metaSchema(), &objects)
	labelled(fileSchema(), &objects)
	byLabel := map[string][]*jsonSchema{}
	for _, o := range objects {
		byLabel[o.loader] = append(byLabel[o.loader], o)
	}
	schemaKeys := func(o *jsonSchema) []string {
		var ks []string
		for _, p := range o.Properties {
			k := p.name
			if p.required {
				k += "!"
			}
			ks = append(ks, k)
		}
		sort.Strings(ks)
		return ks
	}
	// The variable each mapping is held in, by function, to find which
	// object a key read is from.
	heldIn := map[string]string{}
	for _, m := range maps {
		if m.dynamic {
			continue
		}
		if m.variable != "" {
			heldIn[m.function+" "+m.variable] = m.label
		}
		keys := slices.Sorted(slices.Values(m.keys))
		os := byLabel[m.label]
		if len(os) == 0 {
			t.Errorf("%s: the loader reads %q with keys %v; the schema has no such object (add one with loader label %q)", m.pos, m.label, keys, m.label)
		}
		for _, o := range os {
			if got := schemaKeys(o); !slices.Equal(got, keys) {
				t.Errorf("%s: the loader reads %q with keys %v, the schema gives %v", m.pos, m.label, keys, got)
			}
		}
		delete(byLabel, m.label)
	}
	for label := range byLabel {
		t.Errorf("the schema has an object for %q, which the loader does not read", label)
	}
	// The metadata and the rule file are read from f.top, as top.
	heldIn["readMeta top"] = "the rule set's metadata"
	heldIn["readFile top"] = "a rule file"
	heldIn["model top"] = "a rule file"
	forms := map[string]func(*jsonSchema) bool{
		"date": func(s *jsonSchema) bool {
			return s.Pattern != "" && strings.Contains(s.PatternErrorMessage, "YYYY-MM-DD")
		},
		"boolean": func(s *jsonSchema) bool { return s.Type == "boolean" },
		"text": func(s *jsonSchema) bool {
			return slices.ContainsFunc(s.AnyOf, func(b *jsonSchema) bool { return b.loader == "(key)" })
		},
		"strList": func(s *jsonSchema) bool {
			return len(s.AnyOf) == 2 && s.AnyOf[1].Type == "array" && s.AnyOf[1].Items != nil
		},
	}
	for _, r := range reads {
		label, known := heldIn[r.function+" "+r.variable]
		var candidates []*jsonSchema
		for _, o := range objects {
			if !known || o.loader == label {
				candidates = append(candidates, o)
			}
		}
		ok := slices.ContainsFunc(candidates, func(o *jsonSchema) bool {
			i := slices.IndexFunc(o.Properties, func(p prop) bool { return p.name == r.key })
			if i < 0 {
				return false
			}
			s := o.Properties[i].schema
			if r.method == "oneOf" {
				var enum []string
				for _, e := range s.Enum {
					enum = append(enum, e.(string))
				}
				def, _ := s.Default.(string)
				return slices.Equal(slices.Sorted(slices.Values(enum)), slices.Sorted(slices.Values(r.options))) && def == r.def
			}
			return forms[r.method](s)
		})
		if !ok {
			where := "any object"
			if known {
				where = fmt.Sprintf("%q", label)
			}
			t.Errorf("%s: the loader reads %s with %s (%v); the schema's %s has no such property", r.pos, r.key, r.method, r.options, where)
		}
	}
}

// TestSchemaJSON checks the documents editors read: JSON of draft-07, only
// the keywords the validator above implements (so that no rule of the
// schema goes untested), and a description on every key.
func TestSchemaJSON(t *testing.T) {
	allowed := map[string]bool{}
	for _, k := range []string{"$schema", "title", "description", "type", "enum", "default", "pattern", "patternErrorMessage",
		"properties", "required", "propertyNames", "additionalProperties", "dependencies", "items",
		"anyOf", "oneOf", "allOf", "not", "if", "then", "else"} {
		allowed[k] = true
	}
	for name, data := range map[string][]byte{"Schema": Schema(), "MetaSchema": MetaSchema(), "FileSchema": FileSchema()} {
		var doc map[string]any
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if doc["$schema"] != draft07 {
			t.Errorf("%s: $schema is %v", name, doc["$schema"])
		}
		var visit func(s map[string]any, at string)
		visit = func(s map[string]any, at string) {
			for k, v := range s {
				if !allowed[k] {
					t.Errorf("%s: %s uses %q, which the test validator does not implement", name, at, k)
				}
				switch k {
				case "properties":
					for p, ps := range v.(map[string]any) {
						ps := ps.(map[string]any)
						if s["type"] == "object" && ps["description"] == nil {
							t.Errorf("%s: %s.%s has no description", name, at, p)
						}
						visit(ps, at+"."+p)
					}
				case "anyOf", "oneOf", "allOf":
					for i, x := range v.([]any) {
						visit(x.(map[string]any), fmt.Sprintf("%s.%s[%d]", at, k, i))
					}
				case "items", "not", "if", "then", "else", "propertyNames", "additionalProperties":
					if x, ok := v.(map[string]any); ok {
						visit(x, at+"."+k)
					}
				}
			}
		}
		visit(doc, "")
	}
}
