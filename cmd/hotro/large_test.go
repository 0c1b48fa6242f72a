package main

import (
	"io"
	"os"
	"path/filepath"
	"testing"
)

// TestAllocateLarge runs the whole allocate command on the large set
// (go run ./examples/hatinh/gen -large DIR) when HOTRO_LARGE names DIR, so
// that it can be profiled: HOTRO_LARGE=DIR go test ./cmd/hotro -run
// TestAllocateLarge -cpuprofile cpu.prof. It times nothing.
func TestAllocateLarge(t *testing.T) {
	dir := os.Getenv("HOTRO_LARGE")
	if dir == "" {
		t.Skip("HOTRO_LARGE not set")
	}
	out := t.TempDir() + "/"
	code := cmdAllocate([]string{"--date", "2020-06-01", "--units", filepath.Join(dir, "units.csv"), "--persons", filepath.Join(dir, "persons.csv"), "--out", out}, io.Discard, io.Discard)
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
}
