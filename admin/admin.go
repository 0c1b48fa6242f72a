package admin

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	_ "embed"
)

// The national lists are embedded so that every importer carries them: a
// benefit decision must not depend on a file being present at run time.
var (
	//go:embed data/vn-admin-units-2025-03-01.csv
	unitsCSV string
	//go:embed data/vn-commune-mapping-2025-07-01.csv
	mappingCSV string
)

// Zones returned by [Commune.Zone]. They are plain strings so that rule files
// can compare against them without importing this package.
const (
	ZoneRural = "rural"
	ZoneUrban = "urban"
)

// Commune is one commune-level unit, from either the pre-reform list
// (Reformed false, with its district) or the post-reform list (Reformed true,
// no district: districts were abolished on 2025-07-01).
type Commune struct {
	Code         string `expr:"code"`          // 5-digit GSO code, e.g. "18073"
	Name         string `expr:"name"`          // full name with its type prefix, e.g. "Phường Nam Hà"
	Type         string `expr:"type"`          // "Xã", "Phường", "Thị trấn" or "Đặc khu"
	ProvinceCode string `expr:"province"`      // 2-digit GSO code of the province in force for this list
	ProvinceName string `expr:"province_name"` // e.g. "Tỉnh Hà Tĩnh"
	DistrictCode string `expr:"district"`      // 3-digit GSO code; "" for post-reform communes
	DistrictName string `expr:"district_name"` // "" for post-reform communes
	DistrictType string `expr:"district_type"` // "Huyện", "Thị xã", "Thành phố", "Quận"; "" after the reform
	Reformed     bool   `expr:"reformed"`      // true for a commune of the post-2025-07-01 list
}

// Zone classifies the commune as rural or urban from its type alone.
// POLICY: the provincial policy sets benefit levels by zone and defines the
// zone by commune type: Xã and Đặc khu are rural, Phường and Thị trấn are
// urban. It returns "" for any other type (Load rejects such types, so this
// only happens for a zero Commune).
func (c Commune) Zone() string {
	switch c.Type {
	case "Xã", "Đặc khu":
		return ZoneRural
	case "Phường", "Thị trấn":
		return ZoneUrban
	}
	return ""
}

// District is one pre-reform district-level unit with the codes of its
// communes, sorted.
type District struct {
	Code, Name, Type, ProvinceCode string
	Communes                       []string
}

// Sentinel errors of [Registry.MapToNew]; test for them with errors.Is. The
// returned errors wrap them and say, in plain words, which code failed and why.
var (
	// ErrUnknownCommune: the code is in neither list, or it is a pre-reform
	// code for which the mapping gives no usable successor.
	ErrUnknownCommune = errors.New("unknown commune")
	// ErrAmbiguousCommune: the pre-reform commune was split between several
	// post-reform communes, so the code alone cannot say which one applies;
	// the message lists the candidates.
	ErrAmbiguousCommune = errors.New("ambiguous commune")
)

// Registry holds the pre-reform and post-reform commune lists and the mapping
// between them. It is never modified after construction, so it is safe for
// concurrent use; methods return copies, never internal slices.
type Registry struct {
	old, new  map[string]Commune  // by code
	succ      map[string][]string // old code -> new codes, sorted
	oldByProv map[string][]string // old province -> commune codes, sorted
	newByProv map[string][]string // new province -> commune codes, sorted
	districts map[string][]District
	oldProv   map[string]string // old province code -> name
	newProv   map[string]string // new province code -> name ("" if not in the table)
}

var (
	defaultOnce sync.Once
	defaultReg  *Registry
)

// Default returns the registry built from the embedded national lists. They
// are parsed on first use only (about 20,000 rows), once per process.
// It panics if the embedded data does not parse, which the package tests
// rule out.
func Default() *Registry {
	defaultOnce.Do(func() {
		r, err := Load(strings.NewReader(unitsCSV), strings.NewReader(mappingCSV))
		if err != nil {
			panic("admin: embedded data: " + err.Error())
		}
		defaultReg = r
	})
	return defaultReg
}

// Lookup finds a commune by the code written in a record.
//
// Every post-reform code is also a pre-reform code (new communes reused the
// code of one of the communes they absorbed), so a bare code is read in its
// pre-reform meaning first: Lookup returns the pre-reform commune, with its
// district, and falls back to the post-reform list only for a code the
// pre-reform list lacks (never, with the embedded lists). Use [Registry.LookupReformed] for a record known to
// be written after 2025-07-01 and [Registry.MapToNew] to get today's commune.
// Surrounding spaces are ignored; the lookup does not allocate.
func (r *Registry) Lookup(code string) (Commune, bool) {
	code = strings.TrimSpace(code)
	if c, ok := r.old[code]; ok {
		return c, true
	}
	c, ok := r.new[code]
	return c, ok
}

