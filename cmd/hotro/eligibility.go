package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/hotro-vn/hotro/cmd/hotro/internal/preload"
	"github.com/hotro-vn/hotro/eligibility"
	"github.com/hotro-vn/hotro/rules"
	"github.com/hotro-vn/hotro/rulesets"
	"github.com/shopspring/decimal"
)

func init() {
	commands["check"] = command{"load and check a rule set; list its rules and their status", cmdCheck}
	commands["test"] = command{"run the test cases kept beside the rules", cmdTest}
	commands["eval"] = command{"decide eligibility and the monthly top-up for each person of a file", cmdEval}
	commands["schedule"] = command{"the top-up of each person month by month, with the parameters used", cmdSchedule}
}

// loadLibrary loads the rule sets of the policy named by --policy from
// dir, or the embedded ones when dir is empty (of the default policy when
// none is named).
func loadLibrary(dir string) (*rules.Library, error) {
	if dir == "" {
		p := policy
		if p == "" {
			p = rulesets.DefaultPolicy
		}
		return rules.LoadPolicy(rulesets.PolicyFS(p), ".", p) // only its rule sets are read
	}
	return rules.LoadDirPolicy(dir, policy)
}

// loadEngine loads the rule sets of dir, or the embedded ones when dir is
// empty, and prints every problem as file:line:col: message.
func loadEngine(dir string, stderr io.Writer) (*eligibility.Engine, bool) {
	lib, err := loadLibrary(dir)
	return newEngine(lib, err, stderr)
}

// loadEngineOn is loadEngine for a command that decides on date only: of
// the embedded rules it reads only the set in force on date (the one the
// whole policy would apply): half the rule loading of the default policy.
func loadEngineOn(dir string, date time.Time, stderr io.Writer) (*eligibility.Engine, bool) {
	if dir != "" {
		return loadEngine(dir, stderr)
	}
	p := policy
	if p == "" {
		p = rulesets.DefaultPolicy
	}
	lib, err, ok := preload.Take(p, date)
	if !ok {
		lib, err = rules.LoadPolicy(rulesets.PolicyOn(p, date), ".", p)
	}
	return newEngine(lib, err, stderr)
}

// newEngine builds the engine over a loaded library, printing the problems
// of either step.
func newEngine(lib *rules.Library, err error, stderr io.Writer) (*eligibility.Engine, bool) {
	var e *eligibility.Engine
	if err == nil {
		e, err = eligibility.New(lib)
	}
	if err != nil {
		printRuleErrors(err, stderr)
		return nil, false
	}
	return e, true
}

