// Command ratios decides the same population with the library and its
// peers (package bench), several rounds each, the implementations
// interleaved within a round so that a busy machine slows them alike, and
// prints per implementation the time and allocations per decision and
// the ratio of the library's time to its own in the same round — the
// library allocating each Decision (engine) and deciding into the caller's
// (engine-into, as the batch commands do) —, as the range over the rounds
// and the median:
//
//	go run ./cmd/ratios [-rounds 6] [-live 0]
//
// A process that decides little else holds a heap of a few megabytes, so
// the collector runs each time the decisions have allocated about 4 MB
// (its least goal) and a cycle's fixed cost falls on few decisions; a
// batch or a service holds more (eval of 2,000,000 persons: 12–37 MB live
// after each collection). -live holds that many megabytes of pointer-free
// memory through the rounds, so that the collector paces itself as it does
// there; it costs nothing to mark.
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"slices"
	"testing"

	"github.com/hotro-vn/hotro/bench"
)

func main() {
	rounds := flag.Int("rounds", 6, "rounds of every implementation")
	live := flag.Int("live", 0, "megabytes of pointer-free memory held through the rounds")
	flag.Parse()
	held := make([]byte, *live<<20)
	for i := 0; i < len(held); i += 4096 {
		held[i] = 1 // touched, so that it is resident as a process's heap is
	}
	cases, err := bench.Cases()
	if err != nil {
		fmt.Fprintln(os.Stderr, "ratios:", err)
		os.Exit(1)
	}
	ns := make([][]float64, len(cases))        // per case, per round
	ratio := make([][]float64, len(cases))     // engine ÷ case, per round
	ratioInto := make([][]float64, len(cases)) // engine-into ÷ case, per round
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
			ratioInto[i] = append(ratioInto[i], ns[1][r]/ns[i][r])
		}
		fmt.Fprintf(os.Stderr, "round %d of %d\n", r+1, *rounds)
	}
	fmt.Printf("%d rounds, one decision of the person model on %s (5 conditions + top-up), %d persons cycled, %d MB more held live\n\n", *rounds, bench.Date.Format("2006-01-02"), bench.N, *live)
	fmt.Printf("%-14s %22s %8s %8s %26s %26s\n", "implementation", "ns/decision min–max", "allocs", "bytes", "engine time ÷ this", "engine-into time ÷ this")
	for i, c := range cases {
		fmt.Printf("%-14s %22s %8d %8d %26s %26s\n", c.Name, span(ns[i], "%.0f"), allocs[i], bytes[i], span(ratio[i], "%.2f"), span(ratioInto[i], "%.2f"))
	}
	runtime.KeepAlive(held)
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
