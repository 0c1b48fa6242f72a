package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/hotro-vn/hotro/admin"
	"github.com/hotro-vn/hotro/allocation"
	"github.com/hotro-vn/hotro/eligibility"
	"github.com/hotro-vn/hotro/papers"
	"github.com/hotro-vn/hotro/rules"
)

func init() {
	commands["papers"] = command{"print commitments to sponsor, payment lists and beneficiary lists (HTML for A4)", cmdPapers}
}

const papersLine = "hotro papers commitments --date YYYY-MM-DD --commitments FILE --persons FILE --units FILE [--rules DIR] [--out FILE.html|DIR/]\n" +
	"       hotro papers payments --month YYYY-MM --commitments FILE --persons FILE --units FILE [--rules DIR] [--out FILE.html|DIR/]\n" +
	"       hotro papers beneficiaries --date YYYY-MM-DD --persons FILE [--rules DIR] [--out FILE.html|DIR/]"

// paperDoc is one HTML document: the file it goes to in a directory, and
// what writes it.
type paperDoc struct {
	name  string
	write func(io.Writer) error
}

func cmdPapers(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprintf(helpOut, "%s %s\n", tr("usage:", "cách dùng:"), papersLine)
			return 0
		}
		return usageError(stderr, "papers", tr("name the paper: commitments, payments or beneficiaries", "thiếu loại giấy tờ: commitments (cam kết), payments (chi trả) hoặc beneficiaries (danh sách đối tượng)"), papersLine)
	}
	kind := args[0]
	if !slices.Contains([]string{"commitments", "payments", "beneficiaries"}, kind) {
		return usageError(stderr, "papers", fmt.Sprintf(tr("unknown paper %q: want commitments, payments or beneficiaries", "không có loại giấy tờ %q: chọn commitments, payments hoặc beneficiaries"), kind), papersLine)
	}
	fs := flags("papers "+kind, stderr)
	pf := &planFlags{}
	var dateS, monthS, commits string
	if kind == "payments" {
		fs.StringVar(&monthS, "month", "", tr("the month paid, YYYY-MM (required)", "tháng chi trả, viết YYYY-MM (bắt buộc)"))
		fs.StringVar(&dateS, "date", "", tr("date of the list, YYYY-MM-DD (default: left blank to be written by hand)", "ngày lập danh sách, YYYY-MM-DD (mặc định: để trống, ghi tay)"))
	} else {
		fs.StringVar(&dateS, "date", "", tr("date of the papers YYYY-MM-DD (required): the rules in force and the date printed", "ngày của giấy tờ YYYY-MM-DD (bắt buộc): bộ quy tắc có hiệu lực và ngày in trên giấy"))
	}
	fs.StringVar(&pf.rules, "rules", "", tr("rule set directory (default: the embedded rules)", "thư mục bộ quy tắc (mặc định: bộ quy tắc có sẵn)"))
	fs.StringVar(&pf.persons, "persons", "", tr("persons file, .csv, .json or .xlsx (required)", "tệp danh sách đối tượng, .csv, .json hoặc .xlsx (bắt buộc)"))
	if kind != "beneficiaries" {
		fs.StringVar(&commits, "commitments", "", tr("commitments file, .csv or .json (required)", "tệp cam kết, .csv hoặc .json (bắt buộc)"))
		fs.StringVar(&pf.units, "units", "", tr("units file, .csv or .json (required): the sponsors' and focal organisations' names and places", "tệp đơn vị, .csv hoặc .json (bắt buộc): tên và địa bàn của bên nhận đỡ đầu và đơn vị đầu mối"))
	}
	fs.StringVar(&pf.out, "out", "", tr("write to this .html file, or into a directory (existing, or ending in /) one file per focal organisation or commune (default: stdout)",
		"ghi vào tệp .html này, hoặc vào một thư mục (đã có, hoặc kết thúc bằng /) mỗi đơn vị đầu mối hoặc mỗi xã một tệp (mặc định: đầu ra chuẩn)"))
	pos, code := parse(fs, args[1:])
	if code >= 0 {
		return code
	}
	line := "hotro papers " + kind + " -h"
	var problem string
	var month eligibility.Month
	switch kind {
	case "payments":
		month, problem = monthArg("--month", monthS)
		if problem == "" && dateS != "" {
			var d time.Time
			d, problem = dateArg("--date", dateS)
			pf.date = d
		}
	default:
		pf.date, problem = dateArg("--date", dateS)
	}
	if kind != "beneficiaries" {
		problem = firstOf(problem, required("--commitments", commits), required("--units", pf.units))
	}
	if problem = firstOf(problem, required("--persons", pf.persons), noPath(pos)); problem != "" {
		return usageError(stderr, "papers", problem, line)
	}
	signed := pf.date // the date printed; zero leaves it blank
	if kind == "payments" {
		pf.date = month.First()
	}
	if !load(pf, stderr) {
		return 1
	}
	pp := newPaperParts(pf)
	var docs []paperDoc
	var all func(io.Writer) error
	var err error
	switch kind {
	case "commitments":
		docs, all, err = pp.commitments(commits, signed, stderr)
	case "payments":
		docs, all, err = pp.payments(commits, month, signed, stderr)
	case "beneficiaries":
		docs, all, err = pp.beneficiaries(signed)
	}
	if err != nil {
		fmt.Fprintf(stderr, "hotro: %v\n", err)
		return 1
	}
	if len(docs) == 0 {
		fmt.Fprintln(stderr, tr("hotro: nothing to print", "hotro: không có gì để in"))
		return 1
	}
	if !writePapers(docs, all, pf.out, stdout, stderr) {
		return 1
	}
	fmt.Fprintf(stderr, tr("%d documents\n", "%d tài liệu\n"), len(docs))
	return 0
}

