package allocation

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hotro-vn/hotro/admin"
)

// The rule set names its levels and their order; the commune registry
// (package admin) knows three kinds of area. This table is the one place
// where the two meet: a rule set may use any of these level ids, in any
// order and number, and the plan follows the rule set.
var adminLevels = map[string]func(place) string{
	"commune":  func(p place) string { return p.commune },
	"district": func(p place) string { return p.district },
	"province": func(p place) string { return p.province },
}

// place is where a beneficiary lives or a unit sits, as codes of the
// registry; the codes below the place's own level are empty.
type place struct {
	commune, district, province string
	name                        string // of the most precise code
	zone                        string // of the commune; "" above the commune
}

func placeOf(c admin.Commune) place {
	return place{commune: c.Code, district: c.DistrictCode, province: c.ProvinceCode, name: c.Name, zone: c.Zone()}
}

// place reads a commune on the geo's date. From the 2025 reform the
// districts are gone; a rule set that still has a district level (the
// 2020–2025 set in July–December 2025, interpretation reform-months) sees
// one area of that level per province, coded as the province: the former
// district units sit in it, and their quotas and the local share are
// counted over the province.
func (g *geo) place(c admin.Commune) place {
	p := placeOf(c)
	if g.reformed && p.district == "" {
		p.district = p.province
	}
	return p
}

// geo resolves codes on a date: before the 2025 reform a commune code names
// the old commune (with its district), from the reform the new one.
type geo struct {
	reg       *admin.Registry
	reformed  bool
	districts map[string]admin.District
	provinces map[string]string // code → name
}

func newGeo(reg *admin.Registry, date time.Time) *geo {
	g := &geo{reg: reg, reformed: !date.Before(admin.ReformDate), districts: map[string]admin.District{}, provinces: map[string]string{}}
	for i := 1; i <= 99; i++ {
		code := fmt.Sprintf("%02d", i)
		if name, ok := reg.Province(code, g.reformed); ok {
			g.provinces[code] = name
		}
		for _, d := range reg.Districts(code) {
			g.districts[d.Code] = d
		}
	}
	return g
}

// resolve reads a unit's place: a commune (5 digits), a district (3 digits,
// before the reform) or a province (2 digits).
func (g *geo) resolve(code string) (place, error) {
	code = strings.TrimSpace(code)
	switch len(code) {
	case 5:
		if !g.reformed {
			if c, ok := g.reg.Lookup(code); ok {
				return g.place(c), nil
			}
		} else if c, ok := g.reg.LookupReformed(code); ok {
			return g.place(c), nil
		} else if c, err := g.reg.MapToNew(code); err == nil {
			return g.place(c), nil
		} else {
			return place{}, err
		}
	case 3:
		if d, ok := g.districts[code]; ok && g.reformed {
			// A former district (interpretation reform-months): its units
			// sit in the province's one district-level area.
			return place{district: d.ProvinceCode, province: d.ProvinceCode, name: d.Name}, nil
		} else if ok {
			return place{district: d.Code, province: d.ProvinceCode, name: d.Name}, nil
		}
	case 2:
		if name, ok := g.provinces[code]; ok {
			return place{province: code, name: name}, nil
		}
	}
	return place{}, fmt.Errorf("no commune, district or province has code %q", code)
}

func (g *geo) commune(code string) admin.Commune {
	if g.reformed {
		c, _ := g.reg.LookupReformed(code)
		return c
	}
	c, _ := g.reg.Lookup(code)
	return c
}

// zone of an area: a commune's own; "rural" for a wider area, whose zone
// no quota rule reads (the input exists because poverty_line is keyed by it).
func (g *geo) zone(level, code string) string {
	if z := g.commune(code).Zone(); level == "commune" && z != "" {
		return z
	}
	return admin.ZoneRural
}

// name of an area of a level.
func (g *geo) name(level, code string) string {
	switch level {
	case "commune":
		return g.commune(code).Name
	case "district":
		if g.reformed {
			return g.provinces[code] + " (các huyện cũ)"
		}
		return g.districts[code].Name
	case "province":
		return g.provinces[code]
	}
	return ""
}

// node is an area of one level. The root stands above the last level
// ("further": anywhere in the data).
type node struct {
	level    int // index in the rule set's levels; len(levels) for the root
	code     string
	parent   int32
	children []int32
}

// tree holds the areas of a plan, built from the places of beneficiaries
// and units.
type tree struct {
	levels []string
	nodes  []node
	index  map[string]int32 // level index + "/" + code → node
	post   []int32          // nodes children first, children in code order
}

func newTree(levels []string) *tree {
	t := &tree{levels: levels, index: map[string]int32{}}
	t.nodes = append(t.nodes, node{level: len(levels), parent: -1})
	return t
}

// codes returns the place's code at each level; "" where it has none.
func (t *tree) codes(p place) ([]string, error) {
	out := make([]string, len(t.levels))
	for i, l := range t.levels {
		f, ok := adminLevels[l]
		if !ok {
			return nil, fmt.Errorf("level %q of the rule set is not one the commune registry knows (it knows commune, district, province)", l)
		}
		out[i] = f(p)
	}
	return out, nil
}

// add returns the node of a place (its most precise level), creating it and
// its ancestors; the codes above the place's own level must be known.
func (t *tree) add(p place) (int32, error) {
	codes, err := t.codes(p)
	if err != nil {
		return 0, err
	}
	low := slices.IndexFunc(codes, func(c string) bool { return c != "" })
	if low < 0 {
		return 0, fmt.Errorf("%s is at none of the rule set's levels (%s)", p.name, strings.Join(t.levels, " → "))
	}
	at := int32(0)
	for i := len(codes) - 1; i >= low; i-- {
		if codes[i] == "" {
			return 0, fmt.Errorf("%s has no %s (the rule set's levels are %s)", p.name, t.levels[i], strings.Join(t.levels, " → "))
		}
		key := fmt.Sprintf("%d/%s", i, codes[i])
		id, ok := t.index[key]
		if !ok {
			id = int32(len(t.nodes))
			t.nodes = append(t.nodes, node{level: i, code: codes[i], parent: at})
			t.nodes[at].children = append(t.nodes[at].children, id)
			t.index[key] = id
		}
		at = id
	}
	return at, nil
}

// ancestor returns the node's ancestor (or itself) at level index l, or -1.
func (t *tree) ancestor(n int32, l int) int32 {
	for ; n >= 0; n = t.nodes[n].parent {
		if t.nodes[n].level == l {
			return n
		}
		if t.nodes[n].level > l {
			return -1
		}
	}
	return -1
}

// finish sorts children by code and lists the nodes children first.
func (t *tree) finish() {
	var walk func(n int32)
	walk = func(n int32) {
		ch := t.nodes[n].children
		slices.SortFunc(ch, func(a, b int32) int { return strings.Compare(t.nodes[a].code, t.nodes[b].code) })
		for _, c := range ch {
			walk(c)
		}
		t.post = append(t.post, n)
	}
	walk(0)
}

// levelName is the level id of a node, "" for the root.
func (t *tree) levelName(n int32) string {
	if l := t.nodes[n].level; l < len(t.levels) {
		return t.levels[l]
	}
	return ""
}
