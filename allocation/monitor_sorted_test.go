package allocation_test

import (
	"testing"

	"github.com/hotro-vn/hotro/allocation"
	"github.com/hotro-vn/hotro/eligibility"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// monthly collects what a monitoring gives month by month.
type monthly struct {
	rows []allocation.MonthRow
	pays []allocation.Payment
}

// collectInto is the callback of MonitorStream and MonitorSorted that
// collects into g.
func collectInto(g *monthly) func(eligibility.Month, []allocation.MonthRow, []allocation.Payment) error {
	return func(_ eligibility.Month, r []allocation.MonthRow, p []allocation.Payment) error {
		g.rows, g.pays = append(g.rows, r...), append(g.pays, p...)
		return nil
	}
}

// TestMonitorSorted: the persons read again each month, in id order, give
// the rows and payments of MonitorStream over the same persons held in
// memory (given out of order there): for p2, the 2020 pledge of 450,000 đ
// against a top-up of 430,000 in 2021-12 and 1,230,000 in 2022-01; p1 and
// p3 have no commitment, so their due months say so.
func TestMonitorSorted(t *testing.T) {
	e := engine(t)
	c := allocation.Commitment{ID: "c1", Sponsor: "u1", Beneficiaries: []string{"p2"}, Amount: money("450000"),
		First: month("2020-01"), WholePhase: true, Method: allocation.MethodCash}
	cs := []allocation.CommitmentRecord{{Line: 2, Commitment: c}}
	recs := []eligibility.Record{elder("p1"), elder("p2"), elder("p3")}
	var held, read monthly
	_, err := allocation.MonitorStream(e, []eligibility.Record{recs[2], recs[0], recs[1]}, cs, nil, month("2021-12"), month("2022-01"), collectInto(&held))
	require.NoError(t, err)
	passes := 0
	m, err := allocation.MonitorSorted(e, []string{"p1", "p2", "p3"}, func() eligibility.Source {
		passes++
		return eligibility.FromSlice(recs)
	}, cs, nil, month("2021-12"), month("2022-01"), collectInto(&read))
	require.NoError(t, err)
	assert.Equal(t, 2, passes, "one pass over the persons a month")
	require.Len(t, m.Commitments, 1)
	assert.Equal(t, held, read)
	require.Len(t, read.rows, 6)
	assert.Equal(t, "p2", read.rows[1].PersonID)
	assert.Equal(t, "430000", read.rows[1].Due.String())
	assert.Equal(t, "0", read.rows[1].Shortfall.String())
	assert.Equal(t, "1230000", read.rows[4].Due.String())
	assert.Equal(t, "780000", read.rows[4].Shortfall.String())
	assert.Equal(t, "no commitment", read.rows[0].Note)
	require.Len(t, read.pays, 2)

	// Ids out of order, and a second pass that reads other persons, are errors.
	_, err = allocation.MonitorSorted(e, []string{"p2", "p1"}, func() eligibility.Source { return eligibility.FromSlice(recs[:2]) },
		cs, nil, month("2021-12"), month("2021-12"), collectInto(&monthly{}))
	assert.ErrorContains(t, err, "not in strictly increasing order")
	_, err = allocation.MonitorSorted(e, []string{"p1", "p2", "p3"}, func() eligibility.Source { return eligibility.FromSlice(recs[:2]) },
		cs, nil, month("2021-12"), month("2021-12"), collectInto(&monthly{}))
	assert.ErrorContains(t, err, "the persons read again are 2, not 3")
	_, err = allocation.MonitorSorted(e, []string{"p1", "p2", "p4"}, func() eligibility.Source { return eligibility.FromSlice(recs) },
		cs, nil, month("2021-12"), month("2021-12"), collectInto(&monthly{}))
	assert.ErrorContains(t, err, `id "p3"`)
}
