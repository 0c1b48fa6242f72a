package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hotro-vn/hotro/allocation"
	"github.com/hotro-vn/hotro/eligibility"
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
	engine                *eligibility.Engine
	planner               *allocation.Planner
	vocab                 *allocation.Vocabulary
	unitRecs              []allocation.UnitRecord
	personRecs            []eligibility.Record
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
	fs.StringVar(&pf.format, "format", "csv", "csv or json")
	fs.StringVar(&pf.report, "report", defReport, "the CSV report to write: "+strings.Join(append(allocation.Reports, allocation.ReportQuotas), ", "))
	fs.StringVar(&pf.out, "out", "", "write to this file, or with an existing directory every report into it (default: stdout)")
	pos, code := parse(fs, args)
	if code >= 0 {
		return nil, code
	}
	var err error
	pf.date, err = time.Parse(time.DateOnly, *dateS)
	if err != nil || len(pos) != 0 || pf.units == "" || pf.persons == "" || (pf.format != "csv" && pf.format != "json") {
		fmt.Fprintf(stderr, "usage: hotro %s --date YYYY-MM-DD --units FILE --persons FILE [--rules DIR] [--format csv|json] [--report NAME] [--out PATH]\n", name)
		return nil, 2
	}
	if !load(pf, stderr) {
		return nil, 1
	}
	return pf, -1
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
			fmt.Fprintf(stderr, "warning: %s: %s\n", pf.units, w)
		}
		if err != nil {
			fmt.Fprintf(stderr, "hotro: %v\n", err)
			return false
		}
		pf.unitRecs = recs
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

