package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hotro-vn/hotro/allocation"
	"github.com/hotro-vn/hotro/eligibility"
	"github.com/hotro-vn/hotro/sheet"
	"github.com/hotro-vn/hotro/vnd"
	"github.com/shopspring/decimal"
)

func init() {
	commands["quota"] = command{"what each sponsoring unit owes under the quota rules (plan III.1)", cmdQuota}
	commands["allocate"] = command{"plan who sponsors whom, level by level, and check every quota", cmdAllocate}
	commands["monitor"] = command{"commitments against the top-up due, month by month, and the payments", cmdMonitor}
	commands["reconcile"] = command{"payments made against the top-up due and the pledges: unpaid, arrears, overpaid, funds by source", cmdReconcile}
}

// planFlags are the flags quota and allocate share.
type planFlags struct {
	date                  time.Time
	rules, units, persons string
	format, report, out   string
	excel                 bool
	progress              bool // --progress (monitor's streamed reports)
	engine                *eligibility.Engine
	planner               *allocation.Planner
	vocab                 *allocation.Vocabulary
	unitRecs              []allocation.UnitRecord
	personRecs            []eligibility.Record
	previous              string // allocate --previous: last month's plan (replan.go)
	// lazyPersons: load leaves the persons to be read by the command
	// (monitor reads them again month by month, monitor_stream.go).
	lazyPersons bool
}

// setup parses the flags of quota and allocate, loads the rules and reads
// the files. It returns an exit status >= 0 when the command must stop.
func setup(name, defReport string, args []string, stderr io.Writer) (*planFlags, int) {
	fs := flags(name, stderr)
	dateS := fs.String("date", "", "plan date YYYY-MM-DD (required): the rule set in force and the top-ups of that day")
	pf := &planFlags{}
	fs.StringVar(&pf.rules, "rules", "", "rule set directory (default: the embedded rules)")
	fs.StringVar(&pf.units, "units", "", "units file, .csv or .json (required; see docs/records.md)")
	fs.StringVar(&pf.persons, "persons", "", "persons file, .csv or .json (required; docs/policy.md §10)")
	outFlags(fs, pf, defReport, append(allocation.Reports, allocation.ReportQuotas))
	if name == "allocate" {
		previousFlag(fs, pf)
	}
	pos, code := parse(fs, args)
	if code >= 0 {
		return nil, code
	}
	var problem string
	pf.date, problem = dateArg("--date", *dateS)
	if problem = firstOf(problem, required("--units", pf.units), required("--persons", pf.persons), noPath(pos), formatOK(pf.format, "csv", "json", "xlsx")); problem != "" {
		return nil, usageError(stderr, name, problem, "hotro "+name+" --date YYYY-MM-DD --units FILE --persons FILE [--rules DIR] [--format csv|json|xlsx] [--excel] [--report NAME] [--out PATH]")
	}
	if !load(pf, stderr) {
		return nil, 1
	}
	return pf, -1
}

// outFlags are the output flags of the multi-report commands.
func outFlags(fs *flag.FlagSet, pf *planFlags, defReport string, names []string) {
	fs.StringVar(&pf.format, "format", "csv", tr("csv, json or xlsx (every report a sheet of one workbook, with a summary)", "csv, json hoặc xlsx (mỗi báo cáo một trang của một tệp Excel, kèm trang tổng hợp)"))
	fs.BoolVar(&pf.excel, "excel", false, tr("start every CSV with a UTF-8 BOM, for Excel on Windows", "thêm BOM UTF-8 vào đầu mỗi tệp CSV, cho Excel trên Windows"))
	fs.StringVar(&pf.report, "report", defReport, tr("the CSV report to write: ", "báo cáo CSV cần ghi: ")+strings.Join(names, ", "))
	fs.StringVar(&pf.out, "out", "", tr("write to this file; a directory (existing, or a path ending in /, created) gets every report (default: stdout)",
		"ghi vào tệp này; một thư mục (đã có, hoặc đường dẫn kết thúc bằng /, sẽ được tạo) nhận mọi báo cáo (mặc định: đầu ra chuẩn)"))
}

