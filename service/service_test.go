package service

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
)

// examplePersons reads examples/persons.csv as JSON records (every value a
// string, as a system exporting its CSV would send them).
func examplePersons(t testing.TB) []map[string]any {
	t.Helper()
	f, err := os.Open("../examples/persons.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	for _, row := range rows[1:] {
		rec := map[string]any{}
		for i, k := range rows[0] {
			if row[i] != "" {
				rec[k] = row[i]
			}
		}
		out = append(out, rec)
	}
	return out
}

func newServer(t testing.TB, o Options) *Server {
	t.Helper()
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	s, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// checker validates answers against the server's own OpenAPI document.
type checker struct {
	t testing.TB
	v validator.Validator
}

func newChecker(t testing.TB, s *Server) *checker {
	t.Helper()
	doc, err := libopenapi.NewDocument(s.state.Load().openapi)
	if err != nil {
		t.Fatal(err)
	}
	v, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if ok, verrs := v.ValidateDocument(); !ok {
		for _, e := range verrs {
			t.Errorf("openapi document: %s: %s", e.Message, e.Reason)
		}
		t.FailNow()
	}
	return &checker{t: t, v: v}
}

// answer is a response with its body read.
type answer struct {
	status int
	header http.Header
	body   []byte
}

func (a answer) json(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(a.body, v); err != nil {
		t.Fatalf("%v in %s", err, a.body)
	}
}

// do sends a request to h and checks the answer against the document:
// every answer, errors included, must be one the document describes.
func (c *checker) do(h http.Handler, method, path string, body any, hdr ...string) answer {
	c.t.Helper()
	var raw []byte
	switch b := body.(type) {
	case nil:
	case string:
		raw = []byte(b)
	case []byte:
		raw = b
	default:
		var err error
		if raw, err = json.Marshal(b); err != nil {
			c.t.Fatal(err)
		}
	}
	req := httptest.NewRequest(method, path, bytes.NewReader(raw))
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	a := answer{status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}
	if c.v != nil {
		c.validate(method, path, raw, a)
	}
	return a
}

func (c *checker) validate(method, path string, raw []byte, a answer) {
	c.t.Helper()
	req := httptest.NewRequest(method, path, bytes.NewReader(raw))
	req.Header.Set("Content-Type", "application/json")
	resp := &http.Response{StatusCode: a.status, Header: a.header, Body: io.NopCloser(bytes.NewReader(a.body)), Request: req}
	if ok, errs := c.v.ValidateHttpResponse(req, resp); !ok {
		for _, e := range errs {
			c.t.Errorf("%s %s → %d: answer not as the OpenAPI document says: %s: %s (%s)", method, path, a.status, e.Message, e.Reason, a.body)
		}
	}
}

func TestDecideExamplePersons(t *testing.T) {
	s := newServer(t, Options{})
	c := newChecker(t, s)
	recs := examplePersons(t)
	// A bad record in the middle gets its error; the others are decided.
	bad := map[string]any{"person_id": "BAD-1", "household_id": "H", "birth_date": "2020-02-30", "commune_code": "18112", "household_poor": "true", "household_category": "btxh"}
	body := map[string]any{"date": "2024-07-01", "records": append(append(append([]map[string]any{}, recs[:6]...), bad), recs[6:]...)}
	a := c.do(s, "POST", "/v1/decide", body)
	if a.status != 200 {
		t.Fatalf("status %d: %s", a.status, a.body)
	}
	var resp DecideResponse
	a.json(t, &resp)
	if resp.RuleSet.ID != "hatinh-nq179-2020-2025" || len(resp.RuleSet.Hash) != 64 {
		t.Errorf("ruleset %+v", resp.RuleSet)
	}
	// As `hotro eval --date 2024-07-01 examples/persons.csv` gives them:
	// HT-0001 rural 1,500,000 − 270,000; HT-0002 1,500,000 − 2.0 × 500,000 …
	want := []string{
		"HT-0001 true 1230000 ", "HT-0002 true 500000 ", "HT-0003 true 750000 ", "HT-0004 true 1100000 ",
		"HT-0005 true 1500000 ", "HT-0006 false 0 no_labour_capacity_group", "BAD-1 error",
		"HT-0007 false 0 social_protection_household", "HT-0008 false 0 poor_household",
		"HT-0009 false 0 not_in_care_facility", "HT-0010 true 0 ", "HT-0011 true 1000000 ", "HT-0012 false 0 resident",
	}
	if len(resp.Results) != len(want) {
		t.Fatalf("%d results for %d records", len(resp.Results), len(want))
	}
	ids := map[string]bool{}
	for i, r := range resp.Results {
		got := r.PersonID + " error"
		if r.Error == "" {
			got = r.PersonID + " " + boolText(*r.Eligible) + " " + *r.MonthlyTopup + " " + strings.Join(r.FailedRules, ",")
		}
		if got != want[i] {
			t.Errorf("result %d: %q, want %q", i, got, want[i])
		}
		if ids[r.DecisionID] || !strings.HasPrefix(r.DecisionID, resp.RequestID) {
			t.Errorf("decision id %q not unique or not of request %q", r.DecisionID, resp.RequestID)
		}
		ids[r.DecisionID] = true
	}
	badRes := resp.Results[6]
	if len(badRes.Problems) != 1 || badRes.Problems[0].Field != "birth_date" || badRes.Problems[0].Value != "2020-02-30" {
		t.Errorf("bad record problems %+v", badRes.Problems)
	}
	if badRes.Eligible != nil || badRes.MonthlyTopup != nil {
		t.Errorf("a record in error has a decision: %+v", badRes)
	}
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func TestDecideExplainAndWarnings(t *testing.T) {
	s := newServer(t, Options{})
	c := newChecker(t, s)
	rec := examplePersons(t)[11] // HT-0012, not resident (commune of another province)
	rec["ghi_chu"] = "x"
	a := c.do(s, "POST", "/v1/decide", map[string]any{"date": "2024-07-01", "records": []any{rec}, "explain": true})
	var resp DecideResponse
	a.json(t, &resp)
	if len(resp.Warnings) != 1 || !strings.Contains(resp.Warnings[0], "ghi_chu") {
		t.Errorf("warnings %q", resp.Warnings)
	}
	var resident *ReasonJSON
	for i, r := range resp.Results[0].Reasons {
		if r.Rule == "resident" {
			resident = &resp.Results[0].Reasons[i]
		}
	}
	if resident == nil || resident.Pass || resident.Cites != "khoản 1 Điều 3 Nghị quyết 179/2019/NQ-HĐND" || resident.Values["province_code"] != "42" || resident.Message.VI == "" {
		t.Errorf("reason resident: %+v", resident)
	}
}

func TestErrorClasses(t *testing.T) {
	s := newServer(t, Options{MaxBatch: 3, MaxBodyBytes: 4000, AdminToken: "tok"})
	c := newChecker(t, s)
	one := examplePersons(t)[:1]
	four := examplePersons(t)[:4]
	for _, tc := range []struct {
		name, method, path string
		body               any
		hdr                []string
		status             int
		key                string
	}{
		{"not JSON", "POST", "/v1/decide", "{", nil, 400, probBadRequest},
		{"unknown key", "POST", "/v1/decide", map[string]any{"date": "2024-07-01", "records": one, "dte": 1}, nil, 400, probBadRequest},
		{"two values", "POST", "/v1/decide", `{"date":"2024-07-01","records":[]} {}`, nil, 400, probBadRequest},
		{"bad date", "POST", "/v1/decide", map[string]any{"date": "2024-02-30", "records": one}, nil, 400, probBadRequest},
		{"no records", "POST", "/v1/decide", map[string]any{"date": "2024-07-01"}, nil, 400, probBadRequest},
		{"records not an array", "POST", "/v1/decide", map[string]any{"date": "2024-07-01", "records": map[string]any{}}, nil, 400, probBadRequest},
		{"date no set covers", "POST", "/v1/decide", map[string]any{"date": "2019-06-01", "records": one}, nil, 422, probNoRuleSet},
		{"policy not in force", "POST", "/v1/decide", map[string]any{"date": "2024-07-01", "records": one, "policy": "hatinh-draft-2026-2030"}, nil, 422, probNoRuleSet},
		{"batch too large", "POST", "/v1/decide", map[string]any{"date": "2024-07-01", "records": four}, nil, 413, probBatchTooBig},
		{"body too large", "POST", "/v1/decide", map[string]any{"date": "2024-07-01", "records": one, "explain": false, "policy": strings.Repeat("x", 5000)}, nil, 413, probBodyTooLarge},
		{"not JSON content", "POST", "/v1/decide", "date=x", []string{"Content-Type", "application/x-www-form-urlencoded"}, 415, probUnsupported},
		// (These two are outside the document, which has no such operation:
		// their problem details are checked below, not against it.)
		{"wrong method", "GET", "/v1/decide", nil, nil, 405, probMethod},
		{"no such path", "GET", "/v2/decide", nil, nil, 404, probNotFound},
		{"no such rule set", "GET", "/v1/rulesets/nope", nil, nil, 404, probNotFound},
		{"months backwards", "POST", "/v1/schedule", map[string]any{"from": "2024-08", "to": "2024-05", "records": one}, nil, 400, probBadRequest},
		{"too many months", "POST", "/v1/schedule", map[string]any{"from": "2000-01", "to": "2030-12", "records": one}, nil, 413, probBatchTooBig},
		{"months no set covers", "POST", "/v1/schedule", map[string]any{"from": "2019-11", "to": "2020-02", "records": one}, nil, 422, probNoRuleSet},
		{"plan without units", "POST", "/v1/plan", map[string]any{"date": "2024-07-01", "persons": one}, nil, 400, probBadRequest},
		{"impact date and months", "POST", "/v1/impact", map[string]any{"date": "2024-07-01", "from": "2024-01", "to": "2024-02", "records": one, "overrides": map[string]any{"topup_step": "1"}}, nil, 400, probBadRequest},
		{"impact neither", "POST", "/v1/impact", map[string]any{"date": "2024-07-01", "records": one}, nil, 400, probBadRequest},
		{"impact unknown parameter", "POST", "/v1/impact", map[string]any{"date": "2024-07-01", "records": one, "overrides": map[string]any{"nope": "1"}}, nil, 422, probBadRules},
		{"impact bad value", "POST", "/v1/impact", map[string]any{"date": "2024-07-01", "records": one, "overrides": map[string]any{"social_assistance_base": "5.5e"}}, nil, 422, probBadRules},
		{"impact unknown candidate", "POST", "/v1/impact", map[string]any{"date": "2024-07-01", "records": one, "against": "nope"}, nil, 422, probNoRuleSet},
		{"reload without token", "POST", "/v1/admin/reload", nil, nil, 401, probUnauthorized},
		{"reload with a wrong token", "POST", "/v1/admin/reload", nil, []string{"Authorization", "Bearer tik"}, 401, probUnauthorized},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &checker{t: t, v: c.v}
			if tc.status == 405 || tc.path == "/v2/decide" {
				c.v = nil
			}
			a := c.do(s, tc.method, tc.path, tc.body, tc.hdr...)
			if a.status != tc.status {
				t.Fatalf("status %d, want %d: %s", a.status, tc.status, a.body)
			}
			if ct := a.header.Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("content type %q", ct)
			}
			var p Problem
			a.json(t, &p)
			if p.Type != "urn:hotro:problem:"+tc.key || p.Status != tc.status || p.Title == "" || p.Instance != a.header.Get("X-Request-Id") {
				t.Errorf("problem %+v", p)
			}
		})
	}
}

