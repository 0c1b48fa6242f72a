// Package rules is a rules engine for social policy kept as YAML rule files
// with expr expressions and exact decimal money. It knows nothing of any
// particular policy: the Hà Tĩnh top-up of package eligibility is one rule
// set among those it can load.
//
// # Rule sets
//
// A rule set is a directory: ruleset.yaml (id, title, jurisdiction, the
// phase it is in force, sources, interpretations, administrative levels)
// and any number of YAML files declaring, for a model (a kind of subject
// such as a person), its inputs, the rules that must all pass, the
// formulas that compute amounts, parameters with dated values, and test
// cases. docs/rules.md is the reference of the format.
//
// # Pipeline
//
// Load (or LoadDir) reads every file strictly through yaml.Node, so that
// every problem is reported with its file, line and column, and all of
// them are reported at once as an Errors value (see Code for the kinds).
// It then type-checks every expression against the model's declared
// environment — a rule must be boolean, a money formula a decimal, every
// name must exist, no float may be computed — checks that each dated
// parameter has a value on every day of the phase, orders the formulas by
// their dependencies, and compiles each model into one program. Nothing a
// rule file can get wrong is left to be found at run time.
//
// Evaluation is Library.At(date) (the rule set in force that day, with its
// parameters looked up once) followed by Evaluator.Eval for each subject.
//
// # Untrusted rule files
//
// Rule files are untrusted input (docs/security.md). The expression
// language is an allow-list checked on the parsed tree (no methods of Go
// values, no member access, no loops, only the documented operators and
// functions); every evaluation's steps and the size of the values it
// builds are bounded when the set loads, and its inputs are checked against
// that bound before it runs (MaxSteps, MaxMemory, MaxValue), as is the
// analysis of Library.Warnings (MaxAnalysis); integer arithmetic fails on
// overflow; files must be regular, at most MaxFileSize bytes, one YAML
// document each.
//
// # Money
//
// Expressions compute with decimal.Decimal through typed expr.Function
// overloads of + - * / and the comparisons, mixed freely with integer
// literals; 1.0 == 1.00; float literals such as 0.70 become exact
// decimals; round_up(x, step) and its kin round to a step. Division keeps
// 16 decimal places without touching decimal.DivisionPrecision.
//
// # Concurrency
//
// A Library, its Sets and their Evaluators are immutable once built and
// safe for concurrent use by any number of goroutines; a Result belongs to
// the caller.
//
// # Tests as data
//
// Cases kept beside the rules run with Library.RunCases, or under go test
// with Test, with a Runner per model for domain packages that read their
// own records. Library.Coverage says which rules the cases made pass and
// fail and which dated parameter values they reached.
//
// # Review and editors
//
// Library.Warnings lists what a reviewer should look at without it being
// an error: interpretations, stale parameters, rules that can never pass or
// never fail, overlapping phases. Schema returns a JSON Schema of the
// rule-file format for YAML editors (docs/schema.md).
package rules