// LookupReformed finds a commune in the post-reform list only. It exists
// because the same code can name different communes before and after the
// reform (e.g. 00004 was Phường Trúc Bạch and is now Phường Ba Đình).
func (r *Registry) LookupReformed(code string) (Commune, bool) {
	c, ok := r.new[strings.TrimSpace(code)]
	return c, ok
}

// Successors returns the post-reform communes that the pre-reform commune
// oldCode was merged or split into, sorted by code; nil if oldCode is not a
// pre-reform code or has no usable successor.
func (r *Registry) Successors(oldCode string) []Commune {
	codes := r.succ[strings.TrimSpace(oldCode)]
	if len(codes) == 0 {
		return nil
	}
	out := make([]Commune, len(codes))
	for i, c := range codes {
		out[i] = r.new[c]
	}
	return out
}

// MapToNew returns the post-reform commune for a code read as [Registry.Lookup]
// reads it: a pre-reform code follows the mapping (a kept code maps to
// itself, possibly under a new name); a code only in the post-reform list is
// returned as is. A pre-reform commune that was split yields an error wrapping
// [ErrAmbiguousCommune] that names the candidates; the caller must then ask
// which part of the old commune the person lives in.
func (r *Registry) MapToNew(code string) (Commune, error) {
	code = strings.TrimSpace(code)
	old, isOld := r.old[code]
	if !isOld {
		if c, ok := r.new[code]; ok {
			return c, nil
		}
		return Commune{}, fmt.Errorf("%w: code %q is in neither the pre-reform nor the post-reform list", ErrUnknownCommune, code)
	}
	codes := r.succ[code]
	switch len(codes) {
	case 0:
		return Commune{}, fmt.Errorf("%w: old commune code %s (%s, %s) has no usable post-reform successor in the mapping", ErrUnknownCommune, code, old.Name, old.ProvinceName)
	case 1:
		return r.new[codes[0]], nil
	}
	names := make([]string, len(codes))
	for i, c := range codes {
		names[i] = c + " " + r.new[c].Name
	}
	return Commune{}, fmt.Errorf("%w: old commune code %s (%s) was split into %d new communes: %s",
		ErrAmbiguousCommune, code, old.Name, len(codes), strings.Join(names, ", "))
}

// Communes returns the communes of a province, sorted by code: from the
// pre-reform list (reformed false, 63 provinces) or the post-reform list
// (reformed true, 34 provinces). Province codes are read in the list's own
// meaning: "82" is Tiền Giang before the reform and Đồng Tháp after it.
func (r *Registry) Communes(provinceCode string, reformed bool) []Commune {
	list, byCode := r.oldByProv[provinceCode], r.old
	if reformed {
		list, byCode = r.newByProv[provinceCode], r.new
	}
	if len(list) == 0 {
		return nil
	}
	out := make([]Commune, len(list))
	for i, c := range list {
		out[i] = byCode[c]
	}
	return out
}

// Districts returns the pre-reform districts of a pre-reform province, sorted
// by code, each with its commune codes. There are no post-reform districts.
func (r *Registry) Districts(provinceCode string) []District {
	ds := r.districts[provinceCode]
	if len(ds) == 0 {
		return nil
	}
	out := slices.Clone(ds)
	for i := range out {
		out[i].Communes = slices.Clone(out[i].Communes)
	}
	return out
}

// Province returns a province's name in the pre-reform list (reformed false)
// or the post-reform list (reformed true). The flag is needed because
// province codes were reused too: "82" was Tỉnh Tiền Giang and is now
// Tỉnh Đồng Tháp. A post-reform province present in the mapping but missing
// from the built-in name table returns ("", true).
func (r *Registry) Province(code string, reformed bool) (name string, ok bool) {
	if reformed {
		name, ok = r.newProv[code]
	} else {
		name, ok = r.oldProv[code]
	}
	return name, ok
}

// ReformDate is the day the two-level local government took effect
// (2025-07-01): from it a commune code is read against the post-reform list.
var ReformDate = time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)

// On resolves a code written in a record as it stood on date: before
// ReformDate a code names the pre-reform commune; from it a post-reform
// code names the new commune, and a pre-reform code is mapped to its
// successor when there is exactly one (an error otherwise, wrapping
// ErrAmbiguousCommune or ErrUnknownCommune).
func (r *Registry) On(code string, date time.Time) (Commune, error) {
	if date.Before(ReformDate) {
		if c, ok := r.Lookup(code); ok {
			return c, nil
		}
		return Commune{}, fmt.Errorf("%w: no commune has code %q", ErrUnknownCommune, code)
	}
	if c, ok := r.LookupReformed(code); ok {
		return c, nil
	}
	return r.MapToNew(code)
}

// Each calls f for every commune of both lists, pre-reform first.
func (r *Registry) Each(f func(Commune)) {
	for _, m := range []map[string]Commune{r.old, r.new} {
		for _, c := range m {
			f(c)
		}
	}
}
