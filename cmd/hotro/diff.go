package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/hotro-vn/hotro/allocation"
	"github.com/hotro-vn/hotro/eligibility"
	"github.com/hotro-vn/hotro/impact"
	"github.com/hotro-vn/hotro/sheet"
)

func init() {
	commands["diff"] = command{"what a rule change does: the same persons under two rule sets, gains, losses and totals", cmdDiff}
}

const diffUsage = "usage: hotro diff --new DIR [--base DIR] (--date YYYY-MM-DD | --from YYYY-MM --to YYYY-MM) [--units FILE] [--format text|csv|json] [--report NAME] [--per-person] [--out PATH] FILE"

func cmdDiff(args []string, stdout, stderr io.Writer) int {
	fs := flags("diff", stderr)
	baseDir := fs.String("base", "", "rule set directory in force (default: the embedded rules)")
	newDir := fs.String("new", "", "rule set directory proposed (required)")
	dateS := fs.String("date", "", "compare on this date, YYYY-MM-DD")
	fromS := fs.String("from", "", "compare month by month from this month, YYYY-MM (with --to)")
	toS := fs.String("to", "", "last month compared, YYYY-MM")
	unitsPath := fs.String("units", "", "units file, .csv or .json: also compare the sponsorship plans, on --date or the first day of --from")
	format := fs.String("format", "text", tr("text (a summary), csv, json or xlsx (every report a sheet of one workbook)", "text (tóm tắt), csv, json hoặc xlsx (mỗi báo cáo một trang của một tệp Excel)"))
	excel := excelFlag(fs)
	report := fs.String("report", impact.ReportPersons, "the CSV report: "+strings.Join(append(slices.Clone(impact.Reports), impact.QuotaReports...), ", "))
	perPerson := fs.Bool("per-person", false, "write the per-person CSV (--format csv --report persons)")
	out := fs.String("out", "", "write to this file, or with an existing directory every report into it (default: stdout)")
	pos, code := parse(fs, args)
	if code >= 0 {
		return code
	}
	if *perPerson {
		*format, *report = "csv", impact.ReportPersons
	}
	var date time.Time
	var from, to eligibility.Month
	var err error
	ok := len(pos) == 1 && *newDir != "" && slices.Contains([]string{"text", "csv", "json", "xlsx"}, *format)
	switch {
	case *dateS != "" && *fromS == "" && *toS == "":
		date, err = time.Parse(time.DateOnly, *dateS)
		ok = ok && err == nil
	case *dateS == "" && *fromS != "" && *toS != "":
		var err2 error
		from, err = eligibility.ParseMonth(*fromS)
		to, err2 = eligibility.ParseMonth(*toS)
		ok = ok && err == nil && err2 == nil
	default:
		ok = false
	}
	known := append(slices.Clone(impact.Reports), impact.QuotaReports...)
	if *format == "csv" && !slices.Contains(known, *report) {
		fmt.Fprintf(stderr, "hotro diff: no report %q: want one of %s\n", *report, strings.Join(known, ", "))
		ok = false
	}
	if *format == "csv" && slices.Contains(impact.QuotaReports, *report) && *unitsPath == "" {
		fmt.Fprintf(stderr, "hotro diff: report %q needs --units\n", *report)
		ok = false
	}
	if !ok {
		problem := firstOf(onePath(pos), required("--new", *newDir), formatOK(*format, "text", "csv", "json", "xlsx"))
		switch {
		case problem != "":
		case *dateS != "" && (*fromS != "" || *toS != ""):
			problem = tr("give --date or --from and --to, not both", "chỉ cho --date hoặc --from và --to, không cho cả hai")
		case *dateS != "":
			_, problem = dateArg("--date", *dateS)
		case *fromS != "" || *toS != "":
			_, p1 := monthArg("--from", *fromS)
			_, p2 := monthArg("--to", *toS)
			problem = firstOf(p1, p2)
		default:
			problem = tr("give --date, or --from and --to", "thiếu --date, hoặc --from và --to")
		}
		if problem == "" {
			problem = tr("see the report named above", "xem báo cáo nêu ở trên")
		}
		return usageError(stderr, "diff", problem, strings.TrimPrefix(diffUsage, "usage: "))
	}

	base, okBase := loadEngine(*baseDir, stderr)
	neu, okNew := loadEngine(*newDir, stderr)
	if !okBase || !okNew {
		return 1
	}
	if same(base, neu, date, from, to) {
		fmt.Fprintln(stderr, tr("hotro diff: nothing to compare: the rules of --new are the same as the base (the embedded rules unless --base is given); name the rules in force with --base",
			"hotro diff: không có gì để so sánh: bộ quy tắc --new giống hệt bộ quy tắc gốc (bộ có sẵn nếu không cho --base); hãy cho bộ quy tắc đang áp dụng bằng --base"))
		return 2
	}
	readDate := date
	if readDate.IsZero() {
		readDate = from.First()
	}
	change := impact.Change{Base: base, New: neu}
	if *unitsPath == "" && (*format == "text" || *format == "csv") && !dirOut(*out) && !isDir(*out) {
		return streamDiff(change, pos[0], readDate, date, from, to, *format == "csv" && *report == impact.ReportPersons, diffOutput{*format, *report, *out, *excel}, stdout, stderr)
	}
	recs, ok := readRecords(base, pos[0], readDate, stdin, stderr)
	if !ok {
		return 1
	}
	var units []allocation.UnitRecord
	if *unitsPath != "" {
		var warnings []string
		var v *allocation.Vocabulary
		if v, err = allocation.VocabularyAt(base.Library(), readDate); err == nil {
			units, warnings, err = allocation.ReadUnitsFile(*unitsPath, v)
		}
		for _, w := range warnings {
			fmt.Fprintf(stderr, "warning: %s: %s\n", *unitsPath, w)
		}
		if err != nil {
			fmt.Fprintf(stderr, "hotro: %v\n", err)
			return 1
		}
	}

	var r *impact.Report
	if date.IsZero() {
		r, err = change.Months(recs, from, to)
	} else {
		r, err = change.On(recs, date)
	}
	if err != nil {
		fmt.Fprintf(stderr, "hotro: %v\n", err)
		return 1
	}
	var q *impact.Quotas
	if units != nil {
		planDate := date
		if planDate.IsZero() {
			planDate = from.First()
		}
		if q, err = change.Quotas(planDate, units, recs); err != nil {
			printRuleErrors(fmt.Errorf("quotas: %w", err), stderr)
			return 1
		}
	}
	if *format == "xlsx" {
		if err := diffWorkbook(r, q, neu, readDate, *out, stdout); err != nil {
			fmt.Fprintf(stderr, "hotro: %v\n", err)
			return 1
		}
	} else if !writeDiff(r, q, *format, *report, *out, *excel, stdout, stderr) {
		return 1
	}

	status := diffSummary(r, len(recs), len(r.Persons), stderr)
	if q != nil {
		qs := q.Summary()
		fmt.Fprintf(stderr, "%d units in (%d in error); obligations %d → %d; quotas unmet %d → %d; province remainder %d → %d\n",
			len(units), qs.UnitErrors, qs.Obligations.Base, qs.Obligations.New, qs.Unmet.Base, qs.Unmet.New, qs.Remainder.Base, qs.Remainder.New)
		if qs.UnitErrors > 0 {
			status = 1
		}
	}
	return status
}

