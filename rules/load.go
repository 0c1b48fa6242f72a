package rules

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/expr-lang/expr/conf"
	"github.com/hotro-vn/hotro/internal/yamlbin"
	"github.com/shopspring/decimal"
	"gopkg.in/yaml.v3"
)

// MetaFile is the file that makes a directory a rule set.
const MetaFile = "ruleset.yaml"

// LoadDir loads the rule sets in a directory of the file system: the
// directory itself when it holds ruleset.yaml, else each of its
// subdirectories that does. Error positions name files under path.
//
// A library holds the phases of one policy. A directory whose rule sets
// belong to several policies (their ruleset.yaml `policy:` differ) is an
// error unless one is named: use LoadDirPolicy.
func LoadDir(dir string) (*Library, error) {
	return load(os.DirFS(dir), ".", dir, "")
}

// Load is LoadDir for a directory inside fsys, such as an embed.FS.
func Load(fsys fs.FS, dir string) (*Library, error) {
	return load(fsys, dir, dir, "")
}

// LoadDirPolicy is LoadDir keeping only the rule sets of one policy (their
// ruleset.yaml says `policy: <policy>`); "" is LoadDir.
func LoadDirPolicy(dir, policy string) (*Library, error) {
	return load(os.DirFS(dir), ".", dir, policy)
}

// LoadPolicy is LoadDirPolicy for a directory inside fsys.
func LoadPolicy(fsys fs.FS, dir, policy string) (*Library, error) {
	return load(fsys, dir, dir, policy)
}

func load(fsys fs.FS, dir, display, policy string) (*Library, error) {
	c := &errs{}
	var setDirs []string
	if _, err := fs.Stat(fsys, path.Join(dir, MetaFile)); err == nil {
		setDirs = []string{dir}
	} else {
		entries, err := fs.ReadDir(fsys, dir)
		if err != nil {
			c.add(display, 0, 0, CodeRead, "cannot read the rule directory: %v", unwrapPathErr(err))
			return nil, c.err()
		}
		for _, e := range entries {
			if e.IsDir() {
				if _, err := fs.Stat(fsys, path.Join(dir, e.Name(), MetaFile)); err == nil {
					setDirs = append(setDirs, path.Join(dir, e.Name()))
				}
			}
		}
		if len(setDirs) == 0 {
			c.add(display, 0, 0, CodeRead, "no rule set here: a rule set is a directory holding %s", MetaFile)
			return nil, c.err()
		}
	}
	lib := &Library{}
	for _, d := range setDirs {
		shown := filepath.Join(display, strings.TrimPrefix(strings.TrimPrefix(d, dir), "/"))
		if s := loadSet(fsys, d, shown, c); s != nil {
			lib.sets = append(lib.sets, s)
		}
	}
	if err := c.err(); err != nil {
		return nil, err
	}
	if err := lib.onePolicy(policy, display); err != nil {
		return nil, err
	}
	if err := lib.sortAndCheck(); err != nil {
		return nil, err
	}
	return lib, nil
}

func unwrapPathErr(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err
	}
	return err
}

// rawFile is one parsed YAML file of a set.
type rawFile struct {
	name string // as shown in errors
	r    *reader
	top  map[string]field
}