// load loads the engine and planner and reads the units and persons files.
func load(pf *planFlags, stderr io.Writer) bool {
	e, ok := loadEngine(pf.rules, stderr)
	if !ok {
		return false
	}
	p, err := allocation.New(e.Library())
	if err != nil {
		printRuleErrors(err, stderr)
		return false
	}
	pf.engine, pf.planner = e, p
	if pf.vocab, err = p.Vocabulary(pf.date); err != nil {
		fmt.Fprintf(stderr, "hotro: %v\n", err)
		return false
	}
	if pf.units != "" {
		recs, warnings, err := allocation.ReadUnitsFile(pf.units, pf.vocab)
		for _, w := range warnings {
			fmt.Fprintf(stderr, tr("warning: %s: %s\n", "cảnh báo: %s: %s\n"), pf.units, readerMsg(w))
		}
		if err != nil {
			fmt.Fprintf(stderr, "hotro: %v\n", readerMsg(err.Error()))
			return false
		}
		pf.unitRecs = recs
	}
	if pf.lazyPersons {
		return true
	}
	recs, ok := readRecords(pf.engine, pf.persons, pf.date, stdin, stderr)
	if !ok {
		return false
	}
	pf.personRecs = recs
	return true
}

// isDir reports whether path names an existing directory.
func isDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}

// dirOut reports whether --out names a directory: an existing one, or a
// path ending in a slash (created when missing).
func dirOut(out string) bool {
	return out != "" && out != "-" && (isDir(out) || strings.HasSuffix(out, "/") || strings.HasSuffix(out, string(filepath.Separator)))
}

// reports is what a multi-report command writes.
type reports struct {
	format, out, one string
	excel            bool
	jsonName         string   // file name of the JSON in a directory
	names            []string // the CSV reports
	csvOf            func(io.Writer, string) error
	jsonOf           func(io.Writer) error
	// For --format xlsx: the workbook's file name in a directory, the
	// provenance, the title and the key figures of the summary sheet.
	book   string
	meta   *sheet.Meta
	title  string
	totals map[string]bool // reports whose sheet ends with a total row
	figs   []figure
}

// write writes one report to --out (or stdout), or every report into the
// directory --out names (created when missing); with --format xlsx every
// report is a sheet of one workbook, followed by the summary.
func (r reports) write(stdout, stderr io.Writer) bool {
	if r.format == "xlsx" {
		if err := r.workbook(stdout); err != nil {
			fmt.Fprintf(stderr, "hotro: %v\n", err)
			return false
		}
		return true
	}
	var jobs []job
	csvJob := func(path, name string) job {
		return job{path, func(w io.Writer) error { return r.csvOf(bomWriter(w, r.excel), name) }}
	}
	switch {
	case dirOut(r.out):
		if err := os.MkdirAll(r.out, 0o755); err != nil {
			fmt.Fprintf(stderr, "hotro: %v\n", err)
			return false
		}
		if r.format == "json" {
			jobs = append(jobs, job{filepath.Join(r.out, r.jsonName), r.jsonOf})
			break
		}
		for _, n := range r.names {
			jobs = append(jobs, csvJob(filepath.Join(r.out, n+".csv"), n))
		}
	case r.format == "json":
		jobs = append(jobs, job{r.out, r.jsonOf})
	default:
		jobs = append(jobs, csvJob(r.out, r.one))
	}
	return writeAll(jobs, stdout, stderr)
}

// sheetNames are the Vietnamese names of the reports' sheets.
var sheetNames = map[string]string{
	allocation.ReportUnits:        "Đơn vị",
	allocation.ReportAreas:        "Địa bàn",
	allocation.ReportProvince:     "Danh sách tỉnh",
	allocation.ReportSponsorships: "Nhận đỡ đầu",
	allocation.ReportQuotas:       "Định mức",
	allocation.ReportMonths:       "Theo tháng",
	allocation.ReportPayments:     "Chi trả",
	allocation.ReportCommitments:  "Cam kết",
	allocation.ReportReceipts:     "Chứng từ",
	allocation.ReportPairs:        "Theo cặp",
	allocation.ReportTallies:      "Đối chiếu",
	allocation.ReportSources:      "Nguồn vận động",
}

