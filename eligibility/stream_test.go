package eligibility_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/hotro-vn/hotro/eligibility"
	"github.com/stretchr/testify/require"
)

// hatinh reads the province's example list: 18,300 records.
func hatinh(t *testing.T, e *eligibility.Engine, date time.Time) []eligibility.Record {
	recs, _, err := e.ReadFile("../examples/hatinh/persons.csv", date)
	require.NoError(t, err)
	require.Len(t, recs, 18300)
	return recs
}

// The stream gives the outcomes DecideAll gives, in input order, with
// many small chunks in flight at once; the CSV it writes is byte for byte
// the batch's.
func TestStreamMatchesBatch(t *testing.T) {
	e, err := eligibility.Default()
	require.NoError(t, err)
	date := time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC)
	recs := hatinh(t, e, date)
	outs, err := e.DecideAll(context.Background(), recs, date)
	require.NoError(t, err)
	var batch bytes.Buffer
	require.NoError(t, eligibility.WriteCSV(&batch, outs, false))

	for _, opts := range []eligibility.StreamOptions{{Chunk: 7, InFlight: 5}, {Chunk: 1}, {},
		{Chunk: 7, InFlight: 5, Reuse: true}, {Chunk: 64, Reuse: true}} {
		var streamed bytes.Buffer
		ow := eligibility.NewCSVWriter(&streamed, false)
		n := 0
		decisions := map[*eligibility.Decision]bool{}
		err := e.Stream(context.Background(), date, eligibility.FromSlice(recs), func(o eligibility.Outcome) error {
			require.Equal(t, recs[n].ID, o.Record.ID, "outcome %d out of order", n)
			n++
			decisions[o.Decision] = true
			return ow.Write(o)
		}, opts)
		require.NoError(t, err)
		require.NoError(t, ow.Close())
		require.Equal(t, len(recs), n, "records in = records out")
		require.Equal(t, batch.String(), streamed.String(), "chunk %d, reuse %v", opts.Chunk, opts.Reuse)
		// With Reuse, decisions live in the slabs of the chunks in flight
		// (at most InFlight + 1 being decided per core, and one emitted):
		// far fewer than the records.
		_, inflight := opts.Chunk, opts.InFlight
		if inflight == 0 {
			inflight = runtime.GOMAXPROCS(0) + 2
		}
		if most := (inflight + runtime.GOMAXPROCS(0) + 1) * opts.Chunk; opts.Reuse {
			require.LessOrEqual(t, len(decisions), most, "decisions' memory reused")
		} else {
			require.Greater(t, len(decisions), most, "each decision its own")
		}
	}
}

// With ReuseRecords, a file read as it streams has its records built in
// the memory of records already written: the outcomes are still the
// batch's, byte for byte, with several chunks in flight, and the values
// go round a few slabs instead of one per 64 records.
func TestStreamReusesRecords(t *testing.T) {
	e, err := eligibility.Default()
	require.NoError(t, err)
	date := time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC)
	outs, err := e.DecideAll(context.Background(), hatinh(t, e, date), date)
	require.NoError(t, err)
	var batch bytes.Buffer
	require.NoError(t, eligibility.WriteCSV(&batch, outs, false))
	schema, err := e.Schema(date)
	require.NoError(t, err)
	data, err := os.ReadFile("../examples/hatinh/persons.csv")
	require.NoError(t, err)
	for _, opts := range []eligibility.StreamOptions{{}, {Chunk: 7, InFlight: 5}, {Chunk: 64, Reuse: true}} {
		opts.ReuseRecords = true
		src := eligibility.Read(func(each func(eligibility.Record)) error {
			_, err := schema.ReadCSV(bytes.NewReader(data), each)
			return err
		})
		var streamed bytes.Buffer
		ow := eligibility.NewCSVWriter(&streamed, false)
		n := 0
		places := map[*any]bool{} // where records' values lie
		require.NoError(t, e.Stream(context.Background(), date, src, func(o eligibility.Outcome) error {
			require.Equal(t, outs[n].Record.ID, o.Record.ID, "outcome %d out of order", n)
			n++
			places[&o.Record.Values[0]] = true
			return ow.Write(o)
		}, opts))
		require.NoError(t, ow.Close())
		require.Equal(t, len(outs), n, "records in = records out")
		require.Equal(t, batch.String(), streamed.String(), "chunk %d, reuse %v", opts.Chunk, opts.Reuse)
		// Each record needs a place of its own only while it is in flight
		// (about 1,300 places here; a few thousand under the race
		// detector, whose sync.Pool drops a quarter of what it is given).
		require.Less(t, len(places), n/2, "values' memory reused")
		t.Logf("chunk %d: values in %d places for %d records", opts.Chunk, len(places), n)
	}
}

