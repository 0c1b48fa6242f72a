package rules

import (
	"regexp"
	"testing"
)

// validName checks names as namePattern, the pattern the JSON schema
// gives, reads them.
func TestValidName(t *testing.T) {
	re := regexp.MustCompile(namePattern)
	for _, s := range []string{"", "a", "z", "age", "has_x", "x1", "a_b_c_", "_a", "1a", "A", "aB", "a-b", "a b", "a\n", "\na",
		"a.b", "é", "aé", "a\x00", "a9_z", "ab$", "^a", "zz", "{", "`", "a{", "a`", "a/", "a:"} {
		if got, want := validName(s), re.MatchString(s); got != want {
			t.Errorf("validName(%q) = %v, the pattern says %v", s, got, want)
		}
	}
}

func FuzzValidName(f *testing.F) {
	re := regexp.MustCompile(namePattern)
	f.Add("age_on")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := validName(s), re.MatchString(s); got != want {
			t.Errorf("validName(%q) = %v, the pattern says %v", s, got, want)
		}
	})
}
