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
// 100%, and monitor the person-months decided; the summary after them is the one printed without the flag, and
// stdout is the same. Without the flag (stderr is no terminal here)
// nothing is added. The reports come every millisecond here, every two
// seconds in use.
func TestProgress(t *testing.T) {
	defer func(a, e time.Duration) { progressAfter, progressEvery = a, e }(progressAfter, progressEvery)
	progressAfter, progressEvery = time.Millisecond, time.Millisecond
	file := regexp.MustCompile(`^(\d+) records done, \d+ a second, (\d+)% of the file read$`)
	months := regexp.MustCompile(`^(\d+) person-months done, \d+ a second()$`)
	hatinh := "../../examples/hatinh/"
	for _, c := range []struct {
		args []string
		line *regexp.Regexp
		most int
	}{
		{[]string{"eval", "--date", "2024-07-01", hatinh + "persons.csv"}, file, 18300},
		{[]string{"schedule", "--from", "2024-01", "--to", "2024-12", hatinh + "persons.csv"}, file, 18300},
		{[]string{"monitor", "--from", "2020-06", "--to", "2025-12", "--units", hatinh + "units.csv",
			"--commitments", hatinh + "commitments.csv", "--persons", hatinh + "persons.csv"}, months, 1187047},
	} {
		args, line := c.args, c.line
		code, out, plain := hotro(args...)
		codeP, outP, withP := hotro(append([]string{args[0], "--progress"}, args[1:]...)...)
		require.Equal(t, code, codeP, withP)
		require.Equal(t, out, outP, "%s: stdout unchanged", args[0])
		lines := strings.Split(strings.TrimSuffix(withP, "\n"), "\n")
		require.Greater(t, len(lines), 1, "%s: some reports in %q", args[0], withP)
		last, lastPct := -1, -1
		for _, l := range lines[:len(lines)-1] {
			m := line.FindStringSubmatch(l)
			require.NotNil(t, m, "%s: report %q", args[0], l)
			n, _ := strconv.Atoi(m[1])
			pct, _ := strconv.Atoi(m[2]) // 0 for monitor, which reads more than one file
			require.True(t, n >= last && n <= c.most && pct >= lastPct && pct <= 100, "%s: %q after %d, %d%%", args[0], l, last, lastPct)
			last, lastPct = n, pct
		}
		require.Equal(t, plain, lines[len(lines)-1]+"\n", "%s: the summary as without --progress", args[0])
	}
}
