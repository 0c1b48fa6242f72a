package workbench

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// The forms change a rule file the way a person would in a text editor:
// only the characters of the values changed are replaced, and a new dated
// value is inserted as lines in the same layout, so that the file keeps its
// comments, order and formatting, and the draft equals one edited by hand.

// errNotEditable says a value cannot be changed by a form (a multi-line
// scalar, an anchor); the YAML view remains.
var errNotEditable = errors.New("giá trị này không sửa được bằng biểu mẫu; hãy dùng khung YAML / not editable in a form: use the YAML view")

// doc is a rule file parsed for editing: its lines and its node tree.
type doc struct {
	lines []string
	root  *yaml.Node // the top mapping, nil for an empty or broken file
}

func parseDoc(src []byte) (*doc, error) {
	d := &doc{lines: strings.Split(string(src), "\n")}
	var n yaml.Node
	if err := yaml.Unmarshal(src, &n); err != nil {
		return d, err
	}
	if len(n.Content) > 0 && n.Content[0].Kind == yaml.MappingNode {
		d.root = n.Content[0]
	}
	return d, nil
}

func (d *doc) bytes() []byte { return []byte(strings.Join(d.lines, "\n")) }

// get returns the value of key in mapping m, and the key node.
func get(m *yaml.Node, key string) (val, k *yaml.Node) {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1], m.Content[i]
		}
	}
	return nil, nil
}

func at(n *yaml.Node, keys ...string) *yaml.Node {
	for _, k := range keys {
		n, _ = get(n, k)
	}
	return n
}

// span is where a one-line scalar is written: on line (0-based), runes
// [from, to).
type span struct{ line, from, to int }

func (d *doc) span(n *yaml.Node) (span, error) {
	if n == nil || n.Kind != yaml.ScalarNode || n.Line < 1 || n.Line > len(d.lines) {
		return span{}, errNotEditable
	}
	line := []rune(d.lines[n.Line-1])
	start := n.Column - 1
	if start < 0 || start > len(line) {
		return span{}, errNotEditable
	}
	s := span{line: n.Line - 1, from: start}
	switch n.Style {
	case 0, yaml.TaggedStyle:
		v := []rune(n.Value)
		if start+len(v) > len(line) || string(line[start:start+len(v)]) != n.Value {
			return span{}, errNotEditable
		}
		s.to = start + len(v)
	case yaml.DoubleQuotedStyle:
		for i := start + 1; i < len(line); i++ {
			if line[i] == '\\' {
				i++
				continue
			}
			if line[i] == '"' {
				s.to = i + 1
				return s, nil
			}
		}
		return span{}, errNotEditable
	case yaml.SingleQuotedStyle:
		for i := start + 1; i < len(line); i++ {
			if line[i] == '\'' {
				if i+1 < len(line) && line[i+1] == '\'' {
					i++
					continue
				}
				s.to = i + 1
				return s, nil
			}
		}
		return span{}, errNotEditable
	default:
		return span{}, errNotEditable
	}
	return s, nil
}

// setScalar replaces the text of scalar n by value, written in n's style
// when it can be, quoted otherwise. quote forces a quoted string.
func (d *doc) setScalar(n *yaml.Node, value string) error {
	if n.Value == value {
		return nil
	}
	s, err := d.span(n)
	if err != nil {
		return err
	}
	line := []rune(d.lines[s.line])
	text := encodeScalar(value, n.Style, n.Tag)
	d.lines[s.line] = string(line[:s.from]) + text + string(line[s.to:])
	return nil
}

var (
	plainNumber = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`) })
	plainDate   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`) })
)

