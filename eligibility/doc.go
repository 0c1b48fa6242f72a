// Package eligibility decides, for Nghị quyết 179/2019/NQ-HĐND of Hà Tĩnh,
// who among the members of poor households under social protection policy
// is a beneficiary (Điều 2 and khoản 1 Điều 3), with the reason for every
// condition, and the monthly top-up that brings each one's income up to the
// poverty line of their zone.
//
// The policy itself is not in this package: it is the person model of a
// rule set (package rules), by default the sets embedded in package
// rulesets. This package reads person records (docs/policy.md: CSV or JSON,
// one record per household member), works out what the rules take as
// inputs — age in whole years on the date, the zone from the record or the
// commune type, the commune's province — and turns the engine's result into
// a Decision.
//
// # Use
//
// Build an Engine once at start (Default, LoadDir, or New over a
// rules.Library), then decide: Decide for one person, On for many persons
// on one date, DecideAll for a batch on all cores, Schedule and ScheduleAll
// for month-by-month amounts, each month with its own parameters.
//
// Eligibility and amount are separate answers: a person whose income
// already reaches the line is Eligible with a MonthlyTopup of zero.
//
// # Records in, records out
//
// A bad record never stops a batch: ReadCSV and ReadJSON return one Record
// per input row, with Err set on a bad one; DecideAll returns one Outcome
// per record, in order. WriteCSV writes the output of docs/policy.md.
//
// # Communes and the 2025 reform
//
// Commune codes are looked up in the national lists of package admin.
// Before 2025-07-01 a code means the commune of that time; from that day a
// post-reform code means the new commune and an old code is mapped to its
// successor when there is exactly one, otherwise the record is in error.
//
// An Engine, and a Day, are safe for concurrent use.
package eligibility
