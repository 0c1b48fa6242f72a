package workbench

import (
	"bytes"
	"io"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hotro-vn/hotro/rules"
	"github.com/hotro-vn/hotro/rulesets"
)

// embedded returns the NQ 179 rule sets shipped with the module, as the
// service holds them.
func embedded(t testing.TB) func() (*rules.Library, fs.FS) {
	lib, err := rules.LoadPolicy(rulesets.FS, ".", rulesets.DefaultPolicy)
	if err != nil {
		t.Fatal(err)
	}
	return func() (*rules.Library, fs.FS) { return lib, rulesets.FS }
}

func newBench(t testing.TB, o Options) *Workbench {
	t.Helper()
	if o.InForce == nil {
		o.InForce = embedded(t)
	}
	if o.Workspace == "" {
		o.Workspace = filepath.Join(t.TempDir(), "ws")
	}
	if o.Today == nil {
		o.Today = func() time.Time { return time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC) }
	}
	w, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// client is a browser's part: the CSRF cookie, the token of the last page.
type client struct {
	t      testing.TB
	h      http.Handler
	cookie *http.Cookie
	token  string
}

var tokenRE = regexp.MustCompile(`name="csrf" value="([0-9a-f]{32})"`)

func (c *client) do(req *http.Request) *httptest.ResponseRecorder {
	req.RemoteAddr = "127.0.0.1:50000"
	if req.Host == "example.com" {
		req.Host = "127.0.0.1:8080"
	}
	if c.cookie != nil {
		req.AddCookie(c.cookie)
	}
	rec := httptest.NewRecorder()
	c.h.ServeHTTP(rec, req)
	for _, k := range rec.Result().Cookies() {
		if k.Name == csrfCookie {
			c.cookie = k
		}
	}
	if m := tokenRE.FindStringSubmatch(rec.Body.String()); m != nil {
		c.token = m[1]
	}
	return rec
}

func (c *client) get(path string) *httptest.ResponseRecorder {
	return c.do(httptest.NewRequest(http.MethodGet, path, nil))
}

func (c *client) post(path string, form url.Values) *httptest.ResponseRecorder {
	if form.Get("csrf") == "" {
		form.Set("csrf", c.token)
	}
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

func (c *client) upload(path string, fields map[string]string, file, name string, data []byte) *httptest.ResponseRecorder {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	_ = mw.WriteField("csrf", c.token)
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile(file, name)
	_, _ = fw.Write(data)
	_ = mw.Close()
	req := httptest.NewRequest(http.MethodPost, path, &b)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

func TestMessagesInBothLanguages(t *testing.T) {
	for k := range messages["vi"] {
		if messages["en"][k] == "" {
			t.Errorf("%q has no English", k)
		}
	}
	for k := range messages["en"] {
		if messages["vi"][k] == "" {
			t.Errorf("%q has no Vietnamese", k)
		}
	}
}

func TestPages(t *testing.T) {
	c := &client{t: t, h: newBench(t, Options{})}
	for path, want := range map[string]string{
		"/":                                  "hatinh-draft-2026-2030",
		"/bo-quy-tac/hatinh-nq179-2020-2025": "Chuẩn nghèo về thu nhập",
		"/bo-quy-tac/hatinh-draft-2026-2030?lang=en": "Government poverty line",
		"/thu":       "Ngày sinh",
		"/danh-sach": "Xét danh sách",
		"/soan":      "Bắt đầu dự thảo",
	} {
		rec := c.get(path)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), want) {
			t.Errorf("GET %s: %d, want %q in:\n%.600s", path, rec.Code, want, rec.Body.String())
		}
	}
	if rec := c.get("/khong-co"); rec.Code != http.StatusNotFound {
		t.Errorf("unknown page: %d", rec.Code)
	}
}

// HT-0002 of examples/persons.csv: rural, coefficient 2.0. On 2024-07-01
// the allowance is 2.0 × 500.000 = 1.000.000 đ and the top-up
// 1.500.000 − 1.000.000 = 500.000 đ. Over 2021-05…2022-02 (docs/huong-dan.md
// step 6): 160.000 in May and June 2021, 0 from July to December, 780.000
// in January and February 2022: 1.880.000 đ.
func TestTryAPerson(t *testing.T) {
	c := &client{t: t, h: newBench(t, Options{})}
	c.get("/thu")
	form := url.Values{"date": {"2024-07-01"}, "f_person_id": {"HT-0002"}, "f_household_id": {"HH-001"}, "f_birth_date": {"1938-09-30"},
		"f_commune_code": {"18112"}, "f_resident": {"true"}, "f_household_poor": {"true"}, "f_household_category": {"btxh"},
		"f_disability": {"severe"}, "f_serious_illness": {"false"}, "f_in_care_facility": {"false"}, "f_allowance_coefficient": {"2.0"},
		"from": {"2021-05"}, "to": {"2022-02"}}
	rec := c.post("/thu", form)
	body := rec.Body.String()
	for _, want := range []string{"Là đối tượng được hỗ trợ", `<b id="topup">500.000 đ</b>`, "Điều 2 Nghị quyết 179/2019/NQ-HĐND", `id="months-total">1.880.000 đ`, "160.000 đ", "780.000 đ"} {
		if !strings.Contains(body, want) {
			t.Errorf("the decision lacks %q", want)
		}
	}
	// A wrong date is shown beside its field, the others kept.
	form.Set("f_birth_date", "1938-02-30")
	rec = c.post("/thu", form)
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), `data-field="birth_date"`) || !strings.Contains(rec.Body.String(), `value="HT-0002"`) {
		t.Errorf("a wrong birth date: %d\n%.2000s", rec.Code, rec.Body.String())
	}
}

