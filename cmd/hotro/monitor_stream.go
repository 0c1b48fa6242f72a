package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/hotro-vn/hotro/allocation"
	"github.com/hotro-vn/hotro/eligibility"
	"github.com/shopspring/decimal"
)

// streamMonitor writes hotro monitor's CSV as the months are decided
// (allocation.MonitorStream): the months or payments report to a file or
// standard output, or, to a directory, the months and payments reports
// at once and the commitments report at the end. Memory then grows with
// neither the months nor the persons' rows, and the commitments are those
// of book, held compactly; the output and the summary are those of the
// collecting path. It is for the outputs streamsMonitor names; the others
// (JSON, a workbook, the commitments report alone) are written at the end.
func streamMonitor(pf *planFlags, book *allocation.CommitmentBook, from, to eligibility.Month, stdout, stderr io.Writer) int {
	toDir := dirOut(pf.out)
	// The persons: a CSV or JSON file whose ids are in increasing order is
	// read again each month (MonitorSorted), so that no person is held;
	// any other is read once and held (MonitorStream).
	var ids []string
	personErr := 0
	if pf.lazyPersons {
		var sorted, ok bool
		ids, personErr, sorted, ok = sortedIDs(pf, stderr)
		if !ok {
			return 1
		}
		if !sorted {
			ids, personErr = nil, 0
			// Read once more, to be held: the warnings were printed by the first reading.
			if pf.personRecs, ok = readRecords(pf.engine, pf.persons, pf.date, stdin, io.Discard); !ok {
				fmt.Fprintf(stderr, tr("hotro: %s could not be read again\n", "hotro: không đọc lại được %s\n"), pf.persons)
				return 1
			}
		}
	}
	personErr += inError(pf.personRecs)
	var writers []*allocation.MonitorCSV
	var closers []func() error
	closeAll := func() error {
		var first error
		for _, c := range closers {
			if err := c(); first == nil {
				first = err
			}
		}
		closers = nil
		return first
	}
	open := func(path, report string) error {
		w, closeOut, err := output(path, stdout)
		if err != nil {
			return err
		}
		closers = append(closers, closeOut)
		mc, err := allocation.NewMonitorCSV(bomWriter(w, pf.excel), report)
		if err != nil {
			return err
		}
		writers = append(writers, mc)
		return nil
	}
	var err error
	if toDir {
		if err = os.MkdirAll(pf.out, 0o755); err == nil {
			if err = open(filepath.Join(pf.out, allocation.ReportMonths+".csv"), allocation.ReportMonths); err == nil {
				err = open(filepath.Join(pf.out, allocation.ReportPayments+".csv"), allocation.ReportPayments)
			}
		}
	} else {
		err = open(pf.out, pf.report)
	}
	if err != nil {
		closeAll()
		fmt.Fprintf(stderr, "hotro: %v\n", err)
		return 1
	}
	short, rows, pays := newShortfalls(), 0, 0
	monitor := func(each func(eligibility.Month, []allocation.MonthRow, []allocation.Payment) error) (*allocation.Monitoring, error) {
		if ids == nil {
			return book.MonitorStream(pf.engine, pf.personRecs, from, to, each)
		}
		again := func() eligibility.Source {
			return func(yield func(eligibility.Record) bool) error {
				p, err := openPersons(context.Background(), pf.engine, pf.persons, pf.date, stdin)
				if err != nil {
					return err
				}
				defer p.close()
				return p.src(yield)
			}
		}
		return book.MonitorSorted(pf.engine, ids, again, from, to, each)
	}
	prog := startProgress(pf.progress, stderr, 0, "person-months", "tháng-người")
	m, err := monitor(func(_ eligibility.Month, rs []allocation.MonthRow, ps []allocation.Payment) error {
		prog.done(len(rs))
		short.add(rs)
		rows, pays = rows+len(rs), pays+len(ps)
		for _, mc := range writers {
			if err := mc.Write(rs, ps); err != nil {
				return err
			}
		}
		return nil
	})
	prog.end()
	for _, mc := range writers {
		if cerr := mc.Close(); err == nil {
			err = cerr
		}
	}
	if cerr := closeAll(); err == nil {
		err = cerr
	}
	if err == nil && toDir {
		// The commitments, known once every month is done, as the collecting path writes them.
		err = writeReportFile(filepath.Join(pf.out, allocation.ReportCommitments+".csv"), pf.excel, func(w io.Writer) error {
			return m.WriteCSV(w, allocation.ReportCommitments)
		})
	}
	if err != nil {
		fmt.Fprintf(stderr, "hotro: %v\n", err)
		return 1
	}
	return monitorDone(stderr, book.Len(), m, from, to, rows, short, pays, personErr)
}