func (r reports) workbook(stdout io.Writer) error {
	wb, err := sheet.NewXLSX(r.meta)
	if err != nil {
		return err
	}
	for _, n := range r.names {
		name := sheetNames[n]
		if name == "" {
			name = n
		}
		total := ""
		if r.totals[n] {
			total = "Tổng cộng"
		}
		if _, err := csvSheet(wb, name, r.title+": "+strings.ToLower(name), total, func(w io.Writer) error { return r.csvOf(w, n) }); err != nil {
			wb.Close()
			return err
		}
	}
	if err := summarySheet(wb, r.title+": tổng hợp", r.figs); err != nil {
		wb.Close()
		return err
	}
	return writeWorkbook(wb, r.out, r.book, stdout)
}

func cmdQuota(args []string, stdout, stderr io.Writer) int {
	pf, code := setup("quota", allocation.ReportQuotas, args, stderr)
	if code >= 0 {
		return code
	}
	plan, err := pf.planner.PlanRecords(pf.engine, pf.date, pf.unitRecs, pf.personRecs, false)
	if err != nil {
		fmt.Fprintf(stderr, "hotro: %v\n", err)
		return 1
	}
	owed, silent := 0, 0
	for _, u := range plan.Units {
		if u.Error == "" && (u.Group == "" || u.Group == u.ID) {
			owed += u.Obligation
		}
		if u.PolicySilent {
			silent++
		}
	}
	figs := append(planFigures(plan, pf), figure{"Số đối tượng các đơn vị phải nhận đỡ đầu", owed}, figure{"Số đơn vị theo quy tắc chính sách chưa quy định", silent})
	r := pf.reports("quotas.json", "dinh-muc.xlsx", "Định mức nhận đỡ đầu ngày "+vnd.Date(pf.date), []string{allocation.ReportQuotas, allocation.ReportAreas}, plan.WriteCSV, plan.WriteJSON, figs)
	if !r.write(stdout, stderr) {
		return 1
	}
	return summarise(plan, pf, stderr, fmt.Sprintf(tr("obligations %d persons (%d units under a policy_silent rule)", "phải nhận đỡ đầu %d người (%d đơn vị theo quy tắc chính sách chưa quy định)"), owed, silent))
}

func cmdAllocate(args []string, stdout, stderr io.Writer) int {
	pf, code := setup("allocate", allocation.ReportUnits, args, stderr)
	if code >= 0 {
		return code
	}
	plan, err := pf.allocate()
	if err != nil {
		fmt.Fprintf(stderr, "hotro: %v\n", err)
		return 1
	}
	s := plan.Summary()
	var levels []string
	for _, l := range plan.Levels {
		levels = append(levels, fmt.Sprintf("%s %d", l, s.ByLevel[l]))
	}
	short := 0
	for _, a := range plan.Areas {
		if a.Level != plan.Levels[len(plan.Levels)-1] && len(a.Failed) > 0 {
			short++
		}
	}
	bound, boundVI := "", ""
	if b := plan.Bound; b != nil {
		bound = fmt.Sprintf("; no plan leaves fewer than %d uncovered (gap %d)", b.Uncovered, b.Gap)
		boundVI = fmt.Sprintf("; không kế hoạch nào để lại ít hơn %d đối tượng chưa có người nhận (chênh %d)", b.Uncovered, b.Gap)
	}
	figs := append(planFigures(plan, pf),
		figure{"Số đối tượng", s.Beneficiaries}, figure{"Do một bên nhận đỡ đầu", s.Alone}, figure{"Do nhiều bên cùng nhận đỡ đầu", s.Shared},
		figure{"Chưa có người nhận đỡ đầu", s.Uncovered}, figure{"Số địa bàn chưa đạt tỷ lệ địa phương nhận", short},
		figure{"Số định mức chưa đạt", s.QuotasUnmet}, figure{"Tổng tiền hằng tháng (đồng)", s.Monthly})
	for _, l := range plan.Levels {
		figs = append(figs, figure{"Nhận đỡ đầu ở cấp " + l, s.ByLevel[l]})
	}
	r := pf.reports("plan.json", "ke-hoach.xlsx", "Kế hoạch nhận đỡ đầu ngày "+vnd.Date(pf.date), allocation.Reports, plan.WriteCSV, plan.WriteJSON, figs)
	r.totals = map[string]bool{allocation.ReportSponsorships: true, allocation.ReportProvince: true}
	if !r.write(stdout, stderr) {
		return 1
	}
	if lang == "vi" {
		return summarise(plan, pf, stderr, fmt.Sprintf("%d đối tượng: %d do một bên nhận đỡ đầu, %d do nhiều bên, %d chưa có người nhận; theo cấp %s; %d địa bàn dưới tỷ lệ địa phương; %d định mức chưa đạt; hằng tháng %s%s",
			s.Beneficiaries, s.Alone, s.Shared, s.Uncovered, strings.Join(levels, ", "), short, s.QuotasUnmet, vnd.Format(s.Monthly), boundVI))
	}
	return summarise(plan, pf, stderr, fmt.Sprintf("%d beneficiaries: %d sponsored alone, %d shared, %d uncovered; by level %s; %d areas below the local share; %d quotas unmet; monthly %s đ%s",
		s.Beneficiaries, s.Alone, s.Shared, s.Uncovered, strings.Join(levels, ", "), short, s.QuotasUnmet, s.Monthly.StringFixed(0), bound))
}

