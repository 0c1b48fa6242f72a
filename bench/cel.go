package bench

import (
	"fmt"

	"github.com/google/cel-go/cel"
	"github.com/google/cel-go/common/types"
	"github.com/google/cel-go/common/types/ref"
	"github.com/hotro-vn/hotro/admin"
)

// celRule is the rule in CEL, int64 money (the coefficient in
// thousandths; CEL's int arithmetic is checked, an overflow is an error):
// the five conditions, then the top-up rounded up to the step.
const celRule = `[
  household_poor,
  household_category == "btxh",
  resident && commune_province == province_code,
  age < child_age_below || age >= elderly_age_from || disability in ["severe", "especially_severe"] || serious_illness,
  !in_care_facility,
  (poverty_line - ((has_monthly_allowance ? monthly_allowance : allowance_coefficient_1000 * social_assistance_base / 1000) + other_income)) > 0
    ? ((poverty_line - ((has_monthly_allowance ? monthly_allowance : allowance_coefficient_1000 * social_assistance_base / 1000) + other_income)) + topup_step - 1) / topup_step * topup_step
    : 0
]`

// Cel is the rule in cel-go. It is safe for concurrent use; the
// activation a goroutine reuses is its CelScratch.
type Cel struct {
	reg *admin.Registry
	prg cel.Program
}

// CelScratch is the input map one goroutine refills for each person.
type CelScratch map[string]any

func NewCel() (*Cel, error) {
	vars := []cel.EnvOption{}
	for name, t := range map[string]*cel.Type{"household_poor": cel.BoolType, "household_category": cel.StringType,
		"resident": cel.BoolType, "commune_province": cel.StringType, "province_code": cel.StringType, "age": cel.IntType,
		"child_age_below": cel.IntType, "elderly_age_from": cel.IntType, "disability": cel.StringType,
		"serious_illness": cel.BoolType, "in_care_facility": cel.BoolType, "poverty_line": cel.IntType,
		"has_monthly_allowance": cel.BoolType, "monthly_allowance": cel.IntType, "allowance_coefficient_1000": cel.IntType,
		"social_assistance_base": cel.IntType, "other_income": cel.IntType, "topup_step": cel.IntType} {
		vars = append(vars, cel.Variable(name, t))
	}
	env, err := cel.NewEnv(vars...)
	if err != nil {
		return nil, err
	}
	ast, iss := env.Compile(celRule)
	if iss.Err() != nil {
		return nil, iss.Err()
	}
	prg, err := env.Program(ast, cel.EvalOptions(cel.OptOptimize))
	if err != nil {
		return nil, err
	}
	return &Cel{reg: admin.Default(), prg: prg}, nil
}

// NewScratch returns an input map with the parameters in force filled in.
func (c *Cel) NewScratch() CelScratch {
	return CelScratch{"province_code": province, "child_age_below": int64(childBelow), "elderly_age_from": int64(elderly),
		"social_assistance_base": int64(base), "topup_step": int64(step)}
}

func (c *Cel) Decide(p *Plain, in CelScratch) (Answer, error) {
	d, err := derive(c.reg, p)
	if err != nil {
		return Answer{}, err
	}
	line := int64(lineRural)
	if d.urban {
		line = lineUrban
	}
	in["household_poor"], in["household_category"], in["resident"] = p.HouseholdPoor, p.HouseholdCategory, p.Resident
	in["commune_province"], in["age"], in["disability"] = d.province, int64(d.age), p.Disability
	in["serious_illness"], in["in_care_facility"], in["poverty_line"] = p.SeriousIllness, p.InCareFacility, line
	in["has_monthly_allowance"], in["monthly_allowance"], in["allowance_coefficient_1000"] = p.HasAllowance, p.Allowance, p.Coef1000
	in["other_income"] = p.Other
	out, _, err := c.prg.Eval(map[string]any(in))
	if err != nil {
		return Answer{}, err
	}
	l, ok := out.(interface {
		Get(ref.Val) ref.Val
	})
	if !ok {
		return Answer{}, fmt.Errorf("cel: want a list, got %T", out)
	}
	var a Answer
	for i := 0; i < 5; i++ {
		if l.Get(types.Int(i)) != types.True {
			a.Failed |= 1 << i
		}
	}
	a.Eligible = a.Failed == 0
	if a.Eligible {
		a.Topup = int64(l.Get(types.Int(5)).(types.Int))
	}
	return a, nil
}
