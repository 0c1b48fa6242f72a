package rules

import (
	"sync"
	"time"

	"github.com/expr-lang/expr/vm"
	"github.com/hotro-vn/hotro/admin"
	"github.com/shopspring/decimal"
)

// Text is a message in Vietnamese and English.
type Text struct {
	VI string `json:"vi,omitempty"`
	EN string `json:"en,omitempty"`
}

// In returns the text in the language lang ("vi" or "en"), falling back to
// the other when that one is empty.
func (t Text) In(lang string) string {
	if lang == "en" && t.EN != "" || t.VI == "" {
		return t.EN
	}
	return t.VI
}

// Kind is the type of an input, parameter or formula as rule files name it.
type Kind string

// The kinds a rule file can declare. Money is a decimal amount in whole
// đồng; decimal is any exact decimal (a coefficient, a share).
const (
	KindBool    Kind = "bool"
	KindInt     Kind = "int"
	KindDecimal Kind = "decimal"
	KindMoney   Kind = "money"
	KindText    Kind = "text"
	// KindDate is a day (a record's date or month field, and the evaluation
	// date); expressions pass it to functions such as age_on.
	KindDate Kind = "date"
	// KindCommune is a commune as commune_on finds it on a date, with
	// .code, .name, .type, .province, .province_name, .district,
	// .district_name and .reformed.
	KindCommune Kind = "commune"
)

var kinds = []string{string(KindBool), string(KindInt), string(KindDecimal), string(KindMoney), string(KindText)}

// Pos is where something is defined in a rule file.
type Pos struct {
	File   string
	Line   int
	Column int
}

// Metadata describes a rule set: what it is, where and when it is in force,
// and the legal sources it encodes.
type Metadata struct {
	ID string
	// Policy names the policy the set is a phase of; the sets of one
	// library share it (see LoadDirPolicy).
	Policy       string
	Title        string
	Description  string
	Jurisdiction Jurisdiction
	// Status is "enacted" or "draft"; a draft is an example, not law.
	Status string
	// From and To bound the phase, both days included.
	From, To        time.Time
	Sources         []Source
	Interpretations []Interpretation
	// Levels are the administrative levels that take part, in order (for
	// example commune, district, province). Rule sets use them as data.
	Levels []Level
}

// Jurisdiction is the administrative unit a rule set applies to.
type Jurisdiction struct {
	Code string // GSO code, e.g. "42" for Hà Tĩnh
	Name string
}

// Source is a legal instrument or document a rule set encodes.
type Source struct {
	ID       string
	Citation string
	Date     time.Time
	Status   string
	Note     string
}

// Interpretation records a choice made where the sources are silent, so
// that policy staff can see and change it.
type Interpretation struct {
	ID      string
	Text    Text
	Applies []string // ids of the rules, parameters, formulas or inputs it shapes
	Pos     Pos
}

// Level is one administrative level taking part in a rule set.
type Level struct {
	ID   string
	Name Text
}

// Input is a value the program embedding the rules supplies for each
// evaluation of a model.
type Input struct {
	Name        string
	Kind        Kind
	Unit        string
	Values      []string // the allowed values of a text input; empty = any
	Optional    bool     // may be absent: it is then zero and has_<name> is false
	Description Text
	Pos         Pos
}

// Param is a parameter: a value fixed by a legal instrument, usually dated.
type Param struct {
	Name        string
	Kind        Kind
	Unit        string
	By          string   // the text input that selects among Keys; "" for a single value
	Keys        []string // the values of By that every dated value must cover
	Values      []ParamValue
	Status      string // enacted or interpretation
	Description Text
	Pos         Pos
}

// ParamValue is a parameter's value from a date until the next value (or To).
type ParamValue struct {
	From   time.Time
	To     time.Time // zero = until the next value
	Value  any       // for a parameter without By
	ByKey  map[string]any
	Source string // the legal instrument that fixes it
	Pos    Pos
}

// Rule is a named condition. A model's evaluation passes when all its rules pass.
type Rule struct {
	ID          string
	Model       string
	Expr        string
	Cites       string
	Status      string // enacted or interpretation
	Message     Text   // what the condition requires, for explanations
	Description Text
	Pos         Pos
	// Vars are the inputs, parameters and formulas the rule reads, in the
	// order they appear, reported as the values a decision used.
	Vars    []string
	program *vm.Program
	at      Pos      // where the expression is
	cost    exprCost // its cost (sandbox.go)
}

// Formula is a named derived value, such as an allowance or a top-up.
type Formula struct {
	Name        string
	Model       string
	Kind        Kind
	Unit        string
	Expr        string
	Cites       string
	Status      string
	Description Text
	Pos         Pos
	Vars        []string
	// Values are the values a derived text may take; empty = any.
	Values  []string
	program *vm.Program
	at      Pos // where the expression is
}

