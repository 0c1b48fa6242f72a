// Command ratios decides the same population with the library and its
// peers (package bench), several rounds each, the implementations
// interleaved within a round so that a busy machine slows them alike, and
// prints per implementation the time and allocations per decision and
// its ratio to the library's time in the same round, as the range over
// the rounds and the median:
//
//	go run ./cmd/ratios [-rounds 6]
package main

import (
	"flag"
	"fmt"
	"os"
	"slices"
	"testing"

	"github.com/hotro-vn/hotro/bench"
)

func main() {
	rounds := flag.Int("rounds", 6, "rounds of every implementation")
	flag.Parse()
	cases, err := bench.Cases()
	if err != nil {
		fmt.Fprintln(os.Stderr, "ratios:", err)
		os.Exit(1)
	}
	ns := make([][]float64, len(cases))    // per case, per round
	ratio := make([][]float64, len(cases)) // engine ÷ case, per round
	allocs := make([]int64, len(cases))
	bytes := make([]int64, len(cases))
	for r := 0; r < *rounds; r++ {
		for i, c := range cases {
			res := testing.Benchmark(c.Run)
			ns[i] = append(ns[i], float64(res.NsPerOp()))
			allocs[i], bytes[i] = res.AllocsPerOp(), res.AllocedBytesPerOp()
		}
		for i := range cases {
			ratio[i] = append(ratio[i], ns[0][r]/ns[i][r])
		}
		fmt.Fprintf(os.Stderr, "round %d of %d\n", r+1, *rounds)
	}
	fmt.Printf("%d rounds, one decision of the person model on %s (5 conditions + top-up), %d persons cycled\n\n", *rounds, bench.Date.Format("2006-01-02"), bench.N)
	fmt.Printf("%-14s %22s %8s %8s %26s\n", "implementation", "ns/decision min–max", "allocs", "bytes", "engine time ÷ this (median)")
	for i, c := range cases {
		fmt.Printf("%-14s %22s %8d %8d %26s\n", c.Name, span(ns[i], "%.0f"), allocs[i], bytes[i], span(ratio[i], "%.2f"))
	}
}

// span is "min–max (median)" of xs.
func span(xs []float64, f string) string {
	s := slices.Clone(xs)
	slices.Sort(s)
	med := s[len(s)/2]
	if len(s)%2 == 0 {
		med = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return fmt.Sprintf(f+"–"+f+" ("+f+")", s[0], s[len(s)-1], med)
}
