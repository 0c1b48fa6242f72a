package rules

// EvalVM is Eval on the model's VM program alone, not its closures, for
// tests that compare the two. It is not safe for concurrent use with other
// evaluations of the model.
func EvalVM(e *Evaluator, model string, env Env) (*Result, error) {
	m := e.set.models[model]
	if m == nil || m.fast == nil {
		return e.Eval(model, env)
	}
	saved := m.fast
	m.fast = nil
	defer func() { m.fast = saved }()
	return e.Eval(model, env)
}

// Compiled reports whether a model of the set in force runs as closures.
func Compiled(e *Evaluator, model string) bool {
	m := e.set.models[model]
	return m != nil && m.fast != nil
}
