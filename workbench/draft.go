package workbench

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hotro-vn/hotro/eligibility"
	"github.com/hotro-vn/hotro/rules"
	"gopkg.in/yaml.v3"
)

// Drafts live in the workspace directory, one directory each, holding the
// rule files of one set. Every path is checked twice: a draft's name and a
// file's name must match the patterns below (they are made by the server
// or listed from the draft), and every access goes through an os.Root
// opened on the workspace, which refuses any path that leaves it (.., an
// absolute path, a link pointing out).

var (
	draftName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,79}$`) })
	fileName  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}\.ya?ml$`) })
)

const originFile = "draft.json" // not YAML: the loader skips it, the zip leaves it out

type draftInfo struct {
	ID, From, FromHash, Started string
}

func (w *Workbench) root() (*os.Root, error) {
	if w.opts.Workspace == "" {
		return nil, errors.New("chưa có thư mục làm việc (--workspace) / no workspace directory")
	}
	if err := os.MkdirAll(w.opts.Workspace, 0o755); err != nil {
		return nil, err
	}
	return os.OpenRoot(w.opts.Workspace)
}

func (w *Workbench) listDrafts() ([]draftInfo, error) {
	if w.opts.Workspace == "" {
		return nil, nil
	}
	if _, err := os.Stat(w.opts.Workspace); err != nil {
		return nil, nil
	}
	root, err := w.root()
	if err != nil {
		return nil, err
	}
	defer root.Close()
	entries, err := fs.ReadDir(root.FS(), ".")
	if err != nil {
		return nil, err
	}
	var out []draftInfo
	for _, e := range entries {
		if !e.IsDir() || !draftName().MatchString(e.Name()) {
			continue
		}
		if _, err := root.Stat(e.Name() + "/ruleset.yaml"); err != nil {
			continue
		}
		info := draftInfo{ID: e.Name()}
		if b, err := root.ReadFile(e.Name() + "/" + originFile); err == nil {
			_ = json.Unmarshal(b, &info)
			info.ID = e.Name()
		}
		out = append(out, info)
	}
	return out, nil
}

// draftFiles reads the YAML files of draft id, by name.
func draftFiles(root *os.Root, id string) (map[string][]byte, []string, error) {
	entries, err := fs.ReadDir(root.FS(), id)
	if err != nil {
		return nil, nil, err
	}
	files := map[string][]byte{}
	var names []string
	for _, e := range entries {
		if e.IsDir() || !fileName().MatchString(e.Name()) {
			continue
		}
		b, err := root.ReadFile(id + "/" + e.Name())
		if err != nil {
			return nil, nil, err
		}
		files[e.Name()] = b
		names = append(names, e.Name())
	}
	return files, names, nil
}

// check is a draft as the server sees it after a change: its files, the
// problems of loading them (positioned), and when it loads, the set, its
// engine and its cases run.
type check struct {
	Files   map[string][]byte
	Names   []string
	Errors  []posError
	Lib     *rules.Library
	Set     *rules.Set
	Engine  *eligibility.Engine
	Results []rules.CaseResult
	Passed  int
	Failed  int
}

// posError is a problem of a rule file at a line and column.
type posError struct {
	File         string
	Line, Column int
	Message      string
}

func (c *check) OK() bool { return len(c.Errors) == 0 && c.Failed == 0 }

func toPosErrors(err error) []posError {
	var list rules.Errors
	if errors.As(err, &list) {
		out := make([]posError, len(list))
		for i, e := range list {
			out[i] = posError{File: path.Base(filepathToSlash(e.File)), Line: e.Line, Column: e.Column, Message: e.Message}
		}
		return out
	}
	return []posError{{Message: err.Error()}}
}

