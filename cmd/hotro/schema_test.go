package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/hotro-vn/hotro/rules"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSchemaCommand(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want []byte
	}{
		{nil, rules.Schema()},
		{[]string{"--ruleset"}, rules.MetaSchema()},
		{[]string{"--files"}, rules.FileSchema()}, // --rules names a directory since issue 7
	} {
		code, out, errs := runAlloc(append([]string{"schema"}, tt.args...)...)
		require.Equal(t, 0, code, errs)
		assert.Equal(t, string(tt.want), out, "hotro schema %v", tt.args)
		var doc map[string]any
		require.NoError(t, json.Unmarshal([]byte(out), &doc))
		assert.Equal(t, "http://json-schema.org/draft-07/schema#", doc["$schema"])
	}

	path := filepath.Join(t.TempDir(), "ruleset.schema.json")
	code, out, _ := runAlloc("schema", "--ruleset", "--out", path)
	require.Equal(t, 0, code)
	assert.Empty(t, out)
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, rules.MetaSchema(), data)

	code, _, errs := runAlloc("schema", "--ruleset", "--files")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "usage: hotro schema")
	code, _, _ = runAlloc("schema", "extra")
	assert.Equal(t, 2, code)
}

// TestSchemaRecords: `hotro schema --records` prints the JSON Schema of the
// person record, with its fields as properties and the required ones listed.
func TestSchemaRecords(t *testing.T) {
	code, out, errs := runAlloc("schema", "--records")
	require.Equal(t, 0, code, errs)
	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &doc), out)
	assert.Equal(t, "array", doc["type"])
	items, _ := doc["items"].(map[string]any)
	props, _ := items["properties"].(map[string]any)
	for _, f := range []string{"person_id", "household_id", "birth_date", "commune_code", "zone", "household_poor", "other_income"} {
		assert.Contains(t, props, f)
	}
	assert.ElementsMatch(t, []any{"person_id", "household_id", "birth_date", "commune_code", "household_poor", "household_category"}, items["required"])
	code, out, errs = runAlloc("schema", "--records", "--rules", "../../rulesets/hatinh-2020-2025")
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, `"commune_code"`)
}
