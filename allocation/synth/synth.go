// Package synth makes realistic, deterministic data sets of beneficiaries
// and sponsoring units from the real commune lists (package admin): the
// Hà Tĩnh example of examples/hatinh and the national set the allocation
// benchmarks run on. The same seed gives the same data, byte for byte.
//
// Nothing here is real data about people: names, birth dates, allowances
// and capacities are drawn from a seeded generator with proportions chosen
// to look like the province's (docs/policy.md §8: about 18,300 members in 9,400
// households over 210 communes).
package synth

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/hotro-vn/hotro/admin"
	"github.com/hotro-vn/hotro/allocation"
	"github.com/hotro-vn/hotro/eligibility"
	"github.com/shopspring/decimal"
)

// Config says what to make.
type Config struct {
	Seed      uint64
	Provinces []string // pre-reform province codes; nil = every province
	Persons   int      // household members to make (nearly all eligible)
	Units     int      // sponsoring units to make, about
	// PerPerson is what a sponsor's amount is sized against: roughly the
	// average top-up on the plan's date (about 400,000 đ in 2020).
	PerPerson decimal.Decimal
}

// HaTinh is the configuration of the examples/hatinh data set.
var HaTinh = Config{Seed: 179, Provinces: []string{"42"}, Persons: 18300, Units: 1000, PerPerson: decimal.NewFromInt(400000)}

// National is the national-scale set of the benchmarks: 1,000,000
// beneficiaries over the 10,047 communes, 100,000 units.
var National = Config{Seed: 2019, Persons: 1_000_000, Units: 100_000, PerPerson: decimal.NewFromInt(400000)}

// HaTinhLarge puts the national numbers (1,000,000 persons, 100,000 units)
// in Hà Tĩnh's 210 communes, whose residents alone the rule sets make
// eligible: the set on which the whole command (reading, deciding,
// planning, writing) is timed at national scale.
var HaTinhLarge = Config{Seed: 2019, Provinces: []string{"42"}, Persons: 1_000_000, Units: 100_000, PerPerson: decimal.NewFromInt(400000)}

// Data is a generated data set.
type Data struct {
	Persons []eligibility.Person
	Units   []allocation.Unit
	// Households is the number of households the persons live in.
	Households int
}

// Generate makes a data set. It panics on a configuration that names no
// commune, which is a programming error.
func Generate(cfg Config) Data {
	r := rand.New(rand.NewPCG(cfg.Seed, 0x6e71_3179))
	reg := admin.Default()
	provinces := cfg.Provinces
	if provinces == nil {
		for i := 1; i <= 99; i++ {
			if _, ok := reg.Province(fmt.Sprintf("%02d", i), false); ok {
				provinces = append(provinces, fmt.Sprintf("%02d", i))
			}
		}
	}
	var communes []admin.Commune
	var districts []admin.District
	for _, p := range provinces {
		communes = append(communes, reg.Communes(p, false)...)
		districts = append(districts, reg.Districts(p)...)
	}
	if len(communes) == 0 {
		panic("synth: no commune in provinces " + fmt.Sprint(provinces))
	}
	g := &gen{r: r, cfg: cfg}
	g.people(communes)
	g.units(provinces, districts, communes)
	return Data{Persons: g.persons, Units: g.us, Households: g.households}
}

type gen struct {
	r          *rand.Rand
	cfg        Config
	persons    []eligibility.Person
	us         []allocation.Unit
	households int
	perCommune map[string]int
}

// Poverty is rural: a Xã weighs more than a Thị trấn, a Phường least.
var typeWeight = map[string]float64{"Xã": 1.0, "Thị trấn": 0.55, "Phường": 0.35, "Đặc khu": 0.8}

