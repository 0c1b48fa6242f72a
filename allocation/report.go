package allocation

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// The reports a plan writes as CSV.
const (
	ReportUnits        = "units"        // per unit: rule, obligation, what it sponsors, met or not and why
	ReportAreas        = "areas"        // per commune, district, province: local share against 70%, remainder
	ReportProvince     = "province"     // the beneficiaries the local levels left, and who takes them
	ReportSponsorships = "sponsorships" // per person: sponsors, amounts, focal organisation
	ReportQuotas       = "quotas"       // per unit: the quota rule, obligation and group only
)

// Reports lists the CSV reports of a plan.
var Reports = []string{ReportUnits, ReportAreas, ReportProvince, ReportSponsorships, ReportContributions, ReportExpatriates, ReportArrangements, ReportChanges}

// WriteJSON writes the whole plan as one JSON object.
func (p *Plan) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	return enc.Encode(p)
}

// WriteCSV writes one of Reports.
func (p *Plan) WriteCSV(w io.Writer, report string) error {
	cw := csv.NewWriter(w)
	switch report {
	case ReportQuotas:
		cw.Write([]string{"unit_id", "name", "level", "kind", "place", "staff", "source", "capacity_persons", "monthly_amount", "reach",
			"rule", "obligation", "target", "group", "policy_silent", "error"})
		for _, u := range p.Units {
			row := []string{u.ID, u.Name, u.Level, u.Kind, u.Place, num(u.Staff), u.Source, num(u.Persons), amount(u.Amount), u.Reach}
			if u.Error != "" {
				cw.Write(append(row, "", "", "", "", "", oneLine(u.Error)))
				continue
			}
			cw.Write(append(row, u.Rule, strconv.Itoa(u.Obligation), strconv.Itoa(u.Target), u.Group, strconv.FormatBool(u.PolicySilent), ""))
		}
	case ReportUnits:
		cw.Write([]string{"unit_id", "name", "level", "kind", "place", "staff", "source", "capacity_persons", "monthly_amount", "reach",
			"rule", "obligation", "target", "group", "policy_silent", "counted", "sponsored", "shared", "monthly", "met", "failed_rules", "warning", "reason", "error"})
		for _, u := range p.Units {
			row := []string{u.ID, u.Name, u.Level, u.Kind, u.Place, num(u.Staff), u.Source, num(u.Persons), amount(u.Amount), u.Reach}
			if u.Error != "" {
				cw.Write(append(row, append(make([]string, 13), oneLine(u.Error))...))
				continue
			}
			cw.Write(append(row, u.Rule, strconv.Itoa(u.Obligation), strconv.Itoa(u.Target), u.Group, strconv.FormatBool(u.PolicySilent),
				strconv.Itoa(u.Counted), strconv.Itoa(u.Sponsored), strconv.Itoa(u.Shared), u.Monthly.StringFixed(0),
				strconv.FormatBool(u.Met), strings.Join(u.Failed, ";"), u.Warning, u.Reason, ""))
		}
	case ReportAreas:
		cw.Write([]string{"level", "code", "name", "beneficiaries", "sponsored_local", "sponsored_before", "sponsored", "local_share", "local_share_required",
			"province_list", "uncovered", "small_agencies", "small_agency_subjects", "met", "failed_rules", "reason"})
		for _, a := range p.Areas {
			met := strconv.FormatBool(len(a.Failed) == 0)
			if !p.Allocated {
				met = ""
			}
			cw.Write([]string{a.Level, a.Code, a.Name, strconv.Itoa(a.Beneficiaries), strconv.Itoa(a.SponsoredLocal), strconv.Itoa(a.SponsoredBefore),
				strconv.Itoa(a.Sponsored), a.Share.StringFixed(4), strconv.Itoa(a.Required), strconv.Itoa(a.ProvinceList), strconv.Itoa(a.Uncovered),
				strconv.Itoa(a.SmallAgencies), strconv.Itoa(a.SmallSubjects), met, strings.Join(a.Failed, ";"), a.Reason})
		}
	case ReportProvince, ReportSponsorships:
		head := []string{"person_id", "commune_code", "monthly_topup", "level", "near", "sponsors", "focal", "note", "error"}
		// The person's organisation and circumstances, when the list has them.
		extra := false
		for _, s := range p.Sponsorships {
			if s.Member != "" || s.Circumstances != "" {
				extra = true
				break
			}
		}
		if extra {
			head = append(head, "member_of", "circumstances")
		}
		cw.Write(head)
		last := ""
		if len(p.Levels) > 0 {
			last = p.Levels[len(p.Levels)-1]
		}
		for _, s := range p.Sponsorships {
			// The province list: beneficiaries no level before the last took.
			if report == ReportProvince && (s.Error != "" || s.Note != "" || s.Level != "" && s.Level != last) {
				continue
			}
			topup := ""
			if s.Error == "" && s.Note == "" {
				topup = s.Topup.StringFixed(0)
			}
			row := []string{s.Beneficiary, s.Commune, topup, s.Level, s.Near, shares(s.Shares), s.Focal, s.Note, oneLine(s.Error)}
			if extra {
				row = append(row, s.Member, oneLine(s.Circumstances))
			}
			cw.Write(row)
		}
	case ReportChanges:
		cw.Write([]string{"person_id", "change", "before", "after", "reason"})
		for _, c := range p.Changes {
			cw.Write([]string{c.Beneficiary, c.Kind, c.Before, c.After, c.Reason})
		}
	case ReportContributions, ReportExpatriates, ReportArrangements:
		d := p.Duties
		if d == nil {
			d = &Duties{}
		}
		d.writeCSV(cw, report)
	default:
		return fmt.Errorf("no report %q (the reports are %s, %s)", report, strings.Join(Reports, ", "), ReportQuotas)
	}
	cw.Flush()
	return cw.Error()
}

