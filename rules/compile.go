package rules

import (
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/checker"
	"github.com/expr-lang/expr/compiler"
	"github.com/expr-lang/expr/conf"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/optimizer"
	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"
	"gopkg.in/yaml.v3"
)

// baseOptions are shared by every expression; building them once keeps
// loading fast.
var baseOptions = moneyOptions()

// compile type-checks every expression against its model's declared
// environment (inputs, has_ flags of optional inputs, parameters, the
// model's formulas), then orders the formulas by their dependencies.
func (b *builder) compile() {
	s := b.set
	params := map[string]*Param{}
	for _, p := range s.Params {
		params[p.Name] = p
	}
	b.buildRecordModels()
	envs := map[string]map[string]any{}
	var all []*Model // the models, and those that derive their inputs from records
	for _, name := range s.order {
		if d := s.models[name].derive; d != nil {
			all = append(all, d)
		}
		all = append(all, s.models[name])
	}
	for _, m := range all {
		name := m.Name
		env := map[string]any{}
		define := func(n string, k Kind, pos Pos, what string) {
			if _, dup := env[n]; dup {
				b.errs.add(pos.File, pos.Line, pos.Column, CodeDuplicate, "%s %q has the name of another input, parameter or formula of model %s", what, n, name)
				return
			}
			env[n] = k.zero()
		}
		for _, p := range s.Params {
			define(p.Name, p.Kind, p.Pos, "parameter")
		}
		m.hasNames = make([]string, len(m.Inputs))
		for i, in := range m.Inputs {
			define(in.Name, in.Kind, in.Pos, "input")
			if in.Optional {
				m.hasNames[i] = "has_" + in.Name
				define(m.hasNames[i], KindBool, in.Pos, "input")
			}
		}
		for _, f := range m.Formulas {
			define(f.Name, f.Kind, f.Pos, "formula")
		}
		envs[name] = env
	}
	b.compileExprs(envs)
	// A keyed parameter's selector must be a text input of every model that
	// reads the parameter, listing the parameter's keys among its values.
	for _, p := range s.Params {
		if p.By == "" {
			continue
		}
		for _, name := range s.order {
			if !reads(s.models[name], p.Name) {
				continue
			}
			in, ok := s.models[name].Input(p.By)
			if !ok {
				b.errs.add(p.Pos.File, p.Pos.Line, p.Pos.Column, CodeUnknownName, "parameter %s is keyed by %q, which is not an input of model %s", p.Name, p.By, name)
			} else if in.Kind != KindText {
				b.errs.add(p.Pos.File, p.Pos.Line, p.Pos.Column, CodeBadValue, "parameter %s is keyed by %q, which must be a text input", p.Name, p.By)
			} else if len(in.Values) > 0 {
				for _, k := range p.Keys {
					if !contains(in.Values, k) {
						b.errs.add(p.Pos.File, p.Pos.Line, p.Pos.Column, CodeBadValue, "parameter %s has key %q, which input %s cannot take (it takes %s)", p.Name, k, p.By, strings.Join(in.Values, ", "))
					}
				}
			}
		}
	}
	for _, m := range all {
		b.orderFormulas(m)
		b.budget(m)
	}
	b.checkRecords()
	sortParams(s.Params)
	if len(b.errs.list) == 0 {
		for _, m := range all {
			b.combine(m, envs[m.Name])
		}
		for _, name := range s.order {
			for _, r := range s.models[name].Rules {
				b.analysisBudget(s.models[name], r)
			}
		}
	}
}

