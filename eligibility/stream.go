package eligibility

import (
	"context"
	"io"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/hotro-vn/hotro/rules"
)

// Source yields the records of a batch, in order, to yield, and stops when
// yield returns false; the error is the reader's (an unreadable file).
// Readers are turned into Sources by FromSlice and Read.
type Source func(yield func(Record) bool) error

// FromSlice is the Source of records held in memory.
func FromSlice(recs []Record) Source {
	return func(yield func(Record) bool) error {
		for _, r := range recs {
			if !yield(r) {
				return nil
			}
		}
		return nil
	}
}

// Read is the Source of a reader with callbacks, such as
// records.Schema.ReadCSV bound to its file: once yield says stop, the
// records that the reader still gives are dropped, and the reader is
// expected to stop at its next read (see CancelReader).
func Read(read func(each func(Record)) error) Source {
	return func(yield func(Record) bool) error {
		stopped := false
		return read(func(r Record) {
			if !stopped && !yield(r) {
				stopped = true
			}
		})
	}
}

// CancelReader returns r that fails once ctx is done, so that a reader
// fed by it stops when a stream is cancelled.
func CancelReader(ctx context.Context, r io.Reader) io.Reader { return ctxReader{ctx, r} }

type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// StreamOptions tune a stream; the zero value is sensible.
type StreamOptions struct {
	// Chunk is how many records are decided together (default 128: a
	// national file goes as fast as with 1,024, a short one touches less
	// memory);
	// InFlight how many chunks may be read, decided or waiting to be
	// written at once (default 1 per core + 2). Memory is bounded by
	// Chunk × InFlight records, whatever the size of the batch.
	Chunk, InFlight int
	// Reuse says that emit keeps no Outcome's Decision once it returns (it
	// writes the outcome out, or copies what it needs): the stream then
	// decides later records into the memory of decisions already emitted,
	// so that a long batch allocates next to nothing per record. The
	// Record of an outcome stays the caller's to keep, unless
	// ReuseRecords is set too.
	Reuse bool
	// ReuseRecords says that nothing keeps a record's Values once emit
	// has returned for it: neither emit (values read out of them, strings
	// included, may be kept) nor the source, which read the records as it
	// went (a file, a request's body; not a slice the caller holds). The
	// stream then releases each record (see records.Record.Release), and
	// the reader builds later records in the same memory.
	ReuseRecords bool
}

func (o StreamOptions) sizes() (chunk, inflight int) {
	chunk, inflight = o.Chunk, o.InFlight
	if chunk <= 0 {
		chunk = 128
	}
	if inflight <= 0 {
		inflight = runtime.GOMAXPROCS(0) + 2
	}
	return chunk, inflight
}

// chunk is a run of records on its way through a stream, with the place
// its results are sent to.
type chunk[T any] struct {
	recs []Record
	out  chan batch[T]
}

// batch is the results of a chunk, and what gives their memory back once
// they are emitted (nil: nothing to give back).
type batch[T any] struct {
	res  []T
	free func()
}

// pipeline reads src in chunks, has decide work on the chunks on all cores
// while the next ones are read, and gives emit the results in input order.
// It returns the first of: ctx's error, emit's error, the source's error.
//
// With opts.Reuse, a chunk's slice of records and its results' memory (by
// batch.free) are used again once its results are emitted.
func pipeline[T any](ctx context.Context, src Source, opts StreamOptions, decide func(recs []Record, s *scratch) batch[T], emit func(T) error) error {
	size, inflight := opts.sizes()
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	work := make(chan chunk[T])
	order := make(chan chunk[T], inflight)
	var spare chan []Record // chunks' record slices emitted, with opts.Reuse
	if opts.Reuse {
		spare = make(chan []Record, inflight+1)
	}
	newChunk := func() []Record {
		select {
		case recs := <-spare:
			return recs[:0]
		default:
			return make([]Record, 0, size)
		}
	}
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := newScratch()
			for c := range work {
				c.out <- decide(c.recs, s)
			}
		}()
	}
	readErr := make(chan error, 1)
	go func() {
		defer close(order)
		defer close(work)
		cur := newChunk()
		send := func() bool {
			c := chunk[T]{recs: cur, out: make(chan batch[T], 1)}
			select {
			case order <- c: // a place in the line first, so that memory stays bounded
			case <-ctx.Done():
				return false
			}
			select {
			case work <- c:
			case <-ctx.Done():
				return false
			}
			cur = newChunk()
			return true
		}
		err := src(func(r Record) bool {
			cur = append(cur, r)
			if len(cur) == size {
				return send()
			}
			return ctx.Err() == nil
		})
		if err == nil && len(cur) > 0 && ctx.Err() == nil {
			send()
		}
		readErr <- err
	}()
	var emitErr error
	for c := range order {
		if emitErr != nil {
			continue // drain: the reader stops on cancel
		}
		var b batch[T]
		select {
		case b = <-c.out:
		case <-ctx.Done():
			emitErr = ctx.Err()
			continue
		}
		for _, r := range b.res {
			if err := emit(r); err != nil {
				emitErr = err
				cancel()
				break
			}
		}
		if opts.ReuseRecords {
			for i := range c.recs {
				c.recs[i].Release()
			}
		}
		if opts.Reuse {
			if b.free != nil {
				b.free()
			}
			clear(c.recs) // the records' values stay the caller's, not this slice's
			select {
			case spare <- c.recs:
			default:
			}
		}
	}
	wg.Wait()
	err := <-readErr
	if emitErr != nil {
		return emitErr // emit's error, or the caller's cancellation
	}
	if perr := parent.Err(); perr != nil {
		return perr
	}
	return err
}

