package rulesets_test

import (
	"io/fs"
	"path"
	"reflect"
	"sort"
	"testing"
	"testing/fstest"
	"time"

	"github.com/hotro-vn/hotro/rules"
	"github.com/hotro-vn/hotro/rulesets"
)

// TestPolicyDirs checks PolicyFS against the rule sets: for every policy
// they name, it loads the library that the whole of FS gives, and it shows
// every file of those sets and nothing else.
func TestPolicyDirs(t *testing.T) {
	dirs, err := fs.ReadDir(rulesets.FS, ".")
	if err != nil {
		t.Fatal(err)
	}
	policies := map[string][]string{}
	for _, d := range dirs {
		lib, err := rules.Load(rulesets.FS, d.Name())
		if err != nil {
			t.Fatalf("%s: %v", d.Name(), err)
		}
		p := lib.Sets()[0].Meta.Policy
		policies[p] = append(policies[p], d.Name())
	}
	for p, want := range policies {
		pfs := rulesets.PolicyFS(p)
		var files, wantFiles []string
		for _, d := range want {
			err := fs.WalkDir(rulesets.FS, d, func(path string, _ fs.DirEntry, err error) error {
				wantFiles = append(wantFiles, path)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		err := fs.WalkDir(pfs, ".", func(path string, _ fs.DirEntry, err error) error {
			if path != "." {
				files = append(files, path)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		sort.Strings(wantFiles)
		if !reflect.DeepEqual(files, wantFiles) {
			t.Errorf("policy %s: PolicyFS shows %v, want %v", p, files, wantFiles)
		}
		if err := fstest.TestFS(pfs, wantFiles...); err != nil {
			t.Errorf("policy %s: %v", p, err)
		}
		whole, err := rules.LoadPolicy(rulesets.FS, ".", p)
		if err != nil {
			t.Fatal(err)
		}
		part, err := rules.LoadPolicy(pfs, ".", p)
		if err != nil {
			t.Fatal(err)
		}
		if len(whole.Sets()) != len(part.Sets()) {
			t.Fatalf("policy %s: %d sets from PolicyFS, %d from FS", p, len(part.Sets()), len(whole.Sets()))
		}
		for i, s := range whole.Sets() {
			if s.Meta.ID != part.Sets()[i].Meta.ID || s.ShortHash() != part.Sets()[i].ShortHash() {
				t.Errorf("policy %s: set %d is %s@%s from PolicyFS, %s@%s from FS", p, i,
					part.Sets()[i].Meta.ID, part.Sets()[i].ShortHash(), s.Meta.ID, s.ShortHash())
			}
		}
	}
	if rulesets.PolicyFS("no-such-policy") != fs.FS(rulesets.FS) {
		t.Error("PolicyFS of an unknown policy is not FS")
	}
}

// TestPolicyOn checks, day by day, that PolicyOn keeps the rule set that
// the whole policy's library has in force, and that the narrowed library
// gives it with the same hash.
func TestPolicyOn(t *testing.T) {
	for _, p := range []string{"nq179-2019", "nq151-2019"} {
		whole, err := rules.LoadPolicy(rulesets.FS, ".", p)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range whole.Sets() {
			ph := rulesets.Phases()[path.Base(s.Dir)]
			if ph.From != s.Meta.From.Format(time.DateOnly) || ph.To != s.Meta.To.Format(time.DateOnly) || ph.Draft != (s.Meta.Status == "draft") {
				t.Errorf("%s: phases has %+v; its ruleset.yaml %s to %s, status %s", s.Dir, ph,
					s.Meta.From.Format(time.DateOnly), s.Meta.To.Format(time.DateOnly), s.Meta.Status)
			}
		}
		checked := map[string]bool{}
		for day := time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC); day.Year() < 2032; day = day.AddDate(0, 0, 1) {
			want, err := whole.For(day)
			got := rulesets.PolicyOn(p, day)
			if err != nil {
				all, _ := fs.ReadDir(rulesets.PolicyFS(p), ".")
				if dirs, _ := fs.ReadDir(got, "."); len(dirs) != len(all) {
					t.Fatalf("%s on %s: no set is in force, yet PolicyOn narrows to %v", p, day.Format(time.DateOnly), dirs)
				}
				continue
			}
			dirs, err := fs.ReadDir(got, ".")
			if err != nil || len(dirs) != 1 || dirs[0].Name() != path.Base(want.Dir) {
				t.Fatalf("%s on %s: PolicyOn shows %v (%v), want %s", p, day.Format(time.DateOnly), dirs, err, want.Dir)
			}
			if checked[want.Dir] {
				continue
			}
			checked[want.Dir] = true
			lib, err := rules.LoadPolicy(got, ".", p)
			if err != nil {
				t.Fatal(err)
			}
			s, err := lib.For(day)
			if err != nil || s.Meta.ID != want.Meta.ID || s.Hash != want.Hash {
				t.Errorf("%s on %s: the narrowed library has %v (%v), want %s@%s", p, day.Format(time.DateOnly), s, err, want.Meta.ID, want.ShortHash())
			}
		}
	}
}
