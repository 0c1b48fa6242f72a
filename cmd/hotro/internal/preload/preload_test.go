package preload

import (
	"runtime/debug"
	"testing"
	"time"

	"github.com/hotro-vn/hotro/rules"
	"github.com/hotro-vn/hotro/rulesets"
)

func TestGuess(t *testing.T) {
	d := time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		args   []string
		policy string // "" for no guess
	}{
		{[]string{"eval", "--date", "2024-07-01", "persons.csv"}, "nq179-2019"},
		{[]string{"eval", "persons.csv", "-date=2024-07-01"}, "nq179-2019"},
		{[]string{"--lang", "vi", "eval", "--explain", "--date", "2024-07-01", "--format", "json", "-"}, "nq179-2019"},
		{[]string{"eval", "--lang=en", "--date=2024-07-01", "--policy", "nq151-2019", "--out", "x.csv", "--verbose", "p.csv"}, "nq151-2019"},
		{[]string{"eval", "--date", "2020-01-01", "--date", "2024-07-01", "--policy=", "--excel", "p.csv"}, "nq179-2019"},
		{[]string{"eval", "--date", "2024-07-01", "--", "--rules"}, "nq179-2019"},
		{[]string{"eval", "--progress", "--date=2024-07-01", "p.csv"}, "nq179-2019"},
		{[]string{"eval", "--date", "2024-07-01", "--rules", "dir", "p.csv"}, ""},
		{[]string{"eval", "--date", "2024-7-1", "p.csv"}, ""},
		{[]string{"eval", "p.csv"}, ""},
		{[]string{"eval", "--date"}, ""},
		{[]string{"eval", "-h"}, ""},
		{[]string{"eval", "--dates", "2024-07-01", "p.csv"}, ""},
		{[]string{"schedule", "--date", "2024-07-01", "p.csv"}, ""},
		{[]string{"--date", "2024-07-01", "eval", "p.csv"}, ""},
		{[]string{"-test.v"}, ""},
		{nil, ""},
	} {
		p, date, ok := guess(c.args)
		if ok != (c.policy != "") || ok && (p != c.policy || !date.Equal(d)) {
			t.Errorf("guess(%q) = %q, %v, %v; want %q on 2024-07-01", c.args, p, date, ok, c.policy)
		}
	}
}

// What Take gives is what loading the rules then gives, and only for what
// was started, once.
func TestTake(t *testing.T) {
	d := time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC)
	t.Setenv("GOGC", "") // as when hotro runs without it
	gc := debug.SetGCPercent(100)
	defer debug.SetGCPercent(gc)
	l := start("nq179-2019", d)
	if v := debug.SetGCPercent(-1); v != -1 {
		t.Errorf("the collector at %d%% while loading, want off", v)
	}
	if _, _, ok := l.take("nq151-2019", d); ok {
		t.Error("taken for another policy")
	}
	if v := debug.SetGCPercent(100); v != 100 {
		t.Errorf("the collector at %d%% after the first take, want 100%% again", v)
	}
	if _, _, ok := l.take("nq179-2019", d.AddDate(0, 0, 1)); ok {
		t.Error("taken for another date")
	}
	lib, err, ok := l.take("nq179-2019", d)
	if !ok || err != nil {
		t.Fatalf("take: %v, %v", ok, err)
	}
	want, err := rules.LoadPolicy(rulesets.PolicyOn("nq179-2019", d), ".", "nq179-2019")
	if err != nil {
		t.Fatal(err)
	}
	if len(lib.Sets()) != len(want.Sets()) || len(lib.Sets()) != 1 || lib.Sets()[0].Hash != want.Sets()[0].Hash ||
		lib.Sets()[0].SourceHash != want.Sets()[0].SourceHash || lib.Sets()[0].Dir != want.Sets()[0].Dir {
		t.Errorf("took %v, loading gives %v", lib.Sets(), want.Sets())
	}
	if _, _, ok := l.take("nq179-2019", d); ok {
		t.Error("taken twice")
	}
	if _, _, ok := (*load)(nil).take("nq179-2019", d); ok {
		t.Error("taken from nothing")
	}
	// A test binary's arguments start nothing.
	if loading != nil {
		t.Errorf("started for %q", loading.policy)
	}
}

// Handed over, the collector stays off through Take: the caller sets it.
func TestHandOver(t *testing.T) {
	t.Setenv("GOGC", "")
	gc := debug.SetGCPercent(100)
	defer debug.SetGCPercent(gc)
	d := time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC)
	l := start("nq179-2019", d)
	percent, ok := l.handOver()
	if !ok || percent != 100 {
		t.Errorf("handOver = %d, %v; want 100, true", percent, ok)
	}
	if _, ok := l.handOver(); ok {
		t.Error("handed over twice")
	}
	if _, err, ok := l.take("nq179-2019", d); !ok || err != nil {
		t.Fatalf("take: %v, %v", ok, err)
	}
	if v := debug.SetGCPercent(100); v != -1 {
		t.Errorf("the collector at %d%% after take, want still off", v)
	}
	if _, ok := (*load)(nil).handOver(); ok {
		t.Error("handed over from nothing")
	}
}