func TestAdminDisabledTimeoutAndPanic(t *testing.T) {
	s := newServer(t, Options{Timeout: 1})
	c := newChecker(t, s)
	a := c.do(s, "POST", "/v1/admin/reload", nil)
	if a.status != 403 {
		t.Errorf("reload without an admin token configured: %d", a.status)
	}
	// The deadline has passed before the batch starts: the loop stops at
	// its first look.
	a = c.do(s, "POST", "/v1/decide", map[string]any{"date": "2024-07-01", "records": examplePersons(t)})
	var p Problem
	a.json(t, &p)
	if a.status != 503 || p.Type != "urn:hotro:problem:timeout" {
		t.Errorf("timeout: %d %s", a.status, a.body)
	}
	s.route("GET /v1/panic", "panic", func(http.ResponseWriter, *http.Request) { panic("boom") })
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("GET", "/v1/panic", nil))
	if rec.Code != 500 || !strings.Contains(rec.Body.String(), "urn:hotro:problem:internal") || strings.Contains(rec.Body.String(), "boom") {
		t.Errorf("panic: %d %s", rec.Code, rec.Body)
	}
	if got := metricValue(t, s, `hotro_panics_total`); got != "1" {
		t.Errorf("hotro_panics_total %q", got)
	}
}

// metricValue returns the value of the first /metrics line starting with name.
func metricValue(t testing.TB, s *Server, name string) string {
	t.Helper()
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	for _, line := range strings.Split(rec.Body.String(), "\n") {
		if rest, ok := strings.CutPrefix(line, name+" "); ok {
			return rest
		}
	}
	return ""
}

