package rules

import (
	"fmt"
	"sort"
	"strings"
)

// Code names a kind of error in a rule set. Codes are stable: tools and tests
// may match on them, and the messages around them may be reworded.
type Code string

// The kinds of error a rule set can contain.
const (
	CodeRead        Code = "read"            // a file or directory cannot be read
	CodeSyntax      Code = "yaml-syntax"     // the file is not valid YAML
	CodeUnknownKey  Code = "unknown-key"     // a key the format does not have (often a misspelling)
	CodeMissingKey  Code = "missing-key"     // a required key is absent
	CodeBadValue    Code = "bad-value"       // a value of the wrong form (date, number, enum …)
	CodeDuplicate   Code = "duplicate"       // an id, name or key defined twice
	CodeExprSyntax  Code = "expr-syntax"     // an expression that does not parse
	CodeExprType    Code = "expr-type"       // an expression of the wrong type, or ill-typed inside
	CodeUnknownName Code = "unknown-name"    // an expression names a field, parameter or function that does not exist
	CodeFloat       Code = "float"           // an expression would compute with floating point
	CodeCycle       Code = "cycle"           // formulas that depend on each other in a circle
	CodeParamGap    Code = "param-gap"       // a dated parameter has no value on some day of the phase
	CodeParamOrder  Code = "param-order"     // dated values out of order or overlapping
	CodeCase        Code = "case"            // a test case that is malformed
	CodeDomain      Code = "domain"          // the program embedding the rules cannot supply what the rules declare
	CodeForbidden   Code = "not-in-language" // an expression uses something outside the rule language (a method, a loop …)
	CodeBudget      Code = "budget"          // evaluating, or analysing, the rules could cost more than the budget
	CodeLimit       Code = "limit"           // a file or expression too large, not a regular file, or several YAML documents

	// Warnings: Library.Warnings reports them; they do not stop a rule set from loading.
	CodeInterpret    Code = "interpretation"  // a rule or parameter that is an interpretation, not enacted text
	CodeStale        Code = "stale-parameter" // a parameter whose last value is old
	CodeNeverPass    Code = "never-passes"    // a rule no input allowed by the declarations can make pass
	CodeNeverFail    Code = "never-fails"     // a rule no input allowed by the declarations can make fail
	CodePhaseOverlap Code = "phase-overlap"   // two rule sets in force on the same days
)

// Error is one problem in a rule set, located in its file. Line and Column
// are 1-based; they are 0 when the problem concerns a whole file or set.
type Error struct {
	File    string
	Line    int
	Column  int
	Code    Code
	Message string
	// Snippet, when set, shows the offending source line with a caret.
	Snippet string
	// Format and Args are what Message was built from (fmt.Sprintf), when
	// it was built in one step; In uses them to say it in another
	// language. Format is empty for a message built otherwise.
	Format string
	Args   []any
}

// In returns the error as Error does, with its message in lang ("vi" or
// "en"): the Vietnamese of the catalogue in messages_vi.go, or the English
// message where the catalogue has none.
func (e *Error) In(lang string) string {
	if lang != "vi" {
		return e.Error()
	}
	c := *e
	c.Message = messageVI(e)
	return c.Error()
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", e.Line, e.Column)
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	b.WriteString(e.Message)
	return b.String()
}

// Errors is every problem found in a rule set, sorted by file, line and
// column. It is returned as an error by Load; use errors.As to get at it, or
// errors.As with *Error to get the first problem.
type Errors []*Error

func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap lets errors.As and errors.Is look at each problem.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// Has reports whether some problem is of the given kind.
func (es Errors) Has(code Code) bool {
	for _, e := range es {
		if e.Code == code {
			return true
		}
	}
	return false
}

func (es Errors) sort() {
	sort.SliceStable(es, func(i, j int) bool {
		a, b := es[i], es[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
}

// errs collects problems while a rule set is read and checked.
type errs struct{ list Errors }

func (c *errs) add(file string, line, col int, code Code, format string, args ...any) {
	c.list = append(c.list, &Error{File: file, Line: line, Column: col, Code: code, Message: fmt.Sprintf(format, args...), Format: format, Args: args})
}

func (c *errs) err() error {
	if len(c.list) == 0 {
		return nil
	}
	c.list.sort()
	return c.list
}