// encodeScalar writes value as a one-line YAML scalar: in the style given
// when value allows it (a number stays plain, text that YAML would read
// otherwise is quoted).
func encodeScalar(value string, style yaml.Style, tag string) string {
	switch style {
	case yaml.DoubleQuotedStyle:
		return doubleQuoted(value)
	case yaml.SingleQuotedStyle:
		if !strings.ContainsAny(value, "\n") {
			return "'" + strings.ReplaceAll(value, "'", "''") + "'"
		}
		return doubleQuoted(value)
	}
	if (plainNumber().MatchString(value) || plainDate().MatchString(value)) && tag != "!!str" {
		return value
	}
	if plainSafe(value) {
		return value
	}
	return doubleQuoted(value)
}

// plainSafe reports whether value reads back as the same string when
// written as a plain scalar.
func plainSafe(value string) bool {
	if value == "" || strings.ContainsAny(value, "\n\t") || strings.TrimSpace(value) != value {
		return false
	}
	if strings.ContainsAny(value[:1], "-?:,[]{}#&*!|>'\"%@`") || strings.Contains(value, ": ") || strings.Contains(value, " #") || strings.HasSuffix(value, ":") {
		return false
	}
	var n yaml.Node
	if err := yaml.Unmarshal([]byte("k: "+value), &n); err != nil {
		return false
	}
	v := at(n.Content[0], "k")
	return v != nil && v.Kind == yaml.ScalarNode && v.Value == value && v.Tag == "!!str"
}