// Stream decides the records of src on date, on all cores, and gives emit
// one outcome per record in input order, as soon as its chunk is decided:
// reading, deciding and writing overlap, and memory is bounded by the
// chunk, not the batch. A record in error gets an outcome with Err and
// never stops the stream. It returns ctx's error when cancelled, emit's
// first error, the source's error, or an error naming the phases when no
// rule set covers date.
func (e *Engine) Stream(ctx context.Context, date time.Time, src Source, emit func(Outcome) error, opts StreamOptions) error {
	ev, err := e.lib.At(date)
	if err != nil {
		return err
	}
	// With opts.Reuse, a chunk's outcomes and decisions (one allocation
	// for all of them) are used again by a later chunk once emitted.
	type slab struct {
		out  []Outcome
		decs []Decision
		free func()
	}
	var spare chan *slab
	if opts.Reuse {
		_, inflight := opts.sizes()
		spare = make(chan *slab, inflight+runtime.GOMAXPROCS(0))
	}
	return pipeline(ctx, src, opts, func(recs []Record, s *scratch) batch[Outcome] {
		var sl *slab
		select {
		case sl = <-spare:
		default:
			sl = &slab{}
			if spare != nil {
				sl.free = func() {
					clear(sl.out) // what emit was given must not stay reachable from here
					select {
					case spare <- sl:
					default:
					}
				}
			}
		}
		if cap(sl.out) < len(recs) {
			sl.out, sl.decs = make([]Outcome, len(recs)), make([]Decision, len(recs))
		}
		out, decs := sl.out[:len(recs)], sl.decs[:len(recs)]
		for i := range recs {
			out[i].Record = recs[i]
			err := recs[i].Err
			if err == nil {
				if err = e.decideInto(ev, &recs[i], s, &decs[i]); err == nil {
					out[i].Decision = &decs[i]
				}
			}
			if err != nil {
				out[i].Err = withLine(err, recs[i].Line)
			}
		}
		return batch[Outcome]{out, sl.free}
	}, emit)
}

// StreamSchedules is Stream for schedules from one month to another.
func (e *Engine) StreamSchedules(ctx context.Context, from, to Month, src Source, emit func(ScheduleOutcome) error, opts StreamOptions) error {
	evs, err := e.evaluators(from, to)
	if err != nil {
		return err
	}
	return pipeline(ctx, src, opts, func(recs []Record, s *scratch) batch[ScheduleOutcome] {
		out := make([]ScheduleOutcome, len(recs))
		for i := range recs {
			out[i].Record = recs[i]
			if err := recs[i].Err; err != nil {
				out[i].Err = withLine(err, recs[i].Line)
				continue
			}
			out[i].Schedule = e.schedule(evs, &recs[i], s)
		}
		return batch[ScheduleOutcome]{res: out}
	}, emit)
}

// GroupChecker runs the checks a record declares across the records of a
// group (see Inconsistent) on a stream, keeping only what it flags.
type GroupChecker struct {
	bad    map[groupKey][]string
	checks map[string]rules.GroupCheck
}

type groupKey struct{ check, group string }

// fillGroup puts group and ids in place of {group} and {ids} in a check's
// message, in one pass (as strings.Replacer would, without building one
// per household: a national file flags a hundred thousand).
func fillGroup(s, group, ids string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		switch rest := s[i:]; {
		case strings.HasPrefix(rest, "{group}"):
			b.WriteString(group)
			s = rest[len("{group}"):]
		case strings.HasPrefix(rest, "{ids}"):
			b.WriteString(ids)
			s = rest[len("{ids}"):]
		default:
			b.WriteByte('{')
			s = rest[1:]
		}
	}
}

// NewGroupChecker returns an empty checker.
func NewGroupChecker() *GroupChecker {
	return &GroupChecker{bad: map[groupKey][]string{}, checks: map[string]rules.GroupCheck{}}
}

// Add looks at one outcome.
func (g *GroupChecker) Add(o Outcome) {
	if o.Decision == nil || o.Record.Schema() == nil {
		return
	}
	decl := o.Record.Schema().Decl()
	for _, c := range decl.Checks {
		among, ok1 := o.Decision.Passed(c.Among)
		flag, ok2 := o.Decision.Passed(c.Flag)
		if ok1 && ok2 && among && !flag {
			k := groupKey{c.ID, o.Record.Text(decl.Group)}
			g.bad[k] = append(g.bad[k], o.Record.ID)
			g.checks[c.ID] = c
		}
	}
}

// Len is how many issues Issues would return (one per group and check
// flagged), without building their messages.
func (g *GroupChecker) Len() int { return len(g.bad) }

// Issues returns what the checks flagged, by group then check.
func (g *GroupChecker) Issues() []HouseholdIssue {
	var issues []HouseholdIssue
	for k, ids := range g.bad {
		c := g.checks[k.check]
		list := strings.Join(ids, ", ")
		fill := func(s string) string { return fillGroup(s, k.group, list) }
		t := rules.Text{VI: fill(c.Message.VI), EN: fill(c.Message.EN)}
		issues = append(issues, HouseholdIssue{Check: k.check, HouseholdID: k.group, PersonIDs: ids, Msg: t.In("en"), Text: t})
	}
	sort.Slice(issues, func(i, j int) bool {
		if issues[i].HouseholdID != issues[j].HouseholdID {
			return issues[i].HouseholdID < issues[j].HouseholdID
		}
		return issues[i].Check < issues[j].Check
	})
	return issues
}