func filepathToSlash(p string) string { return strings.ReplaceAll(p, `\`, "/") }

// checkDraft loads draft id from the workspace, checks it and runs its
// cases. A draft is loaded on its own, never into the rules in force.
func (w *Workbench) checkDraft(root *os.Root, id string) (*check, error) {
	if !draftName().MatchString(id) {
		return nil, fs.ErrNotExist
	}
	if _, err := root.Stat(id + "/ruleset.yaml"); err != nil {
		return nil, fs.ErrNotExist
	}
	files, names, err := draftFiles(root, id)
	if err != nil {
		return nil, err
	}
	c := &check{Files: files, Names: names}
	lib, err := rules.Load(root.FS(), id)
	if err != nil {
		c.Errors = toPosErrors(err)
		return c, nil
	}
	eng, err := eligibility.New(lib)
	if err != nil {
		c.Errors = toPosErrors(err)
		return c, nil
	}
	c.Lib, c.Engine, c.Set = lib, eng, lib.Sets()[0]
	c.Results = lib.RunCases(eng.Runners())
	for _, r := range c.Results {
		if r.OK() {
			c.Passed++
		} else {
			c.Failed++
		}
	}
	return c, nil
}

func (w *Workbench) handleDrafts(rw http.ResponseWriter, r *http.Request) {
	lib, _, _, err := w.inForce()
	if err != nil {
		w.fail(rw, r, http.StatusInternalServerError, err.Error())
		return
	}
	var data struct {
		Sets      [][2]string
		Drafts    []draftInfo
		Workspace string
		Error     string
	}
	for _, s := range lib.Sets() {
		data.Sets = append(data.Sets, [2]string{s.Meta.ID, s.Meta.Title})
	}
	data.Workspace = w.opts.Workspace
	data.Drafts, err = w.listDrafts()
	if err != nil {
		data.Error = err.Error()
	}
	w.render(rw, r, http.StatusOK, "drafts", "draft", messages[lang(r)]["nav_draft"], data)
}

func (w *Workbench) redirect(rw http.ResponseWriter, r *http.Request, to string) {
	if lang(r) == "en" {
		if strings.Contains(to, "?") {
			to += "&lang=en"
		} else if i := strings.Index(to, "#"); i >= 0 {
			to = to[:i] + "?lang=en" + to[i:]
		} else {
			to += "?lang=en"
		}
	}
	http.Redirect(rw, r, to, http.StatusSeeOther)
}

// handleNewDraft copies the files of a rule set in force into a new draft.
func (w *Workbench) handleNewDraft(rw http.ResponseWriter, r *http.Request) {
	lib, src, _, err := w.inForce()
	if err != nil {
		w.fail(rw, r, http.StatusInternalServerError, err.Error())
		return
	}
	var set *rules.Set
	for _, s := range lib.Sets() {
		if s.Meta.ID == r.PostFormValue("set") {
			set = s
		}
	}
	if set == nil {
		w.fail(rw, r, http.StatusBadRequest, messages[lang(r)]["not_found"])
		return
	}
	dir := path.Clean(filepathToSlash(set.Dir))
	entries, err := fs.ReadDir(src, dir)
	if err != nil {
		w.fail(rw, r, http.StatusInternalServerError, err.Error())
		return
	}
	w.wsMu.Lock()
	defer w.wsMu.Unlock()
	root, err := w.root()
	if err != nil {
		w.fail(rw, r, http.StatusInternalServerError, err.Error())
		return
	}
	defer root.Close()
	base := strings.ToLower(path.Base(dir))
	if base == "." || !draftName().MatchString(base) {
		base = strings.ToLower(set.Meta.ID)
	}
	if !draftName().MatchString(base) {
		base = "du-thao"
	}
	id := base
	for n := 2; ; n++ {
		if _, err := root.Stat(id); errors.Is(err, fs.ErrNotExist) {
			break
		}
		id = base + "-" + strconv.Itoa(n)
	}
	if err := root.Mkdir(id, 0o755); err != nil {
		w.fail(rw, r, http.StatusInternalServerError, err.Error())
		return
	}
	for _, e := range entries {
		if e.IsDir() || !fileName().MatchString(e.Name()) {
			continue
		}
		b, err := fs.ReadFile(src, path.Join(dir, e.Name()))
		if err == nil {
			err = root.WriteFile(id+"/"+e.Name(), b, 0o644)
		}
		if err != nil {
			w.fail(rw, r, http.StatusInternalServerError, err.Error())
			return
		}
	}
	origin, _ := json.Marshal(draftInfo{From: set.Meta.ID, FromHash: set.Hash, Started: w.today().Format(time.DateOnly)})
	_ = root.WriteFile(id+"/"+originFile, origin, 0o644)
	w.redirect(rw, r, "/soan/"+id)
}

// The draft's contents as forms show them, read from the YAML itself so
// that a draft that does not load can still be edited.

type paramForm struct {
	File, Name, Words, By string
	Keys                  []string
	Single                bool
	Values                []valueForm
}

type valueForm struct {
	Index               int
	From, Value, Source string
	ByKey               [][2]string
}

type ruleForm struct {
	File, ID, When, Cites, MessageVI, MessageEN string
}

type caseForm struct {
	File        string
	Index, Line int
	Name, Date  string
	Outputs     [][2]string
	Ran, OK     bool
	Failures    []string
}

func scalarValue(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}

func (c *check) forms(lang string) (ps []paramForm, rs []ruleForm, cs []caseForm) {
	for _, name := range c.Names {
		d, err := parseDoc(c.Files[name])
		if err != nil || d.root == nil {
			continue
		}
		if params, _ := get(d.root, "parameters"); params != nil && params.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(params.Content); i += 2 {
				p := params.Content[i+1]
				pf := paramForm{File: name, Name: params.Content[i].Value, By: scalarValue(at(p, "by"))}
				if desc := at(p, "description"); desc != nil {
					pf.Words = scalarValue(at(desc, lang))
					if pf.Words == "" {
						pf.Words = scalarValue(at(desc, "vi"))
					}
				}
				if keys := at(p, "keys"); keys != nil {
					for _, k := range keys.Content {
						pf.Keys = append(pf.Keys, k.Value)
					}
				}
				vf := func(idx int, e *yaml.Node) valueForm {
					v := valueForm{Index: idx, From: scalarValue(at(e, "from")), Source: scalarValue(at(e, "source"))}
					val := at(e, "value")
					if val != nil && val.Kind == yaml.MappingNode {
						for j := 0; j+1 < len(val.Content); j += 2 {
							v.ByKey = append(v.ByKey, [2]string{val.Content[j].Value, val.Content[j+1].Value})
						}
					} else {
						v.Value = scalarValue(val)
					}
					return v
				}
				if vals := at(p, "values"); vals != nil && vals.Kind == yaml.SequenceNode {
					for j, e := range vals.Content {
						pf.Values = append(pf.Values, vf(j, e))
					}
				} else {
					pf.Single = true
					pf.Values = []valueForm{vf(0, p)}
				}
				ps = append(ps, pf)
			}
		}
		if list, _ := get(d.root, "rules"); list != nil && list.Kind == yaml.SequenceNode {
			for _, r := range list.Content {
				rs = append(rs, ruleForm{File: name, ID: scalarValue(at(r, "id")), When: strings.TrimSpace(scalarValue(at(r, "when"))), Cites: scalarValue(at(r, "cites")),
					MessageVI: scalarValue(at(r, "message", "vi")), MessageEN: scalarValue(at(r, "message", "en"))})
			}
		}
		if list, _ := get(d.root, "cases"); list != nil && list.Kind == yaml.SequenceNode {
			for i, cn := range list.Content {
				cf := caseForm{File: name, Index: i, Line: cn.Line, Name: scalarValue(at(cn, "name")), Date: scalarValue(at(cn, "date"))}
				if outs := at(cn, "expect", "outputs"); outs != nil {
					for j := 0; j+1 < len(outs.Content); j += 2 {
						cf.Outputs = append(cf.Outputs, [2]string{outs.Content[j].Value, outs.Content[j+1].Value})
					}
				}
				if r, ok := c.result(name, cn.Line); ok {
					cf.Ran, cf.OK, cf.Failures = true, r.OK(), r.Failures
				}
				cs = append(cs, cf)
			}
		}
	}
	return ps, rs, cs
}

func (c *check) result(file string, line int) (rules.CaseResult, bool) {
	for _, r := range c.Results {
		if path.Base(filepathToSlash(r.Case.Pos.File)) == file && r.Case.Pos.Line == line {
			return r, true
		}
	}
	return rules.CaseResult{}, false
}

type draftData struct {
	ID, Workspace, Saved string
	Info                 draftInfo
	Check                *check
	Set                  *setView
	Params               []paramForm
	Rules                []ruleForm
	Cases                []caseForm
	EditError            string
}

func (w *Workbench) openDraft(rw http.ResponseWriter, r *http.Request) (*os.Root, string, *check, bool) {
	id := r.PathValue("d")
	if !draftName().MatchString(id) {
		w.fail(rw, r, http.StatusNotFound, messages[lang(r)]["not_found"])
		return nil, "", nil, false
	}
	root, err := w.root()
	if err != nil {
		w.fail(rw, r, http.StatusInternalServerError, err.Error())
		return nil, "", nil, false
	}
	c, err := w.checkDraft(root, id)
	if err != nil {
		root.Close()
		if errors.Is(err, fs.ErrNotExist) {
			w.fail(rw, r, http.StatusNotFound, messages[lang(r)]["not_found"])
		} else {
			w.fail(rw, r, http.StatusInternalServerError, err.Error())
		}
		return nil, "", nil, false
	}
	return root, id, c, true
}

func (w *Workbench) handleDraft(rw http.ResponseWriter, r *http.Request) {
	w.showDraft(rw, r, http.StatusOK, "")
}

func (w *Workbench) showDraft(rw http.ResponseWriter, r *http.Request, status int, editErr string) {
	root, id, c, ok := w.openDraft(rw, r)
	if !ok {
		return
	}
	defer root.Close()
	l := lang(r)
	d := draftData{ID: id, Workspace: w.opts.Workspace, Check: c, Saved: r.URL.Query().Get("saved"), EditError: editErr}
	if b, err := root.ReadFile(id + "/" + originFile); err == nil {
		_ = json.Unmarshal(b, &d.Info)
	}
	d.Params, d.Rules, d.Cases = c.forms(l)
	if c.Set != nil {
		v := viewSet(c.Set, c.Lib, c.Engine, l)
		d.Set = &v
	}
	w.render(rw, r, status, "draft", "draft", messages[l]["draft"]+" "+id, d)
}

// change applies edit to one file of the draft and writes it back.
func (w *Workbench) change(rw http.ResponseWriter, r *http.Request, anchor string, edit func(root *os.Root, id string, c *check, d *doc) error) {
	file := r.PostFormValue("file")
	if !fileName().MatchString(file) {
		w.fail(rw, r, http.StatusBadRequest, messages[lang(r)]["not_found"])
		return
	}
	w.wsMu.Lock()
	root, id, c, ok := w.openDraft(rw, r)
	if !ok {
		w.wsMu.Unlock()
		return
	}
	src, found := c.Files[file]
	var err error
	if !found {
		err = fmt.Errorf("không có tệp %s / no file %s", file, file)
	} else {
		d, perr := parseDoc(src)
		if perr != nil || d.root == nil {
			err = errors.New(messages[lang(r)]["fix_yaml"])
		} else if err = edit(root, id, c, d); err == nil {
			err = root.WriteFile(id+"/"+file, d.bytes(), 0o644)
		}
	}
	root.Close()
	w.wsMu.Unlock()
	if err != nil {
		w.showDraft(rw, r, http.StatusUnprocessableEntity, err.Error())
		return
	}
	w.redirect(rw, r, "/soan/"+id+"?saved="+url.QueryEscape(file)+anchor)
}

// moneyText accepts a value as staff type it: 2.300.000 or 2 300 000 đ.
func moneyText(s string) string {
	t := strings.TrimSpace(s)
	t = strings.TrimSuffix(strings.TrimSuffix(t, "đ"), "đồng")
	t = strings.TrimSpace(t)
	if grouped().MatchString(t) {
		return strings.NewReplacer(".", "", " ", "", "\u00a0", "").Replace(t)
	}
	return strings.TrimSpace(s)
}

var grouped = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[0-9]{1,3}([. \x{00a0}][0-9]{3})+$`) })