// combine joins a model's formulas and rules, each already checked and
// patched on its own, into one program:
//
//	let age = ·; let zone = ·; … (every input, has_ flag and parameter)
//	let allowance = …; let income = …; … (the formulas, in order)
//	[allowance, income, …, rule 1, rule 2, …]
//
// It joins their syntax trees rather than their text: re-checking the text
// would run expr's operator overloading again, which misses operators on
// let variables inside the arguments of an overloaded call.
//
// Inputs and parameters are let variables, not names of an environment
// map: Eval writes them straight into the VM's variable slots, and the
// program's first instruction jumps over the placeholder assignments. A
// variable read is an index into a slice instead of a map lookup, which
// is most of what separates the engine from hand-written Go.
func (b *builder) combine(m *Model, env map[string]any) {
	index := map[string]int{}
	for i, f := range m.Formulas {
		index[f.Name] = i
	}
	// The result: when the formulas and rules declare no variables of their
	// own, the formulas' values are read from their variables after the
	// run and the program returns the rules' outcomes as the bits of one
	// number (no array to allocate); otherwise it returns an array of the
	// formulas' values and the rules' outcomes.
	m.bitmask = len(m.Rules) <= 62
	for _, f := range m.Formulas {
		m.bitmask = m.bitmask && !declaresVariables(f.program.Node())
	}
	for _, r := range m.Rules {
		m.bitmask = m.bitmask && !declaresVariables(r.program.Node())
	}
	var root ast.Node
	if m.bitmask {
		var sum ast.Node = &ast.IntegerNode{Value: 0}
		for i, r := range m.Rules {
			bit := &ast.ConditionalNode{Cond: r.program.Node(), Exp1: &ast.IntegerNode{Value: 1 << i}, Exp2: &ast.IntegerNode{Value: 0}}
			sum = &ast.BinaryNode{Operator: "+", Left: sum, Right: bit}
		}
		root = sum
	} else {
		list := &ast.ArrayNode{}
		for _, f := range m.Formulas {
			list.Nodes = append(list.Nodes, &ast.IdentifierNode{Value: f.Name})
		}
		for _, r := range m.Rules {
			list.Nodes = append(list.Nodes, r.program.Node())
		}
		root = list
	}
	for i := len(m.Formulas) - 1; i >= 0; i-- {
		root = &ast.VariableDeclaratorNode{Name: m.Formulas[i].Name, Value: m.Formulas[i].program.Node(), Expr: root}
	}
	// The prologue: one placeholder let per input, has_ flag and parameter,
	// in that order, so that variable k of the program is prologue[k].
	var prologue []string
	for i, in := range m.Inputs {
		prologue = append(prologue, in.Name)
		m.inputVar = append(m.inputVar, i)
	}
	for i, in := range m.Inputs {
		m.hasVar = append(m.hasVar, -1)
		if in.Optional {
			m.hasVar[i] = len(prologue)
			prologue = append(prologue, m.hasNames[i])
		}
	}
	for _, p := range b.set.Params {
		m.paramVar = append(m.paramVar, len(prologue))
		prologue = append(prologue, p.Name)
		m.keyInput = append(m.keyInput, indexOf(inputNames(m), p.By))
		m.paramRead = append(m.paramRead, reads(m, p.Name))
	}
	// Only what the program reads is written into its variables at each
	// evaluation: a record's other fields and the set's other parameters
	// (the quota models', say) cost nothing per decision.
	for i, in := range m.Inputs {
		read := reads(m, in.Name) || m.hasVar[i] >= 0 && reads(m, m.hasNames[i])
		for j, p := range b.set.Params {
			read = read || p.By == in.Name && m.paramRead[j]
		}
		m.inputRead = append(m.inputRead, read)
	}
	for i := len(prologue) - 1; i >= 0; i-- {
		c := &ast.ConstantNode{Value: env[prologue[i]]}
		c.SetType(reflect.TypeOf(c.Value))
		root = &ast.VariableDeclaratorNode{Name: prologue[i], Value: c, Expr: root}
	}
	if b.combineConfig == nil { // the same for every model
		b.combineConfig = conf.CreateNew()
		for _, op := range append(append([]expr.Option{}, baseOptions...), expr.Env(map[string]any{})) {
			op(b.combineConfig)
		}
		for name := range b.combineConfig.Disabled {
			delete(b.combineConfig.Builtins, name)
		}
	}
	config := b.combineConfig
	tree := &parser.Tree{Node: root, Source: file.NewSource("")}
	_, err := checker.Check(tree, config)
	var prog *vm.Program
	if err == nil {
		prog, err = compiler.Compile(tree, config)
	}
	if err != nil {
		// Each part compiled alone, so this is a fault of the engine, not of the rule file.
		panic(fmt.Sprintf("rules: model %s: the combined program does not compile: %v", m.Name, err))
	}
	// The prologue compiled to a push and a store per variable, storing
	// variable k at step k; replace its first instruction by a jump past it.
	k := len(prologue)
	m.prologue = k
	for i := 0; i < k; i++ {
		if prog.Bytecode[2*i] != vm.OpPush || prog.Bytecode[2*i+1] != vm.OpStore || prog.Arguments[2*i+1] != i {
			panic(fmt.Sprintf("rules: model %s: unexpected prologue at step %d of the combined program (expr changed?)", m.Name, 2*i))
		}
	}
	for i, op := range prog.Bytecode {
		if op == vm.OpStore && prog.Arguments[i]+1 > m.variables {
			m.variables = prog.Arguments[i] + 1
		}
	}
	if !checkSteps(prog) {
		// The allow-list should make this impossible: a fault of the engine, refused rather than run.
		p := Pos{File: b.set.Dir}
		if len(m.Rules) > 0 {
			p = m.Rules[0].Pos
		}
		b.errs.add(p.File, p.Line, p.Column, CodeForbidden, "model %s: its program has a loop or an instruction outside the rule language (a fault of the engine: please report it)", m.Name)
		return
	}
	if k > 0 {
		prog.Bytecode[0], prog.Arguments[0] = vm.OpJump, 2*k-1
	}
	m.program = prog
	if fast, err := compileFast(tree.Node, k, m.bitmask); err == nil && len(fast.numLet) == m.variables {
		m.fast = fast
		m.fastNum = make([]bool, len(m.Formulas))
		for i := range m.Formulas {
			m.fastNum[i] = m.bitmask && fast.numLet[k+i]
		}
	}
	ref := func(name string) int {
		if i, ok := index[name]; ok {
			return i
		}
		if i := indexOf(m.names, name); i >= 0 {
			return len(m.Formulas) + i
		}
		m.names = append(m.names, name)
		m.nameVar = append(m.nameVar, indexOf(prologue, name))
		return len(m.Formulas) + len(m.names) - 1
	}
	m.refs = make([][]int, len(m.Rules))
	for i, r := range m.Rules {
		for _, v := range r.Vars {
			m.refs[i] = append(m.refs[i], ref(v))
		}
	}
	for _, v := range m.formulaVars {
		m.usedRefs = append(m.usedRefs, ref(v))
	}
}

