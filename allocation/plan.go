package allocation

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hotro-vn/hotro/admin"
	"github.com/hotro-vn/hotro/rules"
	"github.com/shopspring/decimal"
)

// The kinds of sponsoring unit the bundled rule sets declare
// (docs/policy.md §5). The values a file may use, and their spellings, are
// the rule set's (its unit_record, see Vocabulary); these names only spare
// Go callers the string literals.
const (
	KindCommune        = "commune"        // a commune (xã, phường, thị trấn) and its organisations
	KindAgency         = "agency"         // phòng, ban, ngành, MTTQ, đoàn thể of a district or the province
	KindBusiness       = "business"       // doanh nghiệp
	KindAssociation    = "association"    // hội đồng hương (hometown association)
	KindPhilanthropist = "philanthropist" // nhà hảo tâm
	KindOther          = "other"
)

// Unit is a sponsoring unit (đơn vị nhận đỡ đầu).
type Unit struct {
	ID   string `json:"unit_id"`
	Name string `json:"name,omitempty"`
	// Level is a level id of the rule set in force (for 2020–2025:
	// commune, district, province). Levels sponsor in the set's order.
	Level string `json:"level"`
	Kind  string `json:"kind"` // a value of the rule set's unit_record kind
	// Place is the GSO code of where the unit sits: a commune (5 digits), a
	// district (3 digits, before the 2025 reform) or a province (2 digits).
	// A unit takes beneficiaries nearest its place first.
	Place  string `json:"place"`
	Staff  int    `json:"staff,omitempty"`  // CBCC-NLĐ of an agency; 0 = not given
	Source string `json:"source,omitempty"` // source of mobilisation, a value of the rule set's
	// Persons is how many beneficiaries the unit will sponsor at most, each
	// with the full top-up; 0 = not stated.
	Persons int `json:"capacity_persons,omitempty"`
	// Amount is the most the unit pays in all each month; zero = not
	// stated. A unit with an amount may share a beneficiary with others.
	// A unit that states neither persons nor amount takes its obligation.
	Amount decimal.Decimal `json:"monthly_amount"`
	// Reach is the widest level within which the unit sponsors (its
	// commune, district …); "" = anywhere.
	Reach string `json:"reach,omitempty"`
}

// Beneficiary is an eligible person with the top-up owed each month.
type Beneficiary struct {
	ID    string
	Topup decimal.Decimal
	// Commune is where the person lives, as resolved on the plan's date
	// (eligibility.Decision.Commune).
	Commune admin.Commune
	// Member is the id of the unit (organisation) the person belongs to,
	// "" when not given: the plan prefers it as the sponsor, after
	// coverage, quotas and the local share (docs/allocation.md §3).
	Member string
	// Circumstances is the person's circumstances as the list gives them,
	// carried onto the plan's lists.
	Circumstances string
}

// Quota is what the quota rules say a unit owes.
type Quota struct {
	Rule         string `json:"rule"`       // the quota rule applied (docs/policy.md §5 id), "" = none
	Obligation   int    `json:"obligation"` // subjects owed, by the unit or by its group together
	Target       int    `json:"target"`     // recommended; below it is a warning only
	PolicySilent bool   `json:"policy_silent"`
	// Group is the id of the group's first unit when units owe together
	// (units under 10 staff, in pairs); "" for a unit that owes alone.
	Group string `json:"group,omitempty"`
}

// UnitResult is one unit in a plan: its quota, what it takes on, whether
// the quota is met and, if not, why.
type UnitResult struct {
	Unit
	Line  int    `json:"line,omitempty"`  // where the unit was read from; 0 when not from a file
	Error string `json:"error,omitempty"` // the unit could not take part: why
	Quota
	Sponsored int             `json:"sponsored"` // beneficiaries it funds alone
	Shared    int             `json:"shared"`    // beneficiaries it funds with others
	Monthly   decimal.Decimal `json:"monthly"`   // what it pays each month
	// Counted is what the quota rules counted: the unit's sponsored and
	// shared beneficiaries, or its group's.
	Counted int      `json:"counted"`
	Met     bool     `json:"met"`
	Failed  []string `json:"failed_rules,omitempty"`
	Warning string   `json:"warning,omitempty"`
	Reason  string   `json:"reason,omitempty"`
}

