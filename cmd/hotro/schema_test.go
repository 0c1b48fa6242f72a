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
		{[]string{"--rules"}, rules.FileSchema()},
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

	code, _, errs := runAlloc("schema", "--ruleset", "--rules")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "usage: hotro schema")
	code, _, _ = runAlloc("schema", "extra")
	assert.Equal(t, 2, code)
}
