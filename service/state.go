package service

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing/fstest"
	"time"

	"github.com/hotro-vn/hotro/allocation"
	"github.com/hotro-vn/hotro/eligibility"
	"github.com/hotro-vn/hotro/rules"
	"github.com/hotro-vn/hotro/rulesets"
)

// state is everything a request decides with: the rule sets in force and
// what was built from them. It is immutable; a reload builds a new one and
// swaps the pointer, so a request that loaded the old one finishes on it.
type state struct {
	lib     *rules.Library
	engine  *eligibility.Engine
	planner *allocation.Planner // nil when the sets have no quota models
	// src holds the rule files the sets were loaded from (a snapshot, so
	// that a what-if edits exactly what decides).
	src        fs.FS
	candidates []*candidate
	openapi    []byte
	loaded     time.Time
	cases      int
}

// candidate is a library loaded beside the rules in force, for /v1/impact.
type candidate struct {
	dir    string
	engine *eligibility.Engine
}

// RuleSetRef names a rule set in every answer.
type RuleSetRef struct {
	ID     string `json:"id"`
	Status string `json:"status"`
	Hash   string `json:"hash"`
}

func ref(s *rules.Set) RuleSetRef {
	return RuleSetRef{ID: s.Meta.ID, Status: s.Meta.Status, Hash: s.Hash}
}

func (st *state) summary() []RuleSetRef {
	out := make([]RuleSetRef, len(st.lib.Sets()))
	for i, s := range st.lib.Sets() {
		out[i] = ref(s)
	}
	return out
}

// ReloadStatus is the outcome of the last load of the rules, as GET
// /v1/status shows it.
type ReloadStatus struct {
	OK      bool         `json:"ok"`
	Time    time.Time    `json:"time"`
	Trigger string       `json:"trigger,omitempty"`
	Active  []RuleSetRef `json:"active"`
	// Errors are the positioned problems of a failed load, or the failing
	// test cases.
	Errors []RuleError `json:"errors,omitempty"`
}

// snapshot reads every rule file under dir (a rule set, or a directory of
// them) into memory.
func snapshot(dir string) (fstest.MapFS, error) {
	out := fstest.MapFS{}
	root := os.DirFS(dir)
	err := fs.WalkDir(root, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if strings.Count(p, "/") >= 1 && p != "." {
				return fs.SkipDir // a set's files are at most one level down
			}
			return nil
		}
		if ext := filepath.Ext(p); ext != ".yaml" && ext != ".yml" {
			return nil
		}
		data, err := fs.ReadFile(root, p)
		if err != nil {
			return err
		}
		out[p] = &fstest.MapFile{Data: data}
		return nil
	})
	return out, err
}

// load builds a state from dir ("" = the embedded sets): it loads and
// checks the rules, builds the engines, runs the sets' test cases and
// loads the candidates. Only a state that passes all of this is returned.
func (s *Server) load(dir string) (*state, error) {
	st := &state{}
	var err error
	if dir == "" {
		st.src = rulesets.FS
		policy := s.opts.Policy
		if policy == "" {
			policy = rulesets.DefaultPolicy
		}
		st.lib, err = rules.LoadPolicy(rulesets.FS, ".", policy)
	} else {
		var snap fstest.MapFS
		if snap, err = snapshot(dir); err != nil {
			return nil, rules.Errors{{File: dir, Code: rules.CodeRead, Message: "cannot read the rule directory: " + err.Error()}}
		}
		st.src = snap
		st.lib, err = rules.LoadPolicy(snap, ".", s.opts.Policy)
		err = underDir(err, dir)
	}
	if err != nil {
		return nil, err
	}
	if st.engine, err = eligibility.New(st.lib); err != nil {
		return nil, underDir(err, dir)
	}
	if st.planner, err = allocation.New(st.lib); err != nil {
		st.planner = nil // quota and plan answer that these sets have no quota rules
	}
	var failed rules.Errors
	for _, r := range st.lib.RunCases(st.engine.Runners()) {
		st.cases++
		if !r.OK() {
			failed = append(failed, &rules.Error{File: under(r.Case.Pos.File, dir), Line: r.Case.Pos.Line, Column: r.Case.Pos.Column,
				Code: "case", Message: fmt.Sprintf("test case %q fails: %s", r.Case.Name, strings.Join(r.Failures, "; "))})
		}
	}
	if len(failed) > 0 {
		return nil, failed
	}
	for _, c := range s.opts.Candidates {
		lib, err := rules.LoadDirPolicy(c, s.opts.Policy)
		if err != nil {
			return nil, err
		}
		e, err := eligibility.New(lib)
		if err != nil {
			return nil, err
		}
		st.candidates = append(st.candidates, &candidate{dir: c, engine: e})
	}
	st.openapi, err = buildOpenAPI(st)
	if err != nil {
		return nil, err
	}
	st.loaded = time.Now()
	return st, nil
}