// Share is what one sponsor pays for one beneficiary each month.
type Share struct {
	Unit   string          `json:"unit_id"`
	Amount decimal.Decimal `json:"amount"`
}

// Sponsorship is the plan for one beneficiary.
type Sponsorship struct {
	Beneficiary string          `json:"person_id"`
	Commune     string          `json:"commune_code"`
	Topup       decimal.Decimal `json:"monthly_topup"`
	// Level is the level whose units sponsor the beneficiary; "" when
	// nobody does.
	Level string `json:"level"`
	// Near is the level of the smallest area the sponsor and the
	// beneficiary share: commune, district, province; "further" beyond.
	Near   string  `json:"near,omitempty"`
	Shares []Share `json:"shares,omitempty"`
	// Focal is the focal organisation (tổ chức đầu mối): the sole sponsor,
	// or among several the one that gathers the shares and pays.
	Focal string `json:"focal,omitempty"`
	// Note says why a person record is not planned (not eligible, no
	// top-up); Error why it could not be read, decided or placed.
	Note  string `json:"note,omitempty"`
	Error string `json:"error,omitempty"`
	// Member and Circumstances are the person's, when the list gives them.
	Member        string `json:"member_of,omitempty"`
	Circumstances string `json:"circumstances,omitempty"`
}

// Area is one commune, district or province after the plan, with the
// area rules (local share, province remainder).
type Area struct {
	Level           string          `json:"level"`
	Code            string          `json:"code"`
	Name            string          `json:"name"`
	Beneficiaries   int             `json:"beneficiaries"`
	SponsoredLocal  int             `json:"sponsored_local"`  // by units of this level or the levels before
	SponsoredBefore int             `json:"sponsored_before"` // by units of the levels before
	Sponsored       int             `json:"sponsored"`        // by any level
	Required        int             `json:"local_share_required"`
	Share           decimal.Decimal `json:"local_share"`
	ProvinceList    int             `json:"province_list"`
	Uncovered       int             `json:"uncovered"`
	SmallAgencies   int             `json:"small_agencies"`
	SmallSubjects   int             `json:"small_agency_subjects"`
	Failed          []string        `json:"failed_rules,omitempty"`
	Reason          string          `json:"reason,omitempty"`
}

// Plan is who sponsors whom on a date. Units, Sponsorships and Areas are
// sorted (by id, by person id, by level and code), so that the same inputs
// give the same plan whatever their order.
type Plan struct {
	Date        time.Time `json:"date"`
	RuleSet     string    `json:"rule_set"`
	RuleSetHash string    `json:"rule_set_hash"`
	Draft       bool      `json:"draft"`
	Levels      []string  `json:"levels"`
	// Allocated is false for Quotas: nothing is sponsored, so nothing is
	// checked as met or unmet.
	Allocated bool `json:"allocated"`
	// Bound says how far the plan can be from covering the most
	// beneficiaries possible; nil for Quotas.
	Bound *Bound `json:"bound,omitempty"`
	// Changes are what a re-plan changed against the previous plan
	// (Replan); nil for a plan made afresh.
	Changes []Change `json:"changes,omitempty"`
	why     map[string]string
	// Duties are the plan's other duties (duties.go); nil for Quotas.
	Duties       *Duties       `json:"duties,omitempty"`
	Units        []UnitResult  `json:"units"`
	Sponsorships []Sponsorship `json:"sponsorships"`
	Areas        []Area        `json:"areas"`
}

