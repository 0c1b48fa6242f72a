package rulesets_test

import (
	"io/fs"
	"strings"
	"testing"

	"github.com/hotro-vn/hotro/internal/yamlbin"
	"github.com/hotro-vn/hotro/rulesets"
	"github.com/stretchr/testify/require"
)

// Every rule file of FS has its tree in parsed.bin, the very tree yaml.v3
// gives, positions and comments included: loading the embedded sets skips
// the parser and nothing else changes. After editing a file, run
// go generate ./rulesets.
func TestParsedUpToDate(t *testing.T) {
	n := 0
	err := fs.WalkDir(rulesets.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".yaml") {
			return err
		}
		data, err := fs.ReadFile(rulesets.FS, p)
		require.NoError(t, err)
		want, ok := yamlbin.Parse(data)
		require.True(t, ok, "%s: one document that parses", p)
		got, ok := yamlbin.Lookup(data)
		require.True(t, ok, "%s is not in parsed.bin as it is now: run go generate ./rulesets", p)
		require.Equal(t, want, got, "%s: run go generate ./rulesets", p)
		n++
		return nil
	})
	require.NoError(t, err)
	require.Equal(t, 22, n, "the rule files of the three sets")
}