// planFigures are the counts of records in and out of a plan.
func planFigures(plan *allocation.Plan, pf *planFlags) []figure {
	unitErr, personErr := 0, 0
	for _, u := range plan.Units {
		if u.Error != "" {
			unitErr++
		}
	}
	for _, s := range plan.Sponsorships {
		if s.Error != "" {
			personErr++
		}
	}
	return []figure{{"Số đơn vị đọc vào", len(pf.unitRecs)}, {"Số đơn vị lỗi", unitErr}, {"Số người đọc vào", len(pf.personRecs)}, {"Số người lỗi", personErr}}
}

// reports is what a plan command writes.
func (pf *planFlags) reports(jsonName, book, title string, names []string, csvOf func(io.Writer, string) error, jsonOf func(io.Writer) error, figs []figure) reports {
	return reports{format: pf.format, out: pf.out, one: pf.report, excel: pf.excel, jsonName: jsonName, names: names, csvOf: csvOf, jsonOf: jsonOf,
		book: book, meta: metaOf(pf.engine.Library(), pf.date, [2]string{"Ngày", vnd.Date(pf.date)}), title: title, figs: figs}
}

// summarise prints the counts of records in and out and the exit status:
// 1 when some record is in error.
func summarise(plan *allocation.Plan, pf *planFlags, stderr io.Writer, what string) int {
	unitErr, personErr := 0, 0
	for _, u := range plan.Units {
		if u.Error != "" {
			unitErr++
		}
	}
	for _, s := range plan.Sponsorships {
		if s.Error != "" {
			personErr++
		}
	}
	if plan.Draft {
		fmt.Fprintf(stderr, tr("warning: rule set %s is a draft, not enacted law\n", "cảnh báo: bộ quy tắc %s là dự thảo, chưa được ban hành\n"), plan.RuleSet)
	}
	fmt.Fprintf(stderr, tr("%d units in, %d out (%d in error); %d persons in, %d out (%d in error); %s\n", "%d đơn vị vào, %d ra (%d lỗi); %d người vào, %d ra (%d lỗi); %s\n"),
		len(pf.unitRecs), len(plan.Units), unitErr, len(pf.personRecs), len(plan.Sponsorships), personErr, what)
	if unitErr+personErr > 0 {
		return 1
	}
	return 0
}

