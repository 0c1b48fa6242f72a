package rules

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
)

// The Vietnamese of the most frequent problems a rule set can have, for
// [Error.In]. A message is translated by its format string (the Error's
// Format, the same verbs in the same order), else by one of the patterns
// below matched on the whole message (for messages built in several
// steps); what neither knows stays in English. Names, keys and values
// quoted in a message are never translated.

// formatsVI maps a format string of errs.add to its Vietnamese.
var formatsVI = map[string]string{
	// missing keys
	"%s is missing %s": "%s thiếu %s",
	"case %q: say which model it tests with `model:` (or add `model:` at the top of the file)":       "trường hợp %q: hãy ghi mô hình được kiểm thử bằng `model:` (hoặc thêm `model:` ở đầu tệp)",
	"%s need a model: add `model: <name>` at the top of the file":                                    "%s cần một mô hình: thêm `model: <tên>` ở đầu tệp",
	"parameter %s has no value: give `value` or dated `values`":                                      "tham số %s chưa có giá trị: hãy cho `value` hoặc các giá trị theo ngày `values`",
	"parameter %s has no value for %s here":                                                          "tham số %s chưa có giá trị cho %s ở đây",
	"parameter %s: say which instrument fixes the value with `source` (or `source: interpretation`)": "tham số %s: hãy ghi văn bản quy định giá trị bằng `source` (hoặc `source: interpretation`)",
	"the rule set's metadata is empty: give id, title, jurisdiction and in_force":                    "thông tin chung của bộ quy tắc đang trống: hãy ghi id, title, jurisdiction và in_force",
	// bad values
	"%s must be a mapping of keys to values, not %s":                                                      "%s phải là một bảng khóa và giá trị, không phải %s",
	"%s must be a mapping of names to definitions, not %s":                                                "%s phải là một bảng tên và định nghĩa, không phải %s",
	"%s must be a list, not %s":                                                                           "%s phải là một danh sách, không phải %s",
	"%s must be text, not %s":                                                                             "%s phải là văn bản, không phải %s",
	"%s is %q; it must be one of %s":                                                                      "%s là %q; chỉ được là một trong %s",
	"%s must be true or false, not %q":                                                                    "%s phải là true hoặc false, không phải %q",
	"%s must be a date written YYYY-MM-DD, not %q":                                                        "%s phải là ngày viết theo dạng YYYY-MM-DD, không phải %q",
	"%s must be a list of text":                                                                           "%s phải là một danh sách văn bản",
	"%s must be a single value, not %s":                                                                   "%s phải là một giá trị, không phải %s",
	"%s: the expression is empty":                                                                         "%s: biểu thức đang trống",
	"the phase ends (%s) before it starts (%s)":                                                           "giai đoạn kết thúc (%s) trước khi bắt đầu (%s)",
	"only a text input can list its values":                                                               "chỉ đầu vào kiểu văn bản mới được liệt kê các giá trị",
	"parameter %s is keyed by %q, which must be a text input":                                             "tham số %s được chọn theo %q, đầu vào này phải có kiểu văn bản",
	"parameter %s is keyed by %s: give a value for each of %s":                                            "tham số %s được chọn theo %s: hãy cho giá trị cho từng %s",
	"parameter %s has both `value` (one value) and `values` (dated values); keep one":                     "tham số %s có cả `value` (một giá trị) và `values` (các giá trị theo ngày); chỉ giữ một",
	"parameter %s: with dated values, each value carries its own source":                                  "tham số %s: với các giá trị theo ngày, mỗi giá trị ghi văn bản nguồn của nó",
	"%s %q must be lower case letters, digits and _ , starting with a letter (it is used in expressions)": "%s %q chỉ gồm chữ thường, chữ số và _, bắt đầu bằng một chữ cái (tên này dùng trong biểu thức)",
	// duplicates
	"key %q appears twice in %s (first at line %d)":                         "khóa %q xuất hiện hai lần trong %s (lần đầu ở dòng %d)",
	"%q is defined twice in %s (first at line %d)":                          "%q được định nghĩa hai lần trong %s (lần đầu ở dòng %d)",
	"rule %q is defined twice (first at %s:%d)":                             "quy tắc %q được định nghĩa hai lần (lần đầu ở %s:%d)",
	"parameter %q is defined twice (first at %s:%d)":                        "tham số %q được định nghĩa hai lần (lần đầu ở %s:%d)",
	"input %q of model %s is declared twice":                                "đầu vào %q của mô hình %s được khai báo hai lần",
	"rule set id %q is used twice (also by %s)":                             "mã bộ quy tắc %q được dùng hai lần (cả ở %s)",
	"%s %q has the name of another input, parameter or formula of model %s": "%s %q trùng tên với một đầu vào, tham số hoặc công thức khác của mô hình %s",
	"model %s declares its record twice":                                    "mô hình %s khai báo bản ghi hai lần",
	// unknown names
	"parameter %s is keyed by %q, which is not an input of model %s": "tham số %s được chọn theo %q, nhưng đó không phải là đầu vào của mô hình %s",
	"record %s %q is not a declared field":                           "%s %q của bản ghi không phải là một trường đã khai báo",
	// dated values
	"parameter %s has no value from %s (the phase start) to %s":                                             "tham số %s không có giá trị từ %s (ngày bắt đầu giai đoạn) đến %s",
	"parameter %s has no value from %s to %s: the value from %s ends on %s":                                 "tham số %s không có giá trị từ %s đến %s: giá trị từ %s hết hiệu lực ngày %s",
	"parameter %s: the value from %s ends (%s) before it starts":                                            "tham số %s: giá trị từ %s kết thúc (%s) trước khi bắt đầu",
	"parameter %s: the value from %s runs to %s, past the next value's start %s":                            "tham số %s: giá trị từ %s kéo dài đến %s, quá ngày bắt đầu của giá trị kế tiếp %s",
	"parameter %s: dated values must be in order of their dates, each after the one before (%s follows %s)": "tham số %s: các giá trị theo ngày phải theo thứ tự ngày, giá trị sau sau giá trị trước (%s đứng sau %s)",
	// cases
	"case %q tests model %q, which this rule set does not define":    "trường hợp %q kiểm thử mô hình %q, nhưng bộ quy tắc này không có mô hình đó",
	"case %q is dated %s, outside the phase %s to %s":                "trường hợp %q có ngày %s, ngoài giai đoạn %s đến %s",
	"case %q expects rule %q to fail, but model %s has no such rule": "trường hợp %q chờ quy tắc %q không đạt, nhưng mô hình %s không có quy tắc đó",
	// reading
	"cannot read: %v":                                        "không đọc được: %v",
	"cannot read the rule directory: %v":                     "không đọc được thư mục quy tắc: %v",
	"no rule set here: a rule set is a directory holding %s": "ở đây không có bộ quy tắc: một bộ quy tắc là một thư mục có tệp %s",
	"no %s in this directory":                                "thư mục này không có %s",
	"formulas depend on each other in a circle: %s":          "các công thức phụ thuộc lẫn nhau thành vòng: %s",
	// language and budget
	"model %s: its program has a loop or an instruction outside the rule language (a fault of the engine: please report it)":                                                                                                                 "mô hình %s: chương trình có vòng lặp hoặc lệnh ngoài ngôn ngữ quy tắc (lỗi của bộ máy: xin hãy báo lại)",
	"rule %s: checking whether it can pass and fail means evaluating it %d times (%d combinations of its inputs on %d dates), more than the budget allows (%s units of work, the budget is %d); read fewer inputs in this rule, or split it": "quy tắc %s: kiểm tra xem nó có thể đạt và không đạt cần tính %d lần (%d tổ hợp đầu vào trên %d ngày), vượt hạn mức (%s đơn vị công việc, hạn mức là %d); hãy đọc ít đầu vào hơn trong quy tắc này, hoặc tách nó ra",
	"%s: with the expressions before it, an evaluation of model %s takes more than %d steps":                                                                                                                                                 "%s: cùng các biểu thức trước nó, một lần tính mô hình %s cần hơn %d bước",
	"%s: with the expressions before it, an evaluation of model %s can build more than %d bytes of values (%s); compute less":                                                                                                                "%s: cùng các biểu thức trước nó, một lần tính mô hình %s có thể tạo hơn %d byte giá trị (%s); hãy tính ít hơn",
	"%s: this expression can build a value of more than %d bytes or digits (%s: each use of a name repeats its value); compute less":                                                                                                         "%s: biểu thức này có thể tạo một giá trị hơn %d byte hoặc chữ số (%s: mỗi lần dùng một tên lặp lại giá trị của nó); hãy tính ít hơn",
	"%s: the expression is %d bytes long, more than the %d a rule file may use":                                                                                                                                                              "%s: biểu thức dài %d byte, quá %d byte mà một tệp quy tắc được dùng",
	"a rule set may have at most %d YAML files; this one is not read":                                                                                                                                                                        "một bộ quy tắc có nhiều nhất %d tệp YAML; tệp này không được đọc",
}

