package rules

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
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
	// One civil-date conversion each (Year, Month and Day would each make
	// their own).
	by, bm, bd := birth.Date()
	dy, dm, dd := date.Date()
	y := dy - by
	if dm < bm || dm == bm && dd < bd {
		y--
	}
	return y
}

// communeBoxes holds the communes a process has looked up, boxed once, by
// code: [0] the pre-reform list, [1] the post-reform one (and the old codes
// mapped to their successor after the reform). A commune is boxed the
// first time it is asked for, so starting costs nothing, and a lookup of a
// commune already met is one map read that allocates nothing.
var communeBoxes [2]sync.Map

func communeOn(code string, on time.Time) (any, error) {
	i := 0
	if !on.Before(admin.ReformDate) {
		i = 1
	}
	if c, ok := communeBoxes[i].Load(code); ok {
		return c, nil
	}
	// The slow path: a commune not met yet, spaces around the code, an
	// old code mapped to its successor after the reform, or a code that
	// names nothing.
	c, err := admin.Default().On(code, on)
	if err != nil {
		msg := err.Error()
		if errors.Is(err, admin.ErrUnknownCommune) {
			msg = fmt.Sprintf("no commune has code %q", code)
		}
		return nil, &lookupError{Value: code, Msg: msg}
	}
	j := 0
	if c.Reformed {
		j = 1
	}
	box, _ := communeBoxes[j].LoadOrStore(c.Code, any(c))
	if i == 1 && j == 1 && code != c.Code && code == strings.TrimSpace(code) {
		if _, inList := admin.Default().LookupReformed(code); !inList {
			communeBoxes[1].Store(code, box) // an old code, mapped after the reform
		}
	}
	return box, nil
}

var (
	timeType    = reflect.TypeOf(time.Time{})
	communeType = reflect.TypeOf(admin.Commune{})
)
