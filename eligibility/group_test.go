package eligibility

import (
	"context"
	"strings"
	"testing"
	"time"
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

// Len counts what Issues lists, without building it: 1,010 households of
// the Hà Tĩnh example on 2024-07-01 (what hotro eval reports).
func TestGroupCheckerLen(t *testing.T) {
	e, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	date := time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC)
	recs, _, err := e.ReadFile("../examples/hatinh/persons.csv", date)
	if err != nil {
		t.Fatal(err)
	}
	outs, err := e.DecideAll(context.Background(), recs, date)
	if err != nil {
		t.Fatal(err)
	}
	g := NewGroupChecker()
	for _, o := range outs {
		g.Add(o)
	}
	if g.Len() != 1010 || len(g.Issues()) != 1010 {
		t.Fatalf("Len %d, Issues %d; want 1010", g.Len(), len(g.Issues()))
	}
}