// Summary counts a plan's outcome.
type Summary struct {
	Beneficiaries, Alone, Shared, Uncovered int
	ByLevel                                 map[string]int // beneficiaries sponsored by each level
	Units, UnitsInError, QuotasUnmet        int
	Monthly                                 decimal.Decimal
}

// Summary counts the plan's sponsorships and quotas.
func (p *Plan) Summary() Summary {
	s := Summary{ByLevel: map[string]int{}, Monthly: decimal.Zero}
	for _, sp := range p.Sponsorships {
		if sp.Error != "" || sp.Note != "" {
			continue
		}
		s.Beneficiaries++
		switch {
		case sp.Level == "":
			s.Uncovered++
		case len(sp.Shares) == 1:
			s.Alone++
		default:
			s.Shared++
		}
		if sp.Level != "" {
			s.ByLevel[sp.Level]++
			s.Monthly = s.Monthly.Add(sp.Topup)
		}
	}
	for _, u := range p.Units {
		s.Units++
		if u.Error != "" {
			s.UnitsInError++
		} else if !u.Met {
			s.QuotasUnmet++
		}
	}
	return s
}

// maxTopup bounds a top-up, to catch a unit mistake (a figure in xu or
// thousands) before it swallows a sponsor's amount.
var maxTopup = decimal.NewFromInt(100_000_000)

// unitState is a unit's part in the allocation.
type unitState struct {
	node, area, reach int32 // where it sits, its area at its level, the widest area it serves
	level             int
	group             *group
	persons           int             // persons it may still take; -1 = no limit
	limited           bool            // it stated an amount
	money             decimal.Decimal // amount left when limited
	groupSize         int
	staffMin          decimal.Decimal // staff × the minimum contribution per official
}

// group is units that owe one obligation together (a unit alone is a group of one).
type group struct {
	lead      string // the first member's id
	owed, got int
	capacity  int // persons the members stated or were given; -1 = no limit
	limited   bool
}

// Plan allocates beneficiaries to units on date under the rule set in
// force then. Units that cannot take part (unknown level or place, a
// duplicate id …) and beneficiaries that cannot be placed are reported with
// an error in the plan, never dropped. The error return is for a date no
// rule set covers or rules that fail to evaluate.
func (p *Planner) Plan(date time.Time, units []Unit, bens []Beneficiary) (*Plan, error) {
	rows := make([]UnitResult, len(units))
	for i, u := range units {
		rows[i] = UnitResult{Unit: u}
	}
	return p.plan(date, rows, bens, true, nil)
}

// Quotas is Plan without the allocation: each unit's quota rule,
// obligation, target and group, and each area's beneficiaries and the
// local share it requires. Nothing is sponsored, so nothing is met.
func (p *Planner) Quotas(date time.Time, units []Unit, bens []Beneficiary) (*Plan, error) {
	rows := make([]UnitResult, len(units))
	for i, u := range units {
		rows[i] = UnitResult{Unit: u}
	}
	return p.plan(date, rows, bens, false, nil)
}

