package main

import (
	"os"

	"github.com/hotro-vn/hotro/workbench"
)

// examplePopulations offers the example province to the workbench's impact
// page when hotro runs from a source checkout.
func examplePopulations() []workbench.Population {
	const p = "examples/hatinh/persons.csv"
	if _, err := os.Stat(p); err != nil {
		return nil
	}
	return []workbench.Population{{Name: "Hà Tĩnh — danh sách ví dụ cả tỉnh (examples/hatinh/persons.csv)", Path: p}}
}