// patternsVI translate messages built in several steps (the format is then
// "%s"), matched on the whole message; $1, $2 … are the parts kept. They
// are compiled the first time a message is translated, not when a program
// starts.
var patternsVI = sync.OnceValue(func() []translation {
	return []translation{
		{regexp.MustCompile(`^unknown key ("[^"]*") in (.*) \(did you mean ("[^"]*")\?\)$`), "khóa không hợp lệ $1 trong $2 (có phải là $3?)"},
		{regexp.MustCompile(`^unknown key ("[^"]*") in (.*) \(allowed: (.*)\)$`), "khóa không hợp lệ $1 trong $2 (các khóa được dùng: $3)"},
		{regexp.MustCompile(`^(.*): ("[^"]*") is not an input, parameter or formula of this model \(did you mean ("[^"]*")\?\)$`), "$1: $2 không phải là đầu vào, tham số hay công thức của mô hình này (có phải là $3?)"},
		{regexp.MustCompile(`^(.*): ("[^"]*") is not an input, parameter or formula of this model$`), "$1: $2 không phải là đầu vào, tham số hay công thức của mô hình này"},
		{regexp.MustCompile(`^(.*): the expression does not parse: (.*)$`), "$1: biểu thức sai cú pháp: $2"},
		{regexp.MustCompile(`^(.*): the expression cannot be compiled: (.*)$`), "$1: biểu thức không biên dịch được: $2"},
		{regexp.MustCompile(`^model ("[^"]*") has no inputs, rules or formulas in any file of this rule set(?: \(did you mean ("[^"]*")\?\))?$`), "mô hình $1 không có đầu vào, quy tắc hay công thức trong tệp nào của bộ quy tắc này"},
		{regexp.MustCompile(`^interpretation (\S+) applies to ("[^"]*"), which is no rule, parameter, formula or input of this rule set$`), "cách hiểu $1 áp dụng cho $2, nhưng đó không phải là quy tắc, tham số, công thức hay đầu vào nào của bộ quy tắc này"},
		{regexp.MustCompile(`^(.*): (.*) is not allowed in the rule language(.*)$`), "$1: $2 không được dùng trong ngôn ngữ quy tắc$3"},
		{regexp.MustCompile(`^warning: rule (\S+) is an interpretation, not enacted text; its reading is in the interpretations of (\S+)$`), "cảnh báo: quy tắc $1 là cách hiểu, không phải văn bản đã ban hành; cách hiểu được ghi trong phần interpretations của $2"},
		{regexp.MustCompile(`^warning: parameter (\S+) is an interpretation, not fixed by an instrument$`), "cảnh báo: tham số $1 là cách hiểu, không do văn bản nào quy định"},
		{regexp.MustCompile(`^warning: rule (\S+) can never pass: no value its inputs may take makes (.*) true$`), "cảnh báo: quy tắc $1 không bao giờ đạt: không giá trị đầu vào nào làm $2 đúng"},
		{regexp.MustCompile(`^warning: rule (\S+) can never fail: every value its inputs may take makes (.*) true$`), "cảnh báo: quy tắc $1 không bao giờ không đạt: mọi giá trị đầu vào đều làm $2 đúng"},
		{regexp.MustCompile(`^warning: parameter (\S+): its last value dates from (\S+), more than (\d+) years before (\S+); check that no newer instrument has changed it$`), "cảnh báo: tham số $1: giá trị cuối có từ $2, trước $4 hơn $3 năm; hãy kiểm tra chưa có văn bản mới thay đổi nó"},
		{regexp.MustCompile(`^warning: the phase of (\S+) \((\S+) to (\S+)\) overlaps that of (\S+) \((\S+) to (\S+)\); on the common days (\S+) applies$`), "cảnh báo: giai đoạn của $1 ($2 đến $3) trùng với giai đoạn của $4 ($5 đến $6); trong những ngày trùng, áp dụng $7"},
		{regexp.MustCompile(`^yaml: line (\d+): (.*)$`), "lỗi cú pháp YAML ở dòng $1: $2"},
	}
})