// writePapers writes every document into the directory out names, or all
// of them as one document (the pages one after another) to a file or stdout.
func writePapers(docs []paperDoc, all func(io.Writer) error, out string, stdout, stderr io.Writer) bool {
	if dirOut(out) {
		if err := os.MkdirAll(out, 0o755); err != nil {
			fmt.Fprintf(stderr, "hotro: %v\n", err)
			return false
		}
		var jobs []job
		for _, d := range docs {
			jobs = append(jobs, job{filepath.Join(out, d.name), d.write})
		}
		return writeAll(jobs, stdout, stderr)
	}
	return writeAll([]job{{out, all}}, stdout, stderr)
}

// paperParts are what the papers are made of: the rules, units and persons.
type paperParts struct {
	pf      *planFlags
	units   map[string]allocation.Unit
	persons map[string]*eligibility.Record
	reg     *admin.Registry
}

func newPaperParts(pf *planFlags) *paperParts {
	pp := &paperParts{pf: pf, units: map[string]allocation.Unit{}, persons: map[string]*eligibility.Record{}, reg: admin.Default()}
	for _, u := range pf.unitRecs {
		if u.Err == nil {
			pp.units[u.Unit.ID] = u.Unit
		}
	}
	for i := range pf.personRecs {
		if r := &pf.personRecs[i]; r.Err == nil && r.ID != "" {
			pp.persons[r.ID] = r
		}
	}
	return pp
}

// basis is the legal basis printed after "Căn cứ", from the rule set's
// sources: the instruments a primary source names (the resolution the
// plan carries out), then the primary sources themselves (the plan). A set
// with no primary source gives the citations of all its sources.
func basis(set *rules.Set) string {
	var primary, named []string
	for _, s := range set.Meta.Sources {
		if s.Status == "primary" && s.Citation != "" {
			primary = append(primary, s.Citation)
		}
	}
	for _, s := range set.Meta.Sources {
		if s.Status == "primary" || s.Citation == "" {
			continue
		}
		if inst := instrument(s.Citation); inst != "" && slices.ContainsFunc(primary, func(p string) bool { return strings.Contains(p, inst) }) {
			named = append(named, s.Citation)
		}
	}
	if len(primary) == 0 {
		for _, s := range set.Meta.Sources {
			if s.Citation != "" {
				named = append(named, s.Citation)
			}
		}
	}
	return strings.Join(append(named, primary...), "; ")
}