func (p *Planner) plan(date time.Time, units []UnitResult, bens []Beneficiary, allocate bool, prev *Plan) (*Plan, error) {
	set, err := p.lib.For(date)
	if err != nil {
		return nil, err
	}
	ev, err := set.At(date)
	if err != nil {
		return nil, err
	}
	vocab, err := VocabularyOf(set, date)
	if err != nil {
		return nil, err
	}
	a := &allocator{ev: ev, vocab: vocab, geo: newGeo(p.reg, date)}
	for _, l := range set.Meta.Levels {
		a.levels = append(a.levels, l.ID)
	}
	a.t = newTree(a.levels)
	plan := &Plan{Date: date, RuleSet: set.Meta.ID, RuleSetHash: set.Hash, Draft: set.Meta.Status == "draft", Levels: a.levels, Allocated: allocate}
	a.placeBeneficiaries(bens)
	a.placeUnits(units)
	a.t.finish()
	a.count()
	if err := a.quotas(); err != nil {
		return nil, err
	}
	if allocate && prev != nil {
		plan.why = a.pin(prev)
		a.kept = make([]bool, len(a.covered))
		for b, l := range a.covered {
			a.kept[b] = l >= 0
		}
	}
	if allocate {
		b, err := a.optimise()
		if err != nil {
			return nil, err
		}
		for l := range a.levels {
			a.sweep(l)
		}
		a.improve()
		if err := a.check(); err != nil {
			return nil, err
		}
		unc := 0
		for i, c := range a.covered {
			if c < 0 && a.benNode[i] >= 0 {
				unc++
			}
		}
		if b.Exact {
			b.Uncovered = unc
		}
		b.Gap = unc - b.Uncovered
		plan.Bound = b
	}
	plan.Units, plan.Sponsorships = a.units, a.spons
	if plan.Areas, err = a.areas(); err != nil {
		return nil, err
	}
	if allocate {
		plan.Duties = a.duties(plan.Areas)
	}
	if !allocate {
		for i := range plan.Areas {
			plan.Areas[i].Failed, plan.Areas[i].Reason = nil, ""
		}
	}
	return plan, nil
}

// allocator holds one plan in the making.
type allocator struct {
	ev     *rules.Evaluator
	vocab  *Vocabulary
	geo    *geo
	levels []string
	t      *tree

	bens    []Beneficiary
	spons   []Sponsorship      // by beneficiary, sorted by id
	benNode []int32            // -1 when in error
	rank    []int32            // position by (top-up, id): pending lists sort by it
	class   []int32            // rank of the top-up among the distinct top-ups, cheapest 0
	members map[string][]int32 // beneficiaries by the unit they belong to; nil when none says
	covered []int8             // level index that sponsors each beneficiary; -1 = none yet

	units  []UnitResult // sorted by id
	state  []unitState
	zones  []string
	nodeN  []int // beneficiaries in each node's subtree
	byNode [][]int32

	req        []int  // local share each area requires (optimise)
	shareLevel int    // level of the areas that require one, -1 = none
	kept       []bool // pairs kept from the previous plan (Replan); nil when none
}

func (a *allocator) placeBeneficiaries(in []Beneficiary) {
	// The allocator only reads the beneficiaries: a list already in id
	// order (as lists usually are) is used as it is, not copied.
	byID := func(x, y Beneficiary) int { return strings.Compare(x.ID, y.ID) }
	a.bens = in
	if !slices.IsSortedFunc(in, byID) {
		a.bens = slices.Clone(in)
		slices.SortStableFunc(a.bens, byID)
	}
	n := len(a.bens)
	a.spons, a.benNode, a.covered = make([]Sponsorship, n), make([]int32, n), make([]int8, n)
	nodeOf := map[string]int32{}
	for i, b := range a.bens {
		a.spons[i] = Sponsorship{Beneficiary: b.ID, Commune: b.Commune.Code, Topup: b.Topup, Member: b.Member, Circumstances: b.Circumstances}
		a.benNode[i], a.covered[i] = -1, -1
		msg := ""
		switch {
		case b.ID == "":
			msg = "no person_id"
		case (i > 0 && a.bens[i-1].ID == b.ID) || (i+1 < n && a.bens[i+1].ID == b.ID):
			msg = fmt.Sprintf("person_id %q appears more than once", b.ID)
		case b.Topup.Sign() <= 0 || !b.Topup.IsInteger() || b.Topup.GreaterThan(maxTopup):
			msg = fmt.Sprintf("top-up %s is not a positive whole number of đồng", b.Topup)
		case b.Commune.Code == "":
			msg = "no commune"
		}
		if msg != "" {
			a.spons[i].Error = msg
			continue
		}
		node, ok := nodeOf[b.Commune.Code]
		if !ok {
			var err error
			if node, err = a.t.add(a.geo.place(b.Commune)); err != nil {
				a.spons[i].Error = err.Error()
				continue
			}
			nodeOf[b.Commune.Code] = node
		}
		a.benNode[i] = node
	}
	for i := range a.bens {
		if m := a.bens[i].Member; m != "" && a.spons[i].Error == "" {
			if a.members == nil {
				a.members = map[string][]int32{}
			}
			a.members[m] = append(a.members[m], int32(i))
		}
	}
	order := make([]int32, n)
	for i := range order {
		order[i] = int32(i)
	}
	// Top-ups are whole đồng below maxTopup (checked above, or in error and
	// never planned): compare them as integers.
	top := make([]int64, n)
	for i := range a.bens {
		if a.spons[i].Error == "" {
			top[i] = a.bens[i].Topup.IntPart()
		}
	}
	slices.SortStableFunc(order, func(x, y int32) int { return cmp.Compare(top[x], top[y]) })
	a.rank, a.class = make([]int32, n), make([]int32, n)
	for r, i := range order {
		a.rank[i] = int32(r)
		if r > 0 {
			a.class[i] = a.class[order[r-1]]
			if top[i] != top[order[r-1]] {
				a.class[i]++
			}
		}
	}
}