func (g *gen) people(communes []admin.Commune) {
	cum := make([]float64, len(communes))
	total := 0.0
	for i, c := range communes {
		total += typeWeight[c.Type] * (0.4 + 1.2*g.r.Float64())
		cum[i] = total
	}
	g.perCommune = map[string]int{}
	sizes := []int{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 4, 4} // mean 1.93 members
	for len(g.persons) < g.cfg.Persons {
		x := g.r.Float64() * total
		lo, hi := 0, len(cum)-1
		for lo < hi {
			if mid := (lo + hi) / 2; cum[mid] < x {
				lo = mid + 1
			} else {
				hi = mid
			}
		}
		c := communes[lo]
		g.households++
		hh := fmt.Sprintf("H%06d", g.households)
		n := min(sizes[g.r.IntN(len(sizes))], g.cfg.Persons-len(g.persons))
		for range n {
			g.persons = append(g.persons, g.person(hh, c))
			g.perCommune[c.Code]++
		}
	}
}

var (
	family = []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Thái", "Đinh"}
	middle = []string{"Văn", "Thị", "Đức", "Minh", "Hữu", "Ngọc", "Thanh", "Xuân", "Đình", "Thị Kim"}
	given  = []string{"An", "Bình", "Cúc", "Dung", "Đào", "Hà", "Hải", "Hạnh", "Hoa", "Hùng", "Lan", "Liên", "Long", "Mai", "Nam",
		"Nga", "Phúc", "Sơn", "Tâm", "Thảo", "Thủy", "Tuấn", "Vân", "Xuân", "Lộc", "Khánh", "Quế", "Tình"}
)