// instrument is the name and number that open a citation, "Nghị quyết
// 179/2019/NQ-HĐND" of "Nghị quyết 179/2019/NQ-HĐND tỉnh Hà Tĩnh"; "" when
// it has no number.
func instrument(citation string) string {
	words := strings.Fields(citation)
	for i, w := range words {
		if strings.Contains(w, "/") {
			return strings.Join(words[:i+1], " ")
		}
	}
	return ""
}

// districtName is a pre-reform district's name with its type, once.
func districtName(typ, name string) string {
	if strings.HasPrefix(strings.ToLower(name), strings.ToLower(typ)) {
		return name
	}
	return typ + " " + name
}

// unitName is a unit's name, or its id when the file gives none or the
// unit is not in the file.
func (pp *paperParts) unitName(id string) string {
	if u, ok := pp.units[id]; ok && u.Name != "" {
		return u.Name
	}
	return id
}

// place is the name of an area by its GSO code ("Xã Thạch Hạ", "Huyện
// Thạch Hà", "Tỉnh Hà Tĩnh") and the area above it, as of date.
func (pp *paperParts) place(code string, date time.Time) (name, parent string) {
	switch len(code) {
	case 5:
		c, err := pp.reg.On(code, date)
		if err != nil {
			return code, ""
		}
		if c.DistrictName != "" {
			return c.Name, districtName(c.DistrictType, c.DistrictName)
		}
		return c.Name, c.ProvinceName
	case 3:
		pp.reg.Each(func(c admin.Commune) {
			if name == "" && c.DistrictCode == code {
				name, parent = districtName(c.DistrictType, c.DistrictName), c.ProvinceName
			}
		})
		if name != "" {
			return name, parent
		}
	case 2:
		if n, ok := pp.reg.Province(code, !date.Before(admin.ReformDate)); ok {
			return n, ""
		}
	}
	return code, ""
}

// lowerFirst writes "Xã Thạch Hạ" as "xã Thạch Hạ", for the middle of a sentence.
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[n:]
}

// shortPlace is a place's name without its type, for the date line: "Thạch Hạ".
func shortPlace(name string) string {
	for _, t := range []string{"Xã ", "Phường ", "Thị trấn ", "Đặc khu ", "Huyện ", "Thị xã ", "Thành phố ", "Quận ", "Tỉnh "} {
		if s, ok := strings.CutPrefix(name, t); ok {
			return s
		}
	}
	return name
}

// subject is a person as a commitment names them.
func (pp *paperParts) subject(id string, date time.Time) papers.Subject {
	s := papers.Subject{Code: id}
	r, ok := pp.persons[id]
	if !ok {
		return s
	}
	s.Name = r.Text("full_name")
	if v, ok := r.Get("birth_date"); ok {
		s.BirthDate, _ = v.(time.Time)
	}
	if c := r.Text("commune_code"); c != "" {
		s.Address, _ = pp.place(c, date)
	}
	return s
}

// enumLabel is a value of a record's enum as staff read it.
func enumLabel(set *rules.Set, model, field, value string) string {
	if m := set.Model(model); m != nil && m.Record != nil {
		if f, _ := m.Record.Field(field); f != nil {
			return eligibility.EnumLabel(f, value)
		}
	}
	return value
}

var unsafeName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`[^A-Za-z0-9._-]+`) })

func fileName(prefix, key string) string {
	if key = unsafeName().ReplaceAllString(key, "_"); key == "" {
		key = "khac"
	}
	return prefix + "-" + key + ".html"
}