func loadSet(fsys fs.FS, dir, display string, c *errs) *Set {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		c.add(display, 0, 0, CodeRead, "cannot read: %v", unwrapPathErr(err))
		return nil
	}
	before := len(c.list)
	h := sha256.New()
	var files []*rawFile
	var meta *rawFile
	hasMeta := false // MetaFile is there, even if it cannot be read
	nfiles, total := 0, 0
	broken := false // a file was skipped: what refers to it would be reported wrongly
	// The files are read and hashed in order, and each is parsed in a
	// goroutine of its own as soon as it is read; what follows takes them
	// in order, so that problems are reported as when they are parsed one
	// after the other.
	var read []*readFile
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !(strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml")) {
			continue
		}
		hasMeta = hasMeta || name == MetaFile
		f := &readFile{name: name, shown: filepath.Join(display, name)}
		read = append(read, f)
		if nfiles++; nfiles > MaxFiles {
			f.fail = func() {
				c.add(f.shown, 0, 0, CodeLimit, "a rule set may have at most %d YAML files; this one is not read", MaxFiles)
			}
			continue
		}
		data, code, err := readLimited(fsys, path.Join(dir, name), MaxFileSize)
		if err != nil {
			f.fail = func() { c.add(f.shown, 0, 0, code, "%v", err) }
			continue
		}
		if total += len(data); total > MaxSetSize {
			f.fail = func() {
				c.add(f.shown, 0, 0, CodeLimit, "the YAML files of a rule set may hold at most %d bytes together; with this file they hold more, and it is not read", MaxSetSize)
			}
			continue
		}
		fmt.Fprintf(h, "%s\x00%d\x00", name, len(data))
		h.Write(data)
		f.data, f.parsed = data, make(chan struct{})
		go f.parse()
	}
	for _, rf := range read {
		if rf.fail != nil {
			rf.fail()
			continue
		}
		<-rf.parsed
		if rf.panicked != nil {
			panic(rf.panicked)
		}
		name, shown, data, doc, err := rf.name, rf.shown, rf.data, rf.doc, rf.err
		r := &reader{file: shown, src: rf.src, errs: c}
		if err != nil {
			line, col, msg := yamlSyntax(err, data)
			c.add(shown, line, col, CodeSyntax, "%s", msg)
			broken = true
			continue
		}
		if doc.Line < 0 {
			c.add(shown, -doc.Line, 1, CodeLimit, "a second YAML document starts here: a rule file holds one document (remove the --- line and join the two, or move the second into a file of its own)")
			continue
		}
		if len(doc.Content) == 0 {
			if name == MetaFile {
				c.add(shown, 1, 1, CodeMissingKey, "the rule set's metadata is empty: give id, title, jurisdiction and in_force")
			}
			continue // an empty rule file
		}
		f := &rawFile{name: shown, r: r}
		if name == MetaFile {
			f.top = r.mapping(doc.Content[0], "the rule set's metadata",
				"id!", "policy", "title!", "jurisdiction!", "status", "in_force!", "description", "sources", "interpretations", "levels")
			meta = f
			continue
		}
		f.top = r.mapping(doc.Content[0], "a rule file", "model", "description", "record", "derived", "inputs", "parameters", "rules", "formulas", "cases")
		files = append(files, f)
	}
	if meta == nil {
		if !hasMeta { // else its problem is reported
			c.add(display, 0, 0, CodeRead, "no %s in this directory", MetaFile)
		}
		return nil
	}
	s := &Set{Dir: display, SourceHash: hex.EncodeToString(h.Sum(nil)), models: map[string]*Model{}}
	s.Meta = readMeta(meta)
	b := &builder{set: s, errs: c}
	for _, f := range files {
		b.readFile(f)
	}
	if !broken {
		b.checkModels()
	}
	b.checkParams()
	b.compile()
	if !broken {
		b.checkInterpretations(meta)
	}
	b.checkCases(before)
	if len(c.list) > before {
		return nil
	}
	s.Hash = s.decisionHash()
	return s
}

// readFile is a YAML file of a set as read: what keeps it from being read,
// or its bytes and, once parsed is closed, what parsing them gave.
type readFile struct {
	name, shown string
	fail        func() // reports why the file is not read
	data        []byte
	parsed      chan struct{}
	src         []string // the lines of data
	doc         *yaml.Node
	err         error
	panicked    any // what parsing panicked with, if it did
}

// parse parses the file and closes parsed.
func (f *readFile) parse() {
	defer close(f.parsed)
	defer func() {
		if x := recover(); x != nil {
			f.panicked = x
		}
	}()
	f.src = strings.Split(string(f.data), "\n")
	if doc, ok := yamlbin.Lookup(f.data); ok { // parsed when it was embedded
		f.doc = doc
		return
	}
	f.doc, f.err = oneDocument(f.data)
}

// readLimited reads a rule file: a regular file (a link to one is
// followed) of at most limit bytes.
func readLimited(fsys fs.FS, name string, limit int64) ([]byte, Code, error) {
	info, err := fs.Stat(fsys, name)
	if err != nil {
		return nil, CodeRead, fmt.Errorf("cannot read: %v", unwrapPathErr(err))
	}
	if !info.Mode().IsRegular() {
		return nil, CodeLimit, fmt.Errorf("not a regular file (%s): a rule file must be an ordinary file", fileKind(info.Mode()))
	}
	if info.Size() > limit {
		return nil, CodeLimit, fmt.Errorf("the file has %d bytes; a rule file may have at most %d", info.Size(), limit)
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, CodeRead, fmt.Errorf("cannot read: %v", unwrapPathErr(err))
	}
	defer f.Close()
	// The size can change between Stat and reading: read one byte more than allowed to know.
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, CodeRead, fmt.Errorf("cannot read: %v", unwrapPathErr(err))
	}
	if int64(len(data)) > limit {
		return nil, CodeLimit, fmt.Errorf("the file has more than %d bytes, the most a rule file may have", limit)
	}
	return data, "", nil
}

