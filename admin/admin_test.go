package admin

import (
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func countTypes(cs []Commune) map[string]int {
	n := map[string]int{}
	for _, c := range cs {
		n[c.Type]++
	}
	return n
}

func TestNationalCounts(t *testing.T) {
	r := Default()
	var old, reformed []Commune
	for _, c := range mapsOf(r).old {
		old = append(old, c)
	}
	for _, c := range mapsOf(r).new {
		reformed = append(reformed, c)
	}
	assert.Len(t, old, 10047)
	// The file's commune_type column says 7,706 Xã and 1,724 Phường; two of
	// those Xã are Phường by name (see TestDataCleaning).
	assert.Equal(t, map[string]int{"Xã": 7704, "Phường": 1726, "Thị trấn": 617}, countTypes(old))
	// The official figure is 3,321; the 5 special zones built from
	// commune-less island districts have no row in the mapping.
	assert.Len(t, reformed, 3316)
	assert.Equal(t, map[string]int{"Xã": 2621, "Phường": 687, "Đặc khu": 8}, countTypes(reformed))
	assert.Len(t, r.areas().oldProv, 63)
	assert.Len(t, r.areas().newProv, 34)
	nd := 0
	for _, ds := range r.areas().districts {
		nd += len(ds)
	}
	assert.Equal(t, 691, nd)
}

func TestHaTinhCounts(t *testing.T) {
	r := Default()
	old := r.Communes("42", false)
	assert.Len(t, old, 210)
	assert.Equal(t, map[string]int{"Xã": 171, "Phường": 25, "Thị trấn": 14}, countTypes(old))
	ds := r.Districts("42")
	require.Len(t, ds, 12)
	n := 0
	for _, d := range ds {
		assert.Equal(t, "42", d.ProvinceCode)
		n += len(d.Communes)
	}
	assert.Equal(t, 210, n)
	assert.Equal(t, District{Code: "436", Name: "Thành phố Hà Tĩnh", Type: "Thành phố", ProvinceCode: "42"},
		District{ds[0].Code, ds[0].Name, ds[0].Type, ds[0].ProvinceCode, nil})
	assert.Contains(t, ds[0].Communes, "18073")

	reformed := r.Communes("42", true)
	assert.Len(t, reformed, 69)
	assert.Equal(t, map[string]int{"Xã": 60, "Phường": 9}, countTypes(reformed))
	for i := 1; i < len(reformed); i++ {
		assert.Less(t, reformed[i-1].Code, reformed[i].Code)
	}
	name, ok := r.Province("42", false)
	assert.True(t, ok)
	assert.Equal(t, "Tỉnh Hà Tĩnh", name)
}

func TestLookupAndZone(t *testing.T) {
	r := Default()
	c, ok := r.Lookup("18073")
	require.True(t, ok)
	assert.Equal(t, Commune{Code: "18073", Name: "Phường Nam Hà", Type: "Phường", ProvinceCode: "42",
		ProvinceName: "Tỉnh Hà Tĩnh", DistrictCode: "436", DistrictName: "Thành phố Hà Tĩnh",
		DistrictType: "Thành phố"}, c)
	assert.Equal(t, ZoneUrban, c.Zone())

	c, _ = r.Lookup(" 18112 ") // spaces around a code are ignored
	assert.Equal(t, "Xã Thạch Bình", c.Name)
	assert.Equal(t, ZoneRural, c.Zone())

	c, _ = r.Lookup("18136") // "Thị trấn  Tây Sơn" in the file: double space
	assert.Equal(t, "Thị trấn Tây Sơn", c.Name)
	assert.Equal(t, ZoneUrban, c.Zone())

	c, _ = r.LookupReformed("31078")
	assert.Equal(t, "Đặc khu Phú Quốc", c.Name)
	assert.Equal(t, ZoneRural, c.Zone())

	_, ok = r.Lookup("99999")
	assert.False(t, ok)
	assert.Equal(t, "", Commune{}.Zone())
}

func TestDataCleaning(t *testing.T) {
	r := Default()
	// commune_type "Xã" contradicts the name and the Quận.
	c, _ := r.Lookup("27046")
	assert.Equal(t, "Phường 5", c.Name)
	assert.Equal(t, "Phường", c.Type)
	c, _ = r.Lookup("03172")
	assert.Equal(t, "Thị trấn Mường Chà", c.Name) // "Thị Trấn" in the file
	for code, want := range map[string]string{
		"00385": "Xã Trung Giã",   // combining tilde + trailing space in the file
		"09784": "Xã Đan Phượng",  // combining tilde
		"22015": "Phường Tuy Hòa", // one row has a leading space
		"20485": "Xã Sông Vàng",   // one row has "xã"
		"07840": "Xã Hiệp Hoà",    // 4 rows "Hoà", 1 row "Hòa"
	} {
		c, ok := r.LookupReformed(code)
		assert.True(t, ok)
		assert.Equal(t, want, c.Name, code)
	}
	for _, m := range []map[string]Commune{mapsOf(r).old, mapsOf(r).new} {
		for _, c := range m {
			assert.Equal(t, clean(c.Name), c.Name)
			assert.False(t, strings.ContainsFunc(c.Name, func(r rune) bool { return r >= 0x300 && r < 0x370 }), c.Name)
		}
	}
}

func TestMapToNew(t *testing.T) {
	r := Default()

	c, err := r.MapToNew("18073") // kept code, renamed
	require.NoError(t, err)
	assert.Equal(t, Commune{Code: "18073", Name: "Phường Thành Sen", Type: "Phường", ProvinceCode: "42",
		ProvinceName: "Tỉnh Hà Tĩnh", Reformed: true}, c)

	c, err = r.MapToNew("18136") // merged into another code
	require.NoError(t, err)
	assert.Equal(t, "18172 Xã Sơn Tây", c.Code+" "+c.Name)

	_, err = r.MapToNew("18082")
	require.ErrorIs(t, err, ErrAmbiguousCommune)
	assert.False(t, errors.Is(err, ErrUnknownCommune))
	assert.Equal(t, "ambiguous commune: old commune code 18082 (Phường Đại Nài) was split into 2 new communes: "+
		"18073 Phường Thành Sen, 18652 Phường Hà Huy Tập", err.Error())

	_, err = r.MapToNew("99999")
	require.ErrorIs(t, err, ErrUnknownCommune)
	assert.Equal(t, `unknown commune: code "99999" is in neither the pre-reform nor the post-reform list`, err.Error())

	// A post-reform code: its old namesake maps to itself, so the answer is
	// the same whichever list the record used.
	c, err = r.MapToNew("18652")
	require.NoError(t, err)
	assert.Equal(t, "Phường Hà Huy Tập", c.Name)
	assert.True(t, c.Reformed)

	// The dropped contradictory row: known old commune, no successor.
	_, ok := r.Lookup("30622")
	assert.True(t, ok)
	assert.Nil(t, r.Successors("30622"))
	_, err = r.MapToNew("30622")
	assert.ErrorIs(t, err, ErrUnknownCommune)
	c, _ = r.LookupReformed("30259")
	assert.Equal(t, "82", c.ProvinceCode)
	assert.Equal(t, "Tỉnh Đồng Tháp", c.ProvinceName)
}

func TestCodesInBothLists(t *testing.T) {
	r := Default()
	// Old meaning first; the new meaning only via LookupReformed.
	c, _ := r.Lookup("23710")
	assert.Equal(t, "Xã A Dơk", c.Name)
	assert.False(t, c.Reformed)
	c, _ = r.LookupReformed("23710")
	assert.Equal(t, "Xã Ia Băng", c.Name)
	c, _ = r.MapToNew("23710")
	assert.Equal(t, "23869 Xã Ia Dơk", c.Code+" "+c.Name)

	var differ []string
	splitSelf, split := 0, 0
	notOld := 0
	m := mapsOf(r)
	for code := range m.new {
		if _, ok := m.old[code]; !ok {
			notOld++
		}
		s := m.succ[code]
		switch {
		case len(s) > 1:
			splitSelf++
		case len(s) == 1 && s[0] != code:
			differ = append(differ, code)
		}
	}
	for _, s := range m.succ {
		if len(s) > 1 {
			split++
		}
	}
	assert.Zero(t, notOld, "every new code is also an old code")
	assert.ElementsMatch(t, []string{"23710", "23737"}, differ)
	assert.Equal(t, 142, splitSelf)
	assert.Equal(t, 460, split)

	got := r.Successors("18796")
	require.Len(t, got, 3)
	assert.Equal(t, []string{"18754", "18823", "18832"}, []string{got[0].Code, got[1].Code, got[2].Code})
}

func TestProvinces(t *testing.T) {
	r := Default()
	name, _ := r.Province("82", false)
	assert.Equal(t, "Tỉnh Tiền Giang", name)
	name, _ = r.Province("82", true)
	assert.Equal(t, "Tỉnh Đồng Tháp", name)
	_, ok := r.Province("87", true)
	assert.False(t, ok)

	// Each built-in post-reform name is the name of a province merged into it,
	// and every old province lands in exactly one new province.
	into := map[string]map[string]bool{}
	m := mapsOf(r)
	for old, news := range m.succ {
		for _, n := range news {
			p := m.new[n].ProvinceCode
			if into[p] == nil {
				into[p] = map[string]bool{}
			}
			into[p][r.areas().oldProv[m.old[old].ProvinceCode]] = true
		}
	}
	assert.Len(t, into, 34)
	for p, olds := range into {
		assert.True(t, olds[newProvinceNames[p]], "province %s %s not among %v", p, newProvinceNames[p], olds)
	}
	seen := map[string]string{}
	for old, news := range m.succ {
		op := m.old[old].ProvinceCode
		for _, n := range news {
			if prev, ok := seen[op]; ok {
				assert.Equal(t, prev, m.new[n].ProvinceCode, "old province %s", op)
			}
			seen[op] = m.new[n].ProvinceCode
		}
	}
}

func TestResultsAreCopies(t *testing.T) {
	r := Default()
	ds := r.Districts("42")
	ds[0].Communes[0] = "x"
	cs := r.Communes("42", false)
	cs[0].Name = "x"
	assert.NotEqual(t, "x", r.Districts("42")[0].Communes[0])
	assert.NotEqual(t, "x", r.Communes("42", false)[0].Name)
	assert.Nil(t, r.Communes("00", true))
	assert.Nil(t, r.Districts("00"))
}

const testUnits = "\ufeffprovince_code,province_name,province_type,district_code,district_name,district_type,commune_code,commune_name,commune_type\r\n" +
	"01,Tỉnh A,Tỉnh,001,Huyện B,Huyện,00001,Xã  C ,Xã\r\n" +
	"01,Tỉnh A,Tỉnh,001,Huyện B,Huyện,00002,\"Thị Trấn D\",Thị trấn\r\n"

func TestLoad(t *testing.T) {
	// Columns reordered; a new code absent from the old list.
	mapping := "new_commune_name,new_commune_code,new_province_code,old_commune_code,old_province_code,old_commune_name\n" +
		"Phường E,00009,99,00001,01,x\nPhường E,00009,99,00002,01,x\nXã F,00010,99,00002,01,x\n"
	r, err := Load(strings.NewReader(testUnits), strings.NewReader(mapping))
	require.NoError(t, err)
	c, _ := r.Lookup("00002")
	assert.Equal(t, "Thị trấn D", c.Name)
	c, err = r.MapToNew("00009")
	require.NoError(t, err)
	assert.Equal(t, "Phường E", c.Name)
	assert.Equal(t, "", c.ProvinceName) // "99" is not a Vietnamese province: no built-in name
	name, ok := r.Province("99", true)
	assert.True(t, ok)
	assert.Equal(t, "", name)
	_, err = r.MapToNew("00002")
	assert.ErrorIs(t, err, ErrAmbiguousCommune)

	for name, m := range map[string]string{
		"unknown old code": "old_commune_code,new_province_code,new_commune_code,new_commune_name\n00007,01,00009,Xã E\n",
		"no type prefix":   "old_commune_code,new_province_code,new_commune_code,new_commune_name\n00001,01,00009,E\n",
		"missing column":   "old_commune_code,new_province_code,new_commune_code\n00001,01,00009\n",
		"bad code":         "old_commune_code,new_province_code,new_commune_code,new_commune_name\n00001,01,0x009,Xã E\n",
		"province tie":     "old_commune_code,new_province_code,new_commune_code,new_commune_name\n00001,01,00009,Xã E\n00002,02,00009,Xã E\n",
	} {
		_, err := Load(strings.NewReader(testUnits), strings.NewReader(m))
		assert.Error(t, err, name)
	}
	_, err = Load(strings.NewReader(testUnits+"01,Tỉnh A,Tỉnh,001,Huyện B,Huyện,00001,Xã G,Xã\n"), strings.NewReader(mapping))
	assert.ErrorContains(t, err, "listed twice")
}

// A name holding the tables' separator is kept whole.
func TestLoadSeparatorInNames(t *testing.T) {
	units := "province_code,province_name,district_code,district_name,district_type,commune_code,commune_name,commune_type\n" +
		"01,Tỉnh A|B,001,Huyện |,Huyện,00001,Xã C|D,Xã\n01,Tỉnh A|B,001,Huyện |,Huyện,00002,Xã E,Xã\n"
	mapping := "old_commune_code,new_province_code,new_commune_code,new_commune_name\n00001,01,00001,Xã |F|\n00002,01,00001,Xã |F|\n"
	r, err := Load(strings.NewReader(units), strings.NewReader(mapping))
	require.NoError(t, err)
	c, ok := r.Lookup("00001")
	require.True(t, ok)
	assert.Equal(t, Commune{Code: "00001", Name: "Xã C|D", Type: "Xã", ProvinceCode: "01", ProvinceName: "Tỉnh A|B",
		DistrictCode: "001", DistrictName: "Huyện |", DistrictType: "Huyện"}, c)
	c, err = r.MapToNew("00002")
	require.NoError(t, err)
	assert.Equal(t, Commune{Code: "00001", Name: "Xã |F|", Type: "Xã", ProvinceCode: "01", ProvinceName: "Thành phố Hà Nội", Reformed: true}, c)
	assert.Equal(t, []string{"Xã C|D", "Xã E"}, []string{r.Communes("01", false)[0].Name, r.Communes("01", false)[1].Name})
	assert.Equal(t, []District{{Code: "001", Name: "Huyện |", Type: "Huyện", ProvinceCode: "01", Communes: []string{"00001", "00002"}}}, r.Districts("01"))
	name, _ := r.Province("01", false)
	assert.Equal(t, "Tỉnh A|B", name)
	_, err = generateTables(r)
	assert.ErrorContains(t, err, "cannot be written in a table")
}

// Codes of other lengths than five digits are found too.
func TestLoadOtherCodes(t *testing.T) {
	units := "province_code,province_name,district_code,district_name,district_type,commune_code,commune_name,commune_type\n" +
		"1,Tỉnh A,1,Huyện B,Huyện,7,Xã C,Xã\n1,Tỉnh A,1,Huyện B,Huyện,70,Xã D,Xã\n1,Tỉnh A,1,Huyện B,Huyện,700,Xã E,Xã\n1,Tỉnh A,1,Huyện B,Huyện,7001,Xã F,Xã\n"
	mapping := "old_commune_code,new_province_code,new_commune_code,new_commune_name\n7,01,70,Xã G\n70,01,70,Xã G\n700,01,7001,Xã H\n700,01,70,Xã G\n"
	r, err := Load(strings.NewReader(units), strings.NewReader(mapping))
	require.NoError(t, err)
	for code, name := range map[string]string{"7": "Xã C", "70": "Xã D", "700": "Xã E", " 7001 ": "Xã F"} {
		c, ok := r.Lookup(code)
		assert.True(t, ok, code)
		assert.Equal(t, name, c.Name, code)
	}
	for _, code := range []string{"", "0", "07", "7000", "70010", "x"} {
		_, ok := r.Lookup(code)
		assert.False(t, ok, code)
	}
	assert.Len(t, r.Successors("700"), 2)
	assert.Len(t, r.Successors("7"), 1)
	assert.Nil(t, r.Successors("7001"))
	c, _ := r.MapToNew("7")
	assert.Equal(t, "Xã G", c.Name)
}

func TestConcurrentUse(t *testing.T) {
	var wg sync.WaitGroup
	for i := range 32 {
		wg.Go(func() {
			r := Default()
			for j := range 200 {
				code := []string{"18073", "18082", "99999", "23710"}[(i+j)%4]
				r.Lookup(code)
				r.Successors(code)
				r.MapToNew(code)
				r.Communes("42", j%2 == 0)
				r.Districts("42")
				r.Province("42", true)
			}
		})
	}
	wg.Wait()
	assert.Same(t, Default(), Default())
}

func TestLookupDoesNotAllocate(t *testing.T) {
	r := Default()
	assert.Zero(t, testing.AllocsPerRun(100, func() { r.Lookup("18073") }))
	assert.Zero(t, testing.AllocsPerRun(100, func() { r.LookupReformed("18073") }))
	assert.Zero(t, testing.AllocsPerRun(100, func() { r.MapToNew("18136") }))
}

func BenchmarkLookup(b *testing.B) {
	r := Default()
	b.ReportAllocs()
	for b.Loop() {
		r.Lookup("18073")
	}
}
