package bench

import (
	"github.com/hotro-vn/hotro/eligibility"
)

// Engine is the library on the same rule: the embedded rule sets, a Day on
// Date, and each person's record built once, as a batch reads a file.
type Engine struct {
	Day  *eligibility.Day
	Recs []eligibility.Record
}

func NewEngine(ps []Plain) (*Engine, error) {
	e, err := eligibility.Default()
	if err != nil {
		return nil, err
	}
	day, err := e.On(Date)
	if err != nil {
		return nil, err
	}
	recs := make([]eligibility.Record, len(ps))
	for i, p := range ps {
		recs[i] = p.Person().RecordFor(day.Schema(), i+2)
	}
	return &Engine{Day: day, Recs: recs}, nil
}

// answer reads a decision as an Answer.
func answer(d *eligibility.Decision) Answer {
	a := Answer{Eligible: d.Eligible, Topup: d.MonthlyTopup.IntPart()}
	for i, r := range d.Result().Rules {
		if !r.Pass {
			a.Failed |= 1 << i
		}
	}
	return a
}

func (e *Engine) Decide(i int) (Answer, error) {
	d, err := e.Day.DecideRecord(e.Recs[i])
	if err != nil {
		return Answer{}, err
	}
	return answer(d), nil
}
