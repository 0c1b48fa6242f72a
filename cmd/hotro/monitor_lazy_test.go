package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestMonitorPersonsOrder: monitor writes the same reports and summary
// whether the persons file's ids increase (it is then read again month by
// month, not held) or not (it is held and sorted), here the first 300
// persons of the Hà Tĩnh example in file order and reversed.
func TestMonitorPersonsOrder(t *testing.T) {
	b, err := os.ReadFile("../../examples/hatinh/persons.csv")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")[:301]
	dir := t.TempDir()
	sorted := filepath.Join(dir, "sorted.csv")
	reversed := filepath.Join(dir, "reversed.csv")
	rows := slices.Clone(lines[1:])
	slices.Reverse(rows)
	os.WriteFile(sorted, []byte(strings.Join(lines, "\n")+"\n"), 0o644)
	os.WriteFile(reversed, []byte(lines[0]+"\n"+strings.Join(rows, "\n")+"\n"), 0o644)
	run1 := func(persons, out string) string {
		var stdout, stderr bytes.Buffer
		run([]string{"monitor", "--from", "2021-12", "--to", "2022-01", "--units", "../../examples/hatinh/units.csv",
			"--commitments", "../../examples/hatinh/commitments.csv", "--persons", persons, "--out", out + "/"}, &stdout, &stderr)
		return stderr.String()
	}
	a, b2 := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	logA, logB := run1(sorted, a), run1(reversed, b2)
	if logA != logB {
		t.Errorf("summaries differ:\n%s\n%s", logA, logB)
	}
	for _, f := range []string{"commitments.csv", "months.csv", "payments.csv"} {
		x, err1 := os.ReadFile(filepath.Join(a, f))
		y, err2 := os.ReadFile(filepath.Join(b2, f))
		if err1 != nil || err2 != nil || !bytes.Equal(x, y) {
			t.Errorf("%s differs (%v, %v)", f, err1, err2)
		}
	}
	m, _ := os.ReadFile(filepath.Join(a, "months.csv"))
	if !bytes.Contains(m, []byte("2022-01,P0000004,true,1230000,450000,780000,U000083,U000083,")) {
		t.Errorf("months.csv lacks P0000004's row of 2022-01")
	}
}
