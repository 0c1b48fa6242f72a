package rules_test

import (
	"testing"

	"github.com/hotro-vn/hotro/rules"
	"github.com/hotro-vn/hotro/rulesets"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func warningsOf(t *testing.T, lib *rules.Library, o rules.WarnOptions) []string {
	t.Helper()
	var got []string
	for _, w := range lib.Warnings(o) {
		got = append(got, string(w.Code)+" "+w.Message)
	}
	return got
}

func TestWarnings(t *testing.T) {
	dir := writeSet(t, map[string]string{"m.yaml": `model: m
inputs:
  ok: {type: bool}
  colour: {type: text, values: [red, green]}
  n: {type: int}
  bonus: {type: money, optional: true}
parameters:
  rate:
    type: decimal
    status: interpretation
    values:
      - {from: 2014-01-01, value: "0.5", source: s}
rules:
  - {id: always, when: "ok || !ok", cites: c}
  - {id: never, when: "colour == \"red\" && colour == \"green\"", cites: c}
  - {id: fine, when: "ok && colour == \"red\"", cites: c, status: interpretation}
  - {id: numbers, when: "n > 3 || n <= 3", cites: c}
  - {id: flags, when: "has_bonus || !has_bonus", cites: c}
`})
	lib, err := rules.LoadDir(dir)
	require.NoError(t, err)
	assert.Equal(t, []string{
		"interpretation warning: parameter rate is an interpretation, not fixed by an instrument",
		"stale-parameter warning: parameter rate: its last value dates from 2014-01-01, more than 5 years before 2020-06-01; check that no newer instrument has changed it",
		"never-fails warning: rule always can never fail: every value its inputs may take makes \"ok || !ok\" true",
		"never-passes warning: rule never can never pass: no value its inputs may take makes \"colour == \\\"red\\\" && colour == \\\"green\\\"\" true",
		"interpretation warning: rule fine is an interpretation, not enacted text; its reading is in the interpretations of ruleset.yaml",
		// numbers reads an int: not decided, no warning.
		"never-fails warning: rule flags can never fail: every value its inputs may take makes \"has_bonus || !has_bonus\" true",
	}, warningsOf(t, lib, rules.WarnOptions{Today: date("2020-06-01")}))

	// Without a date there is no staleness; a longer age, no warning either.
	assert.NotContains(t, warningsOf(t, lib, rules.WarnOptions{})[0], "stale")
	assert.NotContains(t, warningsOf(t, lib, rules.WarnOptions{Today: date("2020-06-01"), StaleYears: 10})[0], "stale")
}

func TestWarningsOverlap(t *testing.T) {
	root := t.TempDir()
	for name, phase := range map[string]string{"a": "{from: 2020-01-01, to: 2022-12-31}", "b": "{from: 2022-01-01, to: 2025-12-31}"} {
		dir := root + "/" + name
		require.NoError(t, writeFiles(dir, map[string]string{
			"ruleset.yaml": "id: " + name + "\ntitle: t\njurisdiction: {code: \"01\", name: x}\nin_force: " + phase + "\n",
		}))
	}
	lib, err := rules.LoadDir(root)
	require.NoError(t, err)
	assert.Equal(t, []string{
		"phase-overlap warning: the phase of b (2022-01-01 to 2025-12-31) overlaps that of a (2020-01-01 to 2022-12-31); on the common days b applies",
	}, warningsOf(t, lib, rules.WarnOptions{}))
	s, err := lib.For(date("2022-06-01"))
	require.NoError(t, err)
	assert.Equal(t, "b", s.Meta.ID)
}

// TestDefaultRulesDecidable: the shipped rules that read only booleans and
// listed values can both pass and fail.
func TestDefaultRulesWarnings(t *testing.T) {
	lib, err := rules.LoadDirPolicy("../rulesets", rulesets.DefaultPolicy)
	require.NoError(t, err)
	for _, w := range lib.Warnings(rules.WarnOptions{Today: date("2025-01-01")}) {
		assert.Contains(t, []rules.Code{rules.CodeInterpret}, w.Code, w.Error())
	}
}
