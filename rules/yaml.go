package rules

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// reader turns yaml.Node trees into the rule-set model, strictly: every key
// must be known, and every problem is recorded with its position instead of
// stopping at the first one.
type reader struct {
	file string
	src  []string // the file's lines, to place positions inside block scalars
	errs *errs
}

func (r *reader) errorf(n *yaml.Node, code Code, format string, args ...any) {
	line, col := 0, 0
	if n != nil {
		line, col = n.Line, n.Column
	}
	r.errs.add(r.file, line, col, code, format, args...)
}

// field is a key of a mapping with its value node.
type field struct {
	key   *yaml.Node
	value *yaml.Node
}

// mapping reads a YAML mapping whose keys must be among allowed. Unknown keys
// are reported with the nearest allowed key as a suggestion; required keys
// (allowed names ending in "!") must be present.
func (r *reader) mapping(n *yaml.Node, what string, allowed ...string) map[string]field {
	if n == nil {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		r.errorf(n, CodeBadValue, "%s must be a mapping of keys to values, not %s", what, kindName(n))
		return nil
	}
	names := make([]string, len(allowed))
	required := map[string]bool{}
	for i, a := range allowed {
		if strings.HasSuffix(a, "!") {
			a = strings.TrimSuffix(a, "!")
			required[a] = true
		}
		names[i] = a
	}
	out := map[string]field{}
	suggested := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		key := k.Value
		if !contains(names, key) {
			msg := fmt.Sprintf("unknown key %q in %s", key, what)
			if s := nearest(key, names); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
				suggested[s] = true // a misspelt required key is one problem, not two
			} else {
				msg += fmt.Sprintf(" (allowed: %s)", strings.Join(names, ", "))
			}
			r.errorf(k, CodeUnknownKey, "%s", msg)
			continue
		}
		if prev, dup := out[key]; dup {
			r.errorf(k, CodeDuplicate, "key %q appears twice in %s (first at line %d)", key, what, prev.key.Line)
			continue
		}
		out[key] = field{k, v}
	}
	var missing []string
	for _, a := range names {
		if _, ok := out[a]; required[a] && !ok && !suggested[a] {
			missing = append(missing, a)
		}
	}
	if len(missing) > 0 {
		r.errorf(n, CodeMissingKey, "%s is missing %s", what, quoteList(missing))
	}
	return out
}

// misspelt reports whether mapping n has a key that is not key but close
// enough to be taken for it (already reported as unknown).
func misspelt(n *yaml.Node, key string) bool {
	for i := 0; n != nil && n.Kind == yaml.MappingNode && i+1 < len(n.Content); i += 2 {
		if k := n.Content[i].Value; k != key && nearest(k, []string{key}) == key {
			return true
		}
	}
	return false
}

// entries reads a mapping whose keys are names chosen by the author
// (parameter names, input names) in file order.
func (r *reader) entries(n *yaml.Node, what string) []field {
	if n == nil {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		r.errorf(n, CodeBadValue, "%s must be a mapping of names to definitions, not %s", what, kindName(n))
		return nil
	}
	var out []field
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if line, dup := seen[k.Value]; dup {
			r.errorf(k, CodeDuplicate, "%q is defined twice in %s (first at line %d)", k.Value, what, line)
			continue
		}
		seen[k.Value] = k.Line
		out = append(out, field{k, n.Content[i+1]})
	}
	return out
}

func (r *reader) sequence(n *yaml.Node, what string) []*yaml.Node {
	if n == nil {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		r.errorf(n, CodeBadValue, "%s must be a list, not %s", what, kindName(n))
		return nil
	}
	return n.Content
}

func (r *reader) str(f map[string]field, key string) string {
	v, ok := f[key]
	if !ok {
		return ""
	}
	if v.value.Kind != yaml.ScalarNode {
		r.errorf(v.value, CodeBadValue, "%s must be text, not %s", key, kindName(v.value))
		return ""
	}
	return v.value.Value
}

func (r *reader) oneOf(f map[string]field, key string, def string, options ...string) string {
	s := r.str(f, key)
	if s == "" {
		return def
	}
	if !contains(options, s) {
		r.errorf(f[key].value, CodeBadValue, "%s is %q; it must be one of %s", key, s, strings.Join(options, ", "))
		return def
	}
	return s
}

func (r *reader) boolean(f map[string]field, key string) bool {
	v, ok := f[key]
	if !ok {
		return false
	}
	switch v.value.Value {
	case "true":
		return true
	case "false":
		return false
	}
	r.errorf(v.value, CodeBadValue, "%s must be true or false, not %q", key, v.value.Value)
	return false
}

func (r *reader) date(f map[string]field, key string) time.Time {
	v, ok := f[key]
	if !ok {
		return time.Time{}
	}
	return r.dateNode(v.value, key)
}

