package records

import (
	"runtime"

	"github.com/hotro-vn/hotro/internal/table"
	"github.com/hotro-vn/hotro/rules"
)

// A file's rows are split into cells on one goroutine, but turned into
// records (values parsed, checked, boxed: most of a reader's work) on all
// cores, and given to each in their order on the caller's goroutine. Only
// what must see the rows in order, the duplicate-key check, stays with the
// splitting. Records, their errors and each's calls are the same as one
// Reader's, row by row.

// rowBatch is a run of rows on their way from the splitting to each.
type rowBatch struct {
	rows  []table.Row
	vals  []table.Value // the rows' Values, one slab (the table reuses its own)
	first []int         // per row: 0, or the line where its key was first used
	recs  []Record
	ready chan struct{} // closed when recs are built
}

// batchRows is how many rows go together; small enough that a short file
// is spread over the cores, large enough that handing over costs little.
const batchRows = 128

// readRows reads the rows that read gives and calls each with their
// records in order, as Reader.row would, building the records on all
// cores when there are several and the key is compared as written (any
// type but an enum, whose spellings the parse makes one).
func (s *Schema) readRows(read func(row func(table.Row)) ([]string, error), each func(Record)) ([]string, error) {
	workers := runtime.GOMAXPROCS(0)
	if workers < 2 || (s.key >= 0 && s.decl.Fields[s.key].Type == rules.FieldEnum) {
		rd := s.NewReader()
		defer rd.done()
		return read(func(row table.Row) { each(rd.row(row)) })
	}
	nf := len(s.decl.Fields)
	work := make(chan *rowBatch)
	order := make(chan *rowBatch, workers+2) // bounds the rows in flight
	spare := make(chan *rowBatch, workers+4)
	quit := make(chan struct{}) // each stopped the caller's goroutine (a test's FailNow)
	defer close(quit)
	for range workers {
		rd := s.NewReader()
		go func() {
			defer rd.done()
			for b := range work {
				if cap(b.recs) < len(b.rows) {
					b.recs = make([]Record, batchRows)
				}
				b.recs = b.recs[:len(b.rows)]
				for i := range b.rows {
					b.recs[i] = rd.record(b.rows[i], b.first[i])
				}
				close(b.ready)
			}
		}()
	}
	type result struct {
		warnings []string
		err      error
	}
	done := make(chan result, 1)
	go func() {
		keys := s.NewReader() // its set of keys seen
		defer keys.done()
		defer close(work)
		defer close(order)
		var cur *rowBatch
		stopped := false
		send := func() {
			select {
			case order <- cur:
			case <-quit:
				stopped = true
				return
			}
			work <- cur
			cur = nil
		}
		warnings, err := read(func(row table.Row) {
			if stopped {
				return
			}
			if cur == nil {
				select {
				case cur = <-spare:
					cur.rows, cur.vals, cur.first, cur.recs = cur.rows[:0], cur.vals[:0], cur.first[:0], cur.recs[:0]
				default:
					cur = &rowBatch{vals: make([]table.Value, 0, batchRows*nf)}
				}
				cur.ready = make(chan struct{})
			}
			first := 0
			if s.key >= 0 && row.Values != nil && row.Line > 0 {
				if id := row.Values[s.key].Text; id != "" {
					first, _ = keys.seen.add(id, row.Line)
				}
			}
			if row.Values != nil {
				n := len(cur.vals)
				cur.vals = append(cur.vals, row.Values...)
				row.Values = cur.vals[n:len(cur.vals):len(cur.vals)]
			}
			cur.rows = append(cur.rows, row)
			cur.first = append(cur.first, first)
			if len(cur.rows) == batchRows {
				send()
			}
		})
		if cur != nil && !stopped {
			send()
		}
		done <- result{warnings, err}
	}()
	for b := range order {
		<-b.ready
		for _, r := range b.recs {
			each(r)
		}
		clear(b.rows) // nothing of the rows or records stays reachable from here
		clear(b.recs)
		select {
		case spare <- b:
		default:
		}
	}
	r := <-done
	return r.warnings, r.err
}
