package rules_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hotro-vn/hotro/rules"
	"github.com/stretchr/testify/require"
)

// The hash names what decides: a new test case, a comment, a message or a
// citation, or an expression laid out differently leave it as it is; a
// parameter's value or a rule's condition change it. SourceHash changes
// with every byte.
func TestHashNamesWhatDecides(t *testing.T) {
	load := func(edit func(name, text string) string) *rules.Set {
		dir := t.TempDir()
		files, err := filepath.Glob("../rulesets/hatinh-2020-2025/*.yaml")
		require.NoError(t, err)
		for _, f := range files {
			b, err := os.ReadFile(f)
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(filepath.Join(dir, filepath.Base(f)), []byte(edit(filepath.Base(f), string(b))), 0o644))
		}
		lib, err := rules.LoadDir(dir)
		require.NoError(t, err)
		return lib.Sets()[0]
	}
	base := load(func(_, s string) string { return s })
	replace := func(file, old, new string) func(string, string) string {
		return func(name, s string) string {
			if name != file {
				return s
			}
			require.Contains(t, s, old)
			return strings.Replace(s, old, new, 1)
		}
	}
	for name, edit := range map[string]func(string, string) string{
		"a new test case": replace("cases.yaml", "cases:\n", `cases:
  - name: "one more case: 700,000 − 270,000 = 430,000"
    date: 2020-06-01
    input: {person_id: "p", household_id: "h", birth_date: "1950-03-15", commune_code: "18112", household_poor: "true", household_category: "btxh", monthly_allowance: "270000"}
    expect: {eligible: true, outputs: {monthly_topup: "430000"}}
`),
		"a comment":  replace("parameters.yaml", "parameters:\n", "# a note\nparameters:\n"),
		"a message":  replace("eligibility.yaml", "vi: Hộ có tên trong danh sách hộ nghèo của xã trong năm", "vi: Hộ có tên trong danh sách hộ nghèo"),
		"a citation": replace("eligibility.yaml", "cites: Điều 2 Nghị quyết 179/2019/NQ-HĐND\n", "cites: Điều 2 NQ 179/2019\n"),
		"a layout":   replace("eligibility.yaml", "expr: allowance + other_income", "expr: \"allowance   +   other_income\""),
	} {
		s := load(edit)
		require.Equal(t, base.Hash, s.Hash, name)
		require.NotEqual(t, base.SourceHash, s.SourceHash, name)
	}
	for name, edit := range map[string]func(string, string) string{
		"a parameter's value": replace("parameters.yaml", "value: 1000\n", "value: 2000\n"),
		"a condition":         replace("eligibility.yaml", "when: household_poor\n", "when: household_poor && resident\n"),
	} {
		s := load(func(n, text string) string {
			text = edit(n, text)
			if n == "cases.yaml" {
				return "model: person\ncases: []\n" // the cases would fail; the hash is what is tested
			}
			return text
		})
		require.NotEqual(t, base.Hash, s.Hash, name)
	}
}
