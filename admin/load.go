package admin

import (
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"sync"
	"unicode"
)

// newProvinceNames names the 34 provinces in force from 2025-07-01
// (Resolution 202/2025/QH15). The mapping file carries only their codes, and
// a code's pre-reform name can be wrong after the reform ("82" was Tiền Giang,
// "91" Kiên Giang), so the names are listed here. Each is the name of one of
// the merged provinces as spelt in the pre-reform list; a test checks that.
var newProvinceNames = map[string]string{
	"01": "Thành phố Hà Nội", "04": "Tỉnh Cao Bằng", "08": "Tỉnh Tuyên Quang",
	"11": "Tỉnh Điện Biên", "12": "Tỉnh Lai Châu", "14": "Tỉnh Sơn La",
	"15": "Tỉnh Lào Cai", "19": "Tỉnh Thái Nguyên", "20": "Tỉnh Lạng Sơn",
	"22": "Tỉnh Quảng Ninh", "24": "Tỉnh Bắc Ninh", "25": "Tỉnh Phú Thọ",
	"31": "Thành phố Hải Phòng", "33": "Tỉnh Hưng Yên", "37": "Tỉnh Ninh Bình",
	"38": "Tỉnh Thanh Hóa", "40": "Tỉnh Nghệ An", "42": "Tỉnh Hà Tĩnh",
	"44": "Tỉnh Quảng Trị", "46": "Thành phố Huế", "48": "Thành phố Đà Nẵng",
	"51": "Tỉnh Quảng Ngãi", "52": "Tỉnh Gia Lai", "56": "Tỉnh Khánh Hòa",
	"66": "Tỉnh Đắk Lắk", "68": "Tỉnh Lâm Đồng", "75": "Tỉnh Đồng Nai",
	"79": "Thành phố Hồ Chí Minh", "80": "Tỉnh Tây Ninh", "82": "Tỉnh Đồng Tháp",
	"86": "Tỉnh Vĩnh Long", "91": "Tỉnh An Giang", "92": "Thành phố Cần Thơ",
	"96": "Tỉnh Cà Mau",
}

// communeTypes are the commune-level unit types Zone knows. Load rejects any
// other type rather than guess a zone for it.
var communeTypes = []string{"Xã", "Phường", "Thị trấn", "Đặc khu"}

// Load builds a registry from a units CSV (pre-reform communes with their
// province and district) and a mapping CSV (old commune -> new commune), in
// the format of the embedded files; columns are found by header name, so
// their order and any extra columns do not matter.
//
// Cleaning, applied because the national files need it (see the package
// doc): a leading BOM is dropped; names have spaces trimmed and collapsed and
// decomposed Vietnamese tone marks composed; a name's type prefix is matched
// case-insensitively and written canonically ("Thị Trấn X" -> "Thị trấn X").
// A name's prefix wins over the commune_type column when they disagree. A
// post-reform commune spelt differently on different rows takes the most
// frequent spelling (ties: the first row's). Mapping rows that put a new
// code in a province other than the one most of its rows give are dropped.
// Load fails on anything it cannot resolve that way: duplicate codes,
// non-numeric codes, unknown types, a mapping row for an unknown old code.
func Load(units, mapping io.Reader) (*Registry, error) {
	l := &lists{
		old: make(map[string]Commune, 10100), new: make(map[string]Commune, 3400), succ: make(map[string][]string, 10600),
		oldProv: map[string]string{},
	}
	if err := l.loadUnits(units); err != nil {
		return nil, fmt.Errorf("admin: units list: %w", err)
	}
	if err := l.loadMapping(mapping); err != nil {
		return nil, fmt.Errorf("admin: mapping: %w", err)
	}
	var old, reformed, succ [][]string
	for _, code := range slices.Sorted(maps.Keys(l.old)) {
		c := l.old[code]
		old = append(old, []string{c.Code, c.Name, c.Type, c.ProvinceCode, c.ProvinceName, c.DistrictCode, c.DistrictName, c.DistrictType})
	}
	for _, code := range slices.Sorted(maps.Keys(l.new)) {
		c := l.new[code]
		reformed = append(reformed, []string{c.Code, c.Name, c.Type, c.ProvinceCode, c.ProvinceName})
	}
	for _, code := range slices.Sorted(maps.Keys(l.succ)) {
		for _, n := range slices.Compact(slices.Sorted(slices.Values(l.succ[code]))) {
			succ = append(succ, []string{code, n})
		}
	}
	return newRegistry(tableOf(old, len(oldFields)), tableOf(reformed, len(newFields)), tableOf(succ, len(succFields))), nil
}

