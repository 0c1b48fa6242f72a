package eligibility

import (
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/hotro-vn/hotro/admin"
	"github.com/hotro-vn/hotro/rules"
	"github.com/hotro-vn/hotro/vnd"
	"github.com/shopspring/decimal"
)

// ExplainIn writes a decision's reasons for staff in lang. In Vietnamese
// ("vi") every value is named by the description the rule file gives it (a
// record field's, a derived value's, a formula's or a parameter's `vi`
// text), never by its variable name: "Mức độ khuyết tật: Không", not
// "disability=none". Enum values are shown with the spelling the record
// declares for them, money as 1.500.000 đ, dates as dd/mm/yyyy, yes/no as
// có/không. Any other language gives [Explain], whose English-keyed text
// stays as it was.
func ExplainIn(d *Decision, lang string) string {
	if lang != "vi" || d.result == nil || d.result.Set == nil {
		return Explain(d, lang)
	}
	l := labelsOf(d.result.Set, d.result.Model)
	var pass, fail []string
	for _, r := range d.Reasons() {
		var b strings.Builder
		b.WriteString(r.Message.In("vi"))
		var parts []string
		if r.Cites != "" {
			parts = append(parts, r.Cites)
		}
		if vals := r.Values(); len(vals) > 0 {
			parts = append(parts, l.values(vals))
		}
		if len(parts) > 0 {
			fmt.Fprintf(&b, " (%s)", strings.Join(parts, "; "))
		}
		if r.Pass {
			pass = append(pass, b.String())
		} else {
			fail = append(fail, b.String())
		}
	}
	var out []string
	if d.Eligible {
		out = append(out, "Đủ điều kiện")
	} else {
		out = append(out, "Không đủ điều kiện")
	}
	if len(fail) > 0 {
		out = append(out, "Không đạt: "+strings.Join(fail, "; "))
	}
	if len(pass) > 0 {
		out = append(out, "Đạt: "+strings.Join(pass, "; "))
	}
	out = append(out, "Mức hỗ trợ hằng tháng: "+vnd.Format(d.MonthlyTopup))
	var vals []rules.Value
	seen := map[string]bool{}
	for _, vs := range [][]rules.Value{d.Used(), d.Computed()} {
		for _, v := range vs {
			if !seen[v.Name] {
				seen[v.Name] = true
				vals = append(vals, v)
			}
		}
	}
	if len(vals) > 0 {
		out = append(out, "Các giá trị đã dùng: "+l.values(vals))
	}
	return strings.Join(out, ". ") + "."
}

// labels are the descriptions, kinds and record fields of a model's names.
type labels struct {
	desc   map[string]string
	kind   map[string]rules.Kind
	fields map[string]*rules.Field
}

func labelsOf(set *rules.Set, model string) labels {
	l := labels{desc: map[string]string{}, kind: map[string]rules.Kind{}, fields: map[string]*rules.Field{}}
	add := func(name string, t rules.Text, k rules.Kind) {
		if s := t.In("vi"); s != "" {
			l.desc[name] = s
		}
		l.kind[name] = k
	}
	for _, p := range set.Params {
		add(p.Name, p.Description, p.Kind)
	}
	m := set.Model(model)
	if m == nil {
		return l
	}
	for _, in := range m.Inputs {
		add(in.Name, in.Description, in.Kind)
	}
	for _, f := range m.Formulas {
		add(f.Name, f.Description, f.Kind)
	}
	if m.Record != nil {
		for _, f := range m.Record.Fields {
			l.fields[f.Name] = f
			if s := f.Description.In("vi"); s != "" {
				l.desc[f.Name] = s
			}
		}
	}
	return l
}

func (l labels) values(vs []rules.Value) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		name := l.desc[v.Name]
		if field, ok := strings.CutPrefix(v.Name, "has_"); ok && name == "" && l.desc[field] != "" {
			name = "Có ghi " + lowerFirst(l.desc[field]) // whether the record gives the field
		}
		if name == "" {
			name = v.Name // the rule file describes it nowhere
		}
		parts[i] = name + ": " + l.value(v)
	}
	return strings.Join(parts, ", ")
}

func (l labels) value(v rules.Value) string {
	switch x := v.Value.(type) {
	case nil:
		return "(không có)"
	case bool:
		if x {
			return "có"
		}
		return "không"
	case time.Time:
		return vnd.Date(x)
	case decimal.Decimal:
		if l.kind[v.Name] == rules.KindMoney {
			return vnd.Format(x)
		}
		return strings.Replace(x.String(), ".", ",", 1)
	case int, int64:
		if l.kind[v.Name] == rules.KindMoney {
			return vnd.Format(decimal.NewFromInt(toInt64(x)))
		}
		return fmt.Sprint(x)
	case string:
		if f := l.fields[v.Name]; f != nil && f.Type == rules.FieldEnum {
			return EnumLabel(f, x)
		}
		return x
	case admin.Commune:
		return x.Name
	}
	return rules.FormatValue(v.Value)
}

func toInt64(x any) int64 {
	switch n := x.(type) {
	case int:
		return int64(n)
	case int64:
		return n
	}
	return 0
}

// EnumLabel is the value of an enum field as staff read it: the spelling
// the record declares for it other than the value itself ("Không" for
// none, "Đặc biệt nặng" for especially_severe), with its first letter
// upper case; a value declared with no other spelling is shown upper case
// when it is a short abbreviation ("BTXH" for btxh), else as it is. The
// rule set keeps spellings in lower case (they match ignoring case), so
// the case is restored here.
func EnumLabel(f *rules.Field, value string) string {
	var alts []string
	for s, v := range f.Spellings {
		if v == value && s != strings.ToLower(value) {
			alts = append(alts, s)
		}
	}
	if len(alts) == 0 {
		if len(value) <= 5 && !strings.ContainsAny(value, "_ -") && isLetters(value) {
			return strings.ToUpper(value)
		}
		return value
	}
	// Prefer a Vietnamese spelling (one with a letter outside ASCII), then
	// the longest (the full words rather than an abbreviation), then the
	// first in order, so that the choice does not depend on map order.
	sort.Slice(alts, func(i, j int) bool {
		vi, vj := !isASCII(alts[i]), !isASCII(alts[j])
		if vi != vj {
			return vi
		}
		if len(alts[i]) != len(alts[j]) {
			return len(alts[i]) > len(alts[j])
		}
		return alts[i] < alts[j]
	})
	s := alts[0]
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[n:]
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func isLetters(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return s != ""
}