// declaresVariables reports whether an expression has a let of its own.
func declaresVariables(root ast.Node) bool {
	found := false
	ast.Walk(&root, visitor(func(n ast.Node) {
		if _, ok := n.(*ast.VariableDeclaratorNode); ok {
			found = true
		}
	}))
	return found
}

// reads reports whether some rule or formula of m reads name.
func reads(m *Model, name string) bool {
	for _, r := range m.Rules {
		if contains(r.Vars, name) {
			return true
		}
	}
	for _, f := range m.Formulas {
		if contains(f.Vars, name) {
			return true
		}
	}
	return false
}

func inputNames(m *Model) []string {
	names := make([]string, len(m.Inputs))
	for i, in := range m.Inputs {
		names[i] = in.Name
	}
	return names
}

// exprJob is one expression of a rule or formula to compile, with what
// compiling it gives: its program, the names it reads, its problems.
type exprJob struct {
	pe       pendingExpr
	model    string
	want     Kind
	what     string
	admitted bool // within the limits: compiled
	prog     *vm.Program
	vars     []string
	errs     errs
}

// compileExprs compiles the pending expressions. Each is checked and
// compiled on its own, so they are shared among the processors; their
// problems are then reported in the order of the expressions, as one
// after the other would report them.
func (b *builder) compileExprs(envs map[string]map[string]any) {
	jobs := make([]exprJob, len(b.pending))
	for i, pe := range b.pending {
		j := &jobs[i]
		j.pe = pe
		if pe.rule != nil {
			j.model, j.want, j.what = pe.rule.Model, KindBool, "rule "+pe.rule.ID
		} else {
			j.model, j.want, j.what = pe.formula.Model, pe.formula.Kind, "formula "+pe.formula.Name
		}
		j.admitted = b.admitExpr(j.reader(), pe.node, j.what)
	}
	// A config is not safe for concurrent use: each goroutine has its own,
	// one for each model.
	workers := min(runtime.GOMAXPROCS(0), len(jobs))
	configs := make([]map[string]*conf.Config, workers)
	parallel(workers, len(jobs), func(worker, i int) {
		j := &jobs[i]
		if !j.admitted {
			return
		}
		if configs[worker] == nil {
			configs[worker] = map[string]*conf.Config{}
		}
		config := configs[worker][j.model]
		if config == nil {
			config = exprConfig(envs[j.model])
			configs[worker][j.model] = config
		}
		j.prog, j.vars = compileExpr(j.reader(), j.pe.node, envs[j.model], config, j.want, j.what)
	})
	for i := range jobs {
		j := &jobs[i]
		b.errs.list = append(b.errs.list, j.errs.list...)
		if j.pe.rule != nil {
			j.pe.rule.program, j.pe.rule.Vars = j.prog, j.vars
		} else {
			j.pe.formula.program, j.pe.formula.Vars = j.prog, j.vars
		}
	}
}