// lists are what Load reads from the files, by code, as it checks them.
type lists struct {
	old, new map[string]Commune  // by code
	succ     map[string][]string // old code -> new codes
	oldProv  map[string]string   // old province code -> name
}

// The tables of tables.go are text, one commune or successor a line,
// fields separated by tableSep, so that they hold no pointer: the garbage
// collector does not scan them, and the Communes built from them share
// their bytes.
const tableSep = "|"

// Fields of a line of oldTable, newTable and succTable.
var (
	oldFields  = []string{"code", "name", "type", "province", "province name", "district", "district name", "district type"}
	newFields  = []string{"code", "name", "type", "province", "province name"}
	succFields = []string{"old code", "new code"}
)

// defaultTables are the tables of tables.go, made from the CSV files in
// data/ as Load reads them: old and new communes sorted by code, and the
// successors as (old code, new code) lines, sorted. Nothing is checked or
// cleaned again; TestTables checks that they equal Load's.
func defaultTables() (old, reformed, succ table) {
	old = table{text: oldTable, n: len(oldFields), rows: oldRows[:], spans: &oldSpans}
	reformed = table{text: newTable, n: len(newFields), rows: newRows[:], spans: &newSpans}
	succ = table{text: succTable, n: len(succFields), rows: succRows[:], spans: &succSpans}
	return old, reformed, succ
}

func newRegistry(old, reformed, succ table) *Registry {
	r := &Registry{old: old, new: reformed, succ: succ}
	r.areas = sync.OnceValue(r.buildAreas)
	return r
}

// buildAreas indexes the communes by province, and the pre-reform ones by
// district. Communes in code order come province by province and
// district by district, so the maps are touched only when those change.
func (r *Registry) buildAreas() *areas {
	a := &areas{oldByProv: map[string][]int{}, newByProv: map[string][]int{},
		districts: map[string][]District{}, oldProv: map[string]string{}, newProv: map[string]string{}}
	var dists []*District // in code order, as the communes are
	byCode := map[string]*District{}
	var d *District
	prov, rows := "", []int(nil) // the province of the rows before, and those rows
	byProv := func(m map[string][]int) {
		if prov != "" || len(rows) > 0 {
			m[prov] = append(m[prov], rows...)
		}
	}
	var f [8]string
	for i := range r.old.len() {
		r.old.row(i, f[:])
		code, provCode, provName, distCode := f[0], f[3], f[4], f[5]
		if i == 0 || provCode != prov {
			byProv(a.oldByProv)
			prov, rows = provCode, nil
			a.oldProv[provCode] = provName
		}
		rows = append(rows, i)
		if d == nil || d.Code != distCode {
			if d = byCode[distCode]; d == nil {
				d = &District{Code: distCode, Name: f[6], Type: f[7], ProvinceCode: provCode}
				byCode[distCode] = d
				dists = append(dists, d)
			}
		}
		d.Communes = append(d.Communes, code)
	}
	byProv(a.oldByProv)
	slices.SortFunc(dists, func(a, b *District) int { return cmp.Compare(a.Code, b.Code) })
	for _, d := range dists {
		a.districts[d.ProvinceCode] = append(a.districts[d.ProvinceCode], *d)
	}
	prov, rows = "", nil
	for i := range r.new.len() {
		r.new.row(i, f[:5])
		if i == 0 || f[3] != prov {
			byProv(a.newByProv)
			prov, rows = f[3], nil
			a.newProv[f[3]] = f[4]
		}
		rows = append(rows, i)
	}
	byProv(a.newByProv)
	return a
}

