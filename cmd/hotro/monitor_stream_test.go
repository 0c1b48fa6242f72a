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

// The commitments read into a book for the streamed reports come out as
// the commitments read as records do (--report commitments alone is
// written at the end, from the records): the same commitments report and
// summary, here on examples/hatinh with an id repeated, a sponsor and a
// focal organisation not among the units, a beneficiary not among the
// persons, support in kind only, and a pledge past the phase.
func TestMonitorBookAsRecords(t *testing.T) {
	ex := filepath.Join("..", "..", "examples", "hatinh")
	b, err := os.ReadFile(filepath.Join(ex, "commitments.csv"))
	require.NoError(t, err)
	commits := filepath.Join(t.TempDir(), "commitments.csv")
	require.NoError(t, os.WriteFile(commits, append(b, []byte("C000001,U000225,P0000009,200000,2021-01,12,cash,,,,\n"+
		"X1,NOBODY,P0000010,100000,2021-01,phase,cash,U000999999,,,\n"+
		"X2,U000223,P9999999;P0000011,100000,2021-01,phase,transfer,,,,\n"+
		"X3,U000223,P0000012,,2021-01,phase,cash,,,,care\n"+
		"X4,U000223,P0000013,300000,2025-01,24,cash,,UBND,MTTQ,\n")...), 0o644))
	args := []string{"--from", "2021-11", "--to", "2022-02", "--commitments", commits,
		"--persons", filepath.Join(ex, "persons.csv"), "--units", filepath.Join(ex, "units.csv")}
	dir := t.TempDir() + "/"
	var out, errBook, errRecs bytes.Buffer
	require.Equal(t, 1, cmdMonitor(append(args, "--out", dir), &out, &errBook), errBook.String())
	var recs bytes.Buffer
	require.Equal(t, 1, cmdMonitor(append(args, "--report", "commitments"), &recs, &errRecs), errRecs.String())
	book, err := os.ReadFile(filepath.Join(dir, "commitments.csv"))
	require.NoError(t, err)
	assert.Equal(t, recs.String(), string(book))
	assert.Equal(t, errRecs.String(), errBook.String())
	assert.Contains(t, errBook.String(), "18030 commitments in, 18030 out (22 in error, 10 flagged)")
	for _, want := range []string{
		`C000001,U000223,P0000001,500000,2020-06,phase,,transfer,,UBND Thành phố Hà Tĩnh,Ủy ban MTTQ Thành phố Hà Tĩnh,,,,"commitment_id ""C000001"" appears 2 times"`,
		`X1,NOBODY,P0000010,100000,2021-01,phase,,cash,U000999999,,,,,,"sponsor_id ""NOBODY"" is not a unit of the units file; focal_id ""U000999999"" is not a unit of the units file"`,
		`X2,U000223,P9999999;P0000011,100000,2021-01,phase,,transfer,,,,,,,"beneficiary ""P9999999"" is not in the persons file"`,
		`X3,U000223,P0000012,,2021-01,phase,2025-12,cash,,,,care,,chưa ghi UBND và MTTQ ký cam kết (no People's Committee nor Front signs it),`,
		`X4,U000223,P0000013,300000,2025-01,24,2026-12,cash,,UBND,MTTQ,,runs 12 months past the end of phase hatinh-nq179-2020-2025 (2025-12),,`,
	} {
		assert.Contains(t, string(book), want+"\n")
	}
}
