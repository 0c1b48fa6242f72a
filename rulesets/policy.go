package rulesets

import (
	"io"
	"io/fs"
	"slices"
	"strings"
)

// policyDirs names the directories of FS holding each policy's rule sets,
// as their ruleset.yaml files say (TestPolicyDirs checks it).
var policyDirs = map[string][]string{
	"nq179-2019": {"hatinh-2020-2025", "hatinh-2026-2030-draft"},
	"nq151-2019": {"hatinh-nq151-2019"},
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
