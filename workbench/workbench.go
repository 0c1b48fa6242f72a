package workbench

import (
	"bytes"
	"crypto/rand"
	"crypto/subtle"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/hotro-vn/hotro/eligibility"
	"github.com/hotro-vn/hotro/rules"
)

//go:embed templates/*.html static/*
var assets embed.FS

// Options configure a Workbench.
type Options struct {
	// InForce returns the rule sets in force and the files they were
	// loaded from (service.Server.InForce). Required. The workbench only
	// reads them: a draft never replaces them.
	InForce func() (*rules.Library, fs.FS)
	// Workspace is the directory drafts are kept in, created with the
	// first draft. Empty: drafts are off.
	Workspace string
	// Populations are persons lists an impact may be computed on, chosen
	// by name in the page (the example province). The paths are the
	// operator's, never a request's.
	Populations []Population
	// Today gives the date the forms start with; nil leaves the date to
	// fill in. The library never reads the clock: the program passes it.
	Today func() time.Time
	// MaxUpload bounds an uploaded list or rule file (default 16 MiB).
	MaxUpload int64
	// AllowRemote lets clients that are not on this machine use the
	// workbench. By default only loopback clients, addressing the server by
	// a loopback name, are served (a guard against DNS rebinding too).
	AllowRemote bool
	// Logger receives errors; default slog.Default().
	Logger *slog.Logger
}

// Population is a named persons file (CSV, XLSX or JSON).
type Population struct {
	Name string // shown in the page, e.g. "Hà Tĩnh (ví dụ, 18.300 người)"
	Path string
}

// Workbench is the http.Handler of the pages. It is safe for concurrent use.
type Workbench struct {
	opts  Options
	log   *slog.Logger
	mux   *http.ServeMux
	pages map[string]*template.Template

	engMu  sync.Mutex
	engLib *rules.Library
	eng    *eligibility.Engine
	engErr error

	wsMu sync.Mutex // drafts: one change at a time

	dlMu      sync.Mutex
	downloads map[string]download // results kept for download, by random id
	dlOrder   []string
}

type download struct {
	name, ctype string
	data        []byte
}

// New returns a workbench over the rules opts.InForce gives.
func New(opts Options) (*Workbench, error) {
	if opts.InForce == nil {
		return nil, errors.New("workbench: Options.InForce is required")
	}
	if opts.MaxUpload <= 0 {
		opts.MaxUpload = 16 << 20
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	w := &Workbench{opts: opts, log: opts.Logger, mux: http.NewServeMux(), downloads: map[string]download{}}
	if err := w.parseTemplates(); err != nil {
		return nil, err
	}
	w.routes()
	return w, nil
}

// Paths are the paths the workbench serves; Mount sends every other path
// to the API.
var Paths = []string{"/bo-quy-tac", "/thu", "/danh-sach", "/soan", "/static/"}

// Mount returns a handler that serves the workbench at / and its pages,
// and every other request (the API: /v1/…, /openapi.json, /healthz …)
// with api.
func (w *Workbench) Mount(api http.Handler) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if w.Owns(r.URL.Path) {
			w.ServeHTTP(rw, r)
			return
		}
		api.ServeHTTP(rw, r)
	})
}

// Owns reports whether path is one of the workbench's.
func (w *Workbench) Owns(p string) bool {
	if p == "/" {
		return true
	}
	for _, q := range Paths {
		if p == strings.TrimSuffix(q, "/") || strings.HasPrefix(p, strings.TrimSuffix(q, "/")+"/") {
			return true
		}
	}
	return false
}

// ServeHTTP serves the pages.
func (w *Workbench) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	if !w.opts.AllowRemote && !loopback(r) {
		http.Error(rw, "Bàn làm việc chỉ mở được trên chính máy này / the workbench is served to this machine only", http.StatusForbidden)
		return
	}
	h := rw.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	defer func() {
		if p := recover(); p != nil {
			w.log.Error("workbench: panic", "path", r.URL.Path, "panic", p)
			http.Error(rw, "lỗi bên trong / internal error", http.StatusInternalServerError)
		}
	}()
	if r.Method == http.MethodPost {
		defer func() {
			if r.MultipartForm != nil {
				_ = r.MultipartForm.RemoveAll() // the uploads spilled to temporary files
			}
		}()
		if !w.checkCSRF(r) {
			http.Error(rw, "Biểu mẫu đã hết hạn hoặc không đến từ bàn làm việc; hãy tải lại trang / CSRF check failed: reload the page", http.StatusForbidden)
			return
		}
	}
	w.mux.ServeHTTP(rw, r)
}

// loopback reports whether the client is on this machine and names the
// server by a loopback address.
func loopback(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return false
	}
	h := r.Host
	if hh, _, err := net.SplitHostPort(h); err == nil {
		h = hh
	}
	h = strings.Trim(h, "[]")
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

const csrfCookie = "hotro_csrf"

// csrfToken returns the request's token, setting a new cookie when it has
// none (double submit: the form carries the cookie's value, which another
// site can neither read nor set).
func csrfToken(rw http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(csrfCookie); err == nil && len(c.Value) == 32 {
		return c.Value
	}
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	tok := hex.EncodeToString(b)
	http.SetCookie(rw, &http.Cookie{Name: csrfCookie, Value: tok, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode})
	r.AddCookie(&http.Cookie{Name: csrfCookie, Value: tok})
	return tok
}

