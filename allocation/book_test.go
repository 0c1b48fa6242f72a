package allocation_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hotro-vn/hotro/allocation"
	"github.com/hotro-vn/hotro/eligibility"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// bookCSV has, beside valid commitments (two beneficiaries, a focal
// organisation, support in kind only), every error monitoring finds: a
// record that cannot be read, an id twice (and an id twice of which one
// record cannot be read, so not repeated), a sponsor or focal
// organisation not among the units, a beneficiary not among the persons,
// and one running past the phase (flagged).
const bookCSV = `commitment_id,sponsor_id,beneficiary_ids,monthly_amount,first_month,duration,method,focal_id,committee,front,in_kind
c1,u1,p1;p2,450000,2020-01,phase,cash,,UBND,MTTQ,
c2,u2,p2,300000,2021-06,12,transfer,f1,UBND,,
c3,u2,p2,200000,2021-01,2y,cash,f2,,,
c4,u1,p3,,2021-01,phase,cash,,,,care
c5,u9,p1,100000,2021-01,phase,cash,,,,
c6,u1,p1,100000,2021-01,phase,cash,f9,,,
c7,u1,p9,100000,2021-01,phase,cash,,,,
c8,u1,p3,100000,2021-01,12,cash,,,,
c9,u1,p3,100000,2021-01,,cash,,,,
c8,u9,p3;p9,100000,2021-01,12,cash,,,,
c9,u1,p3,70000,2021-01,6,cash,,,,
c10,u1,p1,50000,2025-06,12,transfer,,,,
c11,u9,p9,1.5,2021-01,phase,cash,f9,,,
c0,u2,p4,430000,2022-01,1,transfer,,UBND,MTTQ,
`