// translation is a pattern of English and its Vietnamese.
type translation struct {
	re *regexp.Regexp
	vi string
}

// termsVI translate the English phrases that name a place in a rule file
// ("a rule", "rule resident"), passed as arguments of a format.
var termsVI = sync.OnceValue(func() []translation {
	return []translation{
		{regexp.MustCompile(`^the rule set's metadata$`), "thông tin chung của bộ quy tắc"},
		{regexp.MustCompile(`^an? (rule|parameter|formula|input|case|record|field|source|interpretation|value|check)$`), "một $1"},
		{regexp.MustCompile(`^(rule|parameter|formula|input|case|field|model) (.+)$`), "$1 $2"},
	}
})

var wordsVI = map[string]string{
	"rule": "quy tắc", "parameter": "tham số", "formula": "công thức", "input": "đầu vào", "case": "trường hợp",
	"record": "bản ghi", "field": "trường", "source": "văn bản nguồn", "interpretation": "cách hiểu", "value": "giá trị",
	"check": "kiểm tra", "model": "mô hình",
}

// termVI translates an argument that names a place, else returns it as is.
func termVI(s string) string {
	for _, t := range termsVI() {
		if m := t.re.FindStringSubmatch(s); m != nil {
			out := t.re.ReplaceAllString(s, t.vi)
			return strings.Replace(out, m[1], wordsVI[m[1]], 1)
		}
	}
	return s
}