// A file read as a stream: the reader's records flow through without the
// whole file in memory, and the file's records in are the outcomes out.
func TestStreamFromReader(t *testing.T) {
	e, err := eligibility.Default()
	require.NoError(t, err)
	date := time.Date(2020, 6, 1, 0, 0, 0, 0, time.UTC)
	schema, err := e.Schema(date)
	require.NoError(t, err)
	f, err := os.Open("../examples/persons-with-errors.csv")
	require.NoError(t, err)
	defer f.Close()
	src := eligibility.Read(func(each func(eligibility.Record)) error {
		_, err := schema.ReadCSV(f, each)
		return err
	})
	var ids, errs []string
	err = e.Stream(context.Background(), date, src, func(o eligibility.Outcome) error {
		ids = append(ids, o.Record.ID)
		if o.Err != nil {
			errs = append(errs, o.Err.Error())
		}
		return nil
	}, eligibility.StreamOptions{Chunk: 2})
	require.NoError(t, err)
	require.Equal(t, []string{"HT-0101", "", "HT-0103", "HT-0104", "HT-0105", "HT-0106", "HT-0101", "HT-0108"}, ids)
	require.Len(t, errs, 6)
	require.Equal(t, "line 3: person_id: missing", errs[0])
}

// An error of emit stops the stream and is returned; so is a cancelled
// context; neither leaves goroutines writing.
func TestStreamStops(t *testing.T) {
	e, err := eligibility.Default()
	require.NoError(t, err)
	date := time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC)
	recs := hatinh(t, e, date)
	full := errors.New("disk full")
	n := 0
	err = e.Stream(context.Background(), date, eligibility.FromSlice(recs), func(o eligibility.Outcome) error {
		n++
		if n == 100 {
			return full
		}
		return nil
	}, eligibility.StreamOptions{Chunk: 16})
	require.ErrorIs(t, err, full)
	require.Equal(t, 100, n)

	ctx, cancel := context.WithCancel(context.Background())
	n = 0
	err = e.Stream(ctx, date, eligibility.FromSlice(recs), func(o eligibility.Outcome) error {
		n++
		if n == 50 {
			cancel()
		}
		return nil
	}, eligibility.StreamOptions{Chunk: 16})
	require.ErrorIs(t, err, context.Canceled)
	require.Less(t, n, len(recs))
}

// A source that cannot be read fails the stream with its error, after the
// records it gave.
func TestStreamSourceError(t *testing.T) {
	e, err := eligibility.Default()
	require.NoError(t, err)
	date := time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC)
	schema, err := e.Schema(date)
	require.NoError(t, err)
	bad := "person_id,birth_date\nx,1950-01-01\n" // household_id and others missing
	src := eligibility.Read(func(each func(eligibility.Record)) error {
		_, err := schema.ReadCSV(strings.NewReader(bad), each)
		return err
	})
	err = e.Stream(context.Background(), date, src, func(eligibility.Outcome) error { return nil }, eligibility.StreamOptions{})
	require.ErrorContains(t, err, "missing required column(s): household_id, commune_code, household_poor, household_category")
}

// Schedules stream too, and give what ScheduleAll gives.
func TestStreamSchedules(t *testing.T) {
	e, err := eligibility.Default()
	require.NoError(t, err)
	from, to := eligibility.Month{Year: 2021, Month: 5}, eligibility.Month{Year: 2022, Month: 2}
	recs := hatinh(t, e, from.First())[:2000]
	all, err := e.ScheduleAll(context.Background(), recs, from, to)
	require.NoError(t, err)
	var want, got bytes.Buffer
	require.NoError(t, eligibility.WriteScheduleCSV(&want, all, []string{"zone", "poverty_line"}))
	sw := eligibility.NewScheduleCSVWriter(&got, []string{"zone", "poverty_line"})
	require.NoError(t, e.StreamSchedules(context.Background(), from, to, eligibility.FromSlice(recs), sw.Write, eligibility.StreamOptions{Chunk: 33}))
	require.NoError(t, sw.Close())
	require.Equal(t, want.String(), got.String())
	require.Contains(t, got.String(), fmt.Sprintf("%s,2022-01,true,", recs[0].ID))
}

// BenchmarkStreamEval is `hotro eval` without the process: read the
// province's CSV from memory, decide as a stream, write CSV, reusing the
// memory of decisions and records as eval does.
func BenchmarkStreamEval(b *testing.B) {
	e, err := eligibility.Default()
	require.NoError(b, err)
	date := time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC)
	schema, err := e.Schema(date)
	require.NoError(b, err)
	data, err := os.ReadFile("../examples/hatinh/persons.csv")
	require.NoError(b, err)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		src := eligibility.Read(func(each func(eligibility.Record)) error {
			_, err := schema.ReadCSV(bytes.NewReader(data), each)
			return err
		})
		ow := eligibility.NewCSVWriter(io.Discard, false)
		if err := e.Stream(context.Background(), date, src, ow.Write, eligibility.StreamOptions{Reuse: true, ReuseRecords: true}); err != nil {
			b.Fatal(err)
		}
		ow.Close()
	}
}