func (w *Workbench) handleParamEdit(rw http.ResponseWriter, r *http.Request) {
	name := r.PostFormValue("param")
	w.change(rw, r, "#p-"+name, func(_ *os.Root, _ string, c *check, d *doc) error {
		e := ValueEdit{From: strings.TrimSpace(r.PostFormValue("from")), Value: moneyText(r.PostFormValue("value")), Source: strings.TrimSpace(r.PostFormValue("source")), ByKey: map[string]string{}}
		var keys []string
		if p := d.param(name); p != nil {
			if ks := at(p, "keys"); ks != nil {
				for _, k := range ks.Content {
					keys = append(keys, k.Value)
					e.ByKey[k.Value] = moneyText(r.PostFormValue("value_" + k.Value))
				}
			}
		}
		if r.PostFormValue("index") == "new" {
			if e.From == "" || e.Source == "" {
				return errors.New(messages[lang(r)]["need_from_source"])
			}
			return d.addParamValue(name, keys, e)
		}
		i, err := strconv.Atoi(r.PostFormValue("index"))
		if err != nil {
			return err
		}
		return d.setParamValue(name, i, e)
	})
}

func (w *Workbench) handleRuleEdit(rw http.ResponseWriter, r *http.Request) {
	id := r.PostFormValue("rule")
	w.change(rw, r, "#r-"+id, func(_ *os.Root, _ string, _ *check, d *doc) error {
		return d.setRule(id, RuleEdit{When: r.PostFormValue("when"), Cites: r.PostFormValue("cites"), MessageVI: r.PostFormValue("message_vi"), MessageEN: r.PostFormValue("message_en")})
	})
}