// parallel calls f(worker, i) for every i from 0 to n-1 on that many
// goroutines (worker, from 0, tells them apart), taking the i in order.
// When some calls panic, it panics as the first of them did, once the
// calls under way are done: as calling them in order would, but for the
// calls after it that ran meanwhile.
func parallel(workers, n int, f func(worker, i int)) {
	var next atomic.Int64
	panics := make([]any, n)
	panicked := make([]bool, n)
	work := func(worker int) {
		for {
			i := int(next.Add(1)) - 1
			if i >= n {
				return
			}
			func() {
				defer func() {
					if x := recover(); x != nil {
						panics[i], panicked[i] = x, true
						next.Store(int64(n)) // start no more
					}
				}()
				f(worker, i)
			}()
		}
	}
	var wg sync.WaitGroup
	for w := 1; w < workers; w++ {
		wg.Go(func() { work(w) })
	}
	work(0)
	wg.Wait()
	for i := range n {
		if panicked[i] {
			panic(panics[i])
		}
	}
}

// reader is the job's file, reporting to the job's problems.
func (j *exprJob) reader() *reader {
	r := *j.pe.r
	r.errs = &j.errs
	return &r
}

// admitExpr reports whether an expression is to be compiled: not empty,
// and within the limits on its length and on the length of all of them.
func (b *builder) admitExpr(r *reader, n *yaml.Node, what string) bool {
	src := n.Value
	if n.Kind != yaml.ScalarNode || strings.TrimSpace(src) == "" {
		r.errorf(n, CodeBadValue, "%s: the expression is empty", what)
		return false
	}
	if len(src) > MaxExprLen {
		r.errorf(n, CodeLimit, "%s: the expression is %d bytes long, more than the %d a rule file may use", what, len(src), MaxExprLen)
		return false
	}
	if b.exprBytes += len(src); b.exprBytes > MaxExprTotal {
		if b.exprBytes-len(src) <= MaxExprTotal { // reported once; the rest is not compiled
			r.errorf(n, CodeLimit, "%s: with this expression, the expressions of the rule set hold more than %d bytes together; the rest are not checked", what, MaxExprTotal)
		}
		return false
	}
	return true
}

// exprConfig is expr's configuration for the expressions of a model, the
// one expr.Compile(src, baseOptions..., expr.Env(env)) makes: made once
// for all of them instead of twice for each (with recheck's).
func exprConfig(env map[string]any) *conf.Config {
	config := conf.CreateNew()
	for _, op := range append(append([]expr.Option{}, baseOptions...), expr.Env(env)) {
		op(config)
	}
	for name := range config.Disabled {
		delete(config.Builtins, name)
	}
	config.Check()
	return config
}

