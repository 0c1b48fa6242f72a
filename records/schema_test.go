package records_test

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/hotro-vn/hotro/records"
	"github.com/hotro-vn/hotro/rules"
	"github.com/hotro-vn/hotro/rulesets"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/require"
)

// compileSchema compiles the record schema the person model declares.
func compileSchema(t *testing.T) *jsonschema.Schema {
	lib, err := rules.LoadPolicy(rulesets.FS, ".", rulesets.DefaultPolicy)
	require.NoError(t, err)
	s, err := records.New(lib.Sets()[0].Model("person").Record)
	require.NoError(t, err)
	b, err := json.Marshal(s.ArraySchema("persons"))
	require.NoError(t, err)
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(string(b)))
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	require.NoError(t, c.AddResource("persons.json", doc))
	sch, err := c.Compile("persons.json")
	require.NoError(t, err)
	return sch
}

// csvAsJSON turns a CSV file into the JSON array an embedding system would
// send: one object per row, every non-empty cell a string.
func csvAsJSON(t *testing.T, path string) []any {
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	var out []any
	for _, row := range rows[1:] {
		obj := map[string]any{}
		for i, cell := range row {
			if cell != "" {
				obj[rows[0][i]] = cell
			}
		}
		out = append(out, obj)
	}
	return out
}

func TestExamplePersonsMatchTheDeclaredSchema(t *testing.T) {
	sch := compileSchema(t)
	persons := csvAsJSON(t, "../examples/persons.csv")
	require.Len(t, persons, 12)
	require.NoError(t, sch.Validate(persons))
}

func TestSchemaRefusesWhatTheReaderRefuses(t *testing.T) {
	sch := compileSchema(t)
	ok := map[string]any{"person_id": "p", "household_id": "h", "birth_date": "15/03/1950", "commune_code": "18112",
		"household_poor": true, "household_category": "BTXH", "zone": "Nông thôn", "monthly_allowance": "1.500.000",
		"allowance_coefficient": "1,5", "disability": "Đặc biệt nặng"}
	require.NoError(t, sch.Validate([]any{ok}))
	for name, change := range map[string]func(m map[string]any){
		"no person_id":        func(m map[string]any) { delete(m, "person_id") },
		"zone mountain":       func(m map[string]any) { m["zone"] = "mountain" },
		"commune of 4 digits": func(m map[string]any) { m["commune_code"] = "1811" },
		"money with decimals": func(m map[string]any) { m["monthly_allowance"] = "650000.5" },
		"negative income":     func(m map[string]any) { m["other_income"] = -100000 },
		"yes/no as text":      func(m map[string]any) { m["resident"] = "maybe" },
	} {
		m := map[string]any{}
		for k, v := range ok {
			m[k] = v
		}
		change(m)
		var v any
		b, _ := json.Marshal([]any{m})
		require.NoError(t, json.Unmarshal(b, &v))
		require.Error(t, sch.Validate(v), name)
	}
}