func (w *Workbench) handleCaseEdit(rw http.ResponseWriter, r *http.Request) {
	i, err := strconv.Atoi(r.PostFormValue("index"))
	if err != nil {
		w.fail(rw, r, http.StatusBadRequest, err.Error())
		return
	}
	w.change(rw, r, "#c-"+strconv.Itoa(i), func(_ *os.Root, _ string, c *check, d *doc) error {
		e := CaseEdit{Name: r.PostFormValue("name"), Outputs: map[string]string{}}
		cs, _ := get(d.root, "cases")
		if cs == nil || i < 0 || i >= len(cs.Content) {
			return fmt.Errorf("không có ca thứ %d / no case %d", i+1, i+1)
		}
		outs := at(cs.Content[i], "expect", "outputs")
		if outs == nil {
			return d.setCase(i, e)
		}
		accept := r.PostFormValue("action") == "accept"
		var res rules.CaseResult
		if accept {
			var ok bool
			if res, ok = c.result(r.PostFormValue("file"), cs.Content[i].Line); !ok || res.Result == nil {
				return errors.New(messages[lang(r)]["no_result"])
			}
		}
		for j := 0; j+1 < len(outs.Content); j += 2 {
			key := outs.Content[j].Value
			if accept {
				if v, ok := res.Result.Output(key); ok {
					e.Outputs[key] = rules.FormatValue(v)
				}
			} else {
				e.Outputs[key] = strings.TrimSpace(r.PostFormValue("out_" + key))
			}
		}
		return d.setCase(i, e)
	})
}

