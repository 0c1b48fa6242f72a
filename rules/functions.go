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

// communeBoxes holds every commune of both lists boxed once, so that a
// lookup in a decision allocates nothing.
var communeBoxes = sync.OnceValue(func() map[communeKey]any {
	m := map[communeKey]any{}
	admin.Default().Each(func(c admin.Commune) { m[communeKey{c.Code, c.Reformed}] = c })
	return m
})

type communeKey struct {
	code     string
	reformed bool
}

func communeOn(code string, on time.Time) (any, error) {
	c, err := admin.Default().On(code, on)
	if err != nil {
		msg := err.Error()
		if errors.Is(err, admin.ErrUnknownCommune) {
			msg = fmt.Sprintf("no commune has code %q", code)
		}
		return nil, &lookupError{Value: code, Msg: msg}
	}
	return communeBoxes()[communeKey{c.Code, c.Reformed}], nil
}

var (
	timeType    = reflect.TypeOf(time.Time{})
	communeType = reflect.TypeOf(admin.Commune{})
)