// diffSummary prints the draft warnings and the summary line of a
// comparison on stderr, and returns the exit status: 1 when records are in
// error.
func diffSummary(r *impact.Report, in, out int, stderr io.Writer) int {
	for _, sets := range [][]impact.RuleSet{r.Base, r.New} {
		for _, s := range sets {
			if s.Draft {
				fmt.Fprintf(stderr, "warning: rule set %s is a draft, not enacted law\n", s.ID)
			}
		}
	}
	s := r.Summary()
	fmt.Fprintf(stderr, "%d records in, %d rows out (%d in error); %d gain eligibility, %d lose it; beneficiaries %d → %d; top-ups %s → %s đ (%s)\n",
		in, out, s.Errors, s.Gained, s.Lost, s.Beneficiaries.Base, s.Beneficiaries.New,
		s.Base.StringFixed(0), s.New.StringFixed(0), signed(s.Delta.StringFixed(0)))
	if s.Errors > 0 {
		return 1
	}
	return 0
}

// diffOutput is what diff writes: --format, --report, --out, --excel.
type diffOutput struct {
	format, report, out string
	excel               bool
}

// streamDiff compares the persons file as it is read, a chunk at a time
// (impact.Change.StreamOn, StreamMonths), for the outputs that do not need
// every person at the end: the summary, a CSV report of totals, or the
// persons report, written a row at a time as the persons are compared.
// Memory is then bounded by the chunk, not the file. The JSON, a workbook,
// a directory of reports and a comparison of plans (--units) hold every
// person, as before.
func streamDiff(change impact.Change, path string, readDate, date time.Time, from, to eligibility.Month, rows bool, o diffOutput, stdout, stderr io.Writer) int {
	p, err := openPersons(context.Background(), change.Base, path, readDate, stdin)
	if err != nil {
		fmt.Fprintf(stderr, "hotro: %v\n", readerMsg(err.Error()))
		return 1
	}
	defer p.close()
	var emit func(*impact.Report, *impact.Person) error
	lo := &lazyOutput{path: o.out, stdout: stdout}
	var cw *csv.Writer
	var pw *impact.PersonsWriter
	start := func(r *impact.Report) {
		if pw == nil {
			cw = csv.NewWriter(bomWriter(lo, o.excel))
			pw = r.PersonsCSV(cw)
		}
	}
	if rows {
		emit = func(r *impact.Report, person *impact.Person) error {
			start(r)
			pw.Write(person)
			return cw.Error()
		}
	}
	var r *impact.Report
	if date.IsZero() {
		r, err = change.StreamMonths(context.Background(), p.src, from, to, emit)
	} else {
		r, err = change.StreamOn(context.Background(), p.src, date, emit)
	}
	p.printWarnings(stderr)
	if err != nil {
		lo.Close()
		fmt.Fprintf(stderr, "hotro: %v\n", readerMsg(err.Error()))
		return 1
	}
	if rows {
		start(r)
		cw.Flush()
		err = cw.Error()
		if cerr := lo.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			fmt.Fprintf(stderr, "hotro: %v\n", err)
			return 1
		}
	} else if !writeDiff(r, nil, o.format, o.report, o.out, o.excel, stdout, stderr) {
		return 1
	}
	n := r.Summary().Records
	return diffSummary(r, n, n, stderr)
}

