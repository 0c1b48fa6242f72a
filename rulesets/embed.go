// Package rulesets holds the rule sets shipped with hotro, embedded so that a
// program importing the module has them without any file on disk.
//
// hatinh-2020-2025 encodes Nghị quyết 179/2019/NQ-HĐND of Hà Tĩnh and the
// Fatherland Front's plan for phase 2020–2025. hatinh-2026-2030-draft is an
// example draft for a phase that has not been enacted: it shows that
// levels, quotas and parameters are data. Copy a directory, edit it, and
// load the copy with rules.LoadDir.
//
// hatinh-nq151-2019 encodes a second policy, Nghị quyết 151/2019/NQ-HĐND,
// in force at the same time: the rule sets of one policy form one library
// (rules.LoadPolicy), so a program names the policy it applies.
package rulesets

import "embed"

// FS holds one directory per rule set.
//
//go:embed hatinh-2020-2025 hatinh-2026-2030-draft hatinh-nq151-2019
var FS embed.FS

// DefaultPolicy is the policy of the rule sets a program gets when it names
// none: NQ 179/2019, the top-up and its sponsorship plan.
const DefaultPolicy = "nq179-2019"