func (a *allocator) placeUnits(in []UnitResult) {
	a.units = slices.Clone(in)
	for i := range a.units {
		a.units[i].Monthly = decimal.Zero
	}
	a.sortAndPlace()
}

// sortAndPlace sorts the units by id and checks each; a unit in error keeps
// its row with Error set.
func (a *allocator) sortAndPlace() {
	slices.SortStableFunc(a.units, func(x, y UnitResult) int {
		return cmp.Or(strings.Compare(x.ID, y.ID), cmp.Compare(x.Line, y.Line))
	})
	a.state, a.zones = make([]unitState, len(a.units)), make([]string, len(a.units))
	for i := range a.units {
		u := &a.units[i]
		if u.Error != "" {
			continue
		}
		if err := a.placeUnit(i); err != nil {
			u.Error = err.Error()
		}
	}
}

func (a *allocator) placeUnit(i int) error {
	u := a.units[i].Unit
	switch {
	case u.ID == "":
		return errors.New("unit_id: missing")
	case (i > 0 && a.units[i-1].ID == u.ID) || (i+1 < len(a.units) && a.units[i+1].ID == u.ID):
		return fmt.Errorf("unit_id %q appears more than once", u.ID)
	case u.Staff < 0 || u.Persons < 0 || u.Amount.Sign() < 0:
		return errors.New("staff, capacity_persons and monthly_amount must not be negative")
	case !u.Amount.IsInteger():
		return fmt.Errorf("monthly_amount %s is not whole đồng", u.Amount)
	}
	if err := a.vocab.CheckUnit(u); err != nil {
		return err
	}
	level := slices.Index(a.levels, u.Level)
	if level < 0 {
		return fmt.Errorf("level %q is not a level of the rule set in force (%s)", u.Level, strings.Join(a.levels, ", "))
	}
	pl, err := a.geo.resolve(u.Place)
	if err != nil {
		return fmt.Errorf("place: %v", err)
	}
	node, err := a.t.add(pl)
	if err != nil {
		return fmt.Errorf("place %s: %v", u.Place, err)
	}
	s := &a.state[i]
	s.node, s.level = node, level
	if s.area = a.t.ancestor(node, level); s.area < 0 {
		return fmt.Errorf("place %s (%s) is not inside a %s, but the unit is at the %s level", u.Place, pl.name, u.Level, u.Level)
	}
	s.reach = 0
	if u.Reach != "" {
		r := slices.Index(a.levels, u.Reach)
		if r < 0 {
			return fmt.Errorf("reach %q is not a level of the rule set in force (%s)", u.Reach, strings.Join(a.levels, ", "))
		}
		if s.reach = a.t.ancestor(node, r); s.reach < 0 {
			return fmt.Errorf("reach %s is narrower than the unit's place %s", u.Reach, u.Place)
		}
	}
	a.zones[i] = cmp.Or(pl.zone, admin.ZoneRural)
	return nil
}

