package service

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hotro-vn/hotro/rules"
	"github.com/shopspring/decimal"
)

// jsonOf is a value as encoding/json writes it for the answers before
// the hand-written encoder (HTML not escaped, a newline at the end).
func jsonOf(t testing.TB, v any) string {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// The hand-written answer is byte for byte what encoding/json writes, for
// every field filled or left out and for strings that need escaping.
func TestAppendDecideResponseAsEncodingJSON(t *testing.T) {
	tricky := []string{"", "plain", `quote " and \ backslash`, "tab\tnew\nline\rcr", "\b\f\x00\x01\x1f\x7f",
		"<html> & 'x'", "Đặng Văn Hà", "line\u2028sep\u2029", "bad \xff\xfe utf8", "\xe2\x80", "emoji 😀"}
	yes, no := true, false
	amount := "1230000"
	var results []DecideResult
	for i, s := range tricky {
		results = append(results,
			DecideResult{DecisionID: fmt.Sprintf("r-%d", i), PersonID: s, Eligible: &yes, MonthlyTopup: &amount, FailedRules: []string{}},
			DecideResult{DecisionID: s, PersonID: "p", Eligible: &no, MonthlyTopup: &s, FailedRules: []string{s, "resident"},
				Reasons: []ReasonJSON{{Rule: s, Pass: true, Cites: s, Status: "draft", Message: rules.Text{VI: s, EN: "x"}, Values: map[string]string{"b": s, "a": "1", s: "k"}},
					{Rule: "r", Message: rules.Text{EN: s}, Values: map[string]string{}}, {Rule: "n", Message: rules.Text{VI: "v"}}}},
			DecideResult{DecisionID: "e", PersonID: s, FailedRules: []string{}, Error: s, Problems: []FieldProblem{{Field: s, Value: s, Message: s}, {Message: "m"}, {Value: "v", Message: ""}}},
			DecideResult{DecisionID: "n", FailedRules: nil, Problems: []FieldProblem{}, Reasons: []ReasonJSON{}},
		)
	}
	for _, resp := range []DecideResponse{
		{RuleSet: RuleSetRef{ID: "hatinh", Status: "in_force", Hash: strings.Repeat("ab", 32)}, RequestID: "ID", Date: "2024-07-01", Results: results, Warnings: tricky},
		{Results: []DecideResult{}, Warnings: []string{}},
		{},
	} {
		want := jsonOf(t, resp)
		got := string(appendDecideResponse(nil, &resp))
		if got != want {
			t.Errorf("hand-written answer differs from encoding/json's:\n got %s\nwant %s", got, want)
		}
	}
	// Every string, one byte at a time, each ASCII byte and a sample of
	// runes: escaped as encoding/json escapes them.
	var all []string
	for c := range 0x80 {
		all = append(all, string(rune(c)))
	}
	for _, r := range []rune{0x80, 0xa0, 0x7ff, 0x800, 0x2027, 0x2028, 0x2029, 0x202a, 0xfeff, 0xfffd, 0x10000, 0x10ffff} {
		all = append(all, string(r)+"x")
	}
	for _, s := range append(all, "\xc0\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80") {
		want := jsonOf(t, s)
		if got := string(appendString(nil, s)) + "\n"; got != want || !utf8.ValidString(got) {
			t.Errorf("%q: %s, want %s", s, got, want)
		}
	}
}

// A served answer, explanations included, is the encoding of its own
// reading: the same keys in the same order.
func TestDecideAnswerRoundTrips(t *testing.T) {
	s := newServer(t, Options{})
	c := newChecker(t, s)
	recs := examplePersons(t)
	body := map[string]any{"date": "2024-07-01", "explain": true, "records": append(append([]map[string]any{}, recs...), map[string]any{"person_id": "X", "birth_date": "x"})}
	a := c.do(s, "POST", "/v1/decide", body)
	if a.status != 200 {
		t.Fatalf("status %d: %s", a.status, a.body)
	}
	var resp DecideResponse
	a.json(t, &resp)
	if want := jsonOf(t, resp); string(a.body) != want {
		t.Errorf("answer\n%s\nis not encoding/json's\n%s", a.body, want)
	}
	if a.header.Get("Content-Length") != fmt.Sprint(len(a.body)) {
		t.Errorf("Content-Length %q for %d bytes", a.header.Get("Content-Length"), len(a.body))
	}
	if len(resp.Results) != len(recs)+1 || len(resp.Results[0].Reasons) == 0 || resp.Results[len(recs)].Error == "" {
		t.Errorf("results %+v", resp.Results)
	}
}

// The body of a decide request, read in one pass: what is refused (and
// how), and what is read.
func TestDecideBody(t *testing.T) {
	s := newServer(t, Options{MaxBatch: 3, MaxBodyBytes: 3000})
	c := newChecker(t, s)
	one := `{"person_id": "HT-0001", "household_id": "HT-H001", "birth_date": "1950-01-01", "commune_code": "18112", "household_poor": true, "household_category": "btxh"}`
	two := strings.Replace(one, "HT-0001", "HT-0002", 1)
	three := strings.Replace(one, "HT-0001", "HT-0003", 1)
	refused := []struct {
		name, body string
		status     int
		key        string
		detail     string
	}{
		{"truncated", `{"date": "2024-07-01", "records": [` + one, 400, probBadRequest, "not valid JSON: array not closed: unexpected EOF"},
		{"truncated in a record", `{"date": "2024-07-01", "records": [` + one[:40], 400, probBadRequest, "record 1: not valid JSON: unexpected end of JSON input"},
		{"bad record syntax", `{"date": "2024-07-01", "records": [` + one + `, {"person_id": "X",}]}`, 400, probBadRequest,
			`record 2: not valid JSON: invalid character '}' looking for beginning of object key string`},
		{"array not closed", `{"date": "2024-07-01", "records": [` + one + `}`, 400, probBadRequest, `record 1: not valid JSON: invalid character '}' after array element`},
		{"key twice", `{"date": "2024-07-01", "records": [], "date": "2024-07-02"}`, 400, probBadRequest, `key "date" given twice`},
		{"key twice in another case", `{"date": "2024-07-01", "records": [], "Date": "2024-07-02"}`, 400, probBadRequest, `key "Date" given twice`},
		{"unknown key", `{"date": "2024-07-01", "records": [], "dte": 1}`, 400, probBadRequest, `json: unknown field "dte"`},
		{"date a number", `{"date": 20240701, "records": []}`, 400, probBadRequest, "date: want a JSON string"},
		{"explain a string", `{"date": "2024-07-01", "records": [], "explain": "yes"}`, 400, probBadRequest, "explain: want true or false"},
		{"not an object", `[]`, 400, probBadRequest, "want a JSON object"},
		{"trailing data", `{"date": "2024-07-01", "records": []} x`, 400, probBadRequest, "more than one JSON value in the body"},
		{"records null", `{"date": "2024-07-01", "records": null}`, 400, probBadRequest, "records is required: a JSON array of person records"},
		{"records a string", `{"date": "2024-07-01", "records": "x"}`, 400, probBadRequest, "records: the top level must be a JSON array of records"},
		// The date is checked before the records, as for every endpoint.
		{"bad date before records", `{"records": "x", "date": "2024-13-01"}`, 400, probBadRequest, `date "2024-13-01": want YYYY-MM-DD`},
		{"batch too large", `{"date": "2024-07-01", "records": [` + one + `,` + two + `,` + three + `, 1]}`, 413, probBatchTooBig, "4 records; at most 3 per request"},
		{"body too large in the records", `{"date": "2024-07-01", "records": [` + strings.Repeat(one+`,`, 30) + one + `]}`, 413, probBodyTooLarge, "the body is over 3000 bytes; send fewer records per request"},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			a := c.do(s, "POST", "/v1/decide", tc.body)
			var p Problem
			a.json(t, &p)
			if a.status != tc.status || p.Type != "urn:hotro:problem:"+tc.key || !strings.HasSuffix(p.Detail, tc.detail) {
				t.Errorf("%d %s %q; want %d %s …%q", a.status, p.Type, p.Detail, tc.status, tc.key, tc.detail)
			}
		})
	}

	// Read: keys in any order and case, null for an absent string, the
	// most records allowed; a record that is not an object, one with a
	// key twice and one with a bad value get their error, the others
	// their decision.
	body := `{"Records": [` + one + `, "x", {"person_id": "HT-0002", "person_id": "Y", "household_id": "H", "birth_date": "1950-01-01", "commune_code": "18112", "household_poor": true, "household_category": "btxh"}], "policy": null, "DATE": "2024-07-01", "explain": false}`
	a := c.do(s, "POST", "/v1/decide", body)
	if a.status != 200 {
		t.Fatalf("status %d: %s", a.status, a.body)
	}
	var resp DecideResponse
	a.json(t, &resp)
	if len(resp.Results) != 3 {
		t.Fatalf("%d results: %s", len(resp.Results), a.body)
	}
	if r := resp.Results[0]; r.PersonID != "HT-0001" || r.Error != "" || !*r.Eligible || *r.MonthlyTopup != "1500000" {
		t.Errorf("result 1: %+v", r)
	}
	if r := resp.Results[1]; r.Error != "record 2: element is a string, want an object with the record's fields" || r.Eligible != nil {
		t.Errorf("result 2: %+v", r)
	}
	if r := resp.Results[2]; r.PersonID != "HT-0002" || r.Error != `record 3: person_id: key "person_id" given twice in the object` ||
		len(r.Problems) != 1 || r.Problems[0].Field != "person_id" {
		t.Errorf("result 3: %+v", r)
	}
	if resp.Date != "2024-07-01" || len(resp.Warnings) != 0 {
		t.Errorf("date %q, warnings %q", resp.Date, resp.Warnings)
	}

	// Exactly the most records allowed, the largest body allowed.
	full := `{"date": "2024-07-01", "records": [` + one + `,` + two + `,` + three + `]}`
	s2 := newServer(t, Options{MaxBatch: 3, MaxBodyBytes: int64(len(full))})
	a = c.do(s2, "POST", "/v1/decide", full)
	if a.status != 200 {
		t.Fatalf("at the limits: status %d: %s", a.status, a.body)
	}
	var atLimits DecideResponse
	a.json(t, &atLimits)
	if resp := atLimits; len(resp.Results) != 3 || resp.Results[2].PersonID != "HT-0003" || resp.Results[2].Error != "" {
		t.Errorf("at the limits: %s", a.body)
	}
}

// Money is written as before: StringFixed(0), whatever the exponent.
func TestWholeDong(t *testing.T) {
	for _, s := range []string{"0", "1230000", "-500000", "1.5e6", "12e17", "123456789012345678", "1234567890123456789", "1e19", "1500000.00", "1230000.5", "-2.5", "0.49", "99.999"} {
		d := decimal.RequireFromString(s)
		if got, want := wholeDong(d), d.StringFixed(0); got != want {
			t.Errorf("%s: %q, want %q", s, got, want)
		}
	}
	for _, d := range []decimal.Decimal{decimal.New(15, 5), decimal.New(-3, 2), decimal.New(7, 0), decimal.New(1, 18), decimal.New(123, -1)} {
		if got, want := wholeDong(d), d.StringFixed(0); got != want {
			t.Errorf("%v: %q, want %q", d, got, want)
		}
	}
}