func TestSchedule(t *testing.T) {
	s := newServer(t, Options{})
	c := newChecker(t, s)
	a := c.do(s, "POST", "/v1/schedule", map[string]any{"from": "2024-05", "to": "2024-08", "records": examplePersons(t)[:2]})
	var resp ScheduleResponse
	a.json(t, &resp)
	if a.status != 200 || len(resp.Results) != 2 || len(resp.RuleSets) != 1 {
		t.Fatalf("%d %s", a.status, a.body)
	}
	// HT-0002, coefficient 2.0: 1,500,000 − 2.0 × 360,000 until June,
	// 1,500,000 − 2.0 × 500,000 from July (NĐ 76/2024).
	var got []string
	for _, m := range resp.Results[1].Months {
		got = append(got, m.Month+":"+m.MonthlyTopup)
		if m.RuleSetHash != resp.RuleSets[0].Hash {
			t.Errorf("month %s under %s", m.Month, m.RuleSetHash)
		}
	}
	if strings.Join(got, " ") != "2024-05:780000 2024-06:780000 2024-07:500000 2024-08:500000" || *resp.Results[1].Total != "2560000" {
		t.Errorf("HT-0002: %v total %s", got, *resp.Results[1].Total)
	}
	if *resp.Results[0].Total != "4920000" {
		t.Errorf("HT-0001 total %s, want 4 × 1,230,000", *resp.Results[0].Total)
	}
}