// person draws one member of a social-protection poor household: elderly,
// a child, or an adult with a severe disability or a serious illness; a few
// are not eligible (cared for in a facility, or an adult with only a mild
// disability), as real lists have.
func (g *gen) person(hh string, c admin.Commune) eligibility.Person {
	r := g.r
	p := eligibility.Person{ID: fmt.Sprintf("P%07d", len(g.persons)+1), HouseholdID: hh, CommuneCode: c.Code, Resident: eligibility.Bool(true),
		HouseholdPoor: eligibility.Bool(true), HouseholdCategory: "btxh", Disability: "none", OtherIncome: decimal.NewNullDecimal(decimal.Zero)}
	p.FullName = family[r.IntN(len(family))] + " " + middle[r.IntN(len(middle))] + " " + given[r.IntN(len(given))]
	var age int
	coef := "1.0"
	switch x := r.IntN(100); {
	case x < 55: // elderly
		age = 60 + r.IntN(36)
		coef = "1.5"
		if age >= 80 {
			coef = "2.0"
		}
	case x < 75: // child
		age = r.IntN(16)
		coef = "1.5"
	case x < 90: // severe or especially severe disability
		age = 16 + r.IntN(44)
		p.Disability, coef = "severe", "1.5"
		if r.IntN(3) == 0 {
			p.Disability, coef = "especially_severe", "2.0"
		}
	default: // serious illness
		age = 16 + r.IntN(44)
		p.SeriousIllness = eligibility.Bool(true)
	}
	switch x := r.IntN(1000); {
	case x < 4:
		p.InCareFacility = eligibility.Bool(true)
	case x < 7 && age >= 16 && age < 60:
		p.Disability, p.SeriousIllness = "mild", eligibility.Bool(false)
	}
	p.BirthDate = time.Date(2020-age-1, time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
	if r.IntN(4) == 0 {
		// Recorded as the amount received in 2020 rather than a coefficient.
		p.MonthlyAllowance = decimal.NewNullDecimal(decimal.NewFromInt(270000))
	} else if p.SeriousIllness == nil || !*p.SeriousIllness {
		p.AllowanceCoefficient = decimal.NewNullDecimal(decimal.RequireFromString(coef))
	}
	if r.IntN(10) == 0 {
		p.OtherIncome = decimal.NewNullDecimal(decimal.NewFromInt(int64(50000 * (1 + r.IntN(6)))))
	}
	return p
}

var agencies = []string{"Phòng Nội vụ", "Phòng Tư pháp", "Phòng Tài chính – Kế hoạch", "Phòng Tài nguyên và Môi trường",
	"Phòng Lao động – Thương binh và Xã hội", "Phòng Văn hóa và Thông tin", "Phòng Giáo dục và Đào tạo", "Phòng Y tế",
	"Thanh tra", "Văn phòng HĐND và UBND", "Phòng Kinh tế", "Phòng Nông nghiệp và PTNT", "Ủy ban MTTQ", "Huyện đoàn",
	"Hội Liên hiệp Phụ nữ", "Hội Nông dân", "Hội Cựu chiến binh", "Liên đoàn Lao động", "Ban Tuyên giáo", "Ban Tổ chức",
	"Ban Dân vận", "Ủy ban Kiểm tra", "Trung tâm Y tế", "Trung tâm GDNN–GDTX", "Kho bạc Nhà nước", "Chi cục Thuế",
	"Ngân hàng Chính sách xã hội", "Bảo hiểm xã hội", "Hội Chữ thập đỏ", "Trung tâm Văn hóa – Truyền thông"}

var departments = []string{"Sở Lao động – Thương binh và Xã hội", "Sở Tài chính", "Sở Kế hoạch và Đầu tư", "Sở Y tế",
	"Sở Giáo dục và Đào tạo", "Sở Nội vụ", "Sở Tư pháp", "Sở Công Thương", "Sở Xây dựng", "Sở Giao thông vận tải",
	"Sở Nông nghiệp và PTNT", "Sở Tài nguyên và Môi trường", "Sở Văn hóa, Thể thao và Du lịch", "Sở Khoa học và Công nghệ",
	"Sở Thông tin và Truyền thông", "Ban Dân tộc", "Thanh tra tỉnh", "Văn phòng UBND tỉnh", "Ủy ban MTTQ tỉnh", "Tỉnh đoàn",
	"Hội Liên hiệp Phụ nữ tỉnh", "Hội Nông dân tỉnh", "Hội Cựu chiến binh tỉnh", "Liên đoàn Lao động tỉnh", "Ban Tuyên giáo Tỉnh ủy"}

// units makes a commune unit per commune, agencies and businesses per
// district, hometown associations, and the province's departments,
// businesses and philanthropists. Capacities are sized on the number of
// beneficiaries so that some districts reach the 70% local share and
// others do not, and the province covers most, not all, of the rest.
func (g *gen) units(provinces []string, districts []admin.District, communes []admin.Commune) {
	r := g.r
	spare := max(0, g.cfg.Units-len(communes))
	perDistrict := float64(spare) * 0.7 / float64(max(1, len(districts)))
	perProvince := float64(spare) * 0.25 / float64(len(provinces))
	// amount is what a sponsor of about that many persons pledges, in
	// whole 100,000 đ; the share is drawn as a float, the money is not.
	hundredK := decimal.NewFromInt(100000)
	amount := func(persons float64) decimal.Decimal {
		return g.cfg.PerPerson.Mul(decimal.NewFromInt(int64(persons * 100))).Div(hundredK.Mul(decimal.NewFromInt(100))).Floor().Mul(hundredK)
	}
	add := func(u allocation.Unit) {
		u.ID = fmt.Sprintf("U%06d", len(g.us)+1)
		g.us = append(g.us, u)
	}
	byDistrict := map[string]int{}
	for _, c := range communes {
		byDistrict[c.DistrictCode] += g.perCommune[c.Code]
	}
	share := map[string]float64{}
	for _, d := range districts {
		share[d.Code] = 0.42 + 0.22*r.Float64() // what the district's communes mobilise
	}
	for _, c := range communes {
		n := g.perCommune[c.Code]
		f := share[c.DistrictCode] + 0.16*(r.Float64()-0.5)
		add(allocation.Unit{Name: "Ủy ban MTTQ " + c.Name, Level: "commune", Kind: allocation.KindCommune, Place: c.Code,
			Source: []string{"officials", "community", "union_members"}[r.IntN(3)], Persons: max(2, int(float64(n)*f+0.5))})
	}
	for _, d := range districts {
		n := byDistrict[d.Code]
		k := max(3, int(perDistrict*(0.7+0.6*r.Float64())))
		nAgencies := k * 7 / 10
		for i := range nAgencies {
			name := agencies[i%len(agencies)] + " " + d.Name
			if i >= len(agencies) {
				name = fmt.Sprintf("%s (%d)", name, i/len(agencies)+1)
			}
			var staff, persons int
			switch x := r.IntN(100); {
			case x < 30:
				staff, persons = 4+r.IntN(6), r.IntN(2)
			case x < 65:
				staff, persons = 10+r.IntN(6), 1+r.IntN(2)
			default:
				staff = 16 + r.IntN(30)
				persons = max(1, (staff+14)/15-1+r.IntN(3)) // a third state less than they owe
			}
			if r.IntN(20) == 0 {
				persons = 0 // states nothing: takes its obligation
			}
			add(allocation.Unit{Name: name, Level: "district", Kind: allocation.KindAgency, Place: d.Code, Staff: staff, Source: "officials", Persons: persons})
		}
		// The district's businesses share about 6–14% of its beneficiaries.
		nBiz := max(1, k-nAgencies-1)
		budget := float64(n) * (0.06 + 0.08*r.Float64())
		for i := range nBiz {
			place := d.Communes[r.IntN(len(d.Communes))]
			add(allocation.Unit{Name: fmt.Sprintf("Doanh nghiệp %s số %d", d.Name, i+1), Level: "district", Kind: allocation.KindBusiness,
				Place: place, Source: "businesses", Amount: amount(budget / float64(nBiz) * (0.5 + r.Float64()))})
		}
		place := d.Communes[r.IntN(len(d.Communes))]
		add(allocation.Unit{Name: "Hội đồng hương " + d.Name, Level: "district", Kind: allocation.KindAssociation, Place: place,
			Source: "expatriates", Persons: 1 + r.IntN(4), Reach: "district"})
	}
	for _, p := range provinces {
		name, _ := admin.Default().Province(p, false)
		n := 0
		for _, c := range communes {
			if c.ProvinceCode == p {
				n += g.perCommune[c.Code]
			}
		}
		k := max(5, int(perProvince))
		// The province takes about 12–20% of its beneficiaries: less than the
		// lower levels leave, so some remain uncovered, as in practice.
		cover := float64(n) * (0.12 + 0.08*r.Float64())
		nDept, nBiz := k*4/10, k*4/10
		nPhil := k - nDept - nBiz
		for i := range nDept {
			dn := departments[i%len(departments)]
			if i >= len(departments) {
				dn = fmt.Sprintf("%s (%d)", dn, i/len(departments)+1)
			}
			add(allocation.Unit{Name: dn + " " + name, Level: "province", Kind: allocation.KindAgency, Place: p, Staff: 20 + r.IntN(80),
				Source: "officials", Persons: max(1, int(cover*0.4/float64(nDept)*(0.5+r.Float64())))})
		}
		for i := range nBiz {
			add(allocation.Unit{Name: fmt.Sprintf("Doanh nghiệp %s số %d", name, i+1), Level: "province", Kind: allocation.KindBusiness, Place: p,
				Source: "businesses", Amount: amount(cover * 0.5 / float64(nBiz) * (0.5 + r.Float64()))})
		}
		for i := range nPhil {
			add(allocation.Unit{Name: fmt.Sprintf("Nhà hảo tâm %s số %d", name, i+1), Level: "province", Kind: allocation.KindPhilanthropist, Place: p,
				Source: "philanthropists", Amount: amount(cover * 0.1 / float64(nPhil) * (0.5 + r.Float64()))})
		}
	}
}