func (pp *paperParts) commitments(path string, signed time.Time, stderr io.Writer) ([]paperDoc, func(io.Writer) error, error) {
	crecs, warnings, err := allocation.ReadCommitmentsFile(path, pp.pf.vocab)
	for _, w := range warnings {
		fmt.Fprintf(stderr, tr("warning: %s: %s\n", "cảnh báo: %s: %s\n"), path, readerMsg(w))
	}
	if err != nil {
		return nil, nil, err
	}
	lib := pp.pf.engine.Library()
	set := pp.pf.vocab.Set()
	byFocal := map[string][]papers.Commitment{}
	var order []string
	bad := 0
	for _, cr := range crecs {
		if cr.Err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", path, readerMsg(cr.Err.Error()))
			bad++
			continue
		}
		c := cr.Commitment
		last, _, err := c.Term(lib)
		if err != nil {
			fmt.Fprintf(stderr, "%s: %s: %v\n", path, c.ID, err)
			bad++
			continue
		}
		// The Committee and the Front that sign are those of the sponsor's
		// level; a sponsor that is not a unit signs with those of the focal
		// organisation.
		at := pp.units[c.Sponsor]
		if at.Place == "" {
			at = pp.units[c.Focal]
		}
		level, parent := pp.place(at.Place, signed)
		sponsor := papers.Party{Name: pp.unitName(c.Sponsor)}
		if u, ok := pp.units[c.Sponsor]; ok {
			sponsor.Address, _ = pp.place(u.Place, signed)
		}
		pc := papers.Commitment{
			Heading: papers.Heading{Issuer: "Ủy ban nhân dân " + lowerFirst(level)},
			Place:   shortPlace(level), Date: signed, Level: lowerFirst(level), Basis: basis(set),
			Sponsor: sponsor, MonthlyAmount: c.Amount, From: c.First.First(), To: last.First(),
			Method: enumLabel(set, allocation.CommitmentRecordModel, "method", c.Method),
			Focal:  pp.unitName(c.Focal),
		}
		if parent != "" {
			pc.Heading.Parent = "Ủy ban nhân dân " + lowerFirst(parent)
		}
		if c.Focal == "" {
			pc.Focal = "Ủy ban MTTQ Việt Nam " + lowerFirst(level)
		}
		for _, id := range c.Beneficiaries {
			pc.Subjects = append(pc.Subjects, pp.subject(id, signed))
		}
		if _, ok := byFocal[c.Focal]; !ok {
			order = append(order, c.Focal)
		}
		byFocal[c.Focal] = append(byFocal[c.Focal], pc)
	}
	if bad > 0 {
		fmt.Fprintf(stderr, tr("%d commitments in error are not printed\n", "%d cam kết lỗi không được in\n"), bad)
	}
	var docs []paperDoc
	var all []papers.Commitment
	for _, f := range order {
		cs := byFocal[f]
		all = append(all, cs...)
		docs = append(docs, paperDoc{fileName("cam-ket", f), func(w io.Writer) error { return papers.Commitments(w, cs) }})
	}
	return docs, func(w io.Writer) error { return papers.Commitments(w, all) }, nil
}

