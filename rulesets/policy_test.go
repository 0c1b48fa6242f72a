package rulesets_test

import (
	"io/fs"
	"reflect"
	"sort"
	"testing"
	"testing/fstest"

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