// underDir shows the files of rules.Errors under dir, where they are on disk.
func underDir(err error, dir string) error {
	var list rules.Errors
	if dir == "" || !errors.As(err, &list) {
		return err
	}
	out := make(rules.Errors, len(list))
	for i, e := range list {
		c := *e
		c.File = under(e.File, dir)
		out[i] = &c
	}
	return out
}

func under(file, dir string) string {
	if dir == "" || file == "" {
		return file
	}
	return filepath.Join(dir, file)
}

// Reload loads the rules again from the directory the server was started
// with, and swaps them in when they load, check and pass their cases.
// Otherwise the rules in force stay, and the error (rules.Errors, with
// positions) is also shown at GET /v1/status. trigger says what asked for
// the reload, for the log and the status.
func (s *Server) Reload(trigger string) error {
	return s.reloadFrom(s.opts.Rules, trigger)
}

func (s *Server) reloadFrom(dir, trigger string) error {
	s.reloadMu.Lock()
	defer s.reloadMu.Unlock()
	st, err := s.load(dir)
	status := ReloadStatus{OK: err == nil, Time: time.Now(), Trigger: trigger}
	if err != nil {
		s.metrics.reloads.WithLabelValues("failed").Inc()
		status.Errors = ruleErrors(err)
		status.Active = s.state.Load().summary()
		s.log.Error("reload failed; the rules in force are kept", "trigger", trigger, "error", err)
	} else {
		old := s.state.Swap(st)
		s.metrics.reloads.WithLabelValues("ok").Inc()
		s.metrics.setActive(st)
		status.Active = st.summary()
		s.log.Info("rules reloaded", "trigger", trigger, "sets", fmt.Sprint(st.summary()), "was", fmt.Sprint(old.summary()), "cases", st.cases)
	}
	s.statusMu.Lock()
	s.last = status
	s.statusMu.Unlock()
	return err
}

// Status returns the outcome of the last load of the rules.
func (s *Server) Status() ReloadStatus {
	s.statusMu.Lock()
	defer s.statusMu.Unlock()
	return s.last
}

// Watch reloads the rules whenever a rule file under the rules directory
// changes (its name, size or modification time), looking every interval,
// until ctx is done. It does nothing for the embedded rules.
func (s *Server) Watch(ctx context.Context, interval time.Duration) {
	if s.opts.Rules == "" || interval <= 0 {
		return
	}
	last := s.files // as the rules were when first loaded
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			now := fingerprint(s.opts.Rules)
			if now != last {
				last = now
				_ = s.Reload("change in " + s.opts.Rules)
			}
		}
	}
}

// fingerprint lists the rule files under dir with their size and time.
func fingerprint(dir string) string {
	var lines []string
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		if info, err := d.Info(); err == nil {
			lines = append(lines, fmt.Sprintf("%s %d %d", p, info.Size(), info.ModTime().UnixNano()))
		}
		return nil
	})
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}
