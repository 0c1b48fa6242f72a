package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestReconcileToDirectory runs reconcile on the Hà Tĩnh example into a
// directory, as its README shows: it writes the four reconciliation
// reports (not monitor's), reads every payment and says so.
func TestReconcileToDirectory(t *testing.T) {
	out := t.TempDir() + "/"
	var stdout, stderr bytes.Buffer
	code := run([]string{"reconcile", "--from", "2021-12", "--to", "2022-02", "--units", "../../examples/hatinh/units.csv",
		"--commitments", "../../examples/hatinh/commitments.csv", "--persons", "../../examples/hatinh/persons.csv",
		"--payments", "../../examples/hatinh/payments.csv", "--out", out}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if got := strings.Join(names, " "); got != "pairs.csv receipts.csv sources.csv tallies.csv" {
		t.Errorf("files written: %s", got)
	}
	b, err := os.ReadFile("../../examples/hatinh/payments.csv")
	if err != nil {
		t.Fatal(err)
	}
	n := bytes.Count(b, []byte("\n")) - 1 // rows less the header
	want := strconv.Itoa(n) + " payments in, " + strconv.Itoa(n) + " out (0 in error)"
	if !strings.Contains(stderr.String(), want) {
		t.Errorf("summary %q lacks %q", stderr.String(), want)
	}
	if _, err := os.Stat(filepath.Join(out, "months.csv")); err == nil {
		t.Error("reconcile wrote monitor's months.csv")
	}
}