func (r *reader) dateNode(n *yaml.Node, what string) time.Time {
	t, err := time.Parse(time.DateOnly, n.Value)
	if err != nil || n.Kind != yaml.ScalarNode {
		r.errorf(n, CodeBadValue, "%s must be a date written YYYY-MM-DD, not %q", what, n.Value)
		return time.Time{}
	}
	return t
}

// strList reads a list of text, or a single text as a list of one.
func (r *reader) strList(f map[string]field, key string) []string {
	v, ok := f[key]
	if !ok {
		return nil
	}
	if v.value.Kind == yaml.ScalarNode {
		return []string{v.value.Value}
	}
	var out []string
	for _, n := range r.sequence(v.value, key) {
		if n.Kind != yaml.ScalarNode {
			r.errorf(n, CodeBadValue, "%s must be a list of text", key)
			continue
		}
		out = append(out, n.Value)
	}
	return out
}

// text reads a message that is either plain text or {vi: …, en: …}.
func (r *reader) text(f map[string]field, key string) Text {
	v, ok := f[key]
	if !ok {
		return Text{}
	}
	if v.value.Kind == yaml.ScalarNode {
		return Text{VI: v.value.Value, EN: v.value.Value}
	}
	m := r.mapping(v.value, key, "vi", "en")
	return Text{VI: r.str(m, "vi"), EN: r.str(m, "en")}
}

// exprPos returns where, in the file, column col (0-based) of line line
// (1-based) of the expression held in scalar n is. YAML folds lines,
// strips indentation and reads escapes, so the place is found by walking
// the scalar's source and its value side by side: a line break of the
// source, with the indentation after it, stands for one space or newline
// of the value or for nothing. Where the two part (an escape sequence),
// the start of the scalar is returned, which is always in the file.
func (r *reader) exprPos(n *yaml.Node, line, col int) (int, int) {
	value := []rune(n.Value)
	off := 0
	for l := 1; l < line && off < len(value); off++ {
		if value[off] == '\n' {
			l++
		}
	}
	off = min(off+col, len(value))
	// Line l (1-based) of the file, without its line end. The line last
	// asked for is kept: the walk below asks for the same line once per
	// character, and converting it each time made loading quadratic in
	// the length of an expression.
	cached, cachedLine := []rune(nil), 0
	src := func(l int) []rune {
		if l < 1 || l > len(r.src) {
			return nil
		}
		if l != cachedLine {
			cached, cachedLine = []rune(strings.TrimSuffix(r.src[l-1], "\r")), l
		}
		return cached
	}
	fl, fc := n.Line, n.Column-1 // 0-based column in src(fl)
	indent := -1                 // a block scalar's indentation; -1 for a flow scalar
	switch n.Style {
	case yaml.LiteralStyle, yaml.FoldedStyle:
		// The content starts on the next line that is not blank, at its indentation.
		for fl++; fl <= len(r.src) && strings.TrimSpace(string(src(fl))) == ""; fl++ {
		}
		l := src(fl)
		indent = len(l) - len(strings.TrimLeft(string(l), " "))
		fl, fc = n.Line+1, 0
	case yaml.DoubleQuotedStyle, yaml.SingleQuotedStyle:
		fc++ // the opening quote
	}
	skipIndent := func() {
		l := src(fl)
		for fc = 0; fc < len(l) && (indent < 0 || fc < indent) && (l[fc] == ' ' || l[fc] == '\t'); fc++ {
		}
	}
	if indent >= 0 {
		skipIndent()
	}
	for i := 0; i < off; {
		l := src(fl)
		if l == nil {
			return n.Line, n.Column
		}
		if fc >= len(l) { // a line break of the source
			fl++
			skipIndent()
			if value[i] == ' ' || value[i] == '\n' {
				i++
			}
			continue
		}
		switch c := l[fc]; {
		case c == value[i]:
			i++
			fc++
		case c == ' ' || c == '\t': // whitespace YAML dropped before a fold
			fc++
		default:
			return n.Line, n.Column
		}
	}
	return fl, fc + 1
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Value == "" {
			return "empty"
		}
		return fmt.Sprintf("%q", n.Value)
	case yaml.AliasNode:
		return "an alias"
	}
	return "nothing"
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func quoteList(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}

// nearest returns the candidate closest to s when it is close enough to be
// a likely misspelling.
func nearest(s string, candidates []string) string {
	best, bestD := "", 1<<30
	for _, c := range candidates {
		if d := editDistance(s, c); d < bestD {
			best, bestD = c, d
		}
	}
	if bestD <= 2 || (bestD <= 3 && len(s) > 6) {
		return best
	}
	return ""
}

func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// sortedKeys returns a map's keys in order, for deterministic messages.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
