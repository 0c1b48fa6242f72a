package main

import (
	"fmt"
	"io"

	"github.com/hotro-vn/hotro/allocation"
	"github.com/hotro-vn/hotro/eligibility"
	"github.com/shopspring/decimal"
)

// streamMonitor writes the months or payments report of hotro monitor as
// CSV month by month (allocation.MonitorStream), so that memory does not
// grow with the number of months; the output and the summary are those of
// the collecting path. It reports false, doing nothing, for the other
// outputs (a directory, JSON, a workbook, the commitments report), which
// are written at the end.
func streamMonitor(pf *planFlags, crecs []allocation.CommitmentRecord, from, to eligibility.Month, stdout, stderr io.Writer) (int, bool) {
	if pf.format != "csv" || dirOut(pf.out) || (pf.report != allocation.ReportMonths && pf.report != allocation.ReportPayments) {
		return 0, false
	}
	w, closeOut, err := output(pf.out, stdout)
	if err != nil {
		fmt.Fprintf(stderr, "hotro: %v\n", err)
		return 1, true
	}
	mc, err := allocation.NewMonitorCSV(bomWriter(w, pf.excel), pf.report)
	if err != nil {
		closeOut()
		fmt.Fprintf(stderr, "hotro: %v\n", err)
		return 1, true
	}
	short, shortMonths, sum, rows, pays := map[string]bool{}, 0, decimal.Zero, 0, 0
	m, err := allocation.MonitorStream(pf.engine, pf.personRecs, crecs, pf.unitRecs, from, to, func(_ eligibility.Month, rs []allocation.MonthRow, ps []allocation.Payment) error {
		for _, r := range rs {
			if r.Shortfall.Sign() > 0 {
				short[r.PersonID] = true
				shortMonths++
				sum = sum.Add(r.Shortfall)
			}
		}
		rows, pays = rows+len(rs), pays+len(ps)
		return mc.Write(rs, ps)
	})
	if err == nil {
		err = mc.Close()
	}
	if cerr := closeOut(); err == nil {
		err = cerr
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
		len(crecs), len(m.Commitments), bad, flagged, from, to, rows, shortMonths, len(short), moneyOut(sum), pays)
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