func cmdMonitor(args []string, stdout, stderr io.Writer) int {
	fs := flags("monitor", stderr)
	fromS := fs.String("from", "", "first month YYYY-MM (required)")
	toS := fs.String("to", "", "last month YYYY-MM (required)")
	pf := &planFlags{}
	fs.StringVar(&pf.rules, "rules", "", "rule set directory (default: the embedded rules)")
	commits := fs.String("commitments", "", "commitments file, .csv or .json (required; see docs/records.md)")
	fs.StringVar(&pf.persons, "persons", "", "persons file, .csv or .json (required)")
	fs.StringVar(&pf.units, "units", "", "units file: when given, every sponsor must be one of its units")
	outFlags(fs, pf, allocation.ReportMonths, allocation.MonitorReports)
	showProgress := progressFlag(fs)
	pos, code := parse(fs, args)
	if code >= 0 {
		return code
	}
	pf.progress = *showProgress
	from, p1 := monthArg("--from", *fromS)
	to, p2 := monthArg("--to", *toS)
	if problem := firstOf(p1, p2, required("--commitments", *commits), required("--persons", pf.persons), noPath(pos), formatOK(pf.format, "csv", "json", "xlsx")); problem != "" {
		return usageError(stderr, "monitor", problem, "hotro monitor --from YYYY-MM --to YYYY-MM --commitments FILE --persons FILE [--units FILE] [--rules DIR] [--format csv|json|xlsx] [--excel] [--report NAME] [--out PATH]")
	}
	pf.date = from.First()
	pf.lazyPersons = streamsMonitor(pf)
	if !load(pf, stderr) {
		return 1
	}
	if streamsMonitor(pf) {
		// Written as the months are decided: the commitments are read into a book.
		book, warnings, err := allocation.ReadCommitmentBookFile(*commits, pf.vocab, pf.unitRecs)
		for _, w := range warnings {
			fmt.Fprintf(stderr, "warning: %s: %s\n", *commits, w)
		}
		if err != nil {
			fmt.Fprintf(stderr, "hotro: %v\n", err)
			return 1
		}
		return streamMonitor(pf, book, from, to, stdout, stderr)
	}
	crecs, warnings, err := allocation.ReadCommitmentsFile(*commits, pf.vocab)
	for _, w := range warnings {
		fmt.Fprintf(stderr, "warning: %s: %s\n", *commits, w)
	}
	if err != nil {
		fmt.Fprintf(stderr, "hotro: %v\n", err)
		return 1
	}
	m, err := allocation.Monitor(pf.engine, pf.personRecs, crecs, pf.unitRecs, from, to)
	if err != nil {
		fmt.Fprintf(stderr, "hotro: %v\n", err)
		return 1
	}
	bad, flagged := commitmentCounts(m)
	short := newShortfalls()
	short.add(m.Months)
	figs := []figure{{"Số cam kết đọc vào", len(crecs)}, {"Số cam kết lỗi", bad}, {"Số cam kết cần lưu ý", flagged},
		{"Số người-tháng", len(m.Months)}, {"Số người-tháng thiếu", short.months}, {"Số người bị thiếu", len(short.persons)},
		{"Tổng số tiền còn thiếu (đồng)", short.sum}, {"Số khoản chi trả", len(m.Payments)}}
	pf.date = from.First()
	r := pf.reports("monitor.json", "theo-doi.xlsx", fmt.Sprintf("Theo dõi cam kết từ tháng %s đến tháng %s", from, to), allocation.MonitorReports, m.WriteCSV, m.WriteJSON, figs)
	r.totals = map[string]bool{allocation.ReportPayments: false}
	if !r.write(stdout, stderr) {
		return 1
	}
	return monitorDone(stderr, len(crecs), m, from, to, len(m.Months), short, len(m.Payments), inError(pf.personRecs))
}

