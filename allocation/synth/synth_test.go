package synth_test

import (
	"testing"

	"github.com/hotro-vn/hotro/allocation/synth"
	"github.com/stretchr/testify/assert"
)

// TestHaTinh checks the example's scale (docs/policy.md) and that the same
// seed gives the same data.
func TestHaTinh(t *testing.T) {
	d := synth.Generate(synth.HaTinh)
	assert.Len(t, d.Persons, 18300)
	assert.InDelta(t, 9400, d.Households, 200)
	communes := map[string]bool{}
	for _, p := range d.Persons {
		communes[p.CommuneCode] = true
		assert.NoError(t, p.Record(0).Err, p.ID)
	}
	kinds := map[string]int{}
	for _, u := range d.Units {
		kinds[u.Kind]++
	}
	assert.Len(t, communes, 210)
	assert.Equal(t, 210, kinds["commune"])
	assert.Positive(t, kinds["agency"])
	assert.Positive(t, kinds["business"])
	assert.Positive(t, kinds["association"])
	assert.Positive(t, kinds["philanthropist"])
	again := synth.Generate(synth.HaTinh)
	assert.Equal(t, d.Persons[1234], again.Persons[1234])
	assert.Equal(t, d.Units[500], again.Units[500])
}