func fileKind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeDevice != 0, m&fs.ModeCharDevice != 0:
		return "a device"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	}
	return "not an ordinary file"
}

// oneDocument parses a file that must hold at most one YAML document. A
// second document is reported by a returned node whose Line is minus the
// line of its --- marker.
func oneDocument(data []byte) (*yaml.Node, error) {
	d := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := d.Decode(&doc); err != nil {
		if err == io.EOF {
			return &doc, nil // empty, or only comments
		}
		return nil, err
	}
	var next yaml.Node
	switch err := d.Decode(&next); {
	case err == io.EOF:
		return &doc, nil
	case err == nil:
		return &yaml.Node{Line: -next.Line}, nil
	}
	// The second document is not valid YAML either: place its marker.
	line := 1
	for i, l := range strings.Split(string(data), "\n") {
		if i > 0 && (l == "---" || strings.HasPrefix(l, "--- ") || strings.HasPrefix(l, "---\t") || strings.HasPrefix(l, "---\r")) && i+1 > doc.Line {
			line = i + 1
			break
		}
	}
	return &yaml.Node{Line: -line}, nil
}

// The patterns of yaml.v3's messages, compiled for the first file that
// does not parse rather than when a program starts.
var (
	yamlLine   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^yaml: line (\d+): `) })
	yamlAnchor = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`unknown anchor '(.*)' referenced`) })
)

// yamlErrorPos places a YAML error. yaml.v3 names the line in the message,
// except for a problem on the first line (its marks count from 0, and it
// leaves out line 0), for an unknown anchor, and for a character YAML does
// not allow (bad UTF-8, a control character), which it finds before
// counting lines: the alias or the character is looked for here.
func yamlErrorPos(err error, data []byte) (line, col int) {
	if m := yamlLine().FindStringSubmatch(err.Error()); m != nil {
		fmt.Sscan(m[1], &line)
		return line, 1
	}
	line, col = 1, 1
	at := -1 // the byte the problem is at, when the message lets it be found
	if m := yamlAnchor().FindStringSubmatch(err.Error()); m != nil {
		at = bytes.Index(data, []byte("*"+m[1]))
	}
	for i := 0; i < len(data); {
		if i == at {
			return line, col
		}
		c, size := utf8.DecodeRune(data[i:])
		switch {
		case c == utf8.RuneError && size <= 1, c < 0x20 && c != '\t' && c != '\n' && c != '\r',
			c >= 0x7f && c < 0xa0 && c != 0x85, c == 0xfffe || c == 0xffff:
			return line, col
		case c == '\r' && i+1 < len(data) && data[i+1] == '\n':
			col++ // the \n that follows ends the line
		case c == '\n' || c == '\r' || c == 0x85 || c == 0x2028 || c == 0x2029: // line ends, as YAML counts them
			line, col = line+1, 1
		default:
			col++
		}
		i += size
	}
	return 1, 1
}

func readMeta(f *rawFile) Metadata {
	r, top := f.r, f.top
	m := Metadata{ID: r.str(top, "id"), Policy: r.str(top, "policy"), Title: r.str(top, "title"), Description: r.str(top, "description")}
	if j, ok := top["jurisdiction"]; ok {
		jm := r.mapping(j.value, "jurisdiction", "code!", "name!")
		m.Jurisdiction = Jurisdiction{Code: r.str(jm, "code"), Name: r.str(jm, "name")}
	}
	m.Status = r.oneOf(top, "status", "enacted", "enacted", "draft")
	if p, ok := top["in_force"]; ok {
		pm := r.mapping(p.value, "in_force", "from!", "to!")
		m.From, m.To = r.date(pm, "from"), r.date(pm, "to")
		if !m.From.IsZero() && !m.To.IsZero() && m.To.Before(m.From) {
			r.errorf(pm["to"].value, CodeBadValue, "the phase ends (%s) before it starts (%s)", fmtDate(m.To), fmtDate(m.From))
		}
	}
	if v, ok := top["sources"]; ok {
		for _, n := range r.sequence(v.value, "sources") {
			sm := r.mapping(n, "a source", "id!", "citation!", "date", "status", "note")
			src := Source{ID: r.str(sm, "id"), Citation: r.str(sm, "citation"), Status: r.str(sm, "status"), Note: r.str(sm, "note")}
			src.Date = r.date(sm, "date")
			m.Sources = append(m.Sources, src)
		}
	}
	if v, ok := top["interpretations"]; ok {
		for _, n := range r.sequence(v.value, "interpretations") {
			im := r.mapping(n, "an interpretation", "id!", "text!", "applies_to")
			in := Interpretation{ID: r.str(im, "id"), Text: r.text(im, "text"), Applies: r.strList(im, "applies_to"), Pos: Pos{r.file, n.Line, n.Column}}
			m.Interpretations = append(m.Interpretations, in)
		}
	}
	if v, ok := top["levels"]; ok {
		for _, n := range r.sequence(v.value, "levels") {
			lm := r.mapping(n, "a level", "id!", "name")
			m.Levels = append(m.Levels, Level{ID: r.str(lm, "id"), Name: r.text(lm, "name")})
		}
	}
	return m
}

func fmtDate(t time.Time) string { return t.Format(time.DateOnly) }

// builder gathers the definitions of a set's files, then checks and compiles them.
type builder struct {
	set      *Set
	errs     *errs
	rules    map[string]*Rule
	pending  []pendingExpr
	paramPos map[string]Pos
	modelAt  map[string][]Pos // where each model is named
	// exprBytes counts the bytes of the expressions compiled so far (MaxExprTotal).
	exprBytes int
	// combineConfig is expr's configuration for the models' programs.
	combineConfig *conf.Config
}

// pendingExpr is an expression waiting for every definition to be read
// before it is checked.
type pendingExpr struct {
	r       *reader
	node    *yaml.Node
	rule    *Rule
	formula *Formula
}

func (b *builder) pos(r *reader, n *yaml.Node) Pos {
	return Pos{File: r.file, Line: n.Line, Column: n.Column}
}

// namePattern is what a name must match (validName checks it, without a
// regular expression to compile when a program starts).
const namePattern = `^[a-z][a-z0-9_]*$`

// validName reports whether s matches namePattern.
func validName(s string) bool {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

func (b *builder) checkName(r *reader, n *yaml.Node, what string) bool {
	if !validName(n.Value) {
		r.errorf(n, CodeBadValue, "%s %q must be lower case letters, digits and _ , starting with a letter (it is used in expressions)", what, n.Value)
		return false
	}
	return true
}

func (b *builder) model(r *reader, top map[string]field) *Model {
	name := r.str(top, "model")
	if name == "" {
		for _, k := range []string{"record", "derived", "inputs", "rules", "formulas"} {
			if f, ok := top[k]; ok {
				r.errorf(f.key, CodeMissingKey, "%s need a model: add `model: <name>` at the top of the file", k)
				return nil
			}
		}
		return nil
	}
	if !b.checkName(r, top["model"].value, "model") {
		return nil
	}
	m := b.set.models[name]
	if m == nil {
		m = &Model{Name: name}
		b.set.models[name] = m
		b.set.order = append(b.set.order, name)
	}
	if b.modelAt == nil {
		b.modelAt = map[string][]Pos{}
	}
	b.modelAt[name] = append(b.modelAt[name], b.pos(r, top["model"].value))
	return m
}

// checkModels reports a model that no file gives inputs, rules or formulas:
// a misspelt model: in a file of cases, which would otherwise make an empty
// model and a problem at every case instead of one at the misspelling.
func (b *builder) checkModels() {
	var defined []string
	for _, name := range b.set.order {
		if m := b.set.models[name]; len(m.Inputs)+len(m.Rules)+len(m.Formulas) > 0 {
			defined = append(defined, name)
		}
	}
	for _, name := range b.set.order {
		if contains(defined, name) {
			continue
		}
		msg := fmt.Sprintf("model %q has no inputs, rules or formulas in any file of this rule set", name)
		if s := nearest(name, defined); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		}
		for _, p := range b.modelAt[name] {
			b.errs.add(p.File, p.Line, p.Column, CodeUnknownName, "%s", msg)
		}
	}
}

func (b *builder) readFile(f *rawFile) {
	r, top := f.r, f.top
	m := b.model(r, top)
	if b.rules == nil {
		b.rules = map[string]*Rule{}
		b.paramPos = map[string]Pos{}
	}
	if v, ok := top["parameters"]; ok {
		for _, e := range r.entries(v.value, "parameters") {
			b.readParam(r, e)
		}
	}
	if m == nil {
		if v, ok := top["cases"]; ok {
			b.readCases(r, v.value, "")
		}
		return
	}
	if v, ok := top["record"]; ok {
		b.readRecord(r, m, v.key, v.value)
	}
	if v, ok := top["derived"]; ok {
		b.readDerived(r, m, v.value)
	}
	if v, ok := top["inputs"]; ok {
		for _, e := range r.entries(v.value, "inputs") {
			if !b.checkName(r, e.key, "input") {
				continue
			}
			if _, dup := m.Input(e.key.Value); dup {
				r.errorf(e.key, CodeDuplicate, "input %q of model %s is declared twice", e.key.Value, m.Name)
				continue
			}
			im := r.mapping(e.value, "input "+e.key.Value, "type!", "unit", "values", "optional", "description")
			in := &Input{Name: e.key.Value, Unit: r.str(im, "unit"), Values: r.strList(im, "values"),
				Optional: r.boolean(im, "optional"), Description: r.text(im, "description"), Pos: b.pos(r, e.key)}
			in.Kind = Kind(r.oneOf(im, "type", "", kinds...))
			if len(in.Values) > 0 && in.Kind != KindText {
				r.errorf(im["values"].key, CodeBadValue, "only a text input can list its values")
			}
			m.Inputs = append(m.Inputs, in)
		}
	}
	if v, ok := top["rules"]; ok {
		for _, n := range r.sequence(v.value, "rules") {
			rm := r.mapping(n, "a rule", "id!", "when!", "cites!", "status", "message", "description")
			if rm == nil {
				continue
			}
			id := rm["id"]
			if id.value == nil || !b.checkName(r, id.value, "rule id") {
				continue
			}
			if prev, dup := b.rules[id.value.Value]; dup {
				r.errorf(id.value, CodeDuplicate, "rule %q is defined twice (first at %s:%d)", id.value.Value, prev.Pos.File, prev.Pos.Line)
				continue
			}
			rule := &Rule{ID: id.value.Value, Model: m.Name, Cites: r.str(rm, "cites"), Message: r.text(rm, "message"),
				Description: r.text(rm, "description"), Pos: b.pos(r, id.value)}
			rule.Status = r.oneOf(rm, "status", "enacted", "enacted", "interpretation")
			b.rules[rule.ID] = rule
			m.Rules = append(m.Rules, rule)
			if w, ok := rm["when"]; ok {
				rule.Expr, rule.at = w.value.Value, b.pos(r, w.value)
				b.pending = append(b.pending, pendingExpr{r: r, node: w.value, rule: rule})
			}
		}
	}
	if v, ok := top["formulas"]; ok {
		for _, e := range r.entries(v.value, "formulas") {
			if !b.checkName(r, e.key, "formula") {
				continue
			}
			fm := r.mapping(e.value, "formula "+e.key.Value, "type!", "expr!", "unit", "cites", "status", "description")
			if fm == nil {
				continue
			}
			fo := &Formula{Name: e.key.Value, Model: m.Name, Unit: r.str(fm, "unit"), Cites: r.str(fm, "cites"),
				Description: r.text(fm, "description"), Pos: b.pos(r, e.key)}
			fo.Kind = Kind(r.oneOf(fm, "type", "", kinds...))
			fo.Status = r.oneOf(fm, "status", "enacted", "enacted", "interpretation")
			m.Formulas = append(m.Formulas, fo)
			if x, ok := fm["expr"]; ok {
				fo.Expr, fo.at = x.value.Value, b.pos(r, x.value)
				b.pending = append(b.pending, pendingExpr{r: r, node: x.value, formula: fo})
			}
		}
	}
	if v, ok := top["cases"]; ok {
		b.readCases(r, v.value, m.Name)
	}
}

func (b *builder) readParam(r *reader, e field) {
	if !b.checkName(r, e.key, "parameter") {
		return
	}
	if prev, dup := b.paramPos[e.key.Value]; dup {
		r.errorf(e.key, CodeDuplicate, "parameter %q is defined twice (first at %s:%d)", e.key.Value, prev.File, prev.Line)
		return
	}
	b.paramPos[e.key.Value] = b.pos(r, e.key)
	pm := r.mapping(e.value, "parameter "+e.key.Value, "type!", "unit", "by", "keys", "description", "status", "value", "source", "values")
	if pm == nil {
		return
	}
	p := &Param{Name: e.key.Value, Unit: r.str(pm, "unit"), By: r.str(pm, "by"), Keys: r.strList(pm, "keys"),
		Description: r.text(pm, "description"), Pos: b.pos(r, e.key)}
	p.Kind = Kind(r.oneOf(pm, "type", "", kinds...))
	p.Status = r.oneOf(pm, "status", "enacted", "enacted", "interpretation")
	if (p.By == "") != (len(p.Keys) == 0) {
		// Reported at the key that is there, unless the other is there misspelt (reported as unknown).
		given, other := pm["by"], "keys"
		if p.By == "" {
			given, other = pm["keys"], "by"
		}
		p.By, p.Keys = "", nil
		if misspelt(e.value, other) {
			// Reported as an unknown key; its values cannot be read without it.
			b.set.Params = append(b.set.Params, p)
			return
		}
		r.errorf(given.key, CodeMissingKey, "parameter %s: `by` (the input that selects a value) and `keys` (the values it selects by) go together; give both or neither", p.Name)
	}
	_, single := pm["value"]
	vals, dated := pm["values"]
	switch {
	case single && dated:
		r.errorf(vals.key, CodeBadValue, "parameter %s has both `value` (one value) and `values` (dated values); keep one", p.Name)
	case single:
		// An undated value holds for every day of the phase.
		v := ParamValue{Source: r.str(pm, "source"), Pos: b.pos(r, pm["value"].value)}
		if v.Source == "" && !misspelt(e.value, "source") {
			r.errorf(pm["value"].key, CodeMissingKey, "parameter %s: say which instrument fixes the value with `source` (or `source: interpretation`)", p.Name)
		}
		b.readValue(r, p, pm["value"].value, &v)
		p.Values = []ParamValue{v}
	case dated:
		if _, ok := pm["source"]; ok {
			r.errorf(pm["source"].key, CodeBadValue, "parameter %s: with dated values, each value carries its own source", p.Name)
		}
		for _, n := range r.sequence(vals.value, "values") {
			vm := r.mapping(n, "a dated value of "+p.Name, "from!", "to", "value!", "source!", "note")
			if vm == nil {
				continue
			}
			v := ParamValue{From: r.date(vm, "from"), To: r.date(vm, "to"), Source: r.str(vm, "source"), Pos: b.pos(r, n)}
			if x, ok := vm["value"]; ok {
				b.readValue(r, p, x.value, &v)
			}
			p.Values = append(p.Values, v)
		}
	default:
		if !misspelt(e.value, "value") && !misspelt(e.value, "values") {
			r.errorf(e.key, CodeMissingKey, "parameter %s has no value: give `value` or dated `values`", p.Name)
		}
	}
	b.set.Params = append(b.set.Params, p)
}

// readValue reads one value of a parameter, keyed or not.
func (b *builder) readValue(r *reader, p *Param, n *yaml.Node, v *ParamValue) {
	if p.By == "" {
		v.Value = b.scalar(r, n, p.Kind, "parameter "+p.Name)
		return
	}
	if n.Kind != yaml.MappingNode {
		r.errorf(n, CodeBadValue, "parameter %s is keyed by %s: give a value for each of %s", p.Name, p.By, strings.Join(p.Keys, ", "))
		return
	}
	v.ByKey = map[string]any{}
	for _, e := range r.mapping(n, "the value of "+p.Name, p.Keys...) {
		v.ByKey[e.key.Value] = b.scalar(r, e.value, p.Kind, "parameter "+p.Name)
	}
	var missing []string
	for _, k := range p.Keys {
		if _, ok := v.ByKey[k]; !ok {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		r.errorf(n, CodeMissingKey, "parameter %s has no value for %s here", p.Name, quoteList(missing))
	}
}

// scalar reads a literal of a kind. Numbers are read from their text, never
// through a float.
func (b *builder) scalar(r *reader, n *yaml.Node, k Kind, what string) any {
	if n.Kind != yaml.ScalarNode {
		r.errorf(n, CodeBadValue, "%s must be a single value, not %s", what, kindName(n))
		return k.zero()
	}
	v, err := parseScalar(n.Value, k)
	if err != nil {
		r.errorf(n, CodeBadValue, "%s: %v", what, err)
		return k.zero()
	}
	return v
}

// parseScalar reads text as a value of kind k.
func parseScalar(s string, k Kind) (any, error) {
	switch k {
	case KindBool:
		switch s {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
		return nil, fmt.Errorf("%q is not true or false", s)
	case KindInt:
		var i int
		if _, err := fmt.Sscan(s, &i); err != nil || fmt.Sprint(i) != s {
			return nil, fmt.Errorf("%q is not a whole number", s)
		}
		return i, nil
	case KindDecimal, KindMoney:
		d, err := decimal.NewFromString(strings.ReplaceAll(s, "_", ""))
		if err != nil {
			return nil, fmt.Errorf("%q is not a number", s)
		}
		if k == KindMoney && !d.IsInteger() {
			return nil, fmt.Errorf("%s is not a whole number of đồng", s)
		}
		return d, nil
	}
	return s, nil
}

// checkParams checks that each parameter's dated values are in order and
// cover every day of the phase, and that keyed parameters name a text input.
func (b *builder) checkParams() {
	from, to := b.set.Meta.From, b.set.Meta.To
	for _, p := range b.set.Params {
		if len(p.Values) == 0 || p.Values[0].From.IsZero() && len(p.Values) == 1 {
			continue // undated: holds throughout
		}
		fail := func(v ParamValue, code Code, format string, args ...any) {
			b.errs.add(v.Pos.File, v.Pos.Line, v.Pos.Column, code, format, args...)
		}
		vs := p.Values
		for i := 1; i < len(vs); i++ {
			if !vs[i].From.After(vs[i-1].From) {
				fail(vs[i], CodeParamOrder, "parameter %s: dated values must be in order of their dates, each after the one before (%s follows %s)", p.Name, fmtDate(vs[i].From), fmtDate(vs[i-1].From))
			}
		}
		if from.IsZero() || to.IsZero() {
			continue
		}
		if vs[0].From.After(from) {
			fail(vs[0], CodeParamGap, "parameter %s has no value from %s (the phase start) to %s", p.Name, fmtDate(from), fmtDate(vs[0].From.AddDate(0, 0, -1)))
		}
		for i, v := range vs {
			if v.To.IsZero() {
				continue
			}
			if v.To.Before(v.From) {
				fail(v, CodeParamOrder, "parameter %s: the value from %s ends (%s) before it starts", p.Name, fmtDate(v.From), fmtDate(v.To))
				continue
			}
			next := to.AddDate(0, 0, 1)
			if i+1 < len(vs) {
				next = vs[i+1].From
			}
			if end := v.To.AddDate(0, 0, 1); end.Before(next) && end.Before(to.AddDate(0, 0, 1)) {
				last := next.AddDate(0, 0, -1)
				if last.After(to) {
					last = to
				}
				fail(v, CodeParamGap, "parameter %s has no value from %s to %s: the value from %s ends on %s", p.Name, fmtDate(end), fmtDate(last), fmtDate(v.From), fmtDate(v.To))
			} else if i+1 < len(vs) && !v.To.Before(next) {
				fail(v, CodeParamOrder, "parameter %s: the value from %s runs to %s, past the next value's start %s", p.Name, fmtDate(v.From), fmtDate(v.To), fmtDate(next))
			}
		}
	}
}

// checkInterpretations checks that each interpretation applies to names the
// set defines (rules, parameters, formulas, inputs), so that a renamed rule
// does not leave its interpretation pointing at nothing.
func (b *builder) checkInterpretations(meta *rawFile) {
	known := map[string]bool{}
	for _, p := range b.set.Params {
		known[p.Name] = true
	}
	for _, name := range b.set.order {
		m := b.set.models[name]
		for _, r := range m.Rules {
			known[r.ID] = true
		}
		for _, f := range m.Formulas {
			known[f.Name] = true
		}
		for _, in := range m.Inputs {
			known[in.Name] = true
		}
	}
	for _, in := range b.set.Meta.Interpretations {
		for _, a := range in.Applies {
			if !known[a] {
				msg := fmt.Sprintf("interpretation %s applies to %q, which is no rule, parameter, formula or input of this rule set", in.ID, a)
				if s := nearest(a, sortedKeys(known)); s != "" {
					msg += fmt.Sprintf(" (did you mean %q?)", s)
				}
				b.errs.add(in.Pos.File, in.Pos.Line, in.Pos.Column, CodeUnknownName, "%s", msg)
			}
		}
	}
}

// sortParams puts parameters in name order so a set's listing is stable.
func sortParams(ps []*Param) {
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].Name < ps[j].Name })
}

// onePolicy keeps the sets of policy, or checks that the sets are of one
// policy when none is named: two policies in force together are two
// libraries, never phases of one.
func (l *Library) onePolicy(policy, display string) error {
	var names []string
	var keep []*Set
	for _, s := range l.sets {
		if !contains(names, s.Meta.Policy) {
			names = append(names, s.Meta.Policy)
		}
		if s.Meta.Policy == policy {
			keep = append(keep, s)
		}
	}
	sort.Strings(names)
	c := &errs{}
	switch {
	case policy != "" && len(keep) == 0:
		c.add(display, 0, 0, CodeRead, "no rule set of policy %q here (policies here: %s)", policy, quoteList(names))
	case policy != "":
		l.sets = keep
	case len(names) > 1:
		c.add(display, 0, 0, CodeRead, "the rule sets here belong to several policies (%s): name one (hotro --policy NAME)", quoteList(names))
	}
	return c.err()
}

// yamlSyntax places and words a YAML syntax error. Where yaml.v3 names the
// wrong line, the right one is found here: for a misplaced item or key it
// names the line where the enclosing list or mapping starts, and for a
// quote that is not closed, the line where what follows the next quote
// stops making sense.
func yamlSyntax(err error, data []byte) (line, col int, msg string) {
	line, col = yamlErrorPos(err, data)
	msg = "not valid YAML: " + strings.TrimPrefix(yamlLine().ReplaceAllString(err.Error(), ""), "yaml: ")
	if yamlLine().FindStringSubmatch(err.Error()) == nil || strings.ContainsAny(string(data), "\r\u0085\u2028\u2029") {
		return line, col, msg // lines are not simply split at \n: leave it
	}
	lines := strings.Split(string(data), "\n")
	detail := strings.TrimPrefix(yamlLine().ReplaceAllString(err.Error(), ""), "yaml: ")
	bisected := line
	if strings.HasPrefix(detail, "did not find expected") {
		bisected = firstFailing(lines, line, detail)
	}
	if l, c, ok := unclosedQuote(lines, max(line, bisected)); ok {
		return l, c, fmt.Sprintf("not valid YAML: the quoted text that starts here is not closed on its line, and YAML reads on in quotes until it fails at line %d (%s)",
			max(line, bisected), detail)
	}
	if bisected > line {
		l := lines[bisected-1]
		return bisected, len(l) - len(strings.TrimLeft(l, " \t")) + 1, msg + " (this line is not indented as the lines before it)"
	}
	return line, col, msg
}

// firstFailing returns the first line from line on at which a prefix of the
// file fails with the message detail: parsing prefixes is monotonic enough
// for a binary search. It returns line when the whole file does not.
func firstFailing(lines []string, line int, detail string) int {
	fails := func(k int) bool {
		var n yaml.Node
		e := yaml.Unmarshal([]byte(strings.Join(lines[:k], "\n")+"\n"), &n)
		return e != nil && strings.HasSuffix(e.Error(), detail)
	}
	lo, hi := max(line, 1), len(lines)
	if lo > hi || !fails(hi) {
		return line
	}
	for lo < hi { // fails(hi) holds throughout
		mid := (lo + hi) / 2
		if fails(mid) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return hi
}

// unclosedQuote looks, before line limit, for a quoted scalar that is not
// closed on its line and whose continuation holds a line indented no more
// than the line the quote opens on: a quote left open, as YAML would read
// it. It returns the opening quote's line and column.
func unclosedQuote(lines []string, limit int) (int, int, bool) {
	var q byte // the open quote, 0 when none
	openLine, openCol, openIndent := 0, 0, 0
	for i := 0; i < len(lines) && i < limit; i++ {
		l := lines[i]
		indent := len(l) - len(strings.TrimLeft(l, " "))
		if q != 0 && strings.TrimSpace(l) != "" && indent <= openIndent {
			return openLine, openCol, true
		}
		prev := byte(0) // the last character outside quotes that is not a space
		for j := 0; j < len(l); j++ {
			c := l[j]
			if q != 0 {
				switch {
				case q == '"' && c == '\\':
					j++
				case q == '\'' && c == '\'' && j+1 < len(l) && l[j+1] == '\'':
					j++
				case c == q:
					q, prev = 0, c
				}
				continue
			}
			switch {
			case c == '#' && (j == 0 || l[j-1] == ' ' || l[j-1] == '\t'):
				j = len(l) // a comment
			case (c == '"' || c == '\'') && (prev == 0 || strings.IndexByte(":-[{,?", prev) >= 0):
				q, openLine, openCol, openIndent = c, i+1, j+1, indent
			case c != ' ' && c != '\t':
				prev = c
			}
		}
	}
	return 0, 0, false
}