func (w *Workbench) checkCSRF(r *http.Request) bool {
	if o := r.Header.Get("Origin"); o != "" && o != "null" {
		u, err := url.Parse(o)
		if err != nil || u.Host != r.Host {
			return false
		}
	}
	c, err := r.Cookie(csrfCookie)
	if err != nil || len(c.Value) != 32 {
		return false
	}
	r.Body = http.MaxBytesReader(nil, r.Body, w.opts.MaxUpload+1<<20)
	var form string
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		if err := r.ParseMultipartForm(4 << 20); err != nil {
			return false
		}
		form = r.FormValue("csrf")
	} else {
		form = r.PostFormValue("csrf")
	}
	return subtle.ConstantTimeCompare([]byte(form), []byte(c.Value)) == 1
}

// engine returns the engine over the rules in force now.
func (w *Workbench) inForce() (*rules.Library, fs.FS, *eligibility.Engine, error) {
	lib, src := w.opts.InForce()
	w.engMu.Lock()
	defer w.engMu.Unlock()
	if w.engLib != lib {
		w.engLib = lib
		w.eng, w.engErr = eligibility.New(lib)
	}
	return lib, src, w.eng, w.engErr
}

// page is what every template gets.
type page struct {
	Lang  string
	L     map[string]string
	CSRF  string
	Title string
	Nav   string
	Path  string
	Data  any
}

// U returns a path of the workbench in the page's language.
func (p page) U(path string) string {
	if p.Lang != "en" {
		return path
	}
	if strings.Contains(path, "?") {
		return path + "&lang=en"
	}
	return path + "?lang=en"
}

// Other returns this page's path in the other language.
func (p page) Other() string {
	if p.Lang == "en" {
		return p.Path
	}
	if strings.Contains(p.Path, "?") {
		return p.Path + "&lang=en"
	}
	return p.Path + "?lang=en"
}

func lang(r *http.Request) string {
	if r.URL.Query().Get("lang") == "en" || r.FormValue("lang") == "en" {
		return "en"
	}
	return "vi"
}

func (w *Workbench) render(rw http.ResponseWriter, r *http.Request, status int, name, nav, title string, data any) {
	t := w.pages[name]
	l := lang(r)
	q := r.URL.Query()
	q.Del("lang")
	p := r.URL.Path
	if len(q) > 0 {
		p += "?" + q.Encode()
	}
	pg := page{Lang: l, L: messages[l], CSRF: csrfToken(rw, r), Title: title, Nav: nav, Path: p, Data: data}
	var b bytes.Buffer
	if err := t.ExecuteTemplate(&b, "layout", pg); err != nil {
		w.log.Error("workbench: template", "page", name, "error", err)
		http.Error(rw, "lỗi bên trong / internal error", http.StatusInternalServerError)
		return
	}
	rw.Header().Set("Content-Type", "text/html; charset=utf-8")
	rw.Header().Set("Cache-Control", "no-store")
	rw.WriteHeader(status)
	_, _ = rw.Write(b.Bytes())
}

// fail renders an error page.
func (w *Workbench) fail(rw http.ResponseWriter, r *http.Request, status int, msg string) {
	w.render(rw, r, status, "error", "", msg, msg)
}

// keep stores a result for download and returns its id.
func (w *Workbench) keep(d download) string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	id := hex.EncodeToString(b)
	w.dlMu.Lock()
	defer w.dlMu.Unlock()
	w.downloads[id] = d
	w.dlOrder = append(w.dlOrder, id)
	for len(w.dlOrder) > 32 {
		delete(w.downloads, w.dlOrder[0])
		w.dlOrder = w.dlOrder[1:]
	}
	return id
}

func (w *Workbench) handleDownload(rw http.ResponseWriter, r *http.Request) {
	w.dlMu.Lock()
	d, ok := w.downloads[r.PathValue("id")]
	w.dlMu.Unlock()
	if !ok {
		w.fail(rw, r, http.StatusNotFound, messages[lang(r)]["download_gone"])
		return
	}
	rw.Header().Set("Content-Type", d.ctype)
	rw.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", d.name))
	_, _ = rw.Write(d.data)
}

func (w *Workbench) routes() {
	m := w.mux
	m.HandleFunc("GET /{$}", w.handleRuleSets)
	m.HandleFunc("GET /bo-quy-tac", w.handleRuleSets)
	m.HandleFunc("GET /bo-quy-tac/{id}", w.handleRuleSet)
	m.HandleFunc("GET /thu", w.handleTry)
	m.HandleFunc("POST /thu", w.handleTry)
	m.HandleFunc("GET /danh-sach", w.handleBatch)
	m.HandleFunc("POST /danh-sach", w.handleBatch)
	m.HandleFunc("GET /danh-sach/tai/{id}", w.handleDownload)
	m.HandleFunc("GET /soan", w.handleDrafts)
	m.HandleFunc("POST /soan", w.handleNewDraft)
	m.HandleFunc("GET /soan/{d}", w.handleDraft)
	m.HandleFunc("POST /soan/{d}/tham-so", w.handleParamEdit)
	m.HandleFunc("POST /soan/{d}/quy-tac", w.handleRuleEdit)
	m.HandleFunc("POST /soan/{d}/ca", w.handleCaseEdit)
	m.HandleFunc("GET /soan/{d}/yaml", w.handleYAML)
	m.HandleFunc("POST /soan/{d}/yaml", w.handleYAML)
	m.HandleFunc("GET /soan/{d}/tac-dong", w.handleImpact)
	m.HandleFunc("POST /soan/{d}/tac-dong", w.handleImpact)
	m.HandleFunc("GET /soan/{d}/tai", w.handleZip)
	m.Handle("GET /static/", http.FileServerFS(assets))
	m.HandleFunc("/", func(rw http.ResponseWriter, r *http.Request) {
		w.fail(rw, r, http.StatusNotFound, messages[lang(r)]["not_found"])
	})
}

func (w *Workbench) today() time.Time {
	if w.opts.Today == nil {
		return time.Time{}
	}
	t := w.opts.Today()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}