// count fills each node's beneficiaries and their number in its subtree.
func (a *allocator) count() {
	a.nodeN = make([]int, len(a.t.nodes))
	a.byNode = make([][]int32, len(a.t.nodes))
	for i, n := range a.benNode {
		if n >= 0 {
			a.byNode[n] = append(a.byNode[n], int32(i))
		}
	}
	for _, n := range a.t.post {
		a.nodeN[n] += len(a.byNode[n])
		if p := a.t.nodes[n].parent; p >= 0 {
			a.nodeN[p] += a.nodeN[n]
		}
	}
}

// quotas evaluates the unit model for every unit, forms the groups of units
// that owe together, and sets each unit's capacity.
func (a *allocator) quotas() error {
	err := evalAll(a.ev, UnitModel, len(a.units), func(i int, env rules.Env) {
		a.unitEnv(i, env, 0)
	}, func(i int, r *rules.Result) {
		u := &a.units[i]
		if u.Error != "" {
			return
		}
		u.Rule, u.Obligation = outText(r, "quota_rule"), outInt(r, "obligation", 0)
		u.Target, u.PolicySilent = outInt(r, "target", u.Obligation), outBool(r, "policy_silent")
		a.state[i].groupSize = max(1, outInt(r, "group_size", 1))
		a.state[i].staffMin = decimal.Zero
		if v, ok := r.Output("staff_contribution"); ok {
			a.state[i].staffMin = v.(decimal.Decimal)
		}
	})
	if err != nil {
		return fmt.Errorf("quota rules: %w", err)
	}
	// Units owing together are formed in order of their ids within their
	// area, rule and group size; the last group may be smaller.
	type key struct {
		area      int32
		rule      string
		size, lvl int
	}
	open := map[key]*group{}
	members := map[*group]int{}
	for i := range a.units {
		u, s := &a.units[i], &a.state[i]
		if u.Error != "" {
			continue
		}
		k := key{s.area, u.Rule, s.groupSize, s.level}
		g := open[k]
		if s.groupSize == 1 || g == nil {
			g = &group{lead: u.ID, owed: u.Obligation}
			if s.groupSize > 1 {
				open[k] = g
				u.Group = u.ID
			}
		} else {
			u.Group = g.lead
		}
		s.group = g
		members[g]++
		if members[g] == s.groupSize {
			delete(open, k)
		}
		switch {
		case u.Persons > 0:
			s.persons = u.Persons
		case u.Amount.Sign() > 0:
			s.persons = -1
		case members[g] == 1:
			s.persons = g.owed // the first member stands for the group
		}
		s.limited, s.money = u.Amount.Sign() > 0, u.Amount
		if g.capacity >= 0 {
			if s.persons < 0 {
				g.capacity = -1
			} else {
				g.capacity += s.persons
			}
		}
		g.limited = g.limited || s.limited
	}
	return nil
}

func (a *allocator) unitEnv(i int, env rules.Env, sponsored int) {
	u, s := &a.units[i], &a.state[i]
	if u.Error != "" {
		// Not evaluated for real: give valid inputs and ignore the result.
		env["zone"], env["level"], env["kind"], env["beneficiaries"], env["sponsored"] = admin.ZoneRural, "", KindOther, 0, 0
		return
	}
	env["zone"], env["level"], env["kind"] = a.zones[i], u.Level, u.Kind
	env["beneficiaries"], env["sponsored"] = a.nodeN[s.area], sponsored
	if u.Staff > 0 {
		env["staff"] = u.Staff
	}
	if u.Source != "" {
		env["source"] = u.Source
	}
}
