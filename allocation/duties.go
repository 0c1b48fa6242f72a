package allocation

import (
	"encoding/csv"
	"slices"
	"strconv"

	"github.com/shopspring/decimal"
)

// The plan's other duties (docs/allocation.md §8, docs/policy.md §12):
// what officials' contributions can bear, the expatriates' target, and how
// the subjects of each area are paid for. They are reports beside the
// plan: a warning or a flag, never a failure of the plan.

// The reports of the plan's other duties, written like Reports.
const (
	ReportContributions = "contributions" // units whose staff × the minimum contribution cannot meet what they pay
	ReportExpatriates   = "expatriates"   // per area: subjects sponsored through hometown associations, a warning when none
	ReportArrangements  = "arrangements"  // per area: subjects by payment arrangement
)

// SourceExpatriates is the source of mobilisation of hometown associations
// in the bundled rule sets (người con quê hương).
const SourceExpatriates = "expatriates"

// Duties are the plan's other duties, counted after the plan.
type Duties struct {
	Contributions []Contribution `json:"contributions"`
	Expatriates   []Expatriates  `json:"expatriates"`
	Arrangements  []Arrangement  `json:"arrangements"`
}

// Contribution is a unit with staff: what its staff give at the least
// each month (staff × the rule set's minimum for its zone) against what it
// pays in the plan. Flagged when the staff cannot meet it.
type Contribution struct {
	Unit    string          `json:"unit_id"`
	Name    string          `json:"name,omitempty"`
	Staff   int             `json:"staff"`
	Zone    string          `json:"zone"`
	Minimum decimal.Decimal `json:"staff_minimum"` // staff × minimum per official
	Monthly decimal.Decimal `json:"monthly"`       // what the plan asks it to pay
	Flagged bool            `json:"flagged"`
	Warning string          `json:"warning,omitempty"`
}

// Expatriates is one area of the expatriates' target: at least one subject
// of each area sponsored through a hometown association (a unit of kind
// association or of source expatriates).
type Expatriates struct {
	Level         string `json:"level"`
	Code          string `json:"code"`
	Name          string `json:"name"`
	Beneficiaries int    `json:"beneficiaries"`
	Sponsored     int    `json:"sponsored_by_expatriates"`
	Warning       string `json:"warning,omitempty"`
}

// Arrangement counts the subjects of an area by how they are paid for:
// sponsored alone by one unit, shared by several with one focal
// organisation, on the province list (sponsored by the last level), or
// without a sponsor.
type Arrangement struct {
	Level         string `json:"level"`
	Code          string `json:"code"`
	Name          string `json:"name"`
	Beneficiaries int    `json:"beneficiaries"`
	Alone         int    `json:"alone"`
	Shared        int    `json:"shared"`
	ProvinceList  int    `json:"province_list"`
	Uncovered     int    `json:"uncovered"`
}

func isExpatriate(u *UnitResult) bool {
	return u.Kind == KindAssociation || u.Source == SourceExpatriates
}

