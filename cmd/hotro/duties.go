package main

import "github.com/hotro-vn/hotro/allocation"

// The sheets of the plan's other duties (allocation/duties.go).
func init() {
	sheetNames[allocation.ReportContributions] = "Đóng góp CBCC"
	sheetNames[allocation.ReportExpatriates] = "Người con quê hương"
	sheetNames[allocation.ReportArrangements] = "Hình thức chi trả"
}
