package records

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/hotro-vn/hotro/internal/table"
	"github.com/hotro-vn/hotro/rules"
	"github.com/hotro-vn/hotro/rulesets"
	"github.com/stretchr/testify/require"
)

// sequential reads as one Reader does, row by row on the caller's
// goroutine: what readRows must give on all cores.
func sequential(s *Schema, read func(row func(table.Row)) ([]string, error)) ([]Record, []string, error) {
	rd := s.NewReader()
	defer rd.done()
	var recs []Record
	warnings, err := read(func(row table.Row) { recs = append(recs, rd.row(row)) })
	return recs, warnings, err
}

// personSchema is the person record of the default policy's first set.
func personSchema(t *testing.T) *Schema {
	t.Helper()
	lib, err := rules.LoadPolicy(rulesets.FS, ".", rulesets.DefaultPolicy)
	require.NoError(t, err)
	s, err := New(lib.Sets()[0].Model("person").Record)
	require.NoError(t, err)
	return s
}

// Records read on all cores are the records read one row at a time, in
// order, errors and all: files with errors of every kind, duplicate keys
// near and far apart (in the same batch of rows and hundreds of batches
// away), blank rows, unreadable rows, as CSV and as JSON.
func TestReadRowsAsOneReader(t *testing.T) {
	s := personSchema(t)

	// A made-up file, with what it holds counted as it is written.
	var big strings.Builder
	big.WriteString("person_id,household_id,full_name,birth_date,commune_code,household_poor,household_category,allowance_coefficient,other_income\n")
	ids := map[string]bool{}
	wantDups, wantUnreadable, wantBlank := 0, 0, 0
	for i := range 20_000 {
		id := fmt.Sprintf("P%06d", i)
		switch {
		case i%997 == 5:
			id = "P000003" // first used hundreds of batches before
		case i%1013 == 7:
			id = fmt.Sprintf("P%06d", i-1) // the row before
		case i%1500 == 9:
			id = ""
		}
		date := fmt.Sprintf("19%02d-%02d-%02d", 20+i%80, 1+i%12, 1+i%31) // some not real (02-30)
		switch i % 777 {
		case 1:
			big.WriteString(" , ,\n") // blank cells: a warning
			wantBlank++
		case 2:
			big.WriteString("a\"b,c\n") // a bare quote: unreadable
			wantUnreadable++
			continue
		case 3:
			big.WriteString("only,three,cells\n") // a record in error, whose key is "only"
			if ids["only"] {
				wantDups++
			}
			ids["only"] = true
		}
		if id != "" && ids[id] {
			wantDups++
		}
		ids[id] = true
		fmt.Fprintf(&big, "%s,H%05d,Người %d,%s,%05d,%v,btxh,%d,%d\n", id, i/3, i, date, 18000+i%600, i%5 != 0, i%4, i%9*100000)
	}
	files := map[string][]byte{"big.csv": []byte(big.String())}
	for _, f := range []string{"../examples/persons.csv", "../examples/persons-with-errors.csv", "../examples/hatinh/persons.csv"} {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		files[f] = b
	}
	// The Hà Tĩnh file as a JSON array, with a key repeated far apart.
	var arr []map[string]string
	_, err := s.table.ReadCSV(bytes.NewReader(files["../examples/hatinh/persons.csv"]), func(row table.Row) {
		m := map[string]string{}
		for i, v := range row.Values {
			if v.Present() {
				m[s.decl.Fields[i].Column] = v.Text
			}
		}
		arr = append(arr, m)
	})
	require.NoError(t, err)
	arr[9000]["person_id"] = arr[10]["person_id"]
	js, err := json.Marshal(arr)
	require.NoError(t, err)

	check := func(name string, read func(row func(table.Row)) ([]string, error)) {
		want, wantWarn, wantErr := sequential(s, read)
		var got []Record
		gotWarn, gotErr := s.readRows(read, func(r Record) { got = append(got, r) })
		require.Equal(t, wantErr, gotErr, name)
		require.Equal(t, wantWarn, gotWarn, name)
		require.Equal(t, len(want), len(got), name+": records in = records out")
		errs := 0
		for i := range want {
			w, g := want[i], got[i]
			require.Equal(t, w.Line, g.Line, "%s: record %d", name, i)
			require.Equal(t, w.ID, g.ID, "%s: record %d", name, i)
			require.Equal(t, w.Values, g.Values, "%s: record %d", name, i)
			require.Equal(t, fmt.Sprint(w.Err), fmt.Sprint(g.Err), "%s: record %d", name, i)
			if w.Err != nil {
				errs++
			}
		}
		t.Logf("%s: %d records, %d in error, %d warnings", name, len(want), errs, len(wantWarn))
	}
	for name, data := range files {
		check(name, func(row func(table.Row)) ([]string, error) { return s.table.ReadCSV(bytes.NewReader(data), row) })
	}
	check("hatinh.json", func(row func(table.Row)) ([]string, error) { return s.table.ReadJSON(bytes.NewReader(js), row) })

	// What the big file holds: the checks above compare like with like,
	// these that the file holds what it was written with.
	var dups, unreadable int
	warnings, err := s.ReadCSV(strings.NewReader(big.String()), func(r Record) {
		if r.Err != nil && strings.Contains(r.Err.Error(), "duplicate: first used on line") {
			dups++
		}
		if r.Err != nil && strings.Contains(r.Err.Error(), "cannot read this row") {
			unreadable++
		}
	})
	require.NoError(t, err)
	require.Equal(t, wantDups, dups)
	require.Equal(t, wantUnreadable, unreadable)
	require.Len(t, warnings, wantBlank)
	require.Greater(t, wantDups, 30)
}