func TestCSRF(t *testing.T) {
	c := &client{t: t, h: newBench(t, Options{})}
	c.get("/thu")
	// No token.
	rec := c.post("/thu", url.Values{"csrf": {"0"}, "date": {"2024-07-01"}})
	if rec.Code != http.StatusForbidden {
		t.Errorf("POST without the token: %d", rec.Code)
	}
	// The token of another browser.
	other := &client{t: t, h: c.h}
	other.get("/thu")
	rec = c.post("/thu", url.Values{"csrf": {other.token}, "date": {"2024-07-01"}})
	if rec.Code != http.StatusForbidden {
		t.Errorf("POST with another's token: %d", rec.Code)
	}
	// From another site, even with the token.
	req := httptest.NewRequest(http.MethodPost, "/thu", strings.NewReader(url.Values{"csrf": {c.token}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "http://evil.example")
	if rec := c.do(req); rec.Code != http.StatusForbidden {
		t.Errorf("POST from another origin: %d", rec.Code)
	}
	if rec := c.post("/thu", url.Values{"date": {"2024-07-01"}}); rec.Code == http.StatusForbidden {
		t.Errorf("POST with the token: %d", rec.Code)
	}
}

func TestLoopbackOnly(t *testing.T) {
	w := newBench(t, Options{})
	for _, tc := range []struct{ remote, host string }{{"192.0.2.7:4000", "127.0.0.1:8080"}, {"127.0.0.1:4000", "evil.example:8080"}} {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.RemoteAddr, req.Host = tc.remote, tc.host
		rec := httptest.NewRecorder()
		w.ServeHTTP(rec, req)
		if rec.Code != http.StatusForbidden {
			t.Errorf("%s asking for %s: %d", tc.remote, tc.host, rec.Code)
		}
	}
}

func TestMount(t *testing.T) {
	w := newBench(t, Options{})
	api := http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(rw, "api") })
	h := w.Mount(api)
	for path, wb := range map[string]bool{"/": true, "/thu": true, "/soan/x/yaml": true, "/static/style.css": true,
		"/v1/decide": false, "/openapi.json": false, "/healthz": false, "/thuoc": false} {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.RemoteAddr = "127.0.0.1:1"
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if got := rec.Body.String() != "api"; got != wb {
			t.Errorf("%s: served by the workbench %v, want %v", path, got, wb)
		}
	}
}

func TestUploadLimit(t *testing.T) {
	c := &client{t: t, h: newBench(t, Options{MaxUpload: 1 << 10})}
	c.get("/danh-sach")
	rec := c.upload("/danh-sach", map[string]string{"date": "2024-07-01"}, "file", "big.csv", bytes.Repeat([]byte("x"), 4<<10))
	if rec.Code == http.StatusOK || !strings.Contains(rec.Body.String(), "lớn hơn") && rec.Code != http.StatusForbidden {
		t.Errorf("a file above the limit: %d\n%.1000s", rec.Code, rec.Body.String())
	}
}

// examples/persons.csv on 2024-07-01 (docs/huong-dan.md step 6): 12
// records, 7 eligible, monthly top-ups 6.080.000 đ.
func TestBatch(t *testing.T) {
	c := &client{t: t, h: newBench(t, Options{})}
	c.get("/danh-sach")
	data, err := os.ReadFile("../examples/persons.csv")
	if err != nil {
		t.Fatal(err)
	}
	rec := c.upload("/danh-sach", map[string]string{"date": "2024-07-01"}, "file", "persons.csv", data)
	body := rec.Body.String()
	for _, want := range []string{"12 hồ sơ, 7 đối tượng, 0 có lỗi", "<b>6.080.000 đ</b>", "1.230.000 đ", "/danh-sach/tai/"} {
		if !strings.Contains(body, want) {
			t.Errorf("the results lack %q", want)
		}
	}
	data, err = os.ReadFile("../examples/persons-with-errors.csv")
	if err != nil {
		t.Fatal(err)
	}
	rec = c.upload("/danh-sach", map[string]string{"date": "2024-07-01"}, "file", "persons-with-errors.csv", data)
	if !strings.Contains(rec.Body.String(), `id="record-errors"`) || !strings.Contains(rec.Body.String(), "<td><code>person_id</code></td>") {
		t.Errorf("per-record errors by row and column are missing:\n%.3000s", rec.Body.String())
	}
}