// compileWith is expr.Compile with a configuration made already.
func compileWith(src string, config *conf.Config) (*vm.Program, error) {
	tree, err := checker.ParseCheck(src, config)
	if err != nil {
		return nil, err
	}
	if config.Optimize {
		if err = optimizer.Optimize(&tree.Node, config); err != nil {
			var fileError *file.Error
			if errors.As(err, &fileError) {
				return nil, fileError.Bind(tree.Source)
			}
			return nil, err
		}
	}
	return compiler.Compile(tree, config)
}

// compileExpr checks one admitted expression and returns its program and
// the names it reads; its problems go to r.
func compileExpr(r *reader, n *yaml.Node, env map[string]any, config *conf.Config, want Kind, what string) (*vm.Program, []string) {
	src := n.Value
	report := func(code Code, fe *file.Error, format string, args ...any) {
		line, col := r.exprPos(n, fe.Line, fe.Column)
		msg := fmt.Sprintf(format, args...)
		r.errs.list = append(r.errs.list, &Error{File: r.file, Line: line, Column: col, Code: code, Message: msg, Snippet: snippetOf(r, line, col)})
	}
	tree, err := parser.Parse(src)
	if err != nil {
		var fe *file.Error
		if errors.As(err, &fe) {
			report(CodeExprSyntax, fe, "%s: the expression does not parse: %s", what, fe.Message)
		} else {
			r.errorf(n, CodeExprSyntax, "%s: the expression does not parse: %v", what, err)
		}
		return nil, nil
	}
	// The language is an allow-list (sandbox.go): nothing else reaches expr's
	// checker, which would let methods of Go values be called.
	if bad, code, msg := language(tree.Node); bad != nil {
		fe := (&file.Error{Location: bad.Location()}).Bind(file.NewSource(src))
		report(code, fe, "%s: %s", what, msg)
		return nil, nil
	}
	// expr's checker lets an unknown name pass inside the arguments of an
	// overloaded function (max, round_up …), so names are checked here first.
	if unknown := unknownNames(tree.Node, env); len(unknown) > 0 {
		for _, id := range unknown {
			fe := (&file.Error{Location: id.Location()}).Bind(file.NewSource(src))
			msg := fmt.Sprintf("%q is not an input, parameter or formula of this model", id.Value)
			if s := nearest(id.Value, sortedKeys(env)); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			report(CodeUnknownName, fe, "%s: %s", what, msg)
		}
		return nil, nil
	}
	prog, err := compileWith(src, config)
	// expr's checker keeps the type it gave a call in an earlier pass and
	// then skips the call's arguments (expr v1.17.8, Checker.callNode): a
	// mistake inside the arguments of an overloaded function, such as
	// max(p, foo(1)), goes unreported and fails at run time, or makes the
	// compiler panic (round(max(0, p, 1), 0)). Check again with the calls'
	// types cleared to find it.
	if fe := (*file.Error)(nil); err == nil || !errors.As(err, &fe) {
		if rerr := recheck(src, config); rerr != nil {
			err = rerr
		}
	}
	if err != nil {
		var fe *file.Error
		if !errors.As(err, &fe) {
			msg, _, _ := strings.Cut(err.Error(), "\n") // a panic inside expr, with its stack
			r.errorf(n, CodeExprType, "%s: the expression cannot be compiled: %s", what, msg)
			return nil, nil
		}
		code, msg := CodeExprType, fe.Message
		if strings.HasPrefix(msg, "unknown name ") && isCall(src, fe) {
			code = CodeUnknownName
			name := strings.TrimPrefix(msg, "unknown name ")
			msg = fmt.Sprintf("there is no function %q", name)
			if contains(disabledBuiltins, name) {
				msg = fmt.Sprintf("the function %q is not available in rules: rules never read the clock and never compute with floats", name)
			}
		} else if strings.HasPrefix(msg, "unknown name ") {
			code = CodeUnknownName
			name := strings.TrimPrefix(msg, "unknown name ")
			msg = fmt.Sprintf("%q is not an input, parameter or formula of this model", name)
			if s := nearest(name, sortedKeys(env)); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
		} else if strings.HasPrefix(msg, "unknown func") {
			code = CodeUnknownName
		}
		report(code, fe, "%s: %s", what, msg)
		return nil, nil
	}
	// No float may survive: float literals became decimals, so a float here
	// comes from a builtin or a division of ints the overloads did not catch.
	var floatAt *file.Location
	var vars []string
	root := prog.Node()
	ast.Walk(&root, visitor(func(node ast.Node) {
		if t := node.Type(); t != nil && (t.Kind() == reflect.Float64 || t.Kind() == reflect.Float32) && floatAt == nil {
			loc := node.Location()
			floatAt = &loc
		}
		if id, ok := node.(*ast.IdentifierNode); ok {
			if _, known := env[id.Value]; known && !contains(vars, id.Value) {
				vars = append(vars, id.Value)
			}
		}
	}))
	// A condition whose type is not known until run time (a ?? 0) would
	// fail then: report it now.
	if cond := untypedCondition(root); cond != nil {
		fe := (&file.Error{Location: cond.Location()}).Bind(file.NewSource(src))
		report(CodeExprType, fe, "%s: the type of this condition cannot be told when the rules are loaded; it must be true or false", what)
		return nil, nil
	}
	// An operator left on a decimal after patching would fail at run time
	// (expr misses some overloads when a type is known only late): report
	// it now.
	if bad := unpatchedOperator(root); bad != nil {
		fe := (&file.Error{Location: bad.Location()}).Bind(file.NewSource(src))
		report(CodeExprType, fe, "%s: the types around %q cannot be worked out when the rules are loaded; split the expression or wrap a part in dec(…)", what, bad.Operator)
		return nil, nil
	}
	if floatAt != nil {
		fe := (&file.Error{Location: *floatAt}).Bind(file.NewSource(src))
		report(CodeFloat, fe, "%s: this computes with floating point, which is not exact; use decimals (for example dec(x) or a decimal parameter)", what)
		return nil, nil
	}
	got := kindOf(prog.Node().Type())
	if !sameKind(got, want) {
		fe := (&file.Error{Location: prog.Node().Location()}).Bind(file.NewSource(src))
		gotName := string(got)
		if gotName == "" {
			gotName = "a value whose type cannot be told when the rules are loaded (write both branches of a condition with the same type, e.g. dec(0) for money)"
		}
		if want == KindBool {
			report(CodeExprType, fe, "%s: a condition must be true or false, but this expression gives %s", what, gotName)
		} else {
			report(CodeExprType, fe, "%s is declared %s, but its expression gives %s", what, want, gotName)
		}
		return nil, nil
	}
	// vars keep the order of appearance, which is how a decision lists them.
	return prog, vars
}