// TestCommitmentBook: commitments read into a book and monitored give the
// rows, payments and commitments of the same commitments read as records,
// with persons held or read again, and the same reports byte for byte.
func TestCommitmentBook(t *testing.T) {
	e, v := engine(t), vocab(t)
	units := []allocation.UnitRecord{{Unit: allocation.Unit{ID: "u1"}}, {Unit: allocation.Unit{ID: "u2"}}, {Unit: allocation.Unit{ID: "f1"}}, {Unit: allocation.Unit{ID: "f2"}}}
	persons := []eligibility.Record{elder("p4"), elder("p2"), elder("p1"), elder("p3")}
	from, to := month("2021-11"), month("2022-01")

	crecs, _, err := allocation.ReadCommitments(strings.NewReader(bookCSV), allocation.CSV, v)
	require.NoError(t, err)
	var want monthly
	mr, err := allocation.MonitorStream(e, persons, crecs, units, from, to, collectInto(&want))
	require.NoError(t, err)

	path := filepath.Join(t.TempDir(), "commitments.csv")
	require.NoError(t, os.WriteFile(path, []byte(bookCSV), 0o644))
	book, warnings, err := allocation.ReadCommitmentBookFile(path, v, units)
	require.NoError(t, err)
	assert.Empty(t, warnings)
	assert.Equal(t, 14, book.Len())
	var held, read monthly
	mb, err := book.MonitorStream(e, persons, from, to, collectInto(&held))
	require.NoError(t, err)
	ms, err := book.MonitorSorted(e, []string{"p1", "p2", "p3", "p4"}, func() eligibility.Source {
		return eligibility.FromSlice([]eligibility.Record{persons[2], persons[1], persons[3], persons[0]})
	}, from, to, collectInto(&read))
	require.NoError(t, err)
	assert.Equal(t, want, held)
	assert.Equal(t, want, read)
	assert.Nil(t, mb.Commitments)
	assert.Equal(t, 14, mb.CommitmentCount())
	var statuses []allocation.CommitmentStatus
	for c := range mb.AllCommitments() {
		statuses = append(statuses, c)
	}
	assert.Equal(t, mr.Commitments, statuses)
	var sorted []allocation.CommitmentStatus
	for c := range ms.AllCommitments() {
		sorted = append(sorted, c)
	}
	assert.Equal(t, statuses, sorted)

	// The statuses themselves, in id order.
	status := map[string][]allocation.CommitmentStatus{}
	var order []string
	for _, c := range statuses {
		status[c.ID] = append(status[c.ID], c)
		order = append(order, c.ID)
	}
	assert.Equal(t, []string{"c0", "c1", "c10", "c11", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c8", "c9", "c9"}, order)
	assert.Equal(t, "2025-12", status["c1"][0].Last.String())
	assert.Equal(t, []string{"p1", "p2"}, status["c1"][0].Beneficiaries)
	assert.Empty(t, status["c1"][0].Unsigned)
	assert.Equal(t, "chưa ghi MTTQ ký cam kết (no Front committee signs it)", status["c2"][0].Unsigned)
	assert.Equal(t, "2022-12", status["c3"][0].Last.String())
	assert.Equal(t, "runs 5 months past the end of phase hatinh-nq179-2020-2025 (2025-12)", status["c10"][0].Flag)
	assert.Equal(t, `sponsor_id "u9" is not a unit of the units file`, status["c5"][0].Error)
	assert.Equal(t, `focal_id "f9" is not a unit of the units file`, status["c6"][0].Error)
	assert.Equal(t, `beneficiary "p9" is not in the persons file`, status["c7"][0].Error)
	assert.Equal(t, `commitment_id "c8" appears 2 times`, status["c8"][0].Error)
	assert.Equal(t, 9, status["c8"][0].Line)
	assert.Equal(t, `commitment_id "c8" appears 2 times; sponsor_id "u9" is not a unit of the units file; beneficiary "p9" is not in the persons file`, status["c8"][1].Error)
	assert.Equal(t, "line 10: duration: missing: a commitment must state how long it runs (months, years, or phase) (plan I.2)", status["c9"][0].Error)
	assert.Empty(t, status["c9"][1].Error, "the c9 that cannot be read does not repeat the other")
	assert.Equal(t, "2021-06", status["c9"][1].Last.String())
	assert.Equal(t, `line 14: monthly_amount "1.5": not whole đồng (write digits only, e.g. 450000, without separators)`, status["c11"][0].Error)
	assert.Equal(t, "care", status["c4"][0].InKind)
	assert.Empty(t, status["c4"][0].Error)

	// p2 in 2021-12: c1, c2 and c3 run, 950,000 đ against 430,000; c2
	// and c3 name different focal organisations. p3's care is paid nothing.
	var p2, p3 allocation.MonthRow
	for _, r := range held.rows {
		if r.Month.String() == "2021-12" && r.PersonID == "p2" {
			p2 = r
		}
		if r.Month.String() == "2021-12" && r.PersonID == "p3" {
			p3 = r
		}
	}
	assert.Equal(t, "950000", p2.Pledged.String())
	assert.Equal(t, "0", p2.Shortfall.String())
	assert.Equal(t, []string{"u1", "u2"}, p2.Sponsors)
	assert.Equal(t, "commitments name different focal organisations: f1, f2", p2.Note)
	assert.Equal(t, "0", p3.Pledged.String())
	assert.Equal(t, "430000", p3.Shortfall.String())
	assert.Equal(t, []string{"u1"}, p3.Sponsors)
	assert.Equal(t, "u1", p3.Focal)
	var payP3, payP4 int
	for _, p := range held.pays {
		switch p.Beneficiary {
		case "p3":
			payP3++
		case "p4":
			payP4++
			assert.Equal(t, allocation.Payment{Month: month("2022-01"), Commitment: "c0", Sponsor: "u2", Beneficiary: "p4", Amount: money("430000"),
				Method: allocation.MethodTransfer, Focal: "u2"}, p)
		}
	}
	assert.Equal(t, 0, payP3)
	assert.Equal(t, 1, payP4)

	// The reports, written from the book, are those of the records.
	mr.Months, mr.Payments = want.rows, want.pays
	mb.Months, mb.Payments = held.rows, held.pays
	for _, report := range allocation.MonitorReports {
		var x, y bytes.Buffer
		require.NoError(t, mr.WriteCSV(&x, report))
		require.NoError(t, mb.WriteCSV(&y, report))
		assert.Equal(t, x.String(), y.String(), report)
	}
	var x, y bytes.Buffer
	require.NoError(t, mr.WriteJSON(&x))
	require.NoError(t, mb.WriteJSON(&y))
	assert.Equal(t, x.String(), y.String())
	assert.Contains(t, y.String(), `"error": "commitment_id \"c8\" appears 2 times"`)

	// JSON reads into the same book, with its records' labels.
	jbook, _, err := allocation.ReadCommitmentBook(strings.NewReader(`[{"commitment_id": "c1", "sponsor_id": "u1", "beneficiary_ids": ["p1", "p2"], "monthly_amount": 450000, "first_month": "2020-01", "duration": "phase", "method": "cash"},
 {"commitment_id": "c2", "sponsor_id": "u1", "beneficiary_ids": ["p1"], "first_month": "2020-06", "duration": "phase", "method": "cash"}]`), allocation.JSON, v, nil)
	require.NoError(t, err)
	mj, err := jbook.MonitorStream(e, persons, from, from, collectInto(&monthly{}))
	require.NoError(t, err)
	var js []allocation.CommitmentStatus
	for c := range mj.AllCommitments() {
		js = append(js, c)
	}
	require.Len(t, js, 2)
	assert.Empty(t, js[0].Error)
	assert.Equal(t, []string{"p1", "p2"}, js[0].Beneficiaries)
	assert.Equal(t, "record 2: monthly_amount: missing: a commitment must state its monthly amount, or its support in kind (plan I.2)", js[1].Error)
}
