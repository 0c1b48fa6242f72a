package rules

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/hotro-vn/hotro/admin"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// shippedLibraries are the rule sets the closures must cover: both
// policies and the unrelated test policy.
func shippedLibraries(t *testing.T) map[string]*Library {
	t.Helper()
	libs := map[string]*Library{}
	for _, p := range []string{"nq179-2019", "nq151-2019"} {
		lib, err := LoadDirPolicy("../rulesets", p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		libs[p] = lib
	}
	lib, err := LoadDir("testdata/childbenefit")
	if err != nil {
		t.Fatal(err)
	}
	libs["childbenefit"] = lib
	return libs
}

// allModels are a set's models and the models deriving their records.
func allModels(s *Set) []*Model {
	var out []*Model
	for _, name := range s.order {
		m := s.models[name]
		if m.derive != nil {
			out = append(out, m.derive)
		}
		out = append(out, m)
	}
	return out
}

func TestFastCoversShippedModels(t *testing.T) {
	n := 0
	for p, lib := range shippedLibraries(t) {
		for _, s := range lib.sets {
			for _, m := range allModels(s) {
				n++
				if m.fast == nil {
					_, err := compileFast(m.program.Node(), m.prologue, m.bitmask)
					t.Errorf("%s %s model %s runs on the VM: %v", p, s.Meta.ID, m.Name, err)
				}
			}
		}
	}
	if n < 10 {
		t.Fatalf("only %d models checked", n)
	}
}

// TestFastAgreesWithVM runs every shipped model on random inputs, through
// the closures and through the VM program, and compares every value both
// compute (decimals by coefficient and exponent) and whether they fail.
func TestFastAgreesWithVM(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	var codes []string
	admin.Default().Each(func(c admin.Commune) { codes = append(codes, c.Code) })
	var communes []any
	admin.Default().Each(func(c admin.Commune) {
		if len(communes) < 500 {
			communes = append(communes, c)
		}
	})
	runs, fails := 0, 0
	for p, lib := range shippedLibraries(t) {
		for _, s := range lib.sets {
			dates := []time.Time{s.Meta.From, s.Meta.From.AddDate(0, 7, 3)}
			if !s.Meta.To.IsZero() {
				dates = append(dates, s.Meta.To)
			}
			for _, date := range dates {
				if !s.Covers(date) {
					continue
				}
				e, err := s.At(date)
				if err != nil {
					t.Fatal(err)
				}
				for _, m := range allModels(s) {
					if m.fast == nil {
						continue
					}
					for i := 0; i < 300; i++ {
						in := randomInputs(rng, m, date, codes, communes)
						fastOut, fastVars, fastErr := runWith(e, m, in, true)
						vmOut, vmVars, vmErr := runWith(e, m, in, false)
						runs++
						where := fmt.Sprintf("%s %s %s on %s, inputs %v", p, s.Meta.ID, m.Name, date.Format(time.DateOnly), in)
						if (fastErr != nil) != (vmErr != nil) {
							t.Fatalf("%s: closures err %v, VM err %v", where, fastErr, vmErr)
						}
						if vmErr != nil {
							fails++
							if !errors.Is(vmErr, fastErr) && !errors.Is(vmErr, errors.Unwrap(vmErr)) {
								t.Fatalf("%s: closures say %q, VM %q", where, fastErr, vmErr)
							}
							continue
						}
						if !same(fastOut, vmOut) {
							t.Fatalf("%s: closures give %v, VM %v", where, fastOut, vmOut)
						}
						for k := range vmVars {
							if k >= m.prologue && !same(fastVars[k], vmVars[k]) {
								t.Fatalf("%s: variable %d: closures %v (%T), VM %v (%T)", where, k, fastVars[k], fastVars[k], vmVars[k], vmVars[k])
							}
						}
					}
				}
			}
		}
	}
	t.Logf("%d runs, %d failing on both", runs, fails)
	if runs < 1000 || fails == 0 || fails == runs {
		t.Fatalf("%d runs, %d failing: the inputs do not exercise both paths", runs, fails)
	}
}

// runWith runs a model through the closures or the VM.
func runWith(e *Evaluator, m *Model, in []any, fast bool) (any, []any, error) {
	machine := new(scratch)
	var out any
	err := e.fill(m, in, machine)
	if err == nil && fast {
		var bits int
		var list []any
		bits, list, err = m.fast.run(&machine.frame, machine.Variables, machine.nums)
		for k, lazy := range m.fast.numLet {
			if lazy {
				machine.Variables[k] = machine.nums[k].dec()
			}
		}
		out = bits
		if list != nil {
			out = list
		}
	} else if err == nil {
		out, err = machine.Run(m.program, noEnv)
	}
	if l, ok := out.([]any); ok {
		out = append([]any(nil), l...)
	}
	return out, append([]any(nil), machine.Variables...), err
}

// same compares two values, decimals by coefficient and exponent.
func same(a, b any) bool {
	if da, ok := a.(decimal.Decimal); ok {
		db, ok := b.(decimal.Decimal)
		return ok && da.Exponent() == db.Exponent() && da.Coefficient().Cmp(db.Coefficient()) == 0
	}
	if la, ok := a.([]any); ok {
		lb, ok := b.([]any)
		if !ok || len(la) != len(lb) {
			return false
		}
		for i := range la {
			if !same(la[i], lb[i]) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(a, b)
}

func randomDecimal(rng *rand.Rand) decimal.Decimal {
	switch rng.IntN(8) {
	case 0:
		return decimal.New(rng.Int64N(1000), -int32(rng.IntN(4)))
	case 1:
		d, _ := decimal.NewFromString("123456789012345678901234567890")
		return d.Mul(decimal.New(1, -int32(rng.IntN(3))))
	case 2:
		return decimal.New(-rng.Int64N(5_000_000), 0)
	case 3:
		return decimal.New(999_999_999_999_999_999, int32(rng.IntN(3)))
	default:
		return decimal.New(rng.Int64N(5_000_000), 0)
	}
}

func randomInputs(rng *rand.Rand, m *Model, date time.Time, codes []string, communes []any) []any {
	in := make([]any, len(m.Inputs))
	for i, decl := range m.Inputs {
		if decl.Optional && rng.IntN(5) == 0 {
			continue
		}
		switch decl.Kind {
		case KindBool:
			in[i] = rng.IntN(2) == 0
		case KindInt:
			switch rng.IntN(6) {
			case 0:
				in[i] = 1<<62 + rng.IntN(1000)
			case 1:
				in[i] = -rng.IntN(100)
			default:
				in[i] = rng.IntN(120)
			}
		case KindDecimal:
			in[i] = randomDecimal(rng)
		case KindMoney:
			d := randomDecimal(rng)
			if !d.IsInteger() {
				d = d.Truncate(0)
			}
			in[i] = d
		case KindDate:
			if decl.Name == "date" {
				in[i] = date
			} else {
				in[i] = date.AddDate(-rng.IntN(110), 0, rng.IntN(400)-40)
			}
		case KindCommune:
			in[i] = communes[rng.IntN(len(communes))]
		default:
			switch {
			case len(decl.Values) > 0:
				in[i] = decl.Values[rng.IntN(len(decl.Values))]
			case rng.IntN(10) == 0:
				in[i] = "không có"
			default:
				in[i] = codes[rng.IntN(len(codes))]
			}
		}
	}
	return in
}

// TestFastArithmeticExact compares the closures' number operations with
// shopspring/decimal's on random pairs, coefficient and exponent.
func TestFastArithmeticExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	pick := func() decimal.Decimal {
		switch rng.IntN(5) {
		case 0:
			return decimal.New(rng.Int64N(1e18)-5e17, int32(rng.IntN(9))-4)
		case 1:
			return decimal.New(rng.Int64N(2e9)-1e9, int32(rng.IntN(25))-12)
		case 2:
			d, _ := decimal.NewFromString(fmt.Sprintf("%d%018d", rng.Int64N(1e6), rng.Int64N(1e18)))
			return d.Shift(-int32(rng.IntN(5)))
		default:
			return decimal.New(rng.Int64N(10_000_000), -int32(rng.IntN(3)))
		}
	}
	for i := 0; i < 200_000; i++ {
		a, b := pick(), pick()
		x, y := numOf(a), numOf(b)
		check := func(op string, got num, want decimal.Decimal) {
			if g := got.dec(); g.Exponent() != want.Exponent() || g.Coefficient().Cmp(want.Coefficient()) != 0 {
				t.Fatalf("%s %s %s: closures %s (exp %d), decimal %s (exp %d)", a, op, b, g, g.Exponent(), want, want.Exponent())
			}
		}
		check("+", addNum(x, y, false), a.Add(b))
		check("-", addNum(x, y, true), a.Sub(b))
		check("*", mulNum(x, y), a.Mul(b))
		if got, want := cmpNum(x, y), a.Cmp(b); got != want {
			t.Fatalf("cmp %s %s: closures %d, decimal %d", a, b, got, want)
		}
		if b.Sign() > 0 {
			for mode, name := range map[int]string{1: "round_up", -1: "round_down", 0: "round"} {
				want, err := roundTo(name, mode)(a, b)
				if err != nil {
					t.Fatal(err)
				}
				got, ok := roundNum(x, y, mode)
				if !ok {
					continue
				}
				check(name, got, want)
			}
		}
	}
}

// TestFastResultsAgree compares what a Result reports (formulas' values,
// each rule's values), filled from the closures or from the VM, for every
// shipped model with rules on random inputs, large decimals included.
func TestFastResultsAgree(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 9))
	var codes []string
	admin.Default().Each(func(c admin.Commune) { codes = append(codes, c.Code) })
	communes := []any{}
	admin.Default().Each(func(c admin.Commune) {
		if len(communes) < 100 {
			communes = append(communes, c)
		}
	})
	var fast, slow Result
	compared, bigs := 0, 0
	for _, lib := range shippedLibraries(t) {
		for _, s := range lib.sets {
			e, err := s.At(s.Meta.From)
			if err != nil {
				t.Fatal(err)
			}
			for _, name := range s.order {
				m := s.models[name]
				for i := 0; i < 200; i++ {
					in := randomInputs(rng, m, s.Meta.From, codes, communes)
					errFast := e.EvalInputsTo(&fast, name, in)
					saved := m.fast
					m.fast = nil
					errSlow := e.EvalInputsTo(&slow, name, in)
					m.fast = saved
					if (errFast != nil) != (errSlow != nil) {
						t.Fatalf("%s %s: closures err %v, VM err %v", s.Meta.ID, name, errFast, errSlow)
					}
					if errSlow != nil {
						continue
					}
					compared++
					fo, so := fast.Outputs(), slow.Outputs()
					for k := range so {
						if !same(fo[k].Value, so[k].Value) {
							t.Fatalf("%s %s: formula %s: closures %v, VM %v", s.Meta.ID, name, so[k].Name, fo[k].Value, so[k].Value)
						}
						if d, ok := so[k].Value.(decimal.Decimal); ok && d.NumDigits() > 18 {
							bigs++
						}
					}
					if fast.Pass != slow.Pass || len(fast.Rules) != len(slow.Rules) {
						t.Fatalf("%s %s: pass %v/%v", s.Meta.ID, name, fast.Pass, slow.Pass)
					}
					for k := range slow.Rules {
						fv, sv := fast.Rules[k].Values(), slow.Rules[k].Values()
						if fast.Rules[k].Pass != slow.Rules[k].Pass || len(fv) != len(sv) {
							t.Fatalf("%s %s rule %s differs", s.Meta.ID, name, slow.Rules[k].Rule.ID)
						}
						for j := range sv {
							if fv[j].Name != sv[j].Name || !same(fv[j].Value, sv[j].Value) {
								t.Fatalf("%s %s rule %s value %s: closures %v, VM %v", s.Meta.ID, name, slow.Rules[k].Rule.ID, sv[j].Name, fv[j].Value, sv[j].Value)
							}
						}
					}
				}
			}
		}
	}
	t.Logf("%d results compared, %d formula values beyond 18 digits", compared, bigs)
	if compared < 500 || bigs == 0 {
		t.Fatalf("%d results, %d large values: the inputs do not exercise the large path", compared, bigs)
	}
}

