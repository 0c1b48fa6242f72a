package service_test

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"

	"github.com/hotro-vn/hotro/service"
)

// A Go program mounts the service as an http.Handler; here httptest plays
// the provincial system that calls it.
func ExampleNew() {
	s, err := service.New(service.Options{}) // the embedded rule sets
	if err != nil {
		panic(err)
	}
	defer s.Close()
	srv := httptest.NewServer(s)
	defer srv.Close()

	body := `{"date": "2024-07-01", "records": [
	  {"person_id": "HT-0001", "household_id": "HH-001", "birth_date": "1941-04-12", "commune_code": "18112",
	   "household_poor": true, "household_category": "btxh", "monthly_allowance": "270000"},
	  {"person_id": "HT-0099", "household_id": "HH-001", "birth_date": "1941-02-30"}]}`
	resp, err := srv.Client().Post(srv.URL+"/v1/decide", "application/json", strings.NewReader(body))
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	var d service.DecideResponse
	if err := json.NewDecoder(resp.Body).Decode(&d); err != nil {
		panic(err)
	}
	fmt.Println(resp.StatusCode, d.RuleSet.ID, d.RuleSet.Status)
	for _, r := range d.Results {
		if r.Error != "" {
			fmt.Println(r.PersonID, "error:", r.Problems[0].Field, r.Problems[0].Message)
			continue
		}
		// Rural poverty line 1,500,000 − allowance 270,000.
		fmt.Println(r.PersonID, *r.Eligible, *r.MonthlyTopup, "đ")
	}
	// Output:
	// 200 hatinh-nq179-2020-2025 enacted
	// HT-0001 true 1230000 đ
	// HT-0099 error: birth_date not a real date (want YYYY-MM-DD)
}

// Errors are RFC 9457 problem details with a stable type.
func ExampleServer_ServeHTTP_problem() {
	s, err := service.New(service.Options{})
	if err != nil {
		panic(err)
	}
	defer s.Close()
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("POST", "/v1/decide", strings.NewReader(`{"date": "2019-06-01", "records": []}`))
	s.ServeHTTP(rec, req)
	var p service.Problem
	json.NewDecoder(rec.Body).Decode(&p)
	fmt.Println(rec.Code, rec.Header().Get("Content-Type"))
	fmt.Println(p.Type)
	// Output:
	// 422 application/problem+json
	// urn:hotro:problem:no-rule-set
}
