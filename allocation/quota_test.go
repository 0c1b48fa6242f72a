package allocation_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hotro-vn/hotro/allocation"
	"github.com/hotro-vn/hotro/rules"
	"github.com/hotro-vn/hotro/rulesets"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// copyRules copies the 2020–2025 rule set to a temporary directory and
// applies edits (file, old, new) to it.
func copyRules(t *testing.T, edits ...string) string {
	t.Helper()
	dir := t.TempDir()
	sub, err := fs.Sub(rulesets.FS, "hatinh-2020-2025")
	require.NoError(t, err)
	require.NoError(t, os.CopyFS(dir, sub))
	for i := 0; i+2 < len(edits); i += 3 {
		p := filepath.Join(dir, edits[i])
		if edits[i+2] == "" && edits[i+1] == "" {
			require.NoError(t, os.Remove(p))
			continue
		}
		b, err := os.ReadFile(p)
		require.NoError(t, err)
		require.Contains(t, string(b), edits[i+1])
		require.NoError(t, os.WriteFile(p, []byte(strings.Replace(string(b), edits[i+1], edits[i+2], 1)), 0o644))
	}
	return dir
}

// TestSeventyIsData: raising the local share to 80% is an edit of
// quotas.yaml; the plan then asks ceil(0.80 × 14) = 12 of Vũ Quang.
func TestSeventyIsData(t *testing.T) {
	lib, err := rules.LoadDir(copyRules(t, "quotas.yaml", "value: 0.70", "value: 0.80"))
	require.NoError(t, err)
	p, err := allocation.New(lib)
	require.NoError(t, err)
	plan, err := p.Quotas(date("2020-06-01"), nil, bens("x", vq1, 14, "430000"))
	require.NoError(t, err)
	assert.Equal(t, 12, areaOf(plan, "district", "441").Required)
}

// TestNewChecksModels: a rule set whose quota models ask for what this
// package cannot give is refused at load, at the right place.
func TestNewChecksModels(t *testing.T) {
	dir := copyRules(t,
		"quotas.yaml", "staff: {type: int, optional: true", "staff: {type: decimal, optional: true",
		"quotas_area.yaml", "", "",
		// … and the interpretations that name what the area model defined.
		"ruleset.yaml", "applies_to: [district_unit_small, group_size, small_agency_subjects]", "applies_to: [district_unit_small, group_size]",
		"ruleset.yaml", "applies_to: [local_share]", "applies_to: []",
		"ruleset.yaml", "applies_to: [local_share_required, local_share]", "applies_to: [local_share_min]",
		"ruleset.yaml", "applies_to: [local_share, local_share_level, district", "applies_to: [local_share_level, district")
	lib, err := rules.LoadDir(dir)
	require.NoError(t, err)
	_, err = allocation.New(lib)
	var list rules.Errors
	require.ErrorAs(t, err, &list)
	var msgs []string
	for _, e := range list {
		msgs = append(msgs, e.Message)
	}
	assert.Equal(t, []string{
		`input staff is supplied as int, not decimal`,
		`rule set hatinh-nq179-2020-2025 has no "area" model for the quota rules (add ` + "`model: area`" + ` to a file)`,
	}, msgs)
	assert.Equal(t, "quotas.yaml", filepath.Base(list[0].File))
}
