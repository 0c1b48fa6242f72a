package rules

import (
	"errors"
	"fmt"
	"reflect"
	"sync"
	"time"

	"github.com/expr-lang/expr"
	"github.com/hotro-vn/hotro/admin"
)

// The functions rules offer over records. Each is a typed expr.Function, so
// a misuse is a type error when the rules are loaded.
//
//	age_on(birth, on)    whole years completed on the day on (int)
//	commune_on(code, on) the commune a code names on the day on: before
//	                     2025-07-01 the pre-reform commune; from then the
//	                     post-reform one, an old code mapped to its
//	                     successor when there is exactly one. A code that
//	                     names none is an error of the record's field.
func recordFunctions() []expr.Option {
	return []expr.Option{
		expr.Function("age_on", func(p ...any) (any, error) {
			birth, on := p[0].(time.Time), p[1].(time.Time)
			if birth.After(on) {
				return nil, &lookupError{Value: birth.Format(time.DateOnly), Msg: "is after the evaluation date " + on.Format(time.DateOnly)}
			}
			return ageOn(birth, on), nil
		}, new(func(time.Time, time.Time) int)),
		expr.Function("commune_on", func(p ...any) (any, error) {
			return communeOn(p[0].(string), p[1].(time.Time))
		}, new(func(string, time.Time) admin.Commune)),
	}
}

// lookupError is a function's verdict on a value of the record; the
// evaluation turns it into a FieldFault of the field it came from.
type lookupError struct{ Value, Msg string }

func (e *lookupError) Error() string { return e.Msg }

// ageOn is the number of whole years completed on date.
func ageOn(birth, date time.Time) int {
	y := date.Year() - birth.Year()
	if date.Month() < birth.Month() || date.Month() == birth.Month() && date.Day() < birth.Day() {
		y--
	}
	return y
}

// communeBoxes holds every commune of both lists boxed once, by code, so
// that a lookup in a decision is one map read and allocates nothing.
var communeBoxes = sync.OnceValue(func() (boxes [2]map[string]any) {
	boxes = [2]map[string]any{{}, {}}
	admin.Default().Each(func(c admin.Commune) {
		i := 0
		if c.Reformed {
			i = 1
		}
		boxes[i][c.Code] = c
	})
	return boxes
})

func communeOn(code string, on time.Time) (any, error) {
	boxes := communeBoxes()
	reformed := !on.Before(admin.ReformDate)
	if !reformed {
		if c, ok := boxes[0][code]; ok {
			return c, nil
		}
	} else if c, ok := boxes[1][code]; ok {
		return c, nil
	}
	// The slow path: spaces around the code, an old code mapped to its
	// successor after the reform, or a code that names nothing.
	c, err := admin.Default().On(code, on)
	if err != nil {
		msg := err.Error()
		if errors.Is(err, admin.ErrUnknownCommune) {
			msg = fmt.Sprintf("no commune has code %q", code)
		}
		return nil, &lookupError{Value: code, Msg: msg}
	}
	i := 0
	if c.Reformed {
		i = 1
	}
	return boxes[i][c.Code], nil
}

var (
	timeType    = reflect.TypeOf(time.Time{})
	communeType = reflect.TypeOf(admin.Commune{})
)
