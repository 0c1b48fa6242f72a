package eligibility

import (
	"sync"
	"testing"
)

// TestDecideRecordInto: a Decision reused from record to record, on
// several goroutines sharing one Day (run under -race), answers exactly
// what DecideRecord answers, its explanation included.
func TestDecideRecordInto(t *testing.T) {
	e, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	day, err := e.On(benchDate)
	if err != nil {
		t.Fatal(err)
	}
	ps := benchPersons(300)
	recs := make([]Record, len(ps))
	want := make([]string, len(ps))
	for i, p := range ps {
		recs[i] = p.person().RecordFor(day.Schema(), i+2)
		d, err := day.DecideRecord(recs[i])
		if err != nil {
			t.Fatal(err)
		}
		want[i] = d.MonthlyTopup.String() + " " + Explain(d, "en")
	}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var d Decision
			for k := range recs {
				i := (k + g*37) % len(recs)
				if err := day.DecideRecordInto(&recs[i], &d); err != nil {
					t.Error(err)
					return
				}
				if got := d.MonthlyTopup.String() + " " + Explain(&d, "en"); got != want[i] {
					t.Errorf("record %d: into %q, alone %q", i, got, want[i])
					return
				}
			}
		}()
	}
	wg.Wait()
}
