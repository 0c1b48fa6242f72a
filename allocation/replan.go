package allocation

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/hotro-vn/hotro/eligibility"
	"github.com/shopspring/decimal"
)

// Stable re-planning (docs/allocation.md §3, "Stable re-planning"): given
// last month's plan, the new plan keeps every pair that is still valid and
// reports only the changes.

// ReportChanges lists what a re-plan changed against the previous plan.
const ReportChanges = "changes"

// The kinds of change.
const (
	ChangeAdded   = "added"   // sponsored now, not before
	ChangeRemoved = "removed" // sponsored before, not now: Reason says why
	ChangeAmount  = "amount"  // the same sponsors, other amounts (a line rise, a new allowance)
	ChangeSponsor = "sponsor" // sponsored before and now, by others: Reason says why the pair went
)

// Change is one beneficiary whose sponsorship differs from the previous
// plan's.
type Change struct {
	Beneficiary string `json:"person_id"`
	Kind        string `json:"change"`
	Before      string `json:"before,omitempty"` // shares "unit:amount;…"
	After       string `json:"after,omitempty"`
	Reason      string `json:"reason,omitempty"`
}

// ReadPlanJSON reads a plan as WriteJSON wrote it (hotro allocate --format
// json), for Replan.
func ReadPlanJSON(r io.Reader) (*Plan, error) {
	var p Plan
	d := json.NewDecoder(r)
	if err := d.Decode(&p); err != nil {
		return nil, fmt.Errorf("previous plan: %w", err)
	}
	return &p, nil
}

// Replan is Plan keeping the pairs of prev that are still valid on date:
// the beneficiary is still one, every sponsor is still a unit of the same
// level that reaches where the beneficiary now lives, and has the capacity
// or the amount. A sole sponsor counted in persons pays the new top-up; a
// pooled sponsorship is kept while its shares still cover the top-up (a
// lower top-up lowers the last shares). The rest is planned as Plan does.
// The plan's Changes list what differs from prev, and its Bound is that of
// a plan made afresh, so the gap shows what stability costs.
func (p *Planner) Replan(prev *Plan, date time.Time, units []Unit, bens []Beneficiary) (*Plan, error) {
	rows := make([]UnitResult, len(units))
	for i, u := range units {
		rows[i] = UnitResult{Unit: u}
	}
	return p.replan(prev, date, rows, bens, nil)
}

// ReplanRecords is Replan for records as read from files, like PlanRecords.
func (p *Planner) ReplanRecords(prev *Plan, e *eligibility.Engine, date time.Time, units []UnitRecord, persons []eligibility.Record) (*Plan, error) {
	rows, bens, others, err := p.inputs(e, date, units, persons)
	if err != nil {
		return nil, err
	}
	return p.replan(prev, date, rows, bens, others)
}

func (p *Planner) replan(prev *Plan, date time.Time, rows []UnitResult, bens []Beneficiary, others []Sponsorship) (*Plan, error) {
	fresh, err := p.plan(date, slices.Clone(rows), bens, true, nil)
	if err != nil {
		return nil, err
	}
	plan, err := p.plan(date, rows, bens, true, prev)
	if err != nil {
		return nil, err
	}
	finish(plan, others)
	if fresh.Bound != nil && plan.Bound != nil {
		unc := plan.Summary().Uncovered
		plan.Bound = &Bound{Uncovered: fresh.Bound.Uncovered, Gap: unc - fresh.Bound.Uncovered, Exact: false}
	}
	plan.Changes = changes(prev, plan, plan.why)
	plan.why = nil
	return plan, nil
}

// pin gives the still-valid pairs of prev to their sponsors before the
// flow, and records why each other pair went.
func (a *allocator) pin(prev *Plan) map[string]string {
	why := map[string]string{}
	byID := make(map[string]int32, len(a.units))
	for i := range a.units {
		byID[a.units[i].ID] = int32(i)
	}
	benOf := make(map[string]int32, len(a.bens))
	for i := range a.bens {
		benOf[a.bens[i].ID] = int32(i)
	}
	for _, sp := range prev.Sponsorships {
		if sp.Level == "" || len(sp.Shares) == 0 {
			continue
		}
		b, ok := benOf[sp.Beneficiary]
		if !ok {
			why[sp.Beneficiary] = "không còn là đối tượng / no longer a beneficiary"
			continue
		}
		if a.benNode[b] < 0 {
			why[sp.Beneficiary] = "lỗi bản ghi / the record is in error"
			continue
		}
		top := a.bens[b].Topup
		who := make([]int32, len(sp.Shares))
		reason := ""
		for i, sh := range sp.Shares {
			u, ok := byID[sh.Unit]
			switch {
			case !ok:
				reason = "đơn vị " + sh.Unit + " không còn trong danh sách / unit " + sh.Unit + " is gone"
			case a.units[u].Error != "":
				reason = "đơn vị " + sh.Unit + " bị lỗi / unit " + sh.Unit + " is in error"
			case a.levels[a.state[u].level] != sp.Level:
				reason = "đơn vị " + sh.Unit + " đổi cấp / unit " + sh.Unit + " changed level"
			case !a.reaches(u, a.benNode[b]):
				reason = "đối tượng ở ngoài phạm vi của " + sh.Unit + " (xã " + a.bens[b].Commune.Code + ") / out of the reach of " + sh.Unit
			}
			if reason != "" {
				break
			}
			who[i] = u
		}
		if reason != "" {
			why[sp.Beneficiary] = reason
			continue
		}
		shares, reason := a.keepShares(sp.Shares, who, top)
		if reason != "" {
			why[sp.Beneficiary] = reason
			continue
		}
		a.take(b, a.lca(a.state[who[0]].node, a.benNode[b]), a.state[who[0]].level, shares, who)
	}
	return why
}

