// Package allocation decides who sponsors whom under the quota rules of a
// rule set (docs/policy.md §5–§7), and follows the sponsors' commitments month by
// month against the top-ups that eligibility decides.
//
// # Quotas are rules
//
// The obligations of the plan — a commune sponsors at least min(2, n) of
// its n subjects, a district agency by its staff, every two small agencies
// one subject together, at least 70% of a district's subjects sponsored by
// its communes and district — are expressions in the rule set's YAML
// files, in two models: "unit", evaluated for each sponsoring unit, and
// "area", evaluated for each commune, district and province after the
// plan. Their rule ids (commune_min, district_unit_10_15, …, local_share,
// province_remainder) are what the reports name. Changing 70% to 80%, or
// a staff band, is an edit to a rule file, checked and tested like any
// other; [New] checks that a rule set's models give what this package
// reads.
//
// # Levels are data
//
// The levels and their order come from the rule set: commune → district
// → province for 2020–2025, commune → province in the 2026–2030 example
// draft. Each level works on the beneficiaries the levels before it left.
// The only place level ids meet the commune registry is the table that
// says which code of an admin.Commune a level reads.
//
// # The allocation
//
// [Planner.Plan] gives beneficiaries whole to the units counted in persons
// by a min-cost flow written here (mcmf.go, optimal.go) whose objectives
// are, in order: cover the most beneficiaries, fill the most quota, reach
// the local share in the most areas, then nearness and level; then it
// pools the amounts of the units limited by an amount, each at the edge of
// its reach, smallest top-up first. With units counted in persons only
// the plan is an exact optimum; with amounts it reports, in [Plan.Bound],
// how far from the best it can be. docs/allocation.md explains the
// algorithm, what is proved and what is bounded.
//
// The plan is deterministic: inputs are sorted by id, every tie is broken
// by id, and evaluation on several cores writes each result to its own
// slot, so the same inputs in any order, on any number of cores, give the
// same bytes.
//
// # Commitments
//
// A [Commitment] is a sponsor's signed pledge. [Monitor] checks each one
// (no amount or duration is an error, running past the phase a flag) and
// reports, month by month, what is due, what is pledged and the shortfall,
// and every payment with its method and focal organisation; [MonitorStream]
// hands each month's rows over as they are decided, and [MonitorSorted]
// also reads the persons again each month rather than holding them, for a
// national caseload, whose commitments a [CommitmentBook] holds compactly
// ([ReadCommitmentBookFile]) instead of as records. [Reconcile]
// sets the payments made ([ReadPayments]) against them: unpaid, arrears
// carried forward, overpaid, per subject, sponsor, focal organisation and
// area, and the funds by source of mobilisation.
//
// Money is decimal.Decimal throughout, in whole đồng. Dates are passed in;
// nothing reads the clock.
package allocation
