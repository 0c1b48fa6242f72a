package impact_test

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/hotro-vn/hotro/eligibility"
	"github.com/hotro-vn/hotro/rules"
	"github.com/hotro-vn/hotro/rulesets"
)

// phase is the shipped rule set the tests change.
const phase = "hatinh-2020-2025"

// The worked case of issue 4: the 2021 poverty line (700,000 rural /
// 900,000 urban, in force from 2016) replaced by the 2022 line (1,500,000 /
// 2,000,000), so that both rule sets can be read on the same date.
var line2022 = edit{"parameters.yaml", "value: {rural: 700000, urban: 900000}", "value: {rural: 1500000, urban: 2000000}"}

// Groups without labour capacity widened and narrowed at once: children
// under 18 instead of 16, the elderly from 65 instead of 60.
var ages = []edit{
	{"parameters.yaml", "value: 16\n", "value: 18\n"},
	{"parameters.yaml", "value: 60\n", "value: 65\n"},
}

// edit replaces text in a file of the rule set; the text must occur once.
type edit struct{ file, old, new string }

// copyEdited copies the shipped rule set with the edits applied, as a
// policy officer would copy the directory and change a value.
func copyEdited(t testing.TB, edits ...edit) fstest.MapFS {
	t.Helper()
	out := fstest.MapFS{}
	err := fs.WalkDir(rulesets.FS, phase, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(rulesets.FS, path)
		out[path] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range edits {
		f := out[phase+"/"+e.file]
		if n := strings.Count(string(f.Data), e.old); n != 1 {
			t.Fatalf("%s: %q occurs %d times, want once: the shipped rule set changed, update the edit", e.file, e.old, n)
		}
		f.Data = []byte(strings.Replace(string(f.Data), e.old, e.new, 1))
	}
	return out
}

// engines returns the shipped rule set as base and its edited copy as new.
func engines(t testing.TB, edits ...edit) (base, new *eligibility.Engine) {
	t.Helper()
	load := func(fsys fs.FS) *eligibility.Engine {
		lib, err := rules.Load(fsys, phase)
		if err != nil {
			t.Fatal(err)
		}
		e, err := eligibility.New(lib)
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	return load(rulesets.FS), load(copyEdited(t, edits...))
}

func readPersons(t testing.TB, path string) []eligibility.Record {
	t.Helper()
	e, err := eligibility.Default()
	if err != nil {
		t.Fatal(err)
	}
	recs, warnings, err := e.ReadFile(path, dec2021)
	if err != nil || len(warnings) > 0 {
		t.Fatal(err, warnings)
	}
	return recs
}