// TestAgeOn checks age_on against whole years counted by hand, around
// birthdays and 29 February, and against the definition on many dates:
// the years n for which birth plus n years is not after the date.
func TestAgeOn(t *testing.T) {
	d := func(s string) time.Time {
		v, err := time.Parse(time.DateOnly, s)
		require.NoError(t, err)
		return v
	}
	for _, c := range []struct {
		birth, on string
		age       int
	}{
		{"2008-07-01", "2024-07-01", 16}, // the 16th birthday
		{"2008-07-02", "2024-07-01", 15}, // the day before it
		{"1964-07-01", "2024-07-01", 60},
		{"1964-12-31", "2024-01-01", 59},
		{"2000-02-29", "2023-02-28", 22}, // no 29 February that year: not yet
		{"2000-02-29", "2023-03-01", 23},
		{"2000-02-29", "2024-02-29", 24},
		{"2024-07-01", "2024-07-01", 0},
	} {
		assert.Equal(t, c.age, ageOn(d(c.birth), d(c.on)), "%s on %s", c.birth, c.on)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		birth := d("1900-01-01").AddDate(0, 0, r.IntN(45000))
		on := birth.AddDate(0, 0, r.IntN(40000))
		want := on.Year() - birth.Year()
		if birth.AddDate(want, 0, 0).After(on) { // 29 February's birthday is 1 March in other years
			want--
		}
		if got := ageOn(birth, on); got != want {
			t.Fatalf("%s on %s: %d, want %d", birth.Format(time.DateOnly), on.Format(time.DateOnly), got, want)
		}
	}
}
