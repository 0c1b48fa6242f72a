package service

import (
	"io/fs"

	"github.com/hotro-vn/hotro/rules"
)

// InForce returns the rule sets in force now and the files they were
// loaded from, for a program that shows them (the workbench). Both are
// immutable; a reload swaps in new ones.
func (s *Server) InForce() (*rules.Library, fs.FS) {
	st := s.state.Load()
	return st.lib, st.src
}