// Model is what one kind of subject (a person, a sponsoring unit) is
// evaluated with: its inputs, rules and formulas.
type Model struct {
	Name string
	// Record is the record the model reads, nil for a model whose inputs
	// the embedding program supplies one by one. With a record, Inputs are
	// the record's fields then the Derived values.
	Record   *Record
	Derived  []*Derived
	derive   *Model // computes Derived from the fields and the date
	Inputs   []*Input
	Rules    []*Rule
	Formulas []*Formula // in the order they are computed
	hasNames []string   // "has_<name>" for each optional input, by input index
	// formulaVars are the inputs and parameters the formulas read.
	formulaVars []string

	// program computes every formula and rule in one run of the VM: the
	// formulas are let-bound in order, and it returns their values then the
	// rules' outcomes. One run instead of one per expression is what keeps
	// the engine near hand-written Go.
	program *vm.Program
	// fast is the same program compiled to closures (fast.go), nil where
	// the closures do not handle it.
	fast *fastProg
	// fastNum says, by formula, that the closures leave its value as a
	// number in the scratch's nums, not in its variable (bitmask only).
	fastNum []bool
	// names are the inputs and parameters any expression reads, each once;
	// refs index, for each rule, then for Used, into formulas ++ names.
	names    []string
	refs     [][]int
	usedRefs []int
	// inputVar, hasVar (by input; -1 for none) and paramVar (by
	// Set.Params index) are the program's variables that hold them;
	// keyInput (by Set.Params index) is the input that selects a keyed
	// parameter's value (-1 for none); nameVar is the variable of each of
	// names; variables is how many the program uses in all.
	inputVar, hasVar, paramVar, keyInput, nameVar []int
	// inputRead and paramRead (by Set.Params index) say which inputs and
	// parameters the program reads; the others are not written into it.
	inputRead, paramRead []bool
	variables            int
	// bitmask: the program returns the rules' outcomes as bits of an int,
	// and formula i is in variable prologue+i (see builder.combine).
	bitmask  bool
	prologue int
	// The cost of an evaluation (sandbox.go): the largest leaf apart from
	// the inputs, the sum of the weights of all nodes, the largest weight.
	static           int
	costSum, costMax float64
	maxLeaf          int // the largest input, in bytes or digits, an evaluation may take
}

// Input returns the declared input called name.
func (m *Model) Input(name string) (*Input, bool) {
	for _, in := range m.Inputs {
		if in.Name == name {
			return in, true
		}
	}
	return nil, false
}

// Set is a compiled rule set: one phase of one policy. It is immutable and
// safe for concurrent use by many goroutines.
type Set struct {
	Meta Metadata
	// Hash names what decides (docs/rules.md §13): parameters, records,
	// derived values, rules, formulas, levels and the phase, in a canonical
	// form, not test cases, texts or formatting. SourceHash is the sha256
	// of the files' names and bytes, which any edit changes.
	Hash       string
	SourceHash string
	Dir        string // where it was loaded from, as given to Load
	Params     []*Param
	Cases      []*Case
	models     map[string]*Model
	order      []string // model names in order of definition
	vms        sync.Pool
}

// Model returns the named model, or nil.
func (s *Set) Model(name string) *Model { return s.models[name] }

// Models returns the models' names in the order the files define them.
func (s *Set) Models() []string { return append([]string(nil), s.order...) }

// Param returns the named parameter, or nil.
func (s *Set) Param(name string) *Param {
	for _, p := range s.Params {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// Covers reports whether date is inside the set's phase.
func (s *Set) Covers(date time.Time) bool {
	d := day(date)
	return !d.Before(s.Meta.From) && !d.After(s.Meta.To)
}

// ShortHash is the first 12 hex digits of Hash, enough to tell versions apart.
func (s *Set) ShortHash() string { return s.Hash[:12] }

// day truncates t to its calendar day in its own location, as UTC midnight.
func day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// zero returns the zero value of a kind as evaluation uses it.
// zeroDecimal is boxed once: an absent optional amount costs no allocation.
var (
	zeroDecimal any = decimal.Zero
	zeroTime    any = time.Time{}
	zeroCommune any = admin.Commune{}
)

func (k Kind) zero() any {
	switch k {
	case KindBool:
		return false
	case KindInt:
		return 0
	case KindDecimal, KindMoney:
		return zeroDecimal
	case KindDate:
		return zeroTime
	case KindCommune:
		return zeroCommune
	default:
		return ""
	}
}
