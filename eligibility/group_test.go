package eligibility

import (
	"strings"
	"testing"
)

// fillGroup gives what a strings.Replacer of {group} and {ids} gives,
// including braces that name neither, a value that holds a placeholder's
// spelling (not replaced again) and placeholders at either end.
func TestFillGroup(t *testing.T) {
	for _, msg := range []string{
		"Hộ {group}: {ids} không cùng diện hộ nghèo",
		"{ids}{group}", "{group}", "", "{", "}{", "{grou}{ids", "a {x} b {group}{{ids}}",
	} {
		for _, v := range [][2]string{{"H01", "P1, P2"}, {"{ids}", "{group}"}, {"", ""}} {
			want := strings.NewReplacer("{group}", v[0], "{ids}", v[1]).Replace(msg)
			if got := fillGroup(msg, v[0], v[1]); got != want {
				t.Errorf("fillGroup(%q, %q, %q) = %q, want %q", msg, v[0], v[1], got, want)
			}
		}
	}
}