// shortfalls tallies the person-months short of their top-up.
type shortfalls struct {
	persons map[string]bool
	months  int
	sum     decimal.Decimal
}

func newShortfalls() *shortfalls { return &shortfalls{persons: map[string]bool{}, sum: decimal.Zero} }

func (s *shortfalls) add(rows []allocation.MonthRow) {
	for _, r := range rows {
		if r.Shortfall.Sign() > 0 {
			s.persons[r.PersonID] = true
			s.months++
			s.sum = s.sum.Add(r.Shortfall)
		}
	}
}

// inError counts the records in error.
func inError(recs []eligibility.Record) int {
	n := 0
	for _, r := range recs {
		if r.Err != nil {
			n++
		}
	}
	return n
}

// commitmentCounts counts the commitments in error and those flagged.
func commitmentCounts(m *allocation.Monitoring) (bad, flagged int) {
	for c := range m.AllCommitments() {
		if c.Error != "" {
			bad++
		}
		if c.Flag != "" {
			flagged++
		}
	}
	return bad, flagged
}

// monitorDone prints monitor's summary (in commitments read, rows
// person-months, pays payments, personErr person records in error) and
// returns its exit code: 1 when a commitment or a person record is in error.
func monitorDone(stderr io.Writer, in int, m *allocation.Monitoring, from, to eligibility.Month, rows int, short *shortfalls, pays, personErr int) int {
	bad, flagged := commitmentCounts(m)
	fmt.Fprintf(stderr, tr("%d commitments in, %d out (%d in error, %d flagged); %s to %s: %d person-months, %d short (%d persons), shortfall %s đ; %d payments\n",
		"%d cam kết vào, %d ra (%d lỗi, %d cần lưu ý); %s đến %s: %d người-tháng, %d thiếu (%d người), còn thiếu %s đ; %d khoản chi trả\n"),
		in, m.CommitmentCount(), bad, flagged, from, to, rows, short.months, len(short.persons), moneyOut(short.sum), pays)
	if personErr > 0 {
		fmt.Fprintf(stderr, "%d person records in error (their rows say why)\n", personErr)
	}
	if bad+personErr > 0 {
		return 1
	}
	return 0
}

// writeReportFile writes one CSV report to path, with a BOM for Excel when asked.
func writeReportFile(path string, excel bool, write func(io.Writer) error) error {
	w, closeOut, err := output(path, nil)
	if err != nil {
		return err
	}
	err = write(bomWriter(w, excel))
	if cerr := closeOut(); err == nil {
		err = cerr
	}
	return err
}

// streamsMonitor says whether hotro monitor's output is written as the
// months are decided (streamMonitor), and so whether the persons, a file
// of CSV or JSON, may be read by it rather than held.
func streamsMonitor(pf *planFlags) bool {
	if pf.format != "csv" || (!dirOut(pf.out) && pf.report != allocation.ReportMonths && pf.report != allocation.ReportPayments) {
		return false
	}
	ext := strings.ToLower(filepath.Ext(pf.persons))
	return pf.persons != "-" && (ext == ".csv" || ext == ".json")
}

// sortedIDs reads the persons file once, holding only the ids: their
// copies in order, how many records are in error, and whether the ids
// are in strictly increasing order (then the file can be read again month
// by month in id order). The reader's warnings are printed here, once.
func sortedIDs(pf *planFlags, stderr io.Writer) (ids []string, errs int, sorted, ok bool) {
	p, err := openPersons(context.Background(), pf.engine, pf.persons, pf.date, stdin)
	if err != nil {
		fmt.Fprintf(stderr, "hotro: %v\n", readerMsg(err.Error()))
		return nil, 0, false, false
	}
	defer p.close()
	sorted = true
	err = p.src(func(r eligibility.Record) bool {
		if r.Err != nil {
			errs++
		}
		if n := len(ids); n > 0 && ids[n-1] >= r.ID {
			sorted = false
		}
		ids = append(ids, strings.Clone(r.ID))
		return true
	})
	p.printWarnings(stderr)
	if err != nil {
		fmt.Fprintf(stderr, "hotro: %v\n", readerMsg(err.Error()))
		return nil, 0, false, false
	}
	return ids, errs, sorted, true
}