func TestQuotaAndPlan(t *testing.T) {
	s := newServer(t, Options{})
	c := newChecker(t, s)
	units := []map[string]any{
		{"unit_id": "U1", "name": "MTTQ xã", "level": "commune", "kind": "commune", "place": "18112", "source": "community", "capacity_persons": "1"},
		{"unit_id": "U2", "level": "nowhere", "kind": "commune", "place": "18112"},
	}
	body := map[string]any{"date": "2024-07-01", "units": units, "persons": examplePersons(t)}
	a := c.do(s, "POST", "/v1/plan", body)
	var resp PlanResponse
	a.json(t, &resp)
	if a.status != 200 || resp.RuleSet.Hash != resp.Plan.RuleSetHash {
		t.Fatalf("%d %s", a.status, a.body)
	}
	// Commune 18112 has two beneficiaries (HT-0001, HT-0002): U1 owes
	// min(2, 2) = 2 and, with room for one, takes HT-0001 (first by id).
	if len(resp.Plan.Sponsorships) != 12 || len(resp.Plan.Units) != 2 {
		t.Fatalf("%d sponsorships, %d units", len(resp.Plan.Sponsorships), len(resp.Plan.Units))
	}
	u1, u2, sp := resp.Plan.Units[0], resp.Plan.Units[1], resp.Plan.Sponsorships[0]
	if u1.Rule != "commune_min" || u1.Obligation != 2 || u2.Error == "" || sp.Beneficiary != "HT-0001" || sp.Focal != "U1" || sp.Topup.String() != "1230000" {
		t.Errorf("U1 %+v; U2 %+v; HT-0001 %+v", u1, u2, sp)
	}
	a = c.do(s, "POST", "/v1/quota", body)
	a.json(t, &resp)
	if a.status != 200 || resp.Plan.Allocated || resp.Plan.Units[0].Obligation != 2 {
		t.Errorf("quota: %d %s", a.status, a.body)
	}
}

