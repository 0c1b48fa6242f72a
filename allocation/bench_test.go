package allocation_test

import (
	"context"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hotro-vn/hotro/admin"
	"github.com/hotro-vn/hotro/allocation"
	"github.com/hotro-vn/hotro/allocation/synth"
	"github.com/hotro-vn/hotro/eligibility"
	"github.com/stretchr/testify/require"
)

// beneficiaries decides the persons on date in chunks, keeping only what a
// plan needs. The rule sets are Hà Tĩnh's, whose residents alone are
// eligible; a person of another province is decided as if living in a
// Hà Tĩnh commune of the same zone (the top-up depends on the zone only)
// and planned in their own commune.
func beneficiaries(tb testing.TB, persons []eligibility.Person, date time.Time) []allocation.Beneficiary {
	e := engine(tb)
	reg := admin.Default()
	stand := map[string]string{admin.ZoneRural: "18112", admin.ZoneUrban: "18073"}
	var out []allocation.Beneficiary
	const chunk = 1 << 15
	for lo := 0; lo < len(persons); lo += chunk {
		hi := min(lo+chunk, len(persons))
		recs := make([]eligibility.Record, hi-lo)
		home := make(map[string]admin.Commune, hi-lo)
		for i := range recs {
			p := persons[lo+i]
			if c, _ := reg.Lookup(p.CommuneCode); c.ProvinceCode != "42" {
				home[p.ID] = c
				p.Zone, p.CommuneCode = c.Zone(), stand[c.Zone()]
			}
			recs[i] = p.Record(0)
		}
		outs, err := e.DecideAll(context.Background(), recs, date)
		require.NoError(tb, err)
		b, _ := allocation.Beneficiaries(outs)
		for i := range b {
			if c, ok := home[b[i].ID]; ok {
				b[i].Commune = c
			}
		}
		out = append(out, b...)
	}
	return out
}

// peakHeap samples the heap while f runs and returns its peak and the
// heap before f (the inputs), in MiB.
func peakHeap(f func()) (peakMiB, baseMiB float64) {
	runtime.GC()
	var ms0 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	var peak atomic.Uint64
	done := make(chan struct{})
	go func() {
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > peak.Load() {
				peak.Store(ms.HeapAlloc)
			}
			select {
			case <-done:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	f()
	close(done)
	return float64(peak.Load()) / (1 << 20), float64(ms0.HeapAlloc) / (1 << 20)
}

func benchPlan(b *testing.B, cfg synth.Config) {
	d := synth.Generate(cfg)
	date := date("2020-06-01")
	bens := beneficiaries(b, d.Persons, date)
	d.Persons = nil
	p := planner(b)
	b.ReportAllocs()
	b.ResetTimer()
	var peak, base float64
	for b.Loop() {
		pk, bs := peakHeap(func() {
			plan, err := p.Plan(date, d.Units, bens)
			if err != nil {
				b.Fatal(err)
			}
			runtime.KeepAlive(plan)
		})
		peak, base = max(peak, pk), max(base, bs)
	}
	b.ReportMetric(peak, "peak-heap-MiB")
	b.ReportMetric(base, "input-heap-MiB")
	b.ReportMetric(float64(len(bens)), "beneficiaries")
}

// BenchmarkPlanHaTinh plans the examples/hatinh data set: 18,300 persons,
// about 1,000 units.
func BenchmarkPlanHaTinh(b *testing.B) { benchPlan(b, synth.HaTinh) }

// BenchmarkPlanNational plans national-scale sets of a quarter, a half and
// the whole of 1,000,000 beneficiaries over the 10,047 communes with
// 100,000 units, to show time and memory growing linearly.
func BenchmarkPlanNational(b *testing.B) {
	if testing.Short() {
		b.Skip("national scale")
	}
	for _, div := range []int{4, 2, 1} {
		cfg := synth.National
		cfg.Persons, cfg.Units = cfg.Persons/div, cfg.Units/div
		b.Run(fmt.Sprintf("persons=%d", cfg.Persons), func(b *testing.B) { benchPlan(b, cfg) })
	}
}

// BenchmarkPlanLarge plans synth.HaTinhLarge: a million persons and
// 100,000 units in one province's 210 communes, the densest case.
func BenchmarkPlanLarge(b *testing.B) { benchPlan(b, synth.HaTinhLarge) }
