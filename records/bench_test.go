package records_test

import (
	"bytes"
	"encoding/json"
	"os"
	"runtime"
	"testing"

	"github.com/hotro-vn/hotro/records"
)

// The Hà Tĩnh persons (18,300 rows) read from memory, as CSV and as the
// JSON array a served batch sends (booleans as JSON true/false, the rest as
// strings). Each reports allocs/record and ns/record besides the usual
// per-op figures: divide by nothing, compare before/after in one run.
func benchData(b *testing.B) (*records.Schema, []byte, []byte) {
	t := &testing.T{}
	s := personSchema(t)
	csvData, err := os.ReadFile("../examples/hatinh/persons.csv")
	if err != nil {
		b.Fatal(err)
	}
	rows := csvAsJSON(t, "../examples/hatinh/persons.csv")
	for _, r := range rows {
		for k, v := range r.(map[string]any) {
			if v == "true" || v == "false" {
				r.(map[string]any)[k] = v == "true"
			}
		}
	}
	jsonData, err := json.Marshal(rows)
	if err != nil {
		b.Fatal(err)
	}
	return s, csvData, jsonData
}

func benchRead(b *testing.B, read func(*records.Schema, []byte, func(records.Record)) ([]string, error), pick func(csv, js []byte) []byte) {
	s, c, j := benchData(b)
	data := pick(c, j)
	n := 0
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		n = 0
		if _, err := read(s, data, func(r records.Record) {
			if r.Err != nil {
				b.Fatal(r.Err)
			}
			n++
		}); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(b.N*n), "allocs/record")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/record")
}

func BenchmarkReadCSV(b *testing.B) {
	benchRead(b, func(s *records.Schema, d []byte, each func(records.Record)) ([]string, error) {
		return s.ReadCSV(bytes.NewReader(d), each)
	}, func(c, _ []byte) []byte { return c })
}

func BenchmarkReadJSON(b *testing.B) {
	benchRead(b, func(s *records.Schema, d []byte, each func(records.Record)) ([]string, error) {
		return s.ReadJSON(bytes.NewReader(d), each)
	}, func(_, j []byte) []byte { return j })
}