func TestImpactOverridesAndCandidate(t *testing.T) {
	dir := copyRules(t, func(name string, b []byte) []byte {
		if name == "parameters.yaml" {
			return bytes.Replace(b, []byte("value: {rural: 1500000, urban: 2000000}"), []byte("value: {rural: 1600000, urban: 2000000}"), 1)
		}
		return b
	})
	s := newServer(t, Options{Candidates: []string{dir}})
	c := newChecker(t, s)
	recs := examplePersons(t)
	type report struct {
		Summary struct {
			Base, New, Delta string
			More             int
		}
	}
	// Rural poverty line 1,600,000 instead of 1,500,000 from 2024-07-01:
	// the two rural beneficiaries with a top-up above 0 whose income is
	// below the line (HT-0001, HT-0002) get 100,000 more each.
	for _, body := range []map[string]any{
		{"date": "2024-07-01", "records": recs, "overrides": map[string]any{"poverty_line": map[string]any{"rural": "1600000", "urban": 2000000}}},
		{"date": "2024-07-01", "records": recs, "against": "hatinh-nq179-2020-2025"},
	} {
		a := c.do(s, "POST", "/v1/impact", body)
		var resp struct {
			RuleSet RuleSetRef   `json:"ruleset"`
			New     []RuleSetRef `json:"new_rulesets"`
			Report  report       `json:"report"`
		}
		a.json(t, &resp)
		if a.status != 200 {
			t.Fatalf("%d %s", a.status, a.body)
		}
		sum := resp.Report.Summary
		if sum.Base != "6080000" || sum.New != "6280000" || sum.Delta != "200000" || sum.More != 2 {
			t.Errorf("%v: summary %+v", body["against"], sum)
		}
		if len(resp.New) != 1 || resp.New[0].Hash == resp.RuleSet.Hash {
			t.Errorf("new rule sets %+v, base %+v", resp.New, resp.RuleSet)
		}
	}
}

// copyRules copies the shipped rule sets to a temporary directory, each
// file through edit.
func copyRules(t testing.TB, edit func(name string, b []byte) []byte) string {
	t.Helper()
	dir := t.TempDir()
	copyRulesTo(t, dir, edit)
	return dir
}

func copyRulesTo(t testing.TB, dir string, edit func(name string, b []byte) []byte) {
	t.Helper()
	sets, err := filepath.Glob("../rulesets/hatinh-20*/*.yaml") // the NQ 179 phases
	if err != nil || len(sets) == 0 {
		t.Fatal("no rule sets", err)
	}
	for _, p := range sets {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(dir, filepath.Base(filepath.Dir(p)), filepath.Base(p))
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			t.Fatal(err)
		}
		// Write and rename, so that a reload never reads half a file.
		tmp := out + ".tmp"
		if err := os.WriteFile(tmp, edit(filepath.Base(p), b), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, out); err != nil {
			t.Fatal(err)
		}
	}
}

