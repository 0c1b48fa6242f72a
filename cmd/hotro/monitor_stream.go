package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/hotro-vn/hotro/allocation"
	"github.com/hotro-vn/hotro/eligibility"
	"github.com/shopspring/decimal"
)

// streamMonitor writes hotro monitor's CSV as the months are decided
// (allocation.MonitorStream): the months or payments report to a file or
// standard output, or, to a directory, the months and payments reports
// at once and the commitments report at the end. Memory then grows with
// neither the months nor the persons' rows; the output and the summary are
// those of the collecting path. It reports false, doing nothing, for the
// other outputs (JSON, a workbook, the commitments report alone), which
// are written at the end.
func streamMonitor(pf *planFlags, crecsp *[]allocation.CommitmentRecord, from, to eligibility.Month, stdout, stderr io.Writer) (int, bool) {
	toDir := dirOut(pf.out)
	if pf.format != "csv" || (!toDir && pf.report != allocation.ReportMonths && pf.report != allocation.ReportPayments) {
		return 0, false
	}
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
		return 1, true
	}
	short, shortMonths, sum, rows, pays := map[string]bool{}, 0, decimal.Zero, 0, 0
	// The records are handed over and let go: once MonitorStream has
	// checked them it keeps their statuses only, and the memory of a
	// million records can be reclaimed.
	crecs := *crecsp
	*crecsp = nil
	ncrecs := len(crecs)
	m, err := allocation.MonitorStream(pf.engine, pf.personRecs, crecs, pf.unitRecs, from, to, func(_ eligibility.Month, rs []allocation.MonthRow, ps []allocation.Payment) error {
		for _, r := range rs {
			if r.Shortfall.Sign() > 0 {
				short[r.PersonID] = true
				shortMonths++
				sum = sum.Add(r.Shortfall)
			}
		}
		rows, pays = rows+len(rs), pays+len(ps)
		for _, mc := range writers {
			if err := mc.Write(rs, ps); err != nil {
				return err
			}
		}
		return nil
	})
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
		return 1, true
	}
	bad, flagged := 0, 0
	for _, c := range m.Commitments {
		if c.Error != "" {
			bad++
		}
		if c.Flag != "" {
			flagged++
		}
	}
	fmt.Fprintf(stderr, tr("%d commitments in, %d out (%d in error, %d flagged); %s to %s: %d person-months, %d short (%d persons), shortfall %s đ; %d payments\n",
		"%d cam kết vào, %d ra (%d lỗi, %d cần lưu ý); %s đến %s: %d người-tháng, %d thiếu (%d người), còn thiếu %s đ; %d khoản chi trả\n"),
		ncrecs, len(m.Commitments), bad, flagged, from, to, rows, shortMonths, len(short), moneyOut(sum), pays)
	personErr := 0
	for _, r := range pf.personRecs {
		if r.Err != nil {
			personErr++
		}
	}
	if personErr > 0 {
		fmt.Fprintf(stderr, "%d person records in error (their rows say why)\n", personErr)
	}
	if bad+personErr > 0 {
		return 1, true
	}
	return 0, true
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