func signed(s string) string {
	if !strings.HasPrefix(s, "-") && s != "0" {
		return "+" + s
	}
	return s
}

// writeDiff writes the summary, one CSV report or the JSON to --out (or
// stdout); with an existing directory as --out, the summary.txt, every CSV
// report or diff.json into it.
func writeDiff(r *impact.Report, q *impact.Quotas, format, report, out string, excel bool, stdout, stderr io.Writer) bool {
	text := func(w io.Writer) error {
		if err := r.WriteText(w); err != nil || q == nil {
			return err
		}
		return q.WriteText(w)
	}
	csvOf := func(name string) func(io.Writer) error {
		return func(w io.Writer) error {
			w = bomWriter(w, excel)
			if slices.Contains(impact.QuotaReports, name) {
				return q.WriteCSV(w, name)
			}
			return r.WriteCSV(w, name)
		}
	}
	jsonOf := func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", " ")
		return enc.Encode(struct {
			Report *impact.Report `json:"report"`
			Quotas *impact.Quotas `json:"quotas,omitempty"`
		}{r, q})
	}
	var jobs []job
	if dirOut(out) {
		if err := os.MkdirAll(out, 0o755); err != nil {
			fmt.Fprintf(stderr, "hotro: %v\n", err)
			return false
		}
	}
	switch {
	case isDir(out) && format == "json":
		jobs = append(jobs, job{filepath.Join(out, "diff.json"), jsonOf})
	case isDir(out) && format == "csv":
		names := slices.Clone(impact.Reports)
		if q != nil {
			names = append(names, impact.QuotaReports...)
		}
		for _, n := range names {
			file := n
			if slices.Contains(impact.QuotaReports, n) {
				file = "quota_" + n
			}
			jobs = append(jobs, job{filepath.Join(out, file+".csv"), csvOf(n)})
		}
		jobs = append(jobs, job{filepath.Join(out, "summary.txt"), text})
	case isDir(out):
		jobs = append(jobs, job{filepath.Join(out, "summary.txt"), text})
	case format == "json":
		jobs = append(jobs, job{out, jsonOf})
	case format == "csv":
		jobs = append(jobs, job{out, csvOf(report)})
	default:
		jobs = append(jobs, job{out, text})
	}
	return writeAll(jobs, stdout, stderr)
}