func TestRuleSets(t *testing.T) {
	s := newServer(t, Options{})
	c := newChecker(t, s)
	a := c.do(s, "GET", "/v1/rulesets", nil)
	var list struct{ RuleSets []RuleSetSummary }
	a.json(t, &list)
	if len(list.RuleSets) != 2 || list.RuleSets[0].Phase != (Phase{"2020-01-01", "2025-12-31"}) || list.RuleSets[1].Status != "draft" {
		t.Errorf("%+v", list.RuleSets)
	}
	a = c.do(s, "GET", "/v1/rulesets/hatinh-nq179-2020-2025", nil)
	var d RuleSetDetail
	a.json(t, &d)
	var pl *ParamDetail
	for i := range d.Parameters {
		if d.Parameters[i].Name == "poverty_line" {
			pl = &d.Parameters[i]
		}
	}
	if pl == nil || len(pl.Values) != 2 || pl.Values[0].ByKey["rural"] != "700000" || pl.Values[1].From != "2022-01-01" || pl.Values[1].Source != "NĐ 07/2021/NĐ-CP Điều 3" {
		t.Errorf("poverty_line %+v", pl)
	}
	if len(d.Interpretations) == 0 || d.Cases == 0 || len(d.ModelDetails) != 6 { // person, unit, area, and the unit, commitment and payment records
		t.Errorf("interpretations %d, cases %d, models %d", len(d.Interpretations), d.Cases, len(d.ModelDetails))
	}
}

func TestHealthReadyMetricsOpenAPI(t *testing.T) {
	s := newServer(t, Options{})
	c := newChecker(t, s)
	if a := c.do(s, "GET", "/healthz", nil); a.status != 200 {
		t.Errorf("healthz %d", a.status)
	}
	a := c.do(s, "GET", "/readyz", nil)
	var ready struct {
		Ready    bool
		RuleSets []RuleSetRef
	}
	a.json(t, &ready)
	st := s.state.Load()
	if !ready.Ready || len(ready.RuleSets) != 2 || ready.RuleSets[0].Hash != st.lib.Sets()[0].Hash {
		t.Errorf("readyz %s", a.body)
	}
	c.do(s, "POST", "/v1/decide", map[string]any{"date": "2024-07-01", "records": examplePersons(t)})
	if got := metricValue(t, s, `hotro_decisions_total{outcome="eligible"}`); got != "7" {
		t.Errorf("eligible decisions %q, want 7", got)
	}
	if got := metricValue(t, s, `hotro_http_requests_total{code="200",route="decide"}`); got != "1" {
		t.Errorf("decide requests %q", got)
	}
	if got := metricValue(t, s, `hotro_ruleset_active{hash="`+st.lib.Sets()[0].Hash+`",id="hatinh-nq179-2020-2025"}`); got != "1" {
		t.Errorf("active rule set %q", got)
	}
	a = c.do(s, "GET", "/openapi.json", nil)
	var doc struct {
		OpenAPI string `json:"openapi"`
		Info    struct{ Version string }
		Comps   struct {
			Schemas map[string]json.RawMessage
		} `json:"components"`
	}
	a.json(t, &doc)
	if doc.OpenAPI != "3.1.0" || !strings.Contains(doc.Info.Version, st.lib.Sets()[0].ShortHash()) || doc.Comps.Schemas["PersonRecord-hatinh-nq179-2020-2025"] == nil {
		t.Errorf("openapi %s %s", doc.OpenAPI, doc.Info.Version)
	}
	if !bytes.Contains(doc.Comps.Schemas["PersonRecord-hatinh-nq179-2020-2025"], []byte(`"especially_severe"`)) {
		t.Error("the record schema does not take the disability values from the rule set")
	}
}

