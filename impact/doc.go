// Package impact shows what a change of rules does before it goes live:
// the same persons are decided under two rule sets — the base, in force,
// and the new, proposed — on the same date or over the same months, and
// every difference is counted.
//
// # What a comparison reports
//
// [Change.On] compares on one date, [Change.Months] month by month, each
// month decided on its first day with its own parameters. The [Report]
// says, for every input record in input order:
//
//   - whether the person gains or loses eligibility, and through which
//     rules: the rules whose outcome differs between the two sets;
//   - the monthly top-up under each set and the change;
//   - an error, for a record either set could not decide. Records in error
//     are listed, never dropped, and are left out of the totals for the
//     months in error, so that base and new totals always count the same
//     person-months.
//
// It totals base, new and delta for the whole comparison, per month, per
// calendar year, and per commune, district and province; and it counts the
// persons who gain or lose through each rule.
//
// [Change.StreamOn] and [Change.StreamMonths] compare the records of an
// eligibility.Source as they are read, a chunk at a time, and give each
// person to a callback in input order instead of keeping it: a national
// file is compared in the memory of a chunk. [Report.PersonsCSV] writes
// the persons report a row at a time.
//
// [Change.Quotas] plans sponsorship under each set with package allocation
// and reports how each unit's obligation and the province remainder move.
//
// # In a test suite
//
// A comparison is plain data, so an embedding system can state what a
// change may do and have its tests hold the change to it:
//
//	r, err := impact.Change{Base: inForce, New: proposed}.Months(persons, from, to)
//	...
//	if len(r.Lost()) > 0 { t.Errorf("%d persons lose eligibility", len(r.Lost())) }
//	if r.Totals().Delta.GreaterThan(budget) { t.Errorf("costs %s đ more", r.Totals().Delta) }
//
// # Order and money
//
// Persons are in input order; months, years and areas in ascending order
// (areas by code); rules in the order the rule sets define them. The same
// inputs give the same report on any number of cores. Money is
// decimal.Decimal in whole đồng throughout; nothing is rounded or read as
// a float.
package impact