func doubleQuoted(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if r < 0x20 {
				fmt.Fprintf(&b, `\x%02x`, r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

// lastLine is the last line (1-based) of anything under n.
func lastLine(n *yaml.Node) int {
	l := n.Line
	if n.Kind == yaml.ScalarNode && (n.Style == yaml.LiteralStyle || n.Style == yaml.FoldedStyle) {
		l += strings.Count(strings.TrimRight(n.Value, "\n"), "\n") + 1
	}
	for _, c := range n.Content {
		l = max(l, lastLine(c))
	}
	return l
}

// insertLines inserts text lines after line (1-based; 0 = at the top).
func (d *doc) insertLines(after int, lines ...string) {
	d.lines = slices.Insert(d.lines, after, lines...)
}

// ValueEdit is a dated value of a parameter as a form gives it: the day it
// applies from, the value (one, or one per key) and its source.
type ValueEdit struct {
	From   string
	Value  string
	ByKey  map[string]string
	Source string
}

// paramNode finds parameter name in a rule file.
func (d *doc) param(name string) *yaml.Node {
	return at(d.root, "parameters", name)
}

// setParamValue changes the i-th dated value of parameter name (or its
// single value when it has no dated values and i is 0).
func (d *doc) setParamValue(name string, i int, e ValueEdit) error {
	p := d.param(name)
	if p == nil {
		return fmt.Errorf("không có tham số %s / no parameter %s", name, name)
	}
	entry := p
	if vals, _ := get(p, "values"); vals != nil {
		if vals.Kind != yaml.SequenceNode || i < 0 || i >= len(vals.Content) {
			return fmt.Errorf("tham số %s không có mức thứ %d / no value %d", name, i+1, i+1)
		}
		entry = vals.Content[i]
		if from, _ := get(entry, "from"); from != nil && e.From != "" {
			if err := d.setScalar(from, e.From); err != nil {
				return err
			}
		}
	} else if i != 0 {
		return fmt.Errorf("tham số %s chỉ có một mức / has one value", name)
	}
	v, _ := get(entry, "value")
	if v == nil {
		return errNotEditable
	}
	if v.Kind == yaml.MappingNode {
		for j := 0; j+1 < len(v.Content); j += 2 {
			nv, ok := e.ByKey[v.Content[j].Value]
			if !ok {
				continue
			}
			if err := d.setScalar(v.Content[j+1], nv); err != nil {
				return err
			}
		}
	} else if err := d.setScalar(v, e.Value); err != nil {
		return err
	}
	if src, _ := get(entry, "source"); src != nil && e.Source != "" {
		return d.setScalar(src, e.Source)
	}
	return nil
}

// addParamValue inserts a dated value, in the order of the dates, with the
// layout of the values beside it. keys gives the order of a keyed value.
func (d *doc) addParamValue(name string, keys []string, e ValueEdit) error {
	p := d.param(name)
	if p == nil {
		return fmt.Errorf("không có tham số %s / no parameter %s", name, name)
	}
	vals, _ := get(p, "values")
	if vals == nil || vals.Kind != yaml.SequenceNode || len(vals.Content) == 0 {
		return fmt.Errorf("tham số %s có một giá trị không theo ngày; hãy chuyển sang các mức theo ngày trong khung YAML (Bước 7 của hướng dẫn) / %s has a single value: use the YAML view", name, name)
	}
	at := len(vals.Content)
	for i, en := range vals.Content {
		if f, _ := get(en, "from"); f != nil && f.Value > e.From {
			at = i
			break
		}
	}
	dash := strings.Repeat(" ", max(vals.Content[0].Column-3, 0))
	var value string
	if len(keys) > 0 {
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = k + ": " + encodeScalar(e.ByKey[k], 0, "")
		}
		value = "{" + strings.Join(parts, ", ") + "}"
	} else {
		value = encodeScalar(e.Value, 0, "")
	}
	lines := []string{dash + "- from: " + encodeScalar(e.From, 0, ""), dash + "  value: " + value, dash + "  source: " + encodeScalar(e.Source, 0, "!!str")}
	after := 0
	if at == 0 {
		after = vals.Content[0].Line - 1
	} else {
		after = lastLine(vals.Content[at-1])
	}
	d.insertLines(after, lines...)
	return nil
}

// RuleEdit is a rule's texts as a form gives them.
type RuleEdit struct {
	When, Cites, MessageVI, MessageEN string
}

// setRule changes the texts of rule id.
func (d *doc) setRule(id string, e RuleEdit) error {
	rs, _ := get(d.root, "rules")
	if rs == nil || rs.Kind != yaml.SequenceNode {
		return fmt.Errorf("không có quy tắc %s / no rule %s", id, id)
	}
	for _, r := range rs.Content {
		if v, _ := get(r, "id"); v == nil || v.Value != id {
			continue
		}
		set := func(n *yaml.Node, value string) error {
			if n == nil || value == "" || normSpace(n.Value) == normSpace(value) {
				return nil
			}
			return d.setScalar(n, value)
		}
		w, _ := get(r, "when")
		c, _ := get(r, "cites")
		if err := errors.Join(set(w, e.When), set(c, e.Cites), set(at(r, "message", "vi"), e.MessageVI), set(at(r, "message", "en"), e.MessageEN)); err != nil {
			return err
		}
		return nil
	}
	return fmt.Errorf("không có quy tắc %s / no rule %s", id, id)
}

func normSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

// CaseEdit is a test case's name and expected outputs as a form gives them.
type CaseEdit struct {
	Name    string
	Outputs map[string]string
}

// setCase changes the i-th case of the file.
func (d *doc) setCase(i int, e CaseEdit) error {
	cs, _ := get(d.root, "cases")
	if cs == nil || cs.Kind != yaml.SequenceNode || i < 0 || i >= len(cs.Content) {
		return fmt.Errorf("không có ca thứ %d / no case %d", i+1, i+1)
	}
	c := cs.Content[i]
	if n, _ := get(c, "name"); n != nil && e.Name != "" {
		if err := d.setScalar(n, e.Name); err != nil {
			return err
		}
	}
	outs := at(c, "expect", "outputs")
	if outs == nil {
		return nil
	}
	for j := 0; j+1 < len(outs.Content); j += 2 {
		if v, ok := e.Outputs[outs.Content[j].Value]; ok && v != "" {
			if err := d.setScalar(outs.Content[j+1], v); err != nil {
				return err
			}
		}
	}
	return nil
}

// validUTF8 reports whether an uploaded or typed text can be a rule file.
func validUTF8(b []byte) bool { return utf8.Valid(b) }