func sameKind(got, want Kind) bool {
	if want == KindMoney {
		want = KindDecimal
	}
	return got == want
}

func snippetOf(r *reader, line, col int) string {
	if line < 1 || line > len(r.src) {
		return ""
	}
	l := strings.ReplaceAll(r.src[line-1], "\t", " ")
	if col < 1 {
		col = 1
	}
	return " | " + l + "\n | " + strings.Repeat(".", col-1) + "^"
}

// orderFormulas sorts a model's formulas so each comes after those it reads,
// and reports circles.
func (b *builder) orderFormulas(m *Model) {
	byName := map[string]*Formula{}
	for _, f := range m.Formulas {
		byName[f.Name] = f
	}
	for _, f := range m.Formulas {
		for _, v := range f.Vars {
			if _, isFormula := byName[v]; !isFormula && !contains(m.formulaVars, v) {
				m.formulaVars = append(m.formulaVars, v)
			}
		}
	}
	var ordered []*Formula
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(f *Formula, path []string)
	visit = func(f *Formula, path []string) {
		switch state[f.Name] {
		case 2:
			return
		case 1:
			i := indexOf(path, f.Name)
			cycle := append(append([]string{}, path[i:]...), f.Name)
			b.errs.add(f.Pos.File, f.Pos.Line, f.Pos.Column, CodeCycle, "formulas depend on each other in a circle: %s", strings.Join(cycle, " → "))
			return
		}
		state[f.Name] = 1
		for _, v := range f.Vars {
			if dep, ok := byName[v]; ok {
				visit(dep, append(path, f.Name))
			}
		}
		state[f.Name] = 2
		ordered = append(ordered, f)
	}
	for _, f := range m.Formulas {
		visit(f, nil)
	}
	m.Formulas = ordered
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

// isCall reports whether the name an error points at is followed by "(".
func isCall(src string, fe *file.Error) bool {
	rest := []rune(src)
	if fe.From < 0 || fe.From >= len(rest) {
		return false
	}
	rest = rest[fe.From:]
	for i, r := range rest {
		if r == '(' {
			return true
		}
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || i > 0 && r == ' ') {
			return false
		}
	}
	return false
}