func TestCORS(t *testing.T) {
	for _, origins := range [][]string{nil, {"https://so-ldtbxh.example"}} {
		s := newServer(t, Options{CORSOrigins: origins})
		req := httptest.NewRequest("OPTIONS", "/v1/decide", nil)
		req.Header.Set("Origin", "https://so-ldtbxh.example")
		req.Header.Set("Access-Control-Request-Method", "POST")
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		got := rec.Header().Get("Access-Control-Allow-Origin")
		if origins == nil && (got != "" || rec.Code == 204) {
			t.Errorf("CORS off, yet %q %d", got, rec.Code)
		}
		if origins != nil && (got != origins[0] || rec.Code != 204) {
			t.Errorf("CORS on: %q %d", got, rec.Code)
		}
	}
}

func TestDecisionLog(t *testing.T) {
	path := filepath.Join(t.TempDir(), "decisions.jsonl")
	s := newServer(t, Options{DecisionLog: path, DecisionLogMaxBytes: 6000, DecisionLogKeep: 2})
	c := newChecker(t, s)
	recs := examplePersons(t)[:3]
	recs[0]["so_cccd"] = "042190000001"
	var ids []string
	for range 3 {
		a := c.do(s, "POST", "/v1/decide", map[string]any{"date": "2024-07-01", "records": recs})
		var resp DecideResponse
		a.json(t, &resp)
		ids = append(ids, resp.Results[2].DecisionID)
	}
	s.Close()
	cur, _ := os.ReadFile(path)
	old, err := os.ReadFile(path + ".1")
	if err != nil {
		t.Fatalf("not rotated at 6,000 bytes: %v", err)
	}
	all := string(old) + string(cur)
	if strings.Contains(all, "Nguyễn Thị Lài") || strings.Contains(all, "042190000001") {
		t.Error("the log holds a name or a national id")
	}
	lines := strings.Split(strings.TrimSpace(all), "\n")
	var last logEntry
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &last); err != nil {
		t.Fatal(err)
	}
	var in map[string]string
	json.Unmarshal(last.Input, &in)
	if last.DecisionID != ids[2] || last.Date != "2024-07-01" || last.RuleSet.ID != "hatinh-nq179-2020-2025" ||
		in["full_name"] != "***" || in["birth_date"] != "2012-02-14" || *last.Output.MonthlyTopup != "750000" {
		t.Errorf("last line %s", lines[len(lines)-1])
	}
}