func (pp *paperParts) payments(path string, month eligibility.Month, signed time.Time, stderr io.Writer) ([]paperDoc, func(io.Writer) error, error) {
	crecs, warnings, err := allocation.ReadCommitmentsFile(path, pp.pf.vocab)
	for _, w := range warnings {
		fmt.Fprintf(stderr, tr("warning: %s: %s\n", "cảnh báo: %s: %s\n"), path, readerMsg(w))
	}
	if err != nil {
		return nil, nil, err
	}
	m, err := allocation.Monitor(pp.pf.engine, pp.pf.personRecs, crecs, pp.pf.unitRecs, month, month)
	if err != nil {
		return nil, nil, err
	}
	for _, c := range m.Commitments {
		if c.Error != "" {
			fmt.Fprintf(stderr, "%s: %s: %s\n", path, c.ID, c.Error)
		}
	}
	set := pp.pf.vocab.Set()
	lists := map[string]*papers.PaymentList{}
	var order []string
	for _, p := range m.Payments {
		l := lists[p.Focal]
		if l == nil {
			focal := pp.units[p.Focal]
			name, parent := pp.place(focal.Place, month.First())
			l = &papers.PaymentList{Heading: papers.Heading{Issuer: pp.unitName(p.Focal)}, Place: shortPlace(name), Date: signed,
				Month: month.First(), Focal: pp.unitName(p.Focal)}
			if parent != "" && focal.Place != "" {
				l.Heading.Parent = "Ủy ban MTTQ Việt Nam " + lowerFirst(parent)
			}
			if p.Focal == "" {
				l.Heading.Issuer, l.Focal = "Bên nhận đỡ đầu chi trực tiếp", "Bên nhận đỡ đầu chi trực tiếp"
			}
			lists[p.Focal] = l
			order = append(order, p.Focal)
		}
		s := pp.subject(p.Beneficiary, month.First())
		l.Rows = append(l.Rows, papers.PaymentRow{Code: p.Beneficiary, Subject: s.Name, Address: s.Address, Sponsor: pp.unitName(p.Sponsor),
			Method: enumLabel(set, allocation.CommitmentRecordModel, "method", p.Method), Amount: p.Amount})
	}
	var docs []paperDoc
	var all []papers.PaymentList
	for _, f := range order {
		l := *lists[f]
		all = append(all, l)
		docs = append(docs, paperDoc{fileName("chi-tra-"+month.String(), f), func(w io.Writer) error { return papers.PaymentLists(w, []papers.PaymentList{l}) }})
	}
	return docs, func(w io.Writer) error { return papers.PaymentLists(w, all) }, nil
}

func (pp *paperParts) beneficiaries(date time.Time) ([]paperDoc, func(io.Writer) error, error) {
	outs, err := pp.pf.engine.DecideAll(context.Background(), pp.pf.personRecs, date)
	if err != nil {
		return nil, nil, err
	}
	set, err := pp.pf.engine.Library().For(date)
	if err != nil {
		return nil, nil, err
	}
	lists := map[string]*papers.BeneficiaryList{}
	var order []string
	for _, o := range outs {
		if o.Err != nil || !o.Decision.Eligible {
			continue
		}
		d := o.Decision
		c := d.Commune
		l := lists[c.Code]
		if l == nil {
			parent := "Ủy ban nhân dân " + lowerFirst(c.ProvinceName)
			if c.DistrictName != "" {
				parent = "Ủy ban nhân dân " + lowerFirst(districtName(c.DistrictType, c.DistrictName))
			}
			l = &papers.BeneficiaryList{Heading: papers.Heading{Parent: parent, Issuer: "Ủy ban nhân dân " + lowerFirst(c.Name)},
				Place: shortPlace(c.Name), Date: date, Commune: c.Name, Province: c.ProvinceName, EffectiveDate: date,
				RuleSet: set.Meta.ID, Hash: set.ShortHash(), Draft: d.Draft}
			if c.DistrictName != "" {
				l.District = districtName(c.DistrictType, c.DistrictName)
			}
			lists[c.Code] = l
			order = append(order, c.Code)
		}
		r := o.Record
		b := papers.Beneficiary{Code: r.ID, Name: r.Text("full_name"), Household: r.Text("household_id"), Topup: d.MonthlyTopup}
		if v, ok := r.Get("birth_date"); ok {
			b.BirthDate, _ = v.(time.Time)
		}
		l.Rows = append(l.Rows, b)
	}
	var docs []paperDoc
	var all []papers.BeneficiaryList
	for _, code := range order {
		l := *lists[code]
		all = append(all, l)
		docs = append(docs, paperDoc{fileName("danh-sach", code), func(w io.Writer) error { return papers.BeneficiaryLists(w, []papers.BeneficiaryList{l}) }})
	}
	return docs, func(w io.Writer) error { return papers.BeneficiaryLists(w, all) }, nil
}
