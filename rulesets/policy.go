package rulesets

import (
	"io"
	"io/fs"
	"slices"
	"strings"
	"time"
)

// policyDirs names the directories of FS holding each policy's rule sets,
// as their ruleset.yaml files say (TestPolicyDirs checks it).
var policyDirs = map[string][]string{
	"nq179-2019": {"hatinh-2020-2025", "hatinh-2026-2030-draft"},
	"nq151-2019": {"hatinh-nq151-2019"},
}

// phases gives the days each rule set of FS is in force (from and to
// included) and whether it is a draft, as its ruleset.yaml says
// (TestPolicyOn checks it).
var phases = map[string]struct {
	from, to string
	draft    bool
}{
	"hatinh-2020-2025":       {"2020-01-01", "2025-12-31", false},
	"hatinh-2026-2030-draft": {"2026-01-01", "2030-12-31", true},
	"hatinh-nq151-2019":      {"2019-10-01", "2025-12-31", false},
}

// PolicyOn returns FS narrowed to the one rule set of policy in force on
// date, the one rules.Library.For(date) picks among the policy's sets (an
// enacted set over a draft, then the set that started later), for a
// program that decides on that date only: it reads and compiles one set.
// When no set of policy is in force on date, it returns PolicyFS(policy),
// so that loading and deciding report what they report for the policy.
func PolicyOn(policy string, date time.Time) fs.FS {
	if dir := inForce(policy, date); dir != "" {
		return policyFS{[]string{dir}}
	}
	return PolicyFS(policy)
}

// inForce is the directory of the set PolicyOn keeps, or "".
func inForce(policy string, date time.Time) string {
	day := date.Format(time.DateOnly)
	best := ""
	for _, dir := range policyDirs[policy] {
		p := phases[dir]
		if day < p.from || day > p.to {
			continue
		}
		if b := phases[best]; best == "" || b.draft && !p.draft || b.draft == p.draft && p.from > b.from {
			best = dir
		}
	}
	return best
}

// PolicyFS returns FS narrowed to the rule sets of one policy, so that a
// program that applies one policy reads and compiles only its rule sets:
// rules.LoadPolicy(PolicyFS(p), ".", p) gives the library that
// rules.LoadPolicy(FS, ".", p) gives, faster. For a policy that no
// embedded rule set has, it returns FS itself, so that loading reports
// the policies there are.
func PolicyFS(policy string) fs.FS {
	dirs, ok := policyDirs[policy]
	if !ok {
		return FS
	}
	return policyFS{dirs}
}

// policyFS is FS showing only some of its top directories.
type policyFS struct{ dirs []string }

func (p policyFS) shows(name string) bool {
	top, _, _ := strings.Cut(name, "/")
	return name == "." || slices.Contains(p.dirs, top)
}

func (p policyFS) Open(name string) (fs.File, error) {
	if !p.shows(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	f, err := FS.Open(name)
	if err != nil || name != "." {
		return f, err
	}
	return &topDir{File: f, p: p}, nil
}

// topDir is the top directory of a policyFS, listing only its directories.
type topDir struct {
	fs.File
	p    policyFS
	left []fs.DirEntry // nil until the first ReadDir
}

func (d *topDir) ReadDir(n int) ([]fs.DirEntry, error) {
	if d.left == nil {
		all, err := d.p.ReadDir(".")
		if err != nil {
			return nil, err
		}
		d.left = append([]fs.DirEntry{}, all...)
	}
	if n <= 0 {
		out := d.left
		d.left = d.left[len(d.left):]
		return out, nil
	}
	if len(d.left) == 0 {
		return nil, io.EOF
	}
	out := d.left[:min(n, len(d.left))]
	d.left = d.left[len(out):]
	return out, nil
}

func (p policyFS) ReadDir(name string) ([]fs.DirEntry, error) {
	if !p.shows(name) {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
	}
	entries, err := FS.ReadDir(name)
	if name == "." {
		entries = slices.DeleteFunc(entries, func(e fs.DirEntry) bool { return !slices.Contains(p.dirs, e.Name()) })
	}
	return entries, err
}

func (p policyFS) ReadFile(name string) ([]byte, error) {
	if !p.shows(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return FS.ReadFile(name)
}
