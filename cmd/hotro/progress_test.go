package main

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// With --progress, eval and schedule report how far they have gone, in
// lines that count up to the records of the file and the bytes read up to
// 100%; the summary after them is the one printed without the flag, and
// stdout is the same. Without the flag (stderr is no terminal here)
// nothing is added. The reports come every millisecond here, every two
// seconds in use.
func TestProgress(t *testing.T) {
	defer func(a, e time.Duration) { progressAfter, progressEvery = a, e }(progressAfter, progressEvery)
	progressAfter, progressEvery = time.Millisecond, time.Millisecond
	line := regexp.MustCompile(`^(\d+) records done, \d+ a second, (\d+)% of the file read$`)
	for _, args := range [][]string{
		{"eval", "--date", "2024-07-01", "../../examples/hatinh/persons.csv"},
		{"schedule", "--from", "2024-01", "--to", "2024-12", "../../examples/hatinh/persons.csv"},
	} {
		code, out, plain := hotro(args...)
		require.Equal(t, 0, code, plain)
		code, outP, withP := hotro(append([]string{args[0], "--progress"}, args[1:]...)...)
		require.Equal(t, 0, code, withP)
		require.Equal(t, out, outP, "%s: stdout unchanged", args[0])
		lines := strings.Split(strings.TrimSuffix(withP, "\n"), "\n")
		require.Greater(t, len(lines), 1, "%s: some reports in %q", args[0], withP)
		last, lastPct := -1, -1
		for _, l := range lines[:len(lines)-1] {
			m := line.FindStringSubmatch(l)
			require.NotNil(t, m, "%s: report %q", args[0], l)
			n, _ := strconv.Atoi(m[1])
			pct, _ := strconv.Atoi(m[2])
			require.True(t, n >= last && n <= 18300 && pct >= lastPct && pct <= 100, "%s: %q after %d, %d%%", args[0], l, last, lastPct)
			last, lastPct = n, pct
		}
		require.Equal(t, plain, lines[len(lines)-1]+"\n", "%s: the summary as without --progress", args[0])
	}
}