// reaches reports whether unit u may sponsor at node n.
func (a *allocator) reaches(u int32, n int32) bool {
	r := a.state[u].reach
	for ; n >= 0; n = a.t.nodes[n].parent {
		if n == r {
			return true
		}
	}
	return false
}

// keepShares returns the shares of a kept pair for the new top-up, or why
// the pair cannot be kept.
func (a *allocator) keepShares(old []Share, who []int32, top decimal.Decimal) ([]Share, string) {
	if len(old) == 1 {
		s := &a.state[who[0]]
		switch {
		case s.persons == 0:
			return nil, "đơn vị " + old[0].Unit + " hết khả năng nhận / unit " + old[0].Unit + " has no capacity left"
		case s.limited && s.money.LessThan(top):
			return nil, "số tiền của " + old[0].Unit + " không đủ mức hỗ trợ mới " + top.StringFixed(0) + " đ / the amount of " + old[0].Unit + " no longer covers the top-up"
		}
		return []Share{{old[0].Unit, top}}, ""
	}
	sum := decimal.Zero
	for _, sh := range old {
		sum = sum.Add(sh.Amount)
	}
	if sum.LessThan(top) {
		return nil, "mức hỗ trợ tăng lên " + top.StringFixed(0) + " đ, vượt số tiền các bên góp (" + sum.StringFixed(0) + " đ) / the top-up rose above the shares"
	}
	out := slices.Clone(old)
	for i := len(out) - 1; i >= 0 && sum.GreaterThan(top); i-- { // a lower top-up lowers the last shares
		cut := decimal.Min(out[i].Amount, sum.Sub(top))
		out[i].Amount, sum = out[i].Amount.Sub(cut), sum.Sub(cut)
	}
	kept := out[:0]
	keptWho := who[:0]
	for i, sh := range out {
		if sh.Amount.Sign() > 0 {
			kept, keptWho = append(kept, sh), append(keptWho, who[i])
		}
	}
	for i, u := range keptWho {
		s := &a.state[u]
		if s.persons == 0 || s.limited && s.money.LessThan(kept[i].Amount) {
			return nil, "số tiền của " + kept[i].Unit + " không còn đủ / the amount of " + kept[i].Unit + " is used"
		}
	}
	copy(who, keptWho)
	return kept, ""
}

// changes compares the plan with prev, person by person; why holds the
// reasons pairs of prev were not kept.
func changes(prev, plan *Plan, why map[string]string) []Change {
	before := map[string]*Sponsorship{}
	for i := range prev.Sponsorships {
		if sp := &prev.Sponsorships[i]; sp.Level != "" && len(sp.Shares) > 0 {
			before[sp.Beneficiary] = sp
		}
	}
	now := map[string]bool{}
	var out []Change
	for i := range plan.Sponsorships {
		sp := &plan.Sponsorships[i]
		now[sp.Beneficiary] = true
		old := before[sp.Beneficiary]
		covered := sp.Level != "" && len(sp.Shares) > 0
		switch {
		case old == nil && covered:
			out = append(out, Change{Beneficiary: sp.Beneficiary, Kind: ChangeAdded, After: shares(sp.Shares)})
		case old == nil:
		case !covered:
			r := orDefault(why[sp.Beneficiary], "chưa có người nhận đỡ đầu / left without a sponsor")
			if sp.Note != "" {
				r = "không còn là đối tượng: " + sp.Note + " / no longer a beneficiary"
			}
			out = append(out, Change{Beneficiary: sp.Beneficiary, Kind: ChangeRemoved, Before: shares(old.Shares), Reason: r})
		case sameUnits(old.Shares, sp.Shares):
			if shares(old.Shares) != shares(sp.Shares) {
				out = append(out, Change{Beneficiary: sp.Beneficiary, Kind: ChangeAmount, Before: shares(old.Shares), After: shares(sp.Shares)})
			}
		default:
			out = append(out, Change{Beneficiary: sp.Beneficiary, Kind: ChangeSponsor, Before: shares(old.Shares), After: shares(sp.Shares), Reason: why[sp.Beneficiary]})
		}
	}
	for id, old := range before {
		if !now[id] {
			out = append(out, Change{Beneficiary: id, Kind: ChangeRemoved, Before: shares(old.Shares),
				Reason: "không có trong danh sách (đã mất hoặc chuyển đi) / absent from the list (died or moved away)"})
		}
	}
	slices.SortFunc(out, func(x, y Change) int { return strings.Compare(x.Beneficiary, y.Beneficiary) })
	return out
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func sameUnits(x, y []Share) bool {
	if len(x) != len(y) {
		return false
	}
	for i := range x {
		if x[i].Unit != y[i].Unit {
			return false
		}
	}
	return true
}