// messageVI is e's message in Vietnamese, or in English where the
// catalogue does not know it.
func messageVI(e *Error) string {
	if vi, ok := formatsVI[e.Format]; ok {
		args := make([]any, len(e.Args))
		for i, a := range e.Args {
			if s, ok := a.(string); ok {
				a = termVI(s)
			}
			args[i] = a
		}
		return fmt.Sprintf(vi, args...)
	}
	for _, p := range patternsVI() {
		if p.re.MatchString(e.Message) {
			out := p.re.ReplaceAllString(e.Message, p.vi)
			return translatePlaces(out)
		}
	}
	return e.Message
}

// translatePlaces turns the English names of places left in a translated
// message ("rule resident: …", "… trong a rule") into Vietnamese.
func translatePlaces(s string) string {
	if head, rest, ok := strings.Cut(s, ": "); ok && termVI(head) != head {
		s = termVI(head) + ": " + rest
	}
	for en, vi := range map[string]string{" trong a rule": " trong một quy tắc", " trong a parameter": " trong một tham số", " trong a formula": " trong một công thức",
		" trong an input": " trong một đầu vào", " trong a case": " trong một trường hợp", " trong a source": " trong một văn bản nguồn", " trong the rule set's metadata": " trong thông tin chung của bộ quy tắc"} {
		s = strings.Replace(s, en, vi, 1)
	}
	return s
}
