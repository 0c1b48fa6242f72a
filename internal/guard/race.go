//go:build race

package guard

func init() { raceSlowdown = 10 }