// duties counts the other duties of a plan made by a, whose areas are out
// (in the order of areas()).
func (a *allocator) duties(areas []Area) *Duties {
	d := &Duties{}
	for i := range a.units {
		u := &a.units[i]
		if u.Error != "" || u.Staff <= 0 {
			continue
		}
		c := Contribution{Unit: u.ID, Name: u.Name, Staff: u.Staff, Zone: a.zones[i], Minimum: a.state[i].staffMin, Monthly: u.Monthly}
		if c.Minimum.LessThan(c.Monthly) {
			c.Flagged = true
			c.Warning = "đóng góp tối thiểu của CBCC-NLĐ (" + c.Minimum.StringFixed(0) + " đ) không đủ số tiền đơn vị chi trả (" +
				c.Monthly.StringFixed(0) + " đ) / staff contributions at the minimum cannot meet what the unit pays"
		}
		d.Contributions = append(d.Contributions, c)
	}
	index := make(map[string]int32, len(a.units))
	for i := range a.units {
		index[a.units[i].ID] = int32(i)
	}
	nn := len(a.t.nodes)
	nl := len(a.levels)
	expat := make([]int, nn)
	arr := make([]Arrangement, nn)
	for b := range a.spons {
		n0 := a.benNode[b]
		if n0 < 0 {
			continue
		}
		sp := &a.spons[b]
		ex := false
		for _, sh := range sp.Shares {
			if isExpatriate(&a.units[index[sh.Unit]]) {
				ex = true
			}
		}
		for n := n0; n > 0; n = a.t.nodes[n].parent {
			if ex {
				expat[n]++
			}
			r := &arr[n]
			switch {
			case a.covered[b] < 0:
				r.Uncovered++
			case int(a.covered[b]) == nl-1 && nl > 1:
				r.ProvinceList++
			case len(sp.Shares) == 1:
				r.Alone++
			default:
				r.Shared++
			}
		}
	}
	// The target is per commune or district: the level after the commune
	// when the rule set has one below the last (2020–2025: district),
	// else the commune (interpretation expatriates-target).
	target := 0
	if nl > 2 {
		target = 1
	}
	type key struct {
		level int
		code  string
	}
	nodeOf := make(map[key]int32, nn)
	for i := 1; i < nn; i++ {
		nodeOf[key{a.t.nodes[i].level, a.t.nodes[i].code}] = int32(i)
	}
	for _, ar := range areas {
		n, ok := nodeOf[key{slices.Index(a.levels, ar.Level), ar.Code}]
		if !ok {
			continue
		}
		r := arr[n]
		r.Level, r.Code, r.Name, r.Beneficiaries = ar.Level, ar.Code, ar.Name, ar.Beneficiaries
		d.Arrangements = append(d.Arrangements, r)
		if a.t.nodes[n].level == target && ar.Beneficiaries > 0 {
			e := Expatriates{Level: ar.Level, Code: ar.Code, Name: ar.Name, Beneficiaries: ar.Beneficiaries, Sponsored: expat[n]}
			if e.Sponsored == 0 {
				e.Warning = "chưa có đối tượng nào do hội đồng hương đỡ đầu (mục tiêu: ít nhất 01) / no subject sponsored through a hometown association (target: at least 1)"
			}
			d.Expatriates = append(d.Expatriates, e)
		}
	}
	return d
}

// Warnings counts the flagged contributions and the areas short of the
// expatriates' target.
func (d *Duties) Warnings() (contributions, expatriates int) {
	for _, c := range d.Contributions {
		if c.Flagged {
			contributions++
		}
	}
	for _, e := range d.Expatriates {
		if e.Warning != "" {
			expatriates++
		}
	}
	return
}

func (d *Duties) writeCSV(cw *csv.Writer, report string) {
	switch report {
	case ReportContributions:
		cw.Write([]string{"unit_id", "name", "staff", "zone", "staff_minimum", "monthly", "flagged", "warning"})
		for _, c := range d.Contributions {
			cw.Write([]string{c.Unit, c.Name, strconv.Itoa(c.Staff), c.Zone, c.Minimum.StringFixed(0), c.Monthly.StringFixed(0), strconv.FormatBool(c.Flagged), c.Warning})
		}
	case ReportExpatriates:
		cw.Write([]string{"level", "code", "name", "beneficiaries", "sponsored_by_expatriates", "warning"})
		for _, e := range d.Expatriates {
			cw.Write([]string{e.Level, e.Code, e.Name, strconv.Itoa(e.Beneficiaries), strconv.Itoa(e.Sponsored), e.Warning})
		}
	case ReportArrangements:
		cw.Write([]string{"level", "code", "name", "beneficiaries", "alone", "shared", "province_list", "uncovered"})
		for _, r := range d.Arrangements {
			cw.Write([]string{r.Level, r.Code, r.Name, strconv.Itoa(r.Beneficiaries), strconv.Itoa(r.Alone), strconv.Itoa(r.Shared), strconv.Itoa(r.ProvinceList), strconv.Itoa(r.Uncovered)})
		}
	}
}
