package service

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Options configure a Server. The zero value serves the embedded rule sets
// with the default limits, no admin endpoints, no CORS and no decision log.
type Options struct {
	// Rules is a rule set directory (one set, or a directory of sets);
	// empty means the rule sets embedded in the module.
	Rules string
	// Policy names the policy whose sets to load when Rules holds
	// several; empty: the only one there, or rulesets.DefaultPolicy for
	// the embedded sets.
	Policy string
	// Candidates are further rule set directories, loaded beside Rules but
	// never used to decide: POST /v1/impact compares against them by set id.
	Candidates []string

	// MaxBodyBytes bounds a request body (default 32 MiB); MaxBatch the
	// records (persons plus units) of one request (default 10,000);
	// MaxMonths the months of a schedule or comparison (default 240).
	MaxBodyBytes int64
	MaxBatch     int
	MaxMonths    int
	// Timeout bounds the work on one request (default 30 s). A batch
	// checks it between chunks of records and stops.
	Timeout time.Duration

	// AdminToken enables the admin endpoints (POST /v1/admin/reload),
	// which then want "Authorization: Bearer TOKEN". Empty: disabled.
	AdminToken string
	// CORSOrigins are the origins allowed to call from a browser; "*"
	// allows any. Empty: no CORS headers at all.
	CORSOrigins []string

	// DecisionLog is a file to which every decision is appended as a JSON
	// line; empty: no log. DecisionLogMaxBytes rotates it (default
	// 100 MiB; the previous file becomes FILE.1, and so on up to
	// FILE.DecisionLogKeep, default 5). Mask lists the record keys written
	// as "***" (default full_name and every key that names a national id).
	DecisionLog         string
	DecisionLogMaxBytes int64
	DecisionLogKeep     int
	Mask                []string

	// Logger receives the server's own log (reloads, panics); default
	// slog.Default().
	Logger *slog.Logger
}

func (o *Options) defaults() {
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = 32 << 20
	}
	if o.MaxBatch <= 0 {
		o.MaxBatch = 10000
	}
	if o.MaxMonths <= 0 {
		o.MaxMonths = 240
	}
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Mask == nil {
		o.Mask = defaultMask
	}
	if o.DecisionLogMaxBytes <= 0 {
		o.DecisionLogMaxBytes = 100 << 20
	}
	if o.DecisionLogKeep <= 0 {
		o.DecisionLogKeep = 5
	}
}

// Server is the HTTP/JSON service over the library. It is an http.Handler;
// its rule sets are replaced atomically by Reload, and a request runs to its
// end on the rule sets it started with.
type Server struct {
	opts    Options
	log     *slog.Logger
	mux     *http.ServeMux
	state   atomic.Pointer[state]
	metrics *metrics
	declog  *decisionLog

	reloadMu sync.Mutex // one reload at a time
	statusMu sync.Mutex
	last     ReloadStatus // the last reload attempt
	// files is the fingerprint of the rule files taken before the first
	// load: Watch compares with it, so that a change made between the
	// load and the watcher's start is not missed.
	files string
}

// New loads the rules of opts, checks them, runs their test cases, and
// returns a server over them. An error is the rules' (rules.Errors, with
// positions) or the decision log's.
func New(opts Options) (*Server, error) {
	opts.defaults()
	s := &Server{opts: opts, log: opts.Logger, mux: http.NewServeMux()}
	s.metrics = newMetrics(s)
	if opts.Rules != "" {
		s.files = fingerprint(opts.Rules)
	}
	st, err := s.load(opts.Rules)
	if err != nil {
		return nil, err
	}
	s.state.Store(st)
	s.metrics.setActive(st)
	s.last = ReloadStatus{OK: true, Time: st.loaded, Active: st.summary()}
	if opts.DecisionLog != "" {
		s.declog, err = openDecisionLog(opts.DecisionLog, opts.DecisionLogMaxBytes, opts.DecisionLogKeep, opts.Mask)
		if err != nil {
			return nil, err
		}
	}
	s.routes()
	return s, nil
}

// Close closes the decision log.
func (s *Server) Close() error {
	if s.declog != nil {
		return s.declog.Close()
	}
	return nil
}

// ServeHTTP serves the API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// Handler returns the server as an http.Handler, to mount in a larger mux.
func (s *Server) Handler() http.Handler { return s }

func (s *Server) routes() {
	s.route("POST /v1/decide", "decide", s.handleDecide)
	s.route("POST /v1/schedule", "schedule", s.handleSchedule)
	s.route("POST /v1/quota", "quota", s.handleQuota)
	s.route("POST /v1/plan", "plan", s.handlePlan)
	s.route("POST /v1/impact", "impact", s.handleImpact)
	s.route("GET /v1/rulesets", "rulesets", s.handleRulesets)
	s.route("GET /v1/rulesets/{id}", "ruleset", s.handleRuleset)
	s.route("GET /v1/status", "status", s.handleStatus)
	s.route("POST /v1/admin/reload", "reload", s.admin(s.handleReload))
	s.route("GET /openapi.json", "openapi", s.handleOpenAPI)
	s.route("GET /healthz", "healthz", s.handleHealthz)
	s.route("GET /readyz", "readyz", s.handleReadyz)
	s.route("GET /metrics", "metrics", s.metrics.handler().ServeHTTP)
	s.route("/", "other", func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, r, problem(http.StatusNotFound, probNotFound, "no endpoint "+r.URL.Path+"; see /openapi.json", "không có địa chỉ "+r.URL.Path))
	})
}