func printRuleErrors(err error, stderr io.Writer) {
	var list rules.Errors
	if errors.As(err, &list) {
		for _, e := range list {
			fmt.Fprintln(stderr, e.In(lang))
			if e.Snippet != "" {
				fmt.Fprintln(stderr, e.Snippet)
			}
		}
		fmt.Fprintf(stderr, tr("%d problem%s found\n", "tìm thấy %d lỗi%s\n"), len(list), tr(plural(len(list)), ""))
		return
	}
	fmt.Fprintln(stderr, err)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func cmdCheck(args []string, stdout, stderr io.Writer) int {
	fs := flags("check", stderr)
	quiet := fs.Bool("q", false, "print only problems and warnings")
	staleYears := fs.Int("stale-years", 5, "warn when a parameter's last value is older than this many years")
	todayS := fs.String("today", "", "the date staleness is measured from, YYYY-MM-DD (default: today)")
	pos, code := parse(fs, args)
	if code >= 0 {
		return code
	}
	dir := ""
	if len(pos) > 0 {
		dir = pos[0]
	}
	today := time.Now()
	if *todayS != "" {
		t, err := time.Parse(time.DateOnly, *todayS)
		if err != nil {
			fmt.Fprintln(stderr, "hotro check: --today wants YYYY-MM-DD")
			return 2
		}
		today = t
	}
	e, ok := loadEngine(dir, stderr)
	if !ok {
		return 1
	}
	warnings := e.Library().Warnings(rules.WarnOptions{Today: today, StaleYears: *staleYears})
	for _, w := range warnings {
		fmt.Fprintln(stderr, w.In(lang))
	}
	if *quiet {
		return 0
	}
	for _, s := range e.Library().Sets() {
		fmt.Fprintf(stdout, "%s  %s\n  %s to %s, status %s, hash %s\n", s.Meta.ID, s.Meta.Title,
			s.Meta.From.Format(time.DateOnly), s.Meta.To.Format(time.DateOnly), s.Meta.Status, s.ShortHash())
		for _, name := range s.Models() {
			m := s.Model(name)
			fmt.Fprintf(stdout, "  model %s: %d inputs, %d rules, %d formulas\n", name, len(m.Inputs), len(m.Rules), len(m.Formulas))
			for _, r := range m.Rules {
				fmt.Fprintf(stdout, "    rule %-28s %-14s %s\n", r.ID, r.Status, r.Cites)
			}
			for _, f := range m.Formulas {
				fmt.Fprintf(stdout, "    formula %-25s %-14s %s\n", f.Name, f.Status, strings.Join(strings.Fields(f.Expr), " "))
			}
		}
		for _, p := range s.Params {
			fmt.Fprintf(stdout, "    parameter %-23s %-14s %d value%s\n", p.Name, p.Status, len(p.Values), plural(len(p.Values)))
		}
		for _, in := range s.Meta.Interpretations {
			fmt.Fprintf(stdout, tr("    interpretation %s: %s\n", "    cách hiểu %s: %s\n"), in.ID, in.Text.In(lang))
		}
		fmt.Fprintf(stdout, "  %d test cases\n", len(s.Cases))
	}
	fmt.Fprintf(stdout, tr("ok (%d warning%s)\n", "đạt (%d cảnh báo%s)\n"), len(warnings), tr(plural(len(warnings)), ""))
	return 0
}

func cmdTest(args []string, stdout, stderr io.Writer) int {
	fs := flags("test", stderr)
	verbose := fs.Bool("v", false, "print every case, not only failures")
	coverage := fs.Bool("coverage", false, "report which rules the cases made pass and fail, and which parameter values they reached")
	minCoverage := fs.Int("min-coverage", -1, "fail unless both coverages reach this percentage (implies --coverage)")
	pos, code := parse(fs, args)
	if code >= 0 {
		return code
	}
	dir := ""
	if len(pos) > 0 {
		dir = pos[0]
	}
	e, ok := loadEngine(dir, stderr)
	if !ok {
		return 1
	}
	passed, failed := 0, 0
	results := e.Library().RunCases(e.Runners())
	for _, r := range results {
		if r.OK() {
			passed++
			if *verbose {
				fmt.Fprintf(stdout, "ok    %s: %s\n", r.Set.Meta.ID, r.Case.Name)
			}
			continue
		}
		failed++
		fmt.Fprintf(stdout, tr("FAIL  %s:%d: %s\n", "SAI   %s:%d: %s\n"), r.Case.Pos.File, r.Case.Pos.Line, r.Case.Name)
		for _, f := range r.Failures {
			fmt.Fprintf(stdout, "      %s\n", f)
		}
	}
	fmt.Fprintf(stdout, tr("%d passed, %d failed\n", "%d đạt, %d không đạt\n"), passed, failed)
	status := 0
	if failed > 0 || passed == 0 {
		status = 1
	}
	if *coverage || *minCoverage >= 0 {
		cov := e.Library().Coverage(results)
		printCoverage(stdout, cov, *verbose)
		r, v := cov.Percent()
		if *minCoverage >= 0 && (r < *minCoverage || v < *minCoverage) {
			fmt.Fprintf(stdout, "coverage below %d%%\n", *minCoverage)
			status = 1
		}
	}
	return status
}

// printCoverage lists what the cases miss (everything with -v), then the totals.
func printCoverage(w io.Writer, c rules.Coverage, all bool) {
	covered := 0
	for _, r := range c.Rules {
		if r.Covered() {
			covered++
			if !all {
				continue
			}
		}
		missing := ""
		switch {
		case !r.Passed && !r.Failed:
			missing = " — never evaluated by a case"
		case !r.Passed:
			missing = " — no case makes it pass"
		case !r.Failed:
			missing = " — no case makes it fail"
		}
		fmt.Fprintf(w, "rule %s/%s: pass %s, fail %s%s\n", r.Set.Meta.ID, r.Rule.ID, mark(r.Passed), mark(r.Failed), missing)
	}
	reached := 0
	for _, v := range c.Values {
		if v.Cases > 0 {
			reached++
			if !all {
				continue
			}
		}
		fmt.Fprintf(w, "parameter %s/%s, value from %s (in force %s to %s): %d case%s\n", v.Set.Meta.ID, v.Param.Name,
			valueStart(v), v.From.Format(time.DateOnly), v.To.Format(time.DateOnly), v.Cases, plural(v.Cases))
	}
	r, v := c.Percent()
	fmt.Fprintf(w, "coverage: rules %d%% (%d of %d pass and fail), parameter values %d%% (%d of %d reached)\n",
		r, covered, len(c.Rules), v, reached, len(c.Values))
}

func valueStart(v rules.ValueCoverage) string {
	if v.Value.From.IsZero() {
		return "the phase start"
	}
	return v.Value.From.Format(time.DateOnly)
}

func mark(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// persons is a persons file opened for reading: standard input for "-"
// (CSV, or a JSON array by its first character), .csv, .json, or a
// workbook (.xlsx), read with the record the rules in force on a date
// declare.
type persons struct {
	src      eligibility.Source
	warnings []string
	close    func() error
	path     string
	size     int64                     // of the file, 0 for standard input
	wrap     func(io.Reader) io.Reader // set before reading: what the file is read through
}

// openPersons opens path; reading happens as the source is drawn.
func openPersons(ctx context.Context, e *eligibility.Engine, path string, date time.Time, stdin io.Reader) (*persons, error) {
	schema, err := e.Schema(date)
	if err != nil {
		return nil, err
	}
	p := &persons{path: path, close: func() error { return nil }}
	var rd io.Reader
	var read func(r io.Reader, each func(eligibility.Record)) ([]string, error)
	name := path
	if path == "-" {
		br := bufio.NewReader(stdin)
		read, name = schema.ReadCSV, "standard input"
		if startsJSON(br) {
			read = schema.ReadJSON
		}
		rd = br
	} else {
		switch ext := strings.ToLower(filepath.Ext(path)); ext {
		case ".csv":
			read = schema.ReadCSV
		case ".json":
			read = schema.ReadJSON
		case ".xlsx", ".xlsm":
			read = func(r io.Reader, each func(eligibility.Record)) ([]string, error) {
				return schema.ReadSheet(r, path, "", each)
			}
		default:
			return nil, fmt.Errorf("%s: unsupported file type %q (want .csv, .json or .xlsx)", path, ext)
		}
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		rd, p.close = f, f.Close
		if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
			p.size = st.Size()
		}
	}
	rd = eligibility.CancelReader(ctx, rd)
	p.src = eligibility.Read(func(each func(eligibility.Record)) error {
		var err error
		if p.wrap != nil {
			rd = p.wrap(rd)
		}
		p.warnings, err = read(rd, each)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		return nil
	})
	return p, nil
}

// printWarnings prints the reader's warnings once reading is done.
func (p *persons) printWarnings(stderr io.Writer) {
	for _, w := range p.warnings {
		fmt.Fprintf(stderr, tr("warning: %s: %s\n", "cảnh báo: %s: %s\n"), p.path, readerMsg(w))
	}
}

// readRecords reads the whole persons file into memory, for the commands
// that need every record at once (quota, allocate, monitor, diff), and
// prints the reader's warnings.
func readRecords(e *eligibility.Engine, path string, date time.Time, stdin io.Reader, stderr io.Writer) ([]eligibility.Record, bool) {
	p, err := openPersons(context.Background(), e, path, date, stdin)
	if err != nil {
		fmt.Fprintf(stderr, "hotro: %v\n", readerMsg(err.Error()))
		return nil, false
	}
	defer p.close()
	var recs []eligibility.Record
	err = p.src(func(r eligibility.Record) bool { recs = append(recs, r); return true })
	p.printWarnings(stderr)
	if err != nil {
		fmt.Fprintf(stderr, "hotro: %v\n", readerMsg(err.Error()))
		return nil, false
	}
	return recs, true
}

// lazyOutput is output that creates its file only when something is
// written, so that a run that fails before its first row leaves no file.
type lazyOutput struct {
	path   string
	stdout io.Writer
	w      io.Writer
	close  func() error
}

func (l *lazyOutput) Write(b []byte) (int, error) {
	if l.w == nil {
		w, closeFn, err := output(l.path, l.stdout)
		if err != nil {
			return 0, err
		}
		l.w, l.close = bufio.NewWriterSize(w, 64<<10), closeFn
	}
	return l.w.Write(b)
}

// Close flushes and closes what was written, if anything.
func (l *lazyOutput) Close() error {
	if l.w == nil {
		return nil
	}
	err := l.w.(*bufio.Writer).Flush()
	if cerr := l.close(); err == nil {
		err = cerr
	}
	return err
}

// formatFlag is the --format flag of the batch commands.
func formatFlag(fs *flag.FlagSet) *string {
	return fs.String("format", "csv", tr("output format: csv, json or xlsx (an Excel workbook with Vietnamese headers and a summary; needs --out FILE.xlsx or a redirection)",
		"định dạng: csv, json hoặc xlsx (bảng tính Excel có tiêu đề tiếng Việt và trang tổng hợp; cần --out TỆP.xlsx hoặc chuyển hướng đầu ra)"))
}

// excelFlag is the --excel flag: CSV for Excel, starting with a BOM.
func excelFlag(fs *flag.FlagSet) *bool {
	return fs.Bool("excel", false, tr("start CSV output with a UTF-8 BOM, so that Excel on Windows shows the Vietnamese letters",
		"thêm BOM UTF-8 vào đầu tệp CSV để Excel trên Windows hiển thị đúng chữ tiếng Việt"))
}

func cmdEval(args []string, stdout, stderr io.Writer) int {
	fs := flags("eval", stderr)
	dateS := fs.String("date", "", "evaluation date YYYY-MM-DD (required)")
	dir := fs.String("rules", "", "rule set directory (default: the embedded rules)")
	explain := fs.Bool("explain", false, tr("add each decision's reasons in Vietnamese", "thêm lý do của từng kết quả xét"))
	verbose := fs.Bool("verbose", false, tr("list every household found inconsistent (without it, they are counted)", "liệt kê từng hộ không nhất quán (nếu không, chỉ đếm số hộ)"))
	out := fs.String("out", "", "write the output here instead of stdout")
	format := formatFlag(fs)
	excel := excelFlag(fs)
	showProgress := progressFlag(fs)
	pos, code := parse(fs, args)
	if code >= 0 {
		return code
	}
	date, problem := dateArg("--date", *dateS)
	problem = firstOf(problem, onePath(pos), formatOK(*format, "csv", "json", "xlsx"))
	if problem != "" {
		return usageError(stderr, "eval", problem, "hotro eval --date YYYY-MM-DD [--rules DIR] [--explain] [--format csv|json|xlsx] [--excel] [--out FILE] FILE|-")
	}
	defer streamGC()()
	e, ok := loadEngineOn(*dir, date, stderr)
	if !ok {
		return 1
	}
	ctx := context.Background()
	in, err := openPersons(ctx, e, pos[0], date, stdin)
	if err != nil {
		fmt.Fprintf(stderr, "hotro: %v\n", readerMsg(err.Error()))
		return 1
	}
	defer in.close()
	// CSV and JSON stream; a workbook, with its totals by area, is built
	// from every outcome at the end (a sheet holds a million rows at most).
	var w *lazyOutput
	var ow eligibility.OutcomeWriter
	var all []eligibility.Outcome
	var explainFn eligibility.Explainer
	if *explain {
		explainFn = func(d *eligibility.Decision) string { return eligibility.Explain(d, "vi") }
		if lang == "vi" { // labelled from the rule file
			explainFn = func(d *eligibility.Decision) string { return eligibility.ExplainIn(d, "vi") }
		}
	}
	switch *format {
	case "json":
		w = &lazyOutput{path: *out, stdout: stdout}
		ow = eligibility.NewJSONWriterWith(w, explainFn)
	case "csv":
		w = &lazyOutput{path: *out, stdout: stdout}
		ow = eligibility.NewCSVWriterWith(bomWriter(w, *excel), explainFn)
	}
	n, eligible, errored := 0, 0, 0
	var total moneySum
	draft := ""
	groups := eligibility.NewGroupChecker()
	prog := startProgress(*showProgress, stderr, in.size, "records", "hồ sơ")
	in.wrap = prog.reader
	err = e.Stream(ctx, date, in.src, func(o eligibility.Outcome) error {
		n++
		prog.done(1)
		switch {
		case o.Err != nil:
			errored++
		case o.Decision.Eligible:
			eligible++
			total.add(o.Decision.MonthlyTopup)
		}
		if o.Decision != nil && o.Decision.Draft {
			draft = o.Decision.RuleSet
		}
		groups.Add(o)
		if ow == nil {
			all = append(all, o)
			return nil
		}
		return ow.Write(o)
	}, eligibility.StreamOptions{Reuse: ow != nil, ReuseRecords: ow != nil}) // written out, not kept: the stream may reuse the memory of decisions and records
	prog.end()
	if !finishStream(err, in, w, ow, func() error {
		return writeEvalOutput(evalOut{outs: all, date: date, lib: e.Library(), explain: *explain, excel: *excel, format: *format, out: *out}, stdout)
	}, stderr) {
		return 1
	}
	if draft != "" {
		fmt.Fprintf(stderr, tr("warning: rule set %s is a draft, not enacted law\n", "cảnh báo: bộ quy tắc %s là dự thảo, chưa được ban hành\n"), draft)
	}
	flagged := groups.Len()
	if *verbose || flagged <= 3 {
		for _, h := range groups.Issues() {
			fmt.Fprintf(stderr, tr("inconsistent: %s\n", "không nhất quán: %s\n"), tr(h.Msg, h.Text.In("vi")))
		}
	}
	fmt.Fprintf(stderr, tr("%d records in, %d rows out: %d eligible, %d not eligible, %d in error; monthly top-ups %s đ",
		"%d hồ sơ vào, %d dòng ra: %d đủ điều kiện, %d không đủ điều kiện, %d lỗi; tổng mức hỗ trợ hằng tháng %s đ"),
		n, n, eligible, n-eligible-errored, errored, moneyOut(total.sum()))
	if flagged > 3 && !*verbose {
		fmt.Fprintf(stderr, tr("; %d households inconsistent (--verbose lists them)", "; %d hộ không nhất quán (--verbose để liệt kê)"), flagged)
	}
	fmt.Fprintln(stderr)
	if errored > 0 {
		return 1
	}
	return 0
}

// moneySum adds amounts of money: whole đồng in an int64 while it does not
// overflow, which allocates nothing, anything else as decimals. Its sum
// equals the decimals' sum, exponent included.
type moneySum struct {
	whole int64
	rest  decimal.Decimal
}

func (m *moneySum) add(d decimal.Decimal) {
	if d.Exponent() == 0 && d.NumDigits() <= 18 {
		v := d.CoefficientInt64()
		if v >= 0 && m.whole <= math.MaxInt64-v || v < 0 && m.whole >= math.MinInt64-v {
			m.whole += v
			return
		}
	}
	m.rest = m.rest.Add(d)
}

func (m *moneySum) sum() decimal.Decimal { return decimal.New(m.whole, 0).Add(m.rest) }

func cmdSchedule(args []string, stdout, stderr io.Writer) int {
	fs := flags("schedule", stderr)
	fromS := fs.String("from", "", "first month YYYY-MM (required)")
	toS := fs.String("to", "", "last month YYYY-MM (required)")
	dir := fs.String("rules", "", "rule set directory (default: the embedded rules)")
	out := fs.String("out", "", "write the output here instead of stdout")
	format := formatFlag(fs)
	excel := excelFlag(fs)
	showProgress := progressFlag(fs)
	pos, code := parse(fs, args)
	if code >= 0 {
		return code
	}
	from, p1 := monthArg("--from", *fromS)
	to, p2 := monthArg("--to", *toS)
	if problem := firstOf(p1, p2, onePath(pos), formatOK(*format, "csv", "json", "xlsx")); problem != "" {
		return usageError(stderr, "schedule", problem, "hotro schedule --from YYYY-MM --to YYYY-MM [--rules DIR] [--format csv|json|xlsx] [--excel] [--out FILE] FILE|-")
	}
	defer streamGC()()
	e, ok := loadEngine(*dir, stderr)
	if !ok {
		return 1
	}
	ctx := context.Background()
	in, err := openPersons(ctx, e, pos[0], from.First(), stdin)
	if err != nil {
		fmt.Fprintf(stderr, "hotro: %v\n", err)
		return 1
	}
	defer in.close()
	params := []string{"zone", "poverty_line", "social_assistance_base", "allowance", "other_income", "income"}
	var w *lazyOutput
	var sw eligibility.ScheduleWriter
	var all []eligibility.ScheduleOutcome
	switch *format {
	case "json":
		w = &lazyOutput{path: *out, stdout: stdout}
		sw = eligibility.NewScheduleJSONWriter(w)
	case "csv":
		w = &lazyOutput{path: *out, stdout: stdout}
		sw = eligibility.NewScheduleCSVWriter(bomWriter(w, *excel), params)
	}
	n, errored, monthErrs := 0, 0, 0
	prog := startProgress(*showProgress, stderr, in.size, "records", "hồ sơ")
	in.wrap = prog.reader
	err = e.StreamSchedules(ctx, from, to, in.src, func(o eligibility.ScheduleOutcome) error {
		n++
		prog.done(1)
		if o.Err != nil {
			errored++
		} else {
			monthErrs += o.Schedule.Errors
		}
		if sw == nil {
			all = append(all, o)
			return nil
		}
		return sw.Write(o)
	}, eligibility.StreamOptions{ReuseRecords: sw != nil}) // written out, not kept: later records may use their memory
	prog.end()
	if !finishStream(err, in, w, sw, func() error {
		return writeScheduleOutput(scheduleOut{outs: all, params: params, from: from, to: to, lib: e.Library(), excel: *excel, format: *format, out: *out}, stdout)
	}, stderr) {
		return 1
	}
	if monthErrs > 0 {
		fmt.Fprint(stderr, tr(fmt.Sprintf("%d month%s in error\n", monthErrs, plural(monthErrs)), fmt.Sprintf("%d tháng bị lỗi\n", monthErrs)))
	}
	fmt.Fprintf(stderr, tr("%d records in, %d schedules out (%d in error), %s to %s\n", "%d hồ sơ vào, %d lịch chi trả ra (%d lỗi), %s đến %s\n"), n, n, errored, from, to)
	if errored > 0 || monthErrs > 0 {
		return 1
	}
	return 0
}

// finishStream ends the output of a streamed command: it prints the
// reader's warnings, then the stream's error, or closes the streaming
// writer and its file (w set), or writes the workbook from what was kept
// (w nil). It reports whether all went well.
func finishStream(streamErr error, in *persons, w *lazyOutput, writer interface{ Close() error }, workbook func() error, stderr io.Writer) bool {
	in.printWarnings(stderr)
	if streamErr != nil {
		if w != nil {
			w.Close()
		}
		fmt.Fprintf(stderr, "hotro: %v\n", readerMsg(streamErr.Error()))
		return false
	}
	var err error
	if w != nil {
		err = writer.Close()
		if cerr := w.Close(); err == nil {
			err = cerr
		}
	} else {
		err = workbook()
	}
	if err != nil {
		fmt.Fprintf(stderr, "hotro: %v\n", err)
		return false
	}
	return true
}

// startsJSON reports whether the first character of r after a BOM and
// white space is '[' (a JSON array), reading ahead as far as it must.
func startsJSON(r *bufio.Reader) bool {
	for n := 1; ; n++ {
		b, err := r.Peek(n)
		if len(b) < n {
			return false
		}
		s := strings.TrimLeft(strings.TrimPrefix(string(b), "\uFEFF"), " \t\r\n")
		if s != "" && s != "\xef" && s != "\xef\xbb" {
			return s[0] == '['
		}
		if err != nil {
			return false
		}
	}
}

// streamGC sets the collector for a streamed eval or schedule, unless
// GOGC or GOMEMLIMIT says otherwise. Until the heap first reaches
// firstCollection, nothing is collected: a short file (a district's, the
// Hà Tĩnh example's 12 MB) never waits for the collector, and its garbage
// costs fresh pages it would have touched anyway. From the first
// collection on, the heap may grow to three times what is live rather than
// twice: what a stream keeps is bounded by its chunks (tens of MB at
// national scale), so this costs little memory, and a run collects half
// as often. It returns what restores the settings.
func streamGC() (restore func()) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	oldPercent, off := preload.HandOver() // eval's rules preloaded with the collector off
	if !off {
		oldPercent = debug.SetGCPercent(-1)
	}
	oldLimit := debug.SetMemoryLimit(firstCollection)
	var once sync.Once
	// The cleanup of an object dropped at once runs after the first
	// collection, the one the limit starts.
	runtime.AddCleanup(new(struct{ _ *byte }), func(struct{}) {
		once.Do(func() {
			debug.SetGCPercent(200)
			debug.SetMemoryLimit(oldLimit)
		})
	}, struct{}{})
	return func() {
		once.Do(func() {}) // a cleanup still to come does nothing
		debug.SetGCPercent(oldPercent)
		debug.SetMemoryLimit(oldLimit)
	}
}

// firstCollection is the heap a stream grows to before its first
// collection.
const firstCollection = 64 << 20