func (r *lists) loadUnits(rd io.Reader) error {
	rows, err := readCSV(rd, "province_code", "province_name", "district_code", "district_name",
		"district_type", "commune_code", "commune_name", "commune_type")
	if err != nil {
		return err
	}
	dists := map[string]*District{}
	for _, row := range rows {
		f := row.f
		c := Commune{ProvinceCode: f[0], ProvinceName: f[1], DistrictCode: f[2], DistrictName: f[3],
			DistrictType: f[4], Code: f[5]}
		if err := checkCodes(c.ProvinceCode, c.DistrictCode, c.Code); err != nil {
			return fmt.Errorf("line %d: %w", row.line, err)
		}
		if c.Type, c.Name, err = communeType(f[6], f[7]); err != nil {
			return fmt.Errorf("line %d: %w", row.line, err)
		}
		if _, dup := r.old[c.Code]; dup {
			return fmt.Errorf("line %d: commune code %s listed twice", row.line, c.Code)
		}
		if p, seen := r.oldProv[c.ProvinceCode]; seen && p != c.ProvinceName {
			return fmt.Errorf("line %d: province %s named both %q and %q", row.line, c.ProvinceCode, p, c.ProvinceName)
		}
		d := dists[c.DistrictCode]
		if d == nil {
			d = &District{Code: c.DistrictCode, Name: c.DistrictName, Type: c.DistrictType, ProvinceCode: c.ProvinceCode}
			dists[c.DistrictCode] = d
		} else if d.Name != c.DistrictName || d.Type != c.DistrictType || d.ProvinceCode != c.ProvinceCode {
			return fmt.Errorf("line %d: district %s described two ways", row.line, c.DistrictCode)
		}
		r.old[c.Code] = c
		r.oldProv[c.ProvinceCode] = c.ProvinceName
	}
	return nil
}

// tally counts the values a new commune gets on different rows, remembering
// first appearance so that ties are broken by file order, not map order.
type tally struct {
	n     map[string]int
	order []string
}

func (t *tally) add(v string) {
	if t.n == nil {
		t.n = map[string]int{}
	}
	if t.n[v] == 0 {
		t.order = append(t.order, v)
	}
	t.n[v]++
}

// top returns the most frequent value and whether it is strictly the most.
func (t *tally) top() (best string, unique bool) {
	for _, v := range t.order {
		if t.n[v] > t.n[best] {
			best, unique = v, true
		} else if t.n[v] == t.n[best] {
			unique = false
		}
	}
	return best, unique
}

func (r *lists) loadMapping(rd io.Reader) error {
	rows, err := readCSV(rd, "old_commune_code", "new_province_code", "new_commune_code", "new_commune_name")
	if err != nil {
		return err
	}
	provs, names := map[string]*tally{}, map[string]*tally{}
	for _, row := range rows {
		oldCode, prov, code, name := row.f[0], row.f[1], row.f[2], row.f[3]
		if err := checkCodes(oldCode, prov, code); err != nil {
			return fmt.Errorf("line %d: %w", row.line, err)
		}
		if _, ok := r.old[oldCode]; !ok {
			return fmt.Errorf("line %d: old commune code %s is not in the units list", row.line, oldCode)
		}
		if _, name, err = communeType(name, ""); err != nil {
			return fmt.Errorf("line %d: %w", row.line, err)
		}
		if provs[code] == nil {
			provs[code], names[code] = &tally{}, &tally{}
		}
		provs[code].add(prov)
		names[code].add(name)
	}
	for code, pt := range provs {
		prov, ok := pt.top()
		if !ok {
			return fmt.Errorf("new commune %s is put in provinces %v equally often", code, pt.order)
		}
		name, _ := names[code].top()
		typ, _, _ := communeType(name, "")
		r.new[code] = Commune{Code: code, Name: name, Type: typ, ProvinceCode: prov,
			ProvinceName: newProvinceNames[prov], Reformed: true}
	}
	for _, row := range rows {
		oldCode, prov, code := row.f[0], row.f[1], row.f[2]
		if r.new[code].ProvinceCode == prov { // else: the row contradicts the others; drop it
			r.succ[oldCode] = append(r.succ[oldCode], code)
		}
	}
	return nil
}