// route registers h for pattern with the common handling: request id,
// CORS, panic recovery, timeout, body limit and metrics. A method pattern
// also gets a problem+json 405 for its path's other methods.
func (s *Server) route(pattern, name string, h http.HandlerFunc) {
	wrapped := s.wrap(name, h)
	s.mux.Handle(pattern, wrapped)
	if method, path, ok := strings.Cut(pattern, " "); ok {
		allow := method
		if method == http.MethodGet {
			allow = "GET, HEAD"
		}
		s.mux.Handle(path, s.wrap(name, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Allow", allow)
			writeProblem(w, r, problem(http.StatusMethodNotAllowed, probMethod, r.Method+" is not allowed here; use "+method, "phương thức "+r.Method+" không dùng được ở đây"))
		}))
	}
}

type ctxKey int

const reqIDKey ctxKey = 0

func requestID(r *http.Request) string {
	id, _ := r.Context().Value(reqIDKey).(string)
	return id
}

// statusWriter remembers the status written.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (s *Server) wrap(name string, h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		s.metrics.inflight.Inc()
		sw := &statusWriter{ResponseWriter: w}
		id := rand.Text()
		ctx, cancel := context.WithTimeout(context.WithValue(r.Context(), reqIDKey, id), s.opts.Timeout)
		defer func() {
			cancel()
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.metrics.panics.Inc()
				s.log.Error("panic serving request", "request_id", id, "path", r.URL.Path, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				if sw.status == 0 {
					writeProblem(sw, r, problem(http.StatusInternalServerError, probInternal, "an internal error; it is logged under the request id", "lỗi nội bộ; đã ghi nhật ký theo mã yêu cầu"))
				}
			}
			s.metrics.inflight.Dec()
			s.metrics.observe(name, sw.status, time.Since(start))
		}()
		r = r.WithContext(ctx)
		sw.Header().Set("X-Request-Id", id)
		if s.cors(sw, r) {
			return
		}
		if r.Body != nil {
			r.Body = http.MaxBytesReader(sw, r.Body, s.opts.MaxBodyBytes)
		}
		h(sw, r)
	})
}

// cors sets the CORS headers for an allowed origin, and answers a
// preflight request (it then returns true).
func (s *Server) cors(w http.ResponseWriter, r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if len(s.opts.CORSOrigins) == 0 || origin == "" {
		return false
	}
	if !slices.Contains(s.opts.CORSOrigins, "*") && !slices.Contains(s.opts.CORSOrigins, origin) {
		return false
	}
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", origin)
	h.Add("Vary", "Origin")
	h.Set("Access-Control-Expose-Headers", "X-Request-Id")
	if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
		h.Set("Access-Control-Allow-Methods", "GET, POST")
		h.Set("Access-Control-Allow-Headers", "Content-Type, Authorization")
		h.Set("Access-Control-Max-Age", "600")
		w.WriteHeader(http.StatusNoContent)
		return true
	}
	return false
}

// admin guards h with the admin token.
func (s *Server) admin(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.opts.AdminToken == "" {
			writeProblem(w, r, problem(http.StatusForbidden, probAdminOff, "start the server with an admin token to use admin endpoints", "chưa cấu hình mã quản trị (admin token)"))
			return
		}
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || subtle.ConstantTimeCompare([]byte(got), []byte(s.opts.AdminToken)) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="hotro admin"`)
			writeProblem(w, r, problem(http.StatusUnauthorized, probUnauthorized, "send Authorization: Bearer TOKEN", "thiếu hoặc sai mã quản trị"))
			return
		}
		h(w, r)
	}
}

// readJSON decodes the request body into v. It writes the problem and
// returns false when the body is too large, not JSON, or has unknown keys.
func readJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	if !jsonContent(w, r) {
		return false
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if _, err2 := dec.Token(); err2 != io.EOF {
			err = errors.New("more than one JSON value in the body")
		}
	}
	if err == nil {
		return true
	}
	bodyProblem(w, r, err)
	return false
}

// jsonContent checks the request's content type, if it gives one: JSON.
// It writes the problem and returns false when it is another.
func jsonContent(w http.ResponseWriter, r *http.Request) bool {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			writeProblem(w, r, problem(http.StatusUnsupportedMediaType, probUnsupported, "send Content-Type: application/json", "nội dung phải là JSON"))
			return false
		}
	}
	return true
}

// bodyProblem writes the problem of a body that could not be read: too
// large, read past the time limit, or not the JSON the endpoint takes.
func bodyProblem(w http.ResponseWriter, r *http.Request, err error) {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		writeProblem(w, r, problem(http.StatusRequestEntityTooLarge, probBodyTooLarge,
			fmt.Sprintf("the body is over %d bytes; send fewer records per request", tooBig.Limit),
			fmt.Sprintf("nội dung quá %d byte; hãy gửi ít bản ghi hơn mỗi lần", tooBig.Limit)))
		return
	}
	if errors.Is(err, context.DeadlineExceeded) {
		writeTimeout(w, r)
		return
	}
	writeProblem(w, r, problem(http.StatusBadRequest, probBadRequest, "the body is not the JSON this endpoint takes: "+err.Error(), "nội dung không đúng dạng JSON yêu cầu"))
}

func writeTimeout(w http.ResponseWriter, r *http.Request) {
	writeProblem(w, r, problem(http.StatusServiceUnavailable, probTimeout, "the request was stopped at the time limit; send fewer records per request", "yêu cầu bị dừng vì quá thời gian; hãy gửi ít bản ghi hơn"))
}

// writeJSON writes v as the 200 answer.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}
