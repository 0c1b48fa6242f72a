package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The months and payments reports written month by month are byte for
// byte those written at the end (the directory output collects), with the
// same summary, on examples/hatinh around the 2022-01 line rise (exit 1:
// the example keeps 18 commitments in error).
func TestMonitorStreamsIdentical(t *testing.T) {
	ex := filepath.Join("..", "..", "examples", "hatinh")
	args := []string{"--from", "2021-11", "--to", "2022-02", "--commitments", filepath.Join(ex, "commitments.csv"),
		"--persons", filepath.Join(ex, "persons.csv"), "--units", filepath.Join(ex, "units.csv")}
	dir := t.TempDir() + "/"
	var out, errAll bytes.Buffer
	require.Equal(t, 1, cmdMonitor(append(args, "--out", dir), &out, &errAll))
	for _, report := range []string{"months", "payments"} {
		var stream, errStream bytes.Buffer
		require.Equal(t, 1, cmdMonitor(append(args, "--report", report), &stream, &errStream), errStream.String())
		want, err := os.ReadFile(filepath.Join(dir, report+".csv"))
		require.NoError(t, err)
		assert.True(t, bytes.Equal(want, stream.Bytes()), report)
		assert.Equal(t, errAll.String(), errStream.String())
		// --out FILE and --excel go the same way.
		file := filepath.Join(t.TempDir(), report+".csv")
		require.Equal(t, 1, cmdMonitor(append(args, "--report", report, "--out", file, "--excel"), &out, &errStream))
		got, err := os.ReadFile(file)
		require.NoError(t, err)
		assert.Equal(t, append([]byte("\ufeff"), want...), got)
	}
	assert.Contains(t, errAll.String(), "2021-11 to 2022-02: ")
}