type csvRow struct {
	line int
	f    []string
}

// readCSV returns the named columns of every record, cleaned, with the line
// each record starts on for error messages.
func readCSV(rd io.Reader, cols ...string) ([]csvRow, error) {
	cr := csv.NewReader(rd)
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("reading header: %w", err)
	}
	at := map[string]int{}
	for i, h := range head {
		at[strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))] = i
	}
	pos := make([]int, len(cols))
	for i, c := range cols {
		p, ok := at[c]
		if !ok {
			return nil, fmt.Errorf("header lacks column %q", c)
		}
		pos[i] = p
	}
	var rows []csvRow
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		if err != nil {
			return nil, err
		}
		line, _ := cr.FieldPos(0)
		f := make([]string, len(cols))
		for i, p := range pos {
			f[i] = clean(rec[p])
		}
		rows = append(rows, csvRow{line, f})
	}
}

func checkCodes(codes ...string) error {
	for _, c := range codes {
		if c == "" || strings.Trim(c, "0123456789") != "" {
			return fmt.Errorf("code %q is not a number", c)
		}
	}
	return nil
}

// communeType returns the type of a commune and its name with the type
// prefix written canonically. The name's prefix decides; the column (may be
// "") is used only for a name without a known prefix.
func communeType(name, column string) (typ, canonical string, err error) {
	for _, t := range communeTypes {
		if len(name) > len(t) && name[len(t)] == ' ' && strings.EqualFold(name[:len(t)], t) {
			return t, t + name[len(t):], nil
		}
	}
	if slices.Contains(communeTypes, column) {
		return column, name, nil
	}
	return "", "", fmt.Errorf("commune %q: unknown commune type %q", name, column)
}

// Vietnamese vowels and the same vowels carrying each tone mark, rune for
// rune, to compose the decomposed forms some rows use (e.g. "a"+U+0303 for
// "ã"). The standard library has no Unicode normalization and these five
// marks are all Vietnamese needs.
const toneBases = "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY"

var toneComposed = map[rune]string{
	'\u0300': "àằầèềìòồờùừỳÀẰẦÈỀÌÒỒỜÙỪỲ",
	'\u0301': "áắấéếíóốớúứýÁẮẤÉẾÍÓỐỚÚỨÝ",
	'\u0303': "ãẵẫẽễĩõỗỡũữỹÃẴẪẼỄĨÕỖỠŨỮỸ",
	'\u0309': "ảẳẩẻểỉỏổởủửỷẢẲẨẺỂỈỎỔỞỦỬỶ",
	'\u0323': "ạặậẹệịọộợụựỵẠẶẬẸỆỊỌỘỢỤỰỴ",
}

// clean trims and collapses white space and composes tone marks, so that
// equal names compare equal and type prefixes are recognised.
func clean(s string) string {
	if strings.ContainsFunc(s, func(r rune) bool { return r >= '\u0300' && r <= '\u0323' && toneComposed[r] != "" }) {
		out := make([]rune, 0, len(s))
		for _, r := range s {
			if marks, ok := toneComposed[r]; ok && len(out) > 0 {
				if i := slices.Index([]rune(toneBases), out[len(out)-1]); i >= 0 {
					out[len(out)-1] = []rune(marks)[i]
					continue
				}
			}
			out = append(out, r)
		}
		s = string(out)
	}
	if tidy(s) {
		return s // most cells: no space to trim or collapse, no allocation
	}
	return strings.Join(strings.Fields(s), " ")
}

// tidy reports whether s has no leading, trailing or repeated white space
// and no white space other than single ASCII spaces.
func tidy(s string) bool {
	prevSpace := true // a leading space is untidy
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ':
			if prevSpace {
				return false
			}
			prevSpace = true
		case c < ' ' || c == 0x7f:
			return false
		case c >= 0x80:
			return !strings.ContainsFunc(s[i:], func(r rune) bool { return r != ' ' && unicode.IsSpace(r) }) && !strings.HasSuffix(s, " ") && !strings.Contains(s[i:], "  ")
		default:
			prevSpace = false
		}
	}
	return !prevSpace || s == ""
}