// Records released as soon as each has them are built in the memory of
// records released before: a few slabs of values go round instead of one
// per 64 records, and a record built on a slab used before holds only its
// own values (an absent field is nil, not the last record's value), on
// one reader or on all cores.
func TestReleaseReusesValues(t *testing.T) {
	s := personSchema(t)
	var b strings.Builder
	b.WriteString("person_id,household_id,full_name,birth_date,commune_code,household_poor,household_category,allowance_coefficient,other_income\n")
	const n = 20_000
	for i := range n {
		income := ""
		if i%2 == 0 { // every other record gives no income: nil in its Values
			income = fmt.Sprint(i * 1000)
		}
		fmt.Fprintf(&b, "P%06d,H%05d,Người %d,1950-01-02,18073,true,btxh,1,%s\n", i, i/3, i, income)
	}
	data := []byte(b.String())
	income := s.rank["other_income"]
	want, _, err := sequential(s, func(row func(table.Row)) ([]string, error) { return s.table.ReadCSV(bytes.NewReader(data), row) })
	require.NoError(t, err)
	require.Len(t, want, n)
	require.Nil(t, want[1].Values[income])
	slabsOf := func(release bool, read func(row func(table.Row)) ([]string, error), each func(func(Record)) ([]string, error)) int {
		slabs := map[*valueSlab]bool{}
		i := 0
		_, err := each(func(r Record) {
			require.Equal(t, want[i].Values, r.Values, "record %d", i)
			slabs[r.slab] = true
			if release {
				r.Release()
				require.Nil(t, r.Values)
				r.Release() // released once: a second call on the same copy does nothing
			}
			i++
		})
		require.NoError(t, err)
		require.Equal(t, n, i, "records in = records out")
		return len(slabs)
	}
	csv := func(row func(table.Row)) ([]string, error) { return s.table.ReadCSV(bytes.NewReader(data), row) }
	all := func(each func(Record)) ([]string, error) { return s.readRows(csv, each) }
	one := func(each func(Record)) ([]string, error) {
		rd := s.NewReader()
		defer rd.done()
		return csv(func(row table.Row) { each(rd.row(row)) })
	}
	for name, each := range map[string]func(func(Record)) ([]string, error){"all cores": all, "one reader": one} {
		kept := slabsOf(false, csv, each)
		require.GreaterOrEqual(t, kept, n/slabRecords, name+": a slab per 64 records kept")
		reused := slabsOf(true, csv, each)
		// sync.Pool may drop what it is given (it does, at random, under
		// the race detector), so only a bound is sure.
		require.Less(t, reused, kept/2, name+": slabs reused")
		t.Logf("%s: %d slabs kept, %d when released", name, kept, reused)
	}

	// A copy released after the record was is a mistake the slab sees
	// (here, where the slab holds that one record, read by one reader).
	rd := s.NewReader()
	first := rd.Cells(2, map[string]string{"person_id": "P1"})
	rd.done()
	cp := first
	first.Release()
	require.Panics(t, func() { cp.Release() })
	(&Record{Values: []any{1}}).Release() // built in a program: nothing to give back
}