// The YAML view: a file's text with the problems of the draft shown under
// the lines they point at, and a box to change the text.

type yamlLine struct {
	N      int
	Text   string
	Errors []posError
}

type yamlData struct {
	ID, File, Text string
	Files          []string
	Lines          []yamlLine
	Other          []posError // problems of other files or of no line
	Check          *check
	Saved          bool
}

func (w *Workbench) handleYAML(rw http.ResponseWriter, r *http.Request) {
	file := r.FormValue("file")
	if file == "" {
		file = "parameters.yaml"
	}
	if !fileName().MatchString(file) {
		w.fail(rw, r, http.StatusBadRequest, messages[lang(r)]["not_found"])
		return
	}
	if r.Method == http.MethodPost {
		text := strings.ReplaceAll(r.PostFormValue("text"), "\r\n", "\n")
		if !validUTF8([]byte(text)) || int64(len(text)) > rules.MaxFileSize {
			w.fail(rw, r, http.StatusBadRequest, messages[lang(r)]["bad_text"])
			return
		}
		w.wsMu.Lock()
		root, id, c, ok := w.openDraft(rw, r)
		if !ok {
			w.wsMu.Unlock()
			return
		}
		var err error
		if _, found := c.Files[file]; !found {
			err = fmt.Errorf("không có tệp %s / no file %s", file, file)
		} else {
			err = root.WriteFile(id+"/"+file, []byte(text), 0o644)
		}
		root.Close()
		w.wsMu.Unlock()
		if err != nil {
			w.fail(rw, r, http.StatusBadRequest, err.Error())
			return
		}
		w.redirect(rw, r, "/soan/"+id+"/yaml?file="+url.QueryEscape(file)+"&saved=1")
		return
	}
	root, id, c, ok := w.openDraft(rw, r)
	if !ok {
		return
	}
	root.Close()
	src, found := c.Files[file]
	if !found {
		w.fail(rw, r, http.StatusNotFound, messages[lang(r)]["not_found"])
		return
	}
	d := yamlData{ID: id, File: file, Text: string(src), Files: c.Names, Check: c, Saved: r.URL.Query().Get("saved") != ""}
	lines := strings.Split(string(src), "\n")
	for i, t := range lines {
		d.Lines = append(d.Lines, yamlLine{N: i + 1, Text: t})
	}
	for _, e := range c.Errors {
		if e.File == file && e.Line >= 1 && e.Line <= len(d.Lines) {
			d.Lines[e.Line-1].Errors = append(d.Lines[e.Line-1].Errors, e)
		} else {
			d.Other = append(d.Other, e)
		}
	}
	w.render(rw, r, http.StatusOK, "yaml", "draft", file, d)
}

// handleZip downloads the draft's rule files as a zip holding one
// directory named after the draft, as a person would copy it.
func (w *Workbench) handleZip(rw http.ResponseWriter, r *http.Request) {
	root, id, c, ok := w.openDraft(rw, r)
	if !ok {
		return
	}
	root.Close()
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	names := slices.Clone(c.Names)
	slices.Sort(names)
	for _, n := range names {
		f, err := z.CreateHeader(&zip.FileHeader{Name: id + "/" + n, Method: zip.Deflate})
		if err == nil {
			_, err = f.Write(c.Files[n])
		}
		if err != nil {
			w.fail(rw, r, http.StatusInternalServerError, err.Error())
			return
		}
	}
	if err := z.Close(); err != nil {
		w.fail(rw, r, http.StatusInternalServerError, err.Error())
		return
	}
	sum := sha256.Sum256(b.Bytes())
	rw.Header().Set("Content-Type", "application/zip")
	rw.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", id+".zip"))
	rw.Header().Set("ETag", fmt.Sprintf(`"%x"`, sum[:8]))
	_, _ = rw.Write(b.Bytes())
}
