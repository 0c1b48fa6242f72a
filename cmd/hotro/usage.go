package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/hotro-vn/hotro/eligibility"
)

// Usage errors say what was wrong before they print the usage line.

// usageError prints problem and the command's usage line, and returns 2.
func usageError(stderr io.Writer, cmd, problem, line string) int {
	fmt.Fprintf(stderr, "hotro %s: %s\n%s %s\n", cmd, problem, tr("usage:", "cách dùng:"), line)
	return 2
}

// firstOf returns the first non-empty problem.
func firstOf(problems ...string) string {
	for _, p := range problems {
		if p != "" {
			return p
		}
	}
	return ""
}

// dateArg parses a required YYYY-MM-DD flag.
func dateArg(flag, s string) (time.Time, string) {
	if s == "" {
		return time.Time{}, fmt.Sprintf(tr("%s is required (a date YYYY-MM-DD, such as 2024-07-01)", "thiếu %s (ngày viết YYYY-MM-DD, ví dụ 2024-07-01)"), flag)
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Sprintf(tr("%s %q: the date must be written YYYY-MM-DD, such as 2024-07-01", "%s %q: ngày phải viết YYYY-MM-DD, ví dụ 2024-07-01"), flag, s)
	}
	return d, ""
}

// monthArg parses a required YYYY-MM flag.
func monthArg(flag, s string) (eligibility.Month, string) {
	if s == "" {
		return eligibility.Month{}, fmt.Sprintf(tr("%s is required (a month YYYY-MM, such as 2024-07)", "thiếu %s (tháng viết YYYY-MM, ví dụ 2024-07)"), flag)
	}
	m, err := eligibility.ParseMonth(s)
	if err != nil {
		return m, fmt.Sprintf(tr("%s %q: the month must be written YYYY-MM, such as 2024-07", "%s %q: tháng phải viết YYYY-MM, ví dụ 2024-07"), flag, s)
	}
	return m, ""
}

// onePath checks that exactly one file was named.
func onePath(pos []string) string {
	switch len(pos) {
	case 1:
		return ""
	case 0:
		return tr("name the persons file (or - for standard input)", "thiếu tệp danh sách (hoặc - để đọc từ đầu vào chuẩn)")
	}
	return fmt.Sprintf(tr("one file only, not %d: %s", "chỉ một tệp, không phải %d: %s"), len(pos), strings.Join(pos, " "))
}

// noPath checks that no positional argument was given.
func noPath(pos []string) string {
	if len(pos) == 0 {
		return ""
	}
	return fmt.Sprintf(tr("unexpected argument %q: files are given with their flags", "tham số thừa %q: các tệp được cho qua tùy chọn của chúng"), pos[0])
}

// required checks that a flag was given.
func required(flag, v string) string {
	if v != "" {
		return ""
	}
	return fmt.Sprintf(tr("%s is required", "thiếu %s"), flag)
}

// formatOK checks --format against the formats a command writes.
func formatOK(f string, allowed ...string) string {
	if slices.Contains(allowed, f) {
		return ""
	}
	return fmt.Sprintf(tr("--format %q: want one of %s", "--format %q: chỉ nhận %s"), f, strings.Join(allowed, ", "))
}
