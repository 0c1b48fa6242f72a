package service

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/hotro-vn/hotro/eligibility"
)

// batch1000 is the first 1,000 persons of the Hà Tĩnh example as a request.
func batch1000(b *testing.B) ([]byte, []eligibility.Record) {
	e, err := eligibility.Default()
	if err != nil {
		b.Fatal(err)
	}
	recs, _, err := e.ReadFile("../examples/hatinh/persons.csv", time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		b.Fatal(err)
	}
	recs = recs[:1000]
	rows := make([]map[string]any, len(recs))
	for i, r := range recs {
		row := map[string]any{}
		for _, f := range r.Schema().Decl().Fields {
			if v, ok := r.Get(f.Name); ok {
				if _, isBool := v.(bool); isBool {
					row[f.Column] = v
				} else {
					row[f.Column] = r.Text(f.Name)
				}
			}
		}
		rows[i] = row
	}
	body, _ := json.Marshal(map[string]any{"date": "2024-07-01", "records": rows})
	return body, recs
}

// BenchmarkServeBatch is one request of 1,000 records through the handler
// (no network); BenchmarkDecideAllBatch the same records in-process.
func BenchmarkServeBatch(b *testing.B) {
	s := newServer(b, Options{})
	body, _ := batch1000(b)
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest("POST", "/v1/decide", bytes.NewReader(body)))
		if rec.Code != 200 {
			b.Fatal(rec.Code, rec.Body)
		}
	}
}

func BenchmarkDecideAllBatch(b *testing.B) {
	e, err := eligibility.Default()
	if err != nil {
		b.Fatal(err)
	}
	_, recs := batch1000(b)
	date := time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.DecideAll(context.Background(), recs, date); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadJSONBatch is the JSON reader alone on the same 1,000 records:
// the part of a served batch that is not deciding.
func BenchmarkReadJSONBatch(b *testing.B) {
	body, _ := batch1000(b)
	var req struct{ Records json.RawMessage }
	if err := json.Unmarshal(body, &req); err != nil {
		b.Fatal(err)
	}
	e, err := eligibility.Default()
	if err != nil {
		b.Fatal(err)
	}
	date := time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := e.ReadJSON(bytes.NewReader(req.Records), date); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadDecideBatch is the reading of one request of 1,000 records
// alone: the body, in one pass, into records.
func BenchmarkReadDecideBatch(b *testing.B) {
	s := newServer(b, Options{})
	body, _ := batch1000(b)
	st := s.state.Load()
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		req, ok := s.readDecide(rec, httptest.NewRequest("POST", "/v1/decide", bytes.NewReader(body)), st)
		if !ok || len(req.recs) != 1000 {
			b.Fatal(rec.Code, rec.Body)
		}
	}
}