// write writes one report to --out (or stdout), or every report into the
// directory --out names.
func write(out, format, jsonName string, reports []string, stdout io.Writer, one string, csvOf func(io.Writer, string) error, jsonOf func(io.Writer) error, stderr io.Writer) bool {
	var jobs []job
	switch {
	case isDir(out) && format == "json":
		jobs = append(jobs, job{filepath.Join(out, jsonName), jsonOf})
	case isDir(out):
		for _, r := range reports {
			jobs = append(jobs, job{filepath.Join(out, r+".csv"), func(w io.Writer) error { return csvOf(w, r) }})
		}
	case format == "json":
		jobs = append(jobs, job{out, jsonOf})
	default:
		jobs = append(jobs, job{out, func(w io.Writer) error { return csvOf(w, one) }})
	}
	return writeAll(jobs, stdout, stderr)
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
	if !write(pf.out, pf.format, "quotas.json", []string{allocation.ReportQuotas, allocation.ReportAreas}, stdout, pf.report, plan.WriteCSV, plan.WriteJSON, stderr) {
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
	return summarise(plan, pf, stderr, fmt.Sprintf("obligations %d persons (%d units under a policy_silent rule)", owed, silent))
}

func cmdAllocate(args []string, stdout, stderr io.Writer) int {
	pf, code := setup("allocate", allocation.ReportUnits, args, stderr)
	if code >= 0 {
		return code
	}
	plan, err := pf.planner.PlanRecords(pf.engine, pf.date, pf.unitRecs, pf.personRecs, true)
	if err != nil {
		fmt.Fprintf(stderr, "hotro: %v\n", err)
		return 1
	}
	if !write(pf.out, pf.format, "plan.json", allocation.Reports, stdout, pf.report, plan.WriteCSV, plan.WriteJSON, stderr) {
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
	bound := ""
	if b := plan.Bound; b != nil {
		bound = fmt.Sprintf("; no plan leaves fewer than %d uncovered (gap %d)", b.Uncovered, b.Gap)
	}
	return summarise(plan, pf, stderr, fmt.Sprintf("%d beneficiaries: %d sponsored alone, %d shared, %d uncovered; by level %s; %d areas below the local share; %d quotas unmet; monthly %s đ%s",
		s.Beneficiaries, s.Alone, s.Shared, s.Uncovered, strings.Join(levels, ", "), short, s.QuotasUnmet, s.Monthly.StringFixed(0), bound))
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
		fmt.Fprintf(stderr, "warning: rule set %s is a draft, not enacted law\n", plan.RuleSet)
	}
	fmt.Fprintf(stderr, "%d units in, %d out (%d in error); %d persons in, %d out (%d in error); %s\n",
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
	fs.StringVar(&pf.format, "format", "csv", "csv or json")
	fs.StringVar(&pf.report, "report", allocation.ReportMonths, "the CSV report to write: "+strings.Join(allocation.MonitorReports, ", "))
	fs.StringVar(&pf.out, "out", "", "write to this file, or with an existing directory every report into it (default: stdout)")
	pos, code := parse(fs, args)
	if code >= 0 {
		return code
	}
	from, err1 := eligibility.ParseMonth(*fromS)
	to, err2 := eligibility.ParseMonth(*toS)
	if err1 != nil || err2 != nil || len(pos) != 0 || *commits == "" || pf.persons == "" || (pf.format != "csv" && pf.format != "json") {
		fmt.Fprintln(stderr, "usage: hotro monitor --from YYYY-MM --to YYYY-MM --commitments FILE --persons FILE [--units FILE] [--rules DIR] [--format csv|json] [--report NAME] [--out PATH]")
		return 2
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
	m, err := allocation.Monitor(pf.engine, pf.personRecs, crecs, pf.unitRecs, from, to)
	if err != nil {
		fmt.Fprintf(stderr, "hotro: %v\n", err)
		return 1
	}
	if !write(pf.out, pf.format, "monitor.json", allocation.MonitorReports, stdout, pf.report, m.WriteCSV, m.WriteJSON, stderr) {
		return 1
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
	short, shortMonths, sum := map[string]bool{}, 0, decimal.Zero
	for _, r := range m.Months {
		if r.Shortfall.Sign() > 0 {
			short[r.PersonID] = true
			shortMonths++
			sum = sum.Add(r.Shortfall)
		}
	}
	fmt.Fprintf(stderr, "%d commitments in, %d out (%d in error, %d flagged); %s to %s: %d person-months, %d short (%d persons), shortfall %s đ; %d payments\n",
		len(crecs), len(m.Commitments), bad, flagged, from, to, len(m.Months), shortMonths, len(short), sum.StringFixed(0), len(m.Payments))
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
		return 1
	}
	return 0
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
	fs.StringVar(&pf.format, "format", "csv", "csv or json")
	fs.StringVar(&pf.report, "report", allocation.ReportTallies, "the CSV report to write: "+strings.Join(allocation.ReconcileReports, ", "))
	fs.StringVar(&pf.out, "out", "", "write to this file, or with an existing directory every report into it (default: stdout)")
	pos, code := parse(fs, args)
	if code >= 0 {
		return code
	}
	from, err1 := eligibility.ParseMonth(*fromS)
	to, err2 := eligibility.ParseMonth(*toS)
	if err1 != nil || err2 != nil || len(pos) != 0 || *commits == "" || *payments == "" || pf.units == "" || pf.persons == "" || (pf.format != "csv" && pf.format != "json") {
		fmt.Fprintln(stderr, "usage: hotro reconcile --from YYYY-MM --to YYYY-MM --commitments FILE --payments FILE --persons FILE --units FILE [--rules DIR] [--format csv|json] [--report NAME] [--out PATH]")
		return 2
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
	if !write(pf.out, pf.format, "reconcile.json", allocation.ReconcileReports, stdout, pf.report, rc.WriteCSV, rc.WriteJSON, stderr) {
		return 1
	}
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
	fmt.Fprintf(stderr, "%d payments in, %d out (%d in error); %s to %s: due %s đ, paid %s đ, pledges unpaid %s đ, short of the top-up %s đ; at %s arrears %s đ, overpaid %s đ\n",
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