// The reports of a monitoring.
const (
	ReportMonths      = "months"      // per beneficiary and month: due, pledged, shortfall
	ReportPayments    = "payments"    // per month: who pays whom, how much, how, through whom
	ReportCommitments = "commitments" // per commitment: its term, flag or error
)

// MonitorReports lists the CSV reports of a monitoring.
var MonitorReports = []string{ReportCommitments, ReportMonths, ReportPayments}

// WriteJSON writes the whole monitoring as one JSON object.
func (m *Monitoring) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	if m.book != nil {
		// The commitments of a book, listed as Monitor lists them.
		all := *m
		all.Commitments = make([]CommitmentStatus, 0, m.CommitmentCount())
		for c := range m.AllCommitments() {
			all.Commitments = append(all.Commitments, c)
		}
		return enc.Encode(&all)
	}
	return enc.Encode(m)
}

// WriteCSV writes one of MonitorReports.
func (m *Monitoring) WriteCSV(w io.Writer, report string) error {
	cw := csv.NewWriter(w)
	switch report {
	case ReportCommitments:
		cw.Write([]string{"commitment_id", "sponsor_id", "beneficiary_ids", "monthly_amount", "first_month", "duration", "last_month", "method", "focal_id", "committee", "front", "in_kind", "flag", "unsigned", "error"})
		for c := range m.AllCommitments() {
			first, last := "", ""
			if c.First.Year != 0 {
				first = c.First.String()
			}
			if c.Error == "" {
				last = c.Last.String()
			}
			duration := ""
			switch {
			case c.WholePhase:
				duration = "phase"
			case c.Months > 0:
				duration = strconv.Itoa(c.Months)
			}
			cw.Write([]string{c.ID, c.Sponsor, strings.Join(c.Beneficiaries, ";"), amount(c.Amount), first, duration, last, c.Method, c.Focal, c.Committee, c.Front, c.InKind, c.Flag, c.Unsigned, c.Error})
		}
	case ReportMonths, ReportPayments:
		mc := &MonitorCSV{cw: cw, report: report}
		mc.Write(m.Months, m.Payments)
		return mc.Close()
	default:
		return fmt.Errorf("no report %q (the reports are %s)", report, strings.Join(MonitorReports, ", "))
	}
	cw.Flush()
	return cw.Error()
}

func num(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func amount(d decimal.Decimal) string {
	if d.IsZero() {
		return ""
	}
	return d.StringFixed(0)
}

// shares writes "unit:amount" for each share, separated by ";".
func shares(ss []Share) string {
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = s.Unit + ":" + s.Amount.StringFixed(0)
	}
	return strings.Join(parts, ";")
}

func oneLine(s string) string { return strings.ReplaceAll(s, "\n", "; ") }

// The CSV reports of a reconciliation.
const (
	ReportReceipts = "receipts" // per payment record: the record, a note, its error
	ReportPairs    = "pairs"    // per month, sponsor and subject: pledged, paid, unpaid, arrears, overpaid
	ReportTallies  = "tallies"  // per month and subject, sponsor, focal organisation, commune, district, province
	ReportSources  = "sources"  // per area and source of mobilisation: what was paid
)