func cmdReconcile(args []string, stdout, stderr io.Writer) int {
	fs := flags("reconcile", stderr)
	fromS := fs.String("from", "", "first month YYYY-MM (required)")
	toS := fs.String("to", "", "last month YYYY-MM (required)")
	pf := &planFlags{}
	fs.StringVar(&pf.rules, "rules", "", "rule set directory (default: the embedded rules)")
	commits := fs.String("commitments", "", "commitments file, .csv or .json (required)")
	payments := fs.String("payments", "", "payments file, .csv or .json (required; see docs/records.md)")
	fs.StringVar(&pf.persons, "persons", "", "persons file, .csv or .json (required)")
	fs.StringVar(&pf.units, "units", "", "units file (required: the payers' sources of mobilisation)")
	outFlags(fs, pf, allocation.ReportTallies, allocation.ReconcileReports)
	pos, code := parse(fs, args)
	if code >= 0 {
		return code
	}
	from, p1 := monthArg("--from", *fromS)
	to, p2 := monthArg("--to", *toS)
	if problem := firstOf(p1, p2, required("--commitments", *commits), required("--payments", *payments), required("--units", pf.units), required("--persons", pf.persons), noPath(pos), formatOK(pf.format, "csv", "json", "xlsx")); problem != "" {
		return usageError(stderr, "reconcile", problem, "hotro reconcile --from YYYY-MM --to YYYY-MM --commitments FILE --payments FILE --persons FILE --units FILE [--rules DIR] [--format csv|json|xlsx] [--excel] [--report NAME] [--out PATH]")
	}
	pf.date = from.First()
	if !load(pf, stderr) {
		return 1
	}
	crecs, warnings, err := allocation.ReadCommitmentsFile(*commits, pf.vocab)
	for _, w := range warnings {
		fmt.Fprintf(stderr, "warning: %s: %s\n", *commits, w)
	}
	if err != nil {
		fmt.Fprintf(stderr, "hotro: %v\n", err)
		return 1
	}
	precs, warnings, err := allocation.ReadPaymentsFile(*payments, pf.vocab)
	for _, w := range warnings {
		fmt.Fprintf(stderr, "warning: %s: %s\n", *payments, w)
	}
	if err != nil {
		fmt.Fprintf(stderr, "hotro: %v\n", err)
		return 1
	}
	m, err := allocation.Monitor(pf.engine, pf.personRecs, crecs, pf.unitRecs, from, to)
	if err != nil {
		fmt.Fprintf(stderr, "hotro: %v\n", err)
		return 1
	}
	rc := allocation.Reconcile(m, pf.personRecs, pf.unitRecs, precs)
	bad := 0
	for _, p := range rc.Payments {
		if p.Error != "" {
			bad++
		}
	}
	var due, paid, unpaid, arrears, over, short = decimal.Zero, decimal.Zero, decimal.Zero, decimal.Zero, decimal.Zero, decimal.Zero
	for _, t := range rc.Tallies {
		if t.Level == "province" {
			due, paid, unpaid, short = due.Add(t.Due), paid.Add(t.Paid), unpaid.Add(t.Unpaid), short.Add(t.Short)
			if t.Month == to {
				arrears, over = t.Arrears, t.Overpaid
			}
		}
	}
	figs := []figure{{"Số khoản chi đọc vào", len(precs)}, {"Số khoản chi lỗi", bad}, {"Phải hỗ trợ (đồng)", due}, {"Đã chi (đồng)", paid},
		{"Cam kết chưa chi (đồng)", unpaid}, {"Thiếu so với mức hỗ trợ (đồng)", short}, {"Nợ đọng tháng " + to.String() + " (đồng)", arrears}, {"Chi thừa tháng " + to.String() + " (đồng)", over}}
	r := pf.reports("reconcile.json", "doi-chieu.xlsx", fmt.Sprintf("Đối chiếu chi trả từ tháng %s đến tháng %s", from, to), allocation.ReconcileReports, rc.WriteCSV, rc.WriteJSON, figs)
	if !r.write(stdout, stderr) {
		return 1
	}
	fmt.Fprintf(stderr, tr("%d payments in, %d out (%d in error); %s to %s: due %s đ, paid %s đ, pledges unpaid %s đ, short of the top-up %s đ; at %s arrears %s đ, overpaid %s đ\n",
		"%d khoản chi vào, %d ra (%d lỗi); %s đến %s: phải hỗ trợ %s đ, đã chi %s đ, cam kết chưa chi %s đ, thiếu so với mức hỗ trợ %s đ; tại %s nợ đọng %s đ, chi thừa %s đ\n"),
		len(precs), len(rc.Payments), bad, from, to, money(due), money(paid), money(unpaid), money(short), to, money(arrears), money(over))
	if bad > 0 {
		return 1
	}
	return 0
}

// money writes đồng for staff: 1.500.000.
func money(d decimal.Decimal) string {
	s := d.StringFixed(0)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