// Every path of a request is checked: names that would leave the
// workspace, or reach a link out of it, are refused and nothing is written
// outside.
func TestPathSafety(t *testing.T) {
	dir := t.TempDir()
	ws := filepath.Join(dir, "ws")
	outside := filepath.Join(dir, "outside")
	for _, d := range []string{ws, outside} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	src, _ := fs.ReadFile(rulesets.FS, "hatinh-2026-2030-draft/ruleset.yaml")
	if err := os.WriteFile(filepath.Join(outside, "ruleset.yaml"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(outside, "parameters.yaml"), []byte("parameters: {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(ws, "link")); err != nil {
		t.Skip("no symlinks here:", err)
	}
	c := &client{t: t, h: newBench(t, Options{Workspace: ws})}
	c.get("/soan")
	if rec := c.post("/soan", url.Values{"set": {"hatinh-draft-2026-2030"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("new draft: %d %s", rec.Code, rec.Body.String())
	}
	for _, p := range []string{"/soan/link", "/soan/..%2Foutside", "/soan/%2E%2E", "/soan/link/yaml?file=parameters.yaml", "/soan/hatinh-2026-2030-draft/yaml?file=..%2F..%2Foutside%2Fruleset.yaml",
		"/soan/hatinh-2026-2030-draft/yaml?file=%2Fetc%2Fpasswd", "/soan/link/tai"} {
		if rec := c.get(p); rec.Code == http.StatusOK {
			t.Errorf("GET %s: %d", p, rec.Code)
		}
	}
	for _, tc := range []struct {
		path string
		form url.Values
	}{
		{"/soan/link/yaml", url.Values{"file": {"parameters.yaml"}, "text": {"owned: true\n"}}},
		{"/soan/hatinh-2026-2030-draft/yaml", url.Values{"file": {"../../outside/parameters.yaml"}, "text": {"owned: true\n"}}},
		{"/soan/hatinh-2026-2030-draft/yaml", url.Values{"file": {"new.yaml"}, "text": {"owned: true\n"}}},
		{"/soan/link/tham-so", url.Values{"file": {"parameters.yaml"}, "param": {"x"}, "index": {"0"}}},
	} {
		if rec := c.post(tc.path, tc.form); rec.Code < 400 {
			t.Errorf("POST %s %v: %d", tc.path, tc.form, rec.Code)
		}
	}
	b, _ := os.ReadFile(filepath.Join(outside, "parameters.yaml"))
	if string(b) != "parameters: {}\n" {
		t.Errorf("a file outside the workspace was written: %q", b)
	}
	if _, err := os.Stat(filepath.Join(ws, "hatinh-2026-2030-draft", "new.yaml")); err == nil {
		t.Error("a file the draft does not have was created")
	}
}

// The forms change only the characters of the values: the file stays as a
// person editing it by hand would leave it.
func TestEditsKeepLayout(t *testing.T) {
	src, _ := fs.ReadFile(rulesets.FS, "hatinh-2026-2030-draft/parameters.yaml")
	d, err := parseDoc(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.setParamValue("poverty_line", 2, ValueEdit{ByKey: map[string]string{"rural": "2300000", "urban": "2900000"}, Source: "Quyết định giả định số 01/2027 (ví dụ trong hướng dẫn)"}); err != nil {
		t.Fatal(err)
	}
	want := strings.Replace(string(src), "        value: {rural: 2200000, urban: 2800000}\n        source: NĐ 351/2025/NĐ-CP\n",
		"        value: {rural: 2300000, urban: 2900000}\n        source: Quyết định giả định số 01/2027 (ví dụ trong hướng dẫn)\n", 1)
	if string(d.bytes()) != want {
		t.Errorf("edited file:\n%s", d.bytes())
	}
	d, _ = parseDoc([]byte(want))
	if err := d.addParamValue("social_assistance_base", nil, ValueEdit{From: "2026-07-01", Value: "600000", Source: "NĐ 99/2026/NĐ-CP: giả định"}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(d.bytes()), "        source: NĐ 76/2024/NĐ-CP\n      - from: 2026-07-01\n        value: 600000\n        source: \"NĐ 99/2026/NĐ-CP: giả định\"\n  child_age_below:") {
		t.Errorf("added value:\n%s", d.bytes())
	}
	d, _ = parseDoc(d.bytes())
	if err := d.setParamValue("child_age_below", 0, ValueEdit{Value: "18"}); err != nil || !strings.Contains(string(d.bytes()), "    value: 18\n    source: Luật Trẻ em 2016") {
		t.Errorf("threshold: %v\n%s", err, d.bytes())
	}
	cases, _ := fs.ReadFile(rulesets.FS, "hatinh-2026-2030-draft/cases.yaml")
	d, _ = parseDoc(cases)
	if err := d.setCase(1, CaseEdit{Name: `urban "2027": 2,900,000 − 500,000`, Outputs: map[string]string{"monthly_topup": "2400000"}}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(d.bytes()), "  - name: \"urban \\\"2027\\\": 2,900,000 − 500,000\"\n") ||
		!strings.Contains(string(d.bytes()), `outputs: {monthly_topup: "2400000", zone: "urban", poverty_line: "2800000"}`) {
		t.Errorf("case:\n%s", d.bytes())
	}
}