// ReconcileReports lists the CSV reports of a reconciliation.
var ReconcileReports = []string{ReportTallies, ReportPairs, ReportReceipts, ReportSources}

// WriteJSON writes the whole reconciliation as one JSON object.
func (rc *Reconciliation) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	return enc.Encode(rc)
}

// WriteCSV writes one of ReconcileReports.
func (rc *Reconciliation) WriteCSV(w io.Writer, report string) error {
	cw := csv.NewWriter(w)
	d := func(x decimal.Decimal) string { return x.StringFixed(0) }
	switch report {
	case ReportReceipts:
		cw.Write([]string{"line", "month", "payer_id", "person_id", "amount", "method", "focal_id", "receipt_no", "source", "note", "error"})
		for _, p := range rc.Payments {
			mo := ""
			if p.Month.Year != 0 {
				mo = p.Month.String()
			}
			cw.Write([]string{strconv.Itoa(p.Line), mo, p.Payer, p.Subject, amount(p.Amount), p.Method, p.Focal, p.Receipt, p.Source, p.Note, oneLine(p.Error)})
		}
	case ReportPairs:
		cw.Write([]string{"month", "sponsor_id", "person_id", "focal_id", "pledged", "paid", "unpaid", "arrears", "overpaid"})
		for _, p := range rc.Pairs {
			cw.Write([]string{p.Month.String(), p.Sponsor, p.Subject, p.Focal, d(p.Pledged), d(p.Paid), d(p.Unpaid), d(p.Arrears), d(p.Overpaid)})
		}
	case ReportTallies:
		cw.Write([]string{"month", "level", "code", "due", "pledged", "paid", "unpaid", "arrears", "overpaid", "short"})
		for _, t := range rc.Tallies {
			cw.Write([]string{t.Month.String(), t.Level, t.Code, d(t.Due), d(t.Pledged), d(t.Paid), d(t.Unpaid), d(t.Arrears), d(t.Overpaid), d(t.Short)})
		}
	case ReportSources:
		cw.Write([]string{"level", "code", "source", "paid"})
		for _, s := range rc.Sources {
			cw.Write([]string{s.Level, s.Code, s.Source, d(s.Paid)})
		}
	default:
		return fmt.Errorf("no report %q (the reports are %s)", report, strings.Join(ReconcileReports, ", "))
	}
	cw.Flush()
	return cw.Error()
}

// MonitorCSV writes the months or payments report of a monitoring as its
// months arrive (MonitorStream), byte for byte as WriteCSV writes it.
type MonitorCSV struct {
	cw      *csv.Writer
	report  string
	started bool
}

// NewMonitorCSV writes report, ReportMonths or ReportPayments, to w.
func NewMonitorCSV(w io.Writer, report string) (*MonitorCSV, error) {
	if report != ReportMonths && report != ReportPayments {
		return nil, fmt.Errorf("report %q is not written month by month (only %s and %s are)", report, ReportMonths, ReportPayments)
	}
	return &MonitorCSV{cw: csv.NewWriter(w), report: report}, nil
}

func (mc *MonitorCSV) header() {
	if mc.started {
		return
	}
	mc.started = true
	if mc.report == ReportMonths {
		mc.cw.Write([]string{"month", "person_id", "eligible", "due", "pledged", "shortfall", "sponsors", "focal_id", "note"})
	} else {
		mc.cw.Write([]string{"month", "sponsor_id", "person_id", "amount", "method", "focal_id", "commitment_id"})
	}
}

// Write writes the rows (months) or the payments (payments) of a month.
func (mc *MonitorCSV) Write(rows []MonthRow, pays []Payment) error {
	mc.header()
	if mc.report == ReportMonths {
		for _, r := range rows {
			mc.cw.Write([]string{r.Month.String(), r.PersonID, strconv.FormatBool(r.Eligible), r.Due.StringFixed(0), r.Pledged.StringFixed(0),
				r.Shortfall.StringFixed(0), strings.Join(r.Sponsors, ";"), r.Focal, r.Note})
		}
	} else {
		for _, p := range pays {
			mc.cw.Write([]string{p.Month.String(), p.Sponsor, p.Beneficiary, p.Amount.StringFixed(0), p.Method, p.Focal, p.Commitment})
		}
	}
	mc.cw.Flush()
	return mc.cw.Error()
}

// Close writes the header if no month came, and flushes.
func (mc *MonitorCSV) Close() error {
	mc.header()
	mc.cw.Flush()
	return mc.cw.Error()
}
