package admin

import (
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
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
	r := &Registry{
		old: make(map[string]Commune, 10100), new: make(map[string]Commune, 3400), succ: make(map[string][]string, 10600),
		oldByProv: map[string][]string{}, newByProv: map[string][]string{},
		districts: map[string][]District{}, oldProv: map[string]string{}, newProv: map[string]string{},
	}
	if err := r.loadUnits(units); err != nil {
		return nil, fmt.Errorf("admin: units list: %w", err)
	}
	if err := r.loadMapping(mapping); err != nil {
		return nil, fmt.Errorf("admin: mapping: %w", err)
	}
	for _, m := range []map[string][]string{r.succ, r.oldByProv, r.newByProv} {
		for k := range m {
			slices.Sort(m[k])
			m[k] = slices.Compact(m[k])
		}
	}
	return r, nil
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

// eachLine calls f with the fields of each line of table; it panics on a
// line with another number of fields (TestTables rules that out).
func eachLine(table string, n int, f func([]string)) {
	fields := make([]string, n)
	for line := range strings.Lines(table) {
		line = strings.TrimSuffix(line, "\n")
		for i := range n - 1 {
			var ok bool
			if fields[i], line, ok = strings.Cut(line, tableSep); !ok {
				panic("admin: bad table line: " + line)
			}
		}
		if strings.Contains(line, tableSep) {
			panic("admin: bad table line: " + line)
		}
		fields[n-1] = line
		f(fields)
	}
}

// fromTables builds the registry that Load builds from the lists whose
// result they are (see tables.go): old and new communes sorted by code,
// and the successors as (old code, new code) lines, sorted. Nothing is
// checked or cleaned again; TestTables checks that the result equals
// Load's.
func fromTables(oldT, newT, succT string) *Registry {
	n := func(t string) int { return strings.Count(t, "\n") }
	r := &Registry{
		old: make(map[string]Commune, n(oldT)), new: make(map[string]Commune, n(newT)),
		succ:      make(map[string][]string, n(oldT)),
		oldByProv: map[string][]string{}, newByProv: map[string][]string{},
		districts: map[string][]District{}, oldProv: map[string]string{}, newProv: map[string]string{},
	}
	var dists []*District // in code order, as the communes are
	byCode := map[string]*District{}
	eachLine(oldT, len(oldFields), func(f []string) {
		c := Commune{Code: f[0], Name: f[1], Type: f[2], ProvinceCode: f[3], ProvinceName: f[4],
			DistrictCode: f[5], DistrictName: f[6], DistrictType: f[7]}
		r.old[c.Code] = c
		r.oldProv[c.ProvinceCode] = c.ProvinceName
		r.oldByProv[c.ProvinceCode] = append(r.oldByProv[c.ProvinceCode], c.Code)
		d := byCode[c.DistrictCode]
		if d == nil {
			d = &District{Code: c.DistrictCode, Name: c.DistrictName, Type: c.DistrictType, ProvinceCode: c.ProvinceCode}
			byCode[c.DistrictCode] = d
			dists = append(dists, d)
		}
		d.Communes = append(d.Communes, c.Code)
	})
	slices.SortFunc(dists, func(a, b *District) int { return cmp.Compare(a.Code, b.Code) })
	for _, d := range dists {
		r.districts[d.ProvinceCode] = append(r.districts[d.ProvinceCode], *d)
	}
	eachLine(newT, len(newFields), func(f []string) {
		c := Commune{Code: f[0], Name: f[1], Type: f[2], ProvinceCode: f[3], ProvinceName: f[4], Reformed: true}
		r.new[c.Code] = c
		r.newProv[c.ProvinceCode] = c.ProvinceName
		r.newByProv[c.ProvinceCode] = append(r.newByProv[c.ProvinceCode], c.Code)
	})
	// One array holds every successor list, each capped at its end.
	codes := make([]string, 0, n(succT))
	start, prev := 0, ""
	eachLine(succT, len(succFields), func(f []string) {
		if f[0] != prev && prev != "" {
			r.succ[prev] = codes[start:len(codes):len(codes)]
			start = len(codes)
		}
		prev = f[0]
		codes = append(codes, f[1])
	})
	if prev != "" {
		r.succ[prev] = codes[start:len(codes):len(codes)]
	}
	return r
}

func (r *Registry) loadUnits(rd io.Reader) error {
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
		d.Communes = append(d.Communes, c.Code)
		r.old[c.Code] = c
		r.oldProv[c.ProvinceCode] = c.ProvinceName
		r.oldByProv[c.ProvinceCode] = append(r.oldByProv[c.ProvinceCode], c.Code)
	}
	for _, d := range dists {
		slices.Sort(d.Communes)
		r.districts[d.ProvinceCode] = append(r.districts[d.ProvinceCode], *d)
	}
	for _, ds := range r.districts {
		slices.SortFunc(ds, func(a, b District) int { return cmp.Compare(a.Code, b.Code) })
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

func (r *Registry) loadMapping(rd io.Reader) error {
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
		r.newProv[prov] = newProvinceNames[prov]
		r.newByProv[prov] = append(r.newByProv[prov], code)
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