// same reports whether the two engines apply the same rule set (by hash)
// on date, or in every month from to to: then there is nothing to compare.
func same(a, b *eligibility.Engine, date time.Time, from, to eligibility.Month) bool {
	days := []time.Time{date}
	if date.IsZero() {
		days = nil
		for m := from; !to.First().Before(m.First()); m = m.Next() {
			days = append(days, m.First())
		}
	}
	for _, d := range days {
		as, err1 := a.Library().For(d)
		bs, err2 := b.Library().For(d)
		if err1 != nil || err2 != nil || as.Hash != bs.Hash {
			return false
		}
	}
	return len(days) > 0
}

// diffSheets are the Vietnamese names of diff's reports.
var diffSheets = map[string]string{
	impact.ReportPersons:   "Từng người",
	impact.ReportMonths:    "Theo tháng",
	impact.ReportYears:     "Theo năm",
	impact.ReportCommunes:  "Theo xã",
	impact.ReportDistricts: "Theo huyện",
	impact.ReportProvinces: "Theo tỉnh",
	impact.ReportRules:     "Theo quy tắc",
}

// diffWorkbook writes every report of diff as a sheet, then the summary.
func diffWorkbook(r *impact.Report, q *impact.Quotas, neu *eligibility.Engine, date time.Time, out string, stdout io.Writer) error {
	wb, err := sheet.NewXLSX(metaOf(neu.Library(), date, [2]string{"So với", strings.Join(setIDs(r.Base), ", ")}))
	if err != nil {
		return err
	}
	add := func(name, title, total string, write func(io.Writer) error) error {
		_, err := csvSheet(wb, name, title, total, write)
		return err
	}
	for _, n := range impact.Reports {
		total := ""
		if n == impact.ReportPersons || n == impact.ReportMonths {
			total = "Tổng cộng"
		}
		if err := add(diffSheets[n], "Tác động của thay đổi quy tắc: "+strings.ToLower(diffSheets[n]), total, func(w io.Writer) error { return r.WriteCSV(w, n) }); err != nil {
			wb.Close()
			return err
		}
	}
	if q != nil {
		for _, n := range impact.QuotaReports {
			name := map[string]string{impact.ReportUnits: "Định mức đơn vị", impact.ReportAreas: "Định mức địa bàn"}[n]
			if err := add(name, "Tác động lên định mức nhận đỡ đầu: "+strings.ToLower(name), "", func(w io.Writer) error { return q.WriteCSV(w, n) }); err != nil {
				wb.Close()
				return err
			}
		}
	}
	s := r.Summary()
	figs := []figure{{"Số người đọc vào", len(r.Persons)}, {"Số hồ sơ lỗi", s.Errors}, {"Số người được thêm", s.Gained}, {"Số người mất quyền hưởng", s.Lost},
		{"Số đối tượng theo quy tắc hiện hành", s.Beneficiaries.Base}, {"Số đối tượng theo quy tắc đề xuất", s.Beneficiaries.New},
		{"Tổng hỗ trợ theo quy tắc hiện hành (đồng)", s.Base}, {"Tổng hỗ trợ theo quy tắc đề xuất (đồng)", s.New}, {"Chênh lệch (đồng)", s.Delta}}
	if err := summarySheet(wb, "Tác động của thay đổi quy tắc: tổng hợp", figs); err != nil {
		wb.Close()
		return err
	}
	return writeWorkbook(wb, out, "tac-dong.xlsx", stdout)
}

func setIDs(sets []impact.RuleSet) []string {
	var ids []string
	for _, s := range sets {
		ids = append(ids, s.ID)
	}
	return ids
}