// unpatchedOperator returns a binary operator applied to a decimal, or to a
// value whose type is unknown, that the operator overloads did not replace.
func unpatchedOperator(root ast.Node) *ast.BinaryNode {
	var bad *ast.BinaryNode
	ast.Walk(&root, visitor(func(node ast.Node) {
		b, ok := node.(*ast.BinaryNode)
		if !ok || bad != nil {
			return
		}
		switch b.Operator {
		case "+", "-", "*", "/", "<", "<=", ">", ">=", "==", "!=", "%", "**", "^":
		default:
			return
		}
		for _, side := range []ast.Node{b.Left, b.Right} {
			if t := side.Type(); t == decType || t == nil || t.Kind() == reflect.Interface {
				bad = b
			}
		}
	}))
	return bad
}

// unknownNames returns the identifiers of an expression that name nothing
// in env: not function names, nor variables the expression declares itself.
func unknownNames(root ast.Node, env map[string]any) []*ast.IdentifierNode {
	callees := map[ast.Node]bool{}
	declared := map[string]bool{}
	ast.Walk(&root, visitor(func(node ast.Node) {
		switch n := node.(type) {
		case *ast.CallNode:
			callees[n.Callee] = true
		case *ast.VariableDeclaratorNode:
			declared[n.Name] = true
		}
	}))
	var out []*ast.IdentifierNode
	ast.Walk(&root, visitor(func(node ast.Node) {
		if id, ok := node.(*ast.IdentifierNode); ok && !callees[node] && !declared[id.Value] {
			if _, known := env[id.Value]; !known {
				out = append(out, id)
			}
		}
	}))
	return out
}

type visitor func(ast.Node)

func (v visitor) Visit(n *ast.Node) { v(*n) }

// recheck parses and checks src as expr.Compile does, clears the type of
// every call, and checks the tree again.
func recheck(src string, config *conf.Config) error {
	tree, err := checker.ParseCheck(src, config)
	if err != nil {
		return err
	}
	ast.Walk(&tree.Node, visitor(func(n ast.Node) {
		if c, ok := n.(*ast.CallNode); ok {
			c.SetType(nil)
		}
	}))
	_, err = new(checker.Checker).Check(tree, config)
	return err
}

// untypedCondition returns an operand that must be true or false — the
// condition of ?:, an operand of && or || or of ! — whose type is not
// known when the expression is checked.
func untypedCondition(root ast.Node) ast.Node {
	var bad ast.Node
	unknown := func(n ast.Node) bool {
		if b, ok := n.(*ast.BinaryNode); ok {
			switch b.Operator { // the optimizer's own nodes (age in 1..100 becomes age >= 1 && age <= 100) are untyped
			case "==", "!=", "<", "<=", ">", ">=", "&&", "||", "and", "or":
				return false
			}
		}
		t := n.Type()
		return t == nil || t.Kind() == reflect.Interface
	}
	ast.Walk(&root, visitor(func(node ast.Node) {
		if bad != nil {
			return
		}
		switch n := node.(type) {
		case *ast.ConditionalNode:
			if unknown(n.Cond) {
				bad = n.Cond
			}
		case *ast.UnaryNode:
			if (n.Operator == "!" || n.Operator == "not") && unknown(n.Node) {
				bad = n.Node
			}
		case *ast.BinaryNode:
			switch n.Operator {
			case "&&", "||", "and", "or":
				if unknown(n.Left) {
					bad = n.Left
				} else if unknown(n.Right) {
					bad = n.Right
				}
			}
		}
	}))
	return bad
}
