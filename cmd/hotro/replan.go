package main

import (
	"flag"
	"os"

	"github.com/hotro-vn/hotro/allocation"
)

// allocate --previous: a stable re-plan from last month's plan.

func init() {
	sheetNames[allocation.ReportChanges] = "Thay đổi"
}

func previousFlag(fs *flag.FlagSet, pf *planFlags) {
	fs.StringVar(&pf.previous, "previous", "", tr("last month's plan (plan.json of allocate --format json): keep every pair still valid and report the changes",
		"kế hoạch tháng trước (plan.json của allocate --format json): giữ mọi cặp còn hợp lệ và báo cáo các thay đổi"))
}

// allocate makes the plan, afresh or from the previous one.
func (pf *planFlags) allocate() (*allocation.Plan, error) {
	if pf.previous == "" {
		return pf.planner.PlanRecords(pf.engine, pf.date, pf.unitRecs, pf.personRecs, true)
	}
	f, err := os.Open(pf.previous)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	prev, err := allocation.ReadPlanJSON(f)
	if err != nil {
		return nil, err
	}
	return pf.planner.ReplanRecords(prev, pf.engine, pf.date, pf.unitRecs, pf.personRecs)
}