// TestReloadUnderLoad swaps between two rule directories while clients
// decide: no request fails, and each answer carries the hash of the rules
// that decided it, which the citation it explains with proves.
func TestReloadUnderLoad(t *testing.T) {
	const citeB = "khoản 1 Điều 3 Nghị quyết 179/2019/NQ-HĐND (bản B)"
	a := copyRules(t, func(_ string, b []byte) []byte { return b })
	b := copyRules(t, func(name string, b []byte) []byte {
		if name == "eligibility.yaml" {
			return bytes.Replace(b, []byte("  - id: resident\n    when: resident && commune_province == province_code\n    cites: khoản 1 Điều 3 Nghị quyết 179/2019/NQ-HĐND\n"),
				[]byte("  - id: resident\n    when: commune_province == province_code && resident\n    cites: "+citeB+"\n"), 1)
		}
		return b
	})
	broken := copyRules(t, func(name string, b []byte) []byte {
		if name == "eligibility.yaml" {
			return bytes.Replace(b, []byte("when: household_poor"), []byte("when: household_poor &&"), 1)
		}
		return b
	})
	s := newServer(t, Options{Rules: a})
	hashA := s.state.Load().lib.Sets()[0].Hash
	if err := s.reloadFrom(b, "test"); err != nil {
		t.Fatal(err)
	}
	hashB := s.state.Load().lib.Sets()[0].Hash
	if hashA == hashB {
		t.Fatal("the two rule directories have one hash")
	}
	srv := httptest.NewServer(s)
	defer srv.Close()
	body, _ := json.Marshal(map[string]any{"date": "2024-07-01", "records": examplePersons(t)[:1], "explain": true})

	stop := make(chan struct{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	seen := map[string]int{}
	var failures []string
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				resp, err := http.Post(srv.URL+"/v1/decide", "application/json", bytes.NewReader(body))
				if err != nil {
					mu.Lock()
					failures = append(failures, err.Error())
					mu.Unlock()
					return
				}
				var d DecideResponse
				err = json.NewDecoder(resp.Body).Decode(&d)
				resp.Body.Close()
				msg := ""
				switch {
				case err != nil || resp.StatusCode != 200:
					msg = "status " + resp.Status
				case d.RuleSet.Hash != hashA && d.RuleSet.Hash != hashB:
					msg = "unknown hash " + d.RuleSet.Hash
				default:
					cites := ""
					for _, r := range d.Results[0].Reasons {
						if r.Rule == "resident" {
							cites = r.Cites
						}
					}
					if (cites == citeB) != (d.RuleSet.Hash == hashB) {
						msg = "answer under one set, hash of the other"
					}
				}
				mu.Lock()
				seen[d.RuleSet.Hash]++
				if msg != "" {
					failures = append(failures, msg)
				}
				mu.Unlock()
			}
		}()
	}
	for i := range 20 {
		dir := a
		if i%2 == 1 {
			dir = b
		}
		if err := s.reloadFrom(dir, "test"); err != nil {
			t.Errorf("reload %d: %v", i, err)
		}
		if i == 10 {
			before := s.state.Load()
			if err := s.reloadFrom(broken, "test"); err == nil {
				t.Error("broken rules were taken")
			}
			if s.state.Load() != before {
				t.Error("a failed reload replaced the rules")
			}
			st := s.Status()
			if st.OK || len(st.Errors) == 0 || st.Errors[0].Line == 0 || !strings.Contains(st.Errors[0].File, "eligibility.yaml") || st.Active[0].Hash != before.lib.Sets()[0].Hash {
				t.Errorf("status after a failed reload: %+v", st)
			}
		}
	}
	close(stop)
	wg.Wait()
	if len(failures) > 0 {
		t.Fatalf("%d failures, first: %s", len(failures), failures[0])
	}
	if seen[hashA]+seen[hashB] == 0 {
		t.Fatal("no request made")
	}
	t.Logf("answers: %d under A, %d under B", seen[hashA], seen[hashB])
}

func TestAdminReloadEndpoint(t *testing.T) {
	dir := copyRules(t, func(_ string, b []byte) []byte { return b })
	s := newServer(t, Options{Rules: dir, AdminToken: "tok"})
	c := newChecker(t, s)
	before := s.state.Load().lib.Sets()[0].Hash
	a := c.do(s, "POST", "/v1/admin/reload", nil, "Authorization", "Bearer tok")
	if a.status != 200 {
		t.Fatalf("%d %s", a.status, a.body)
	}
	// A failing test case is a failed reload too.
	copyRulesTo(t, dir, func(name string, b []byte) []byte {
		if name == "cases.yaml" {
			return bytes.Replace(b, []byte(`monthly_topup: "430000"`), []byte(`monthly_topup: "430001"`), 1)
		}
		return b
	})
	a = c.do(s, "POST", "/v1/admin/reload", nil, "Authorization", "Bearer tok")
	var p Problem
	a.json(t, &p)
	if a.status != 422 || p.Type != "urn:hotro:problem:reload-failed" || len(p.Errors) != 1 || p.Errors[0].Code != "case" || !strings.HasSuffix(p.Errors[0].File, "hatinh-2020-2025/cases.yaml") || p.Errors[0].Line == 0 {
		t.Errorf("%d %s", a.status, a.body)
	}
	a = c.do(s, "GET", "/v1/status", nil)
	var st ReloadStatus
	a.json(t, &st)
	if st.OK || st.Active[0].Hash != before || len(st.Errors) != 1 {
		t.Errorf("status %s", a.body)
	}
}
