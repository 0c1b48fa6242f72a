package rulesets

// Phase is an entry of phases, for the external tests.
type Phase struct {
	From, To string
	Draft    bool
}

// Phases returns phases for the external tests.
func Phases() map[string]Phase {
	out := map[string]Phase{}
	for dir, p := range phases {
		out[dir] = Phase{p.from, p.to, p.draft}
	}
	return out
}
